"""Rows of the mirror built directly, for page tests that need no Hugging Face at all."""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from endpoints_app.models import Credential, Endpoint, HardwareOption, Namespace
from endpoints_app.models.endpoints import BILLED_STATUSES

READY_STATUSES = {"running", "updating", "updateFailed"}


def namespace_with_token(name: str = "demo") -> Namespace:
    credential = Credential(label=f"{name} token", hf_username=name, reached_namespaces=[name])
    credential.set_token(f"hf_test_token_for_{name}")
    credential.save()
    return Namespace.objects.create(name=name, credential=credential, last_synced_at=timezone.now())


def raw_endpoint(name: str, **model: Any) -> dict[str, Any]:
    """A trimmed API payload; `model` entries (env, secrets, image ...) go into its "model" part."""
    return {
        "name": name,
        "type": "authenticated",
        "model": {"repository": "google/gemma-1.1-2b-it", "task": "text-generation", **model},
        "compute": {"scaling": {"minReplica": 0, "maxReplica": 1}},
        "status": {"state": "running"},
    }


def endpoint_row(namespace: Namespace, name: str, status: str = "running", **fields: Any) -> Endpoint:
    billed = status in BILLED_STATUSES
    values: dict[str, Any] = {
        "status": status,
        "repository": "google/gemma-1.1-2b-it",
        "task": "text-generation",
        "vendor": "aws",
        "region": "us-east-1",
        "accelerator": "gpu",
        "instance_type": "nvidia-a10g",
        "instance_size": "x1",
        "url": f"http://127.0.0.1:9/e/{name}" if status in READY_STATUSES else "",
        "ready_replica": 1 if status in READY_STATUSES else 0,
        "target_replica": 1 if billed else 0,
        "price_per_hour": Decimal("1.0000"),
        "raw": raw_endpoint(name),
        "remote_updated_at": timezone.now(),
    }
    values.update(fields)
    return Endpoint.objects.create(namespace=namespace, name=name, **values)


def hardware_option(
    namespace: Namespace,
    instance_type: str = "nvidia-a10g",
    instance_size: str = "x1",
    *,
    status: str = "available",
    price: str = "1.00",
    vendor: str = "aws",
    region: str = "us-east-1",
) -> HardwareOption:
    return HardwareOption.objects.create(
        namespace=namespace,
        compute_id=f"{vendor}-{region}-{instance_type}-{instance_size}",
        vendor=vendor,
        region=region,
        accelerator="cpu" if instance_type.startswith("intel") else "gpu",
        instance_type=instance_type,
        instance_size=instance_size,
        architecture=instance_type.upper(),
        num_accelerators=1,
        num_cpus=4,
        memory_gb=16,
        gpu_memory_gb=24,
        price_per_hour=Decimal(price),
        status=status,
        quota_max_accelerators=4,
        quota_used_accelerators=1,
        refreshed_at=timezone.now(),
    )
