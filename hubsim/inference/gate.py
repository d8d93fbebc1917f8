"""What stands between a request and an endpoint's server: lookup, who may call it, state, and the replica.

- Who may call (hf-endpoints-documentation ``guides/configuration.md``, "Authentication"): ``public``
  endpoints anyone; ``authenticated`` ones anyone with a Hugging Face account, with their own token (a missing
  or unknown token: 401); ``private`` ones only the namespace's user or its organisation's members (another
  account: 403). An endpoint behind AWS PrivateLink (``privateService``) is "only available through an
  intra-region secured AWS PrivateLink connection" (``guides/private_link.md``): its URL refuses everyone
  from outside (403, assumed: from the internet the name does not even resolve).
- paused and failed endpoints refuse requests (400 "Invalid state"); a scaledToZero endpoint starts waking up
  and answers 503; a request carrying ``X-Scale-Up-Timeout: <s>`` waits up to that many seconds for the
  wake-up instead (``guides/autoscaling.md``). Every admitted request counts as activity.
- An admitted request is served by one of the endpoint's replicas, in turn; the replica is noted in the
  request's scope for the traffic record (``hubsim.observability.traffic``).
"""

import asyncio

from starlette.requests import Request

from hubsim.accounts import Identity
from hubsim.endpoints.access import authorize
from hubsim.endpoints.backend import SERVING_STATES
from hubsim.endpoints.record import EndpointRecord
from hubsim.errors import ApiError
from hubsim.observability.traffic import REPLICA_SCOPE_KEY
from hubsim.request_context import identity_of, sim_of

SCALE_UP_HEADER = "x-scale-up-timeout"
POLL_SECONDS = 0.02
REFUSING_STATES = frozenset({"paused", "failed"})
INVALID_CREDENTIALS = "Invalid credentials in Authorization header"


def _scale_up_timeout(request: Request) -> float:
    raw = request.headers.get(SCALE_UP_HEADER)
    try:
        return max(float(raw), 0.0) if raw else 0.0
    except ValueError:
        return 0.0


def check_caller(identity: Identity | None, record: EndpointRecord) -> None:
    """Refuses a caller the endpoint's type (and network) does not let in."""
    if record.spec.get("privateService"):
        raise ApiError(
            403, "Forbidden: this endpoint is only reachable through its AWS PrivateLink connection"
        )
    endpoint_type = record.spec["type"]
    if endpoint_type == "public":
        return
    if identity is None:
        raise ApiError(401, INVALID_CREDENTIALS)
    if endpoint_type == "private":
        authorize(identity, record.namespace)


async def admit(request: Request) -> EndpointRecord:
    """The endpoint this request is for, ready to serve it; or an ApiError the proxy would answer."""
    backend = sim_of(request).backend
    record = backend.by_id(request.path_params["endpoint_id"])
    if record is None:
        raise ApiError(404, "Not Found: no endpoint at this URL")
    check_caller(identity_of(request), record)
    if record.state in REFUSING_STATES:
        raise ApiError(400, "Bad Request: Invalid state")
    backend.note_activity(record)
    if record.state == "scaledToZero":
        backend.wake(record)
    if record.state not in SERVING_STATES:
        await _wait_until_serving(record, request)
    request.scope[REPLICA_SCOPE_KEY] = backend.serving_replica(record)
    return record


async def _wait_until_serving(record: EndpointRecord, request: Request) -> None:
    backend = sim_of(request).backend
    deadline = asyncio.get_running_loop().time() + _scale_up_timeout(request)
    while record.state not in SERVING_STATES:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or record.state in REFUSING_STATES:
            raise ApiError(503, "Service Unavailable: the endpoint is starting, retry in a moment")
        await asyncio.sleep(min(POLL_SECONDS, remaining))
        backend.refresh(record)
    backend.note_activity(record)
