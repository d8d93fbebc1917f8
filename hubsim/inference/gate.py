"""What stands between a request and an endpoint's server: lookup, auth per endpoint type, and state.

- ``authenticated``/``private`` endpoints need a valid token of the endpoint's namespace (401 / 403);
- paused and failed endpoints refuse requests (400 "Invalid state");
- a scaledToZero endpoint starts waking up and answers 503; a request carrying ``X-Scale-Up-Timeout: <s>``
  waits up to that many seconds for the wake-up instead. Every admitted request counts as activity.
"""

import asyncio

from starlette.requests import Request

from hubsim.endpoints.access import authorize
from hubsim.endpoints.backend import SERVING_STATES
from hubsim.endpoints.record import EndpointRecord
from hubsim.errors import ApiError
from hubsim.request_context import identity_of, sim_of

SCALE_UP_HEADER = "x-scale-up-timeout"
POLL_SECONDS = 0.02
REFUSING_STATES = frozenset({"paused", "failed"})


def _scale_up_timeout(request: Request) -> float:
    raw = request.headers.get(SCALE_UP_HEADER)
    try:
        return max(float(raw), 0.0) if raw else 0.0
    except ValueError:
        return 0.0


async def admit(request: Request) -> EndpointRecord:
    """The endpoint this request is for, ready to serve it; or an ApiError the proxy would answer."""
    backend = sim_of(request).backend
    record = backend.by_id(request.path_params["endpoint_id"])
    if record is None:
        raise ApiError(404, "Not Found: no endpoint at this URL")
    if record.spec["type"] != "public":
        authorize(identity_of(request), record.namespace)
    if record.state in REFUSING_STATES:
        raise ApiError(400, "Bad Request: Invalid state")
    backend.note_activity(record)
    if record.state == "scaledToZero":
        backend.wake(record)
    if record.state not in SERVING_STATES:
        await _wait_until_serving(record, request)
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
