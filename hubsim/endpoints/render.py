"""The API's JSON for endpoints and for the provider/hardware list."""

import hashlib
from typing import Any

from hubsim.clock import isoformat
from hubsim.endpoints.backend import EndpointsBackend
from hubsim.endpoints.hardware_prices import AVAILABLE, REGION_LABELS
from hubsim.endpoints.images import health_route, rendered_image
from hubsim.endpoints.record import EndpointRecord

SECRET_PLACEHOLDER = "********"  # noqa: S105 - shown instead of a secret value
# States with replicas up (readyReplica); states where replicas are wanted (targetReplica).
READY_STATES = frozenset({"running", "updating", "updateFailed"})
IDLE_STATES = frozenset({"paused", "scaledToZero"})
# States in which the endpoint has no URL yet (or no longer).
NO_URL_STATES = frozenset({"pending", "failed"})


def endpoint_url(base_url: str, record: EndpointRecord) -> str:
    return f"{base_url}/e/{record.id}"


def private_status(record: EndpointRecord) -> dict[str, str] | None:
    """``status.private``: the VPC service name of an AWS PrivateLink endpoint (field of the Go client
    sebps/huggingface-client; the service name in AWS's format, derived from the endpoint id: assumed)."""
    private_service = record.spec.get("privateService")
    if private_service is None:
        return None
    region = private_service.get("region") or record.spec["provider"]["region"]
    suffix = hashlib.sha1(record.id.encode(), usedforsecurity=False).hexdigest()[:17]
    return {"serviceName": f"com.amazonaws.vpce.{region}.vpce-svc-{suffix}"}


def render_endpoint(record: EndpointRecord, base_url: str) -> dict[str, Any]:
    spec = record.spec
    model = {
        **spec["model"],
        "image": rendered_image(spec["model"]["image"]),
        "secrets": dict.fromkeys(spec["model"].get("secrets", {}), SECRET_PLACEHOLDER),
    }
    replicas = max(record.scaling["minReplica"], 1)
    return {
        **{key: value for key, value in spec.items() if key not in ("model",)},
        "name": record.name,
        "accountId": None,
        "model": model,
        "healthRoute": health_route(spec["model"]["image"]),
        "status": {
            "createdAt": isoformat(record.created_at),
            "createdBy": record.created_by,
            "updatedAt": isoformat(record.updated_at),
            "updatedBy": record.updated_by,
            "private": private_status(record),
            "state": record.state,
            "message": record.message,
            "url": None if record.state in NO_URL_STATES else endpoint_url(base_url, record),
            "readyReplica": replicas if record.state in READY_STATES else 0,
            "targetReplica": 0 if record.state in IDLE_STATES else replicas,
        },
    }


def render_hardware(backend: EndpointsBackend, namespace: str) -> dict[str, Any]:
    vendors = []
    for vendor, regions in backend.catalog.vendors():
        rendered_regions = []
        for region, computes in regions:
            entries = []
            for compute in computes:
                quota = {
                    "maxAccelerators": backend.quotas.max_accelerators(namespace, compute.instance_type),
                    "usedAccelerators": backend.used_accelerators(namespace, vendor, compute.instance_type),
                }
                entries.append({**compute.raw, "quota": quota})
            rendered_regions.append(
                {"name": region, "label": REGION_LABELS[region], "status": AVAILABLE, "computes": entries}
            )
        vendors.append({"name": vendor, "status": AVAILABLE, "regions": rendered_regions})
    return {"vendors": vendors}
