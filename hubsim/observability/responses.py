"""``GET /v2/endpoint/{namespace}/{name}/open-metrics`` and ``.../logs``: the caller needs a token of the
namespace, as for every /v2 route.

The logs route is not in the public documentation: ``/logs`` with a ``replica`` query parameter is what two
public clients of the API call (sebps/huggingface-client ``client/endpoints.go``, MantisAI/hugie
``hugie/endpoint.py``). The other parameters and the answer's shape are hubsim's (assumed); see README.
"""

from datetime import datetime

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim.endpoints.record import EndpointRecord
from hubsim.errors import ApiError
from hubsim.observability.logs import KINDS, LEVELS, LogQuery
from hubsim.observability.openmetrics import CONTENT_TYPE, render
from hubsim.request_context import identity_of, sim_of

MAX_LOG_LINES = 1000


def _endpoint(request: Request) -> EndpointRecord:
    params = request.path_params
    return sim_of(request).backend.get(identity_of(request), params["namespace"], params["name"])


async def open_metrics(request: Request) -> Response:
    sim, record = sim_of(request), _endpoint(request)
    traffic = sim.observability.traffic.of(record.id)
    body = render(traffic, record.replicas, record.spec["compute"]["accelerator"], sim.clock.now())
    return Response(body, media_type=CONTENT_TYPE)


async def logs(request: Request) -> JSONResponse:
    sim, record = sim_of(request), _endpoint(request)
    lines, cursor = sim.observability.logs.page(record.id, log_query(request.query_params))
    return JSONResponse(
        {"items": [line.to_json() for line in lines], "nextCursor": None if cursor is None else str(cursor)}
    )


def log_query(params: QueryParams) -> LogQuery:
    """The query's filters, or a 400 naming the parameter that cannot be read."""
    return LogQuery(
        replica=params.get("replica"),
        kind=_one_of(params, "kind", KINDS),
        level=_one_of(params, "level", LEVELS) or LEVELS[0],
        since=_timestamp(params, "since"),
        until=_timestamp(params, "until"),
        before=_whole_number(params, "cursor", 1, None),
        limit=_whole_number(params, "limit", 1, MAX_LOG_LINES) or LogQuery.limit,
    )


def _one_of(params: QueryParams, name: str, allowed: tuple[str, ...]) -> str | None:
    value = params.get(name)
    if value is not None and value not in allowed:
        raise ApiError(400, f"Invalid {name} '{value}': expected one of {', '.join(allowed)}")
    return value


def _timestamp(params: QueryParams, name: str) -> float | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ApiError(400, f"Invalid {name} '{value}': expected an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise ApiError(400, f"Invalid {name} '{value}': give a time zone, e.g. 2026-01-31T12:00:00Z")
    return moment.timestamp()


def _whole_number(params: QueryParams, name: str, low: int, high: int | None) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ApiError(400, f"Invalid {name} '{value}': expected a whole number {bounds}")
    return int(value)
