"""The control API under /_sim: what tests and benchmarks use instead of sleeping (see hubsim/README.md)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hubsim.clock import isoformat
from hubsim.endpoints.render import render_endpoint
from hubsim.errors import ApiError
from hubsim.request_context import json_body, sim_of


async def _object(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "expected a JSON object")
    return body


def _clock_json(request: Request) -> dict[str, Any]:
    clock = sim_of(request).clock
    return {"now": isoformat(clock.now()), "offset_seconds": clock.offset_seconds}


async def status(request: Request) -> JSONResponse:
    sim = sim_of(request)
    return JSONResponse({"ok": True, "engine_ready": sim.engine.ready, **_clock_json(request)})


async def reset(request: Request) -> JSONResponse:
    sim_of(request).reset()
    return JSONResponse({"ok": True})


async def get_clock(request: Request) -> JSONResponse:
    return JSONResponse(_clock_json(request))


async def advance_clock(request: Request) -> JSONResponse:
    seconds = (await _object(request)).get("seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise ApiError(400, "seconds must be a number >= 0")
    sim = sim_of(request)
    sim.clock.advance(seconds)
    sim.save()
    return JSONResponse(_clock_json(request))


async def set_endpoint_state(request: Request) -> JSONResponse:
    body = await _object(request)
    sim, params = sim_of(request), request.path_params
    record = sim.backend.set_state(
        params["namespace"], params["name"], str(body.get("state")), body.get("message")
    )
    sim.save()
    return JSONResponse(render_endpoint(record, sim.settings.base_url))


async def fail_next_deployment(request: Request) -> JSONResponse:
    body = await _object(request)
    sim_of(request).backend.fail_next_deployment(body.get("namespace"), body.get("name"), body.get("message"))
    return JSONResponse({"ok": True})


async def set_quota(request: Request) -> JSONResponse:
    body = await _object(request)
    try:
        namespace, instance_type = str(body["namespace"]), str(body["instance_type"])
        limit = int(body["max_accelerators"])
    except KeyError as error:
        raise ApiError(400, f"missing field {error}") from error
    except (TypeError, ValueError) as error:
        raise ApiError(400, "max_accelerators must be a whole number") from error
    sim_of(request).backend.set_quota(namespace, instance_type, limit)
    return JSONResponse({"namespace": namespace, "instance_type": instance_type, "max_accelerators": limit})


async def add_fault(request: Request) -> JSONResponse:
    body = await _object(request)
    try:
        fault = sim_of(request).faults.add(
            str(body.get("method", "*")),
            str(body["path"]),
            body.get("status"),
            times=int(body.get("times", 1)),
            retry_after=body.get("retry_after"),
            latency_ms=float(body.get("latency_ms", 0)),
            message=body.get("message"),
            when=str(body.get("when", "before")),
        )
    except KeyError as error:
        raise ApiError(400, f"missing field {error}") from error
    except (TypeError, ValueError) as error:
        raise ApiError(400, str(error)) from error
    return JSONResponse(fault.describe(), status_code=201)


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse([fault.describe() for fault in sim_of(request).faults.faults])


async def clear_faults(request: Request) -> JSONResponse:
    sim_of(request).faults.clear()
    return JSONResponse({"ok": True})


async def request_counts(request: Request) -> JSONResponse:
    return JSONResponse(sim_of(request).requests.counts())


async def request_log(request: Request) -> JSONResponse:
    return JSONResponse(sim_of(request).requests.describe())


async def clear_requests(request: Request) -> JSONResponse:
    sim_of(request).requests.clear()
    return JSONResponse({"ok": True})


routes = [
    Route("/_sim/status", status, methods=["GET"]),
    Route("/_sim/reset", reset, methods=["POST"]),
    Route("/_sim/clock", get_clock, methods=["GET"]),
    Route("/_sim/clock/advance", advance_clock, methods=["POST"]),
    Route("/_sim/endpoints/{namespace}/{name}/state", set_endpoint_state, methods=["POST"]),
    Route("/_sim/deployments/fail-next", fail_next_deployment, methods=["POST"]),
    Route("/_sim/quotas", set_quota, methods=["POST"]),
    Route("/_sim/faults", add_fault, methods=["POST"]),
    Route("/_sim/faults", list_faults, methods=["GET"]),
    Route("/_sim/faults", clear_faults, methods=["DELETE"]),
    Route("/_sim/requests/counts", request_counts, methods=["GET"]),
    Route("/_sim/requests", request_log, methods=["GET"]),
    Route("/_sim/requests", clear_requests, methods=["DELETE"]),
]
