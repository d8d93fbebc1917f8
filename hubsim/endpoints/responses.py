"""HTTP in, JSON out for the Endpoints API: each handler reads the request, calls the backend, renders."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from hubsim.endpoints.access import authorize
from hubsim.endpoints.render import render_endpoint, render_hardware
from hubsim.request_context import identity_of, json_body, sim_of


def _endpoint_response(request: Request, record) -> JSONResponse:
    return JSONResponse(render_endpoint(record, sim_of(request).settings.base_url))


async def list_endpoints(request: Request) -> JSONResponse:
    sim = sim_of(request)
    records = sim.backend.list_endpoints(identity_of(request), request.path_params["namespace"])
    return JSONResponse({"items": [render_endpoint(record, sim.settings.base_url) for record in records]})


async def create_endpoint(request: Request) -> JSONResponse:
    sim = sim_of(request)
    payload = await json_body(request)
    record = sim.backend.create(identity_of(request), request.path_params["namespace"], payload)
    sim.save()
    return _endpoint_response(request, record)


async def get_endpoint(request: Request) -> JSONResponse:
    params = request.path_params
    record = sim_of(request).backend.get(identity_of(request), params["namespace"], params["name"])
    return _endpoint_response(request, record)


async def update_endpoint(request: Request) -> JSONResponse:
    sim, params = sim_of(request), request.path_params
    payload = await json_body(request)
    record = sim.backend.update(identity_of(request), params["namespace"], params["name"], payload)
    sim.save()
    return _endpoint_response(request, record)


async def delete_endpoint(request: Request) -> JSONResponse:
    sim, params = sim_of(request), request.path_params
    sim.backend.delete(identity_of(request), params["namespace"], params["name"])
    sim.save()
    return JSONResponse({})


async def pause_endpoint(request: Request) -> JSONResponse:
    sim, params = sim_of(request), request.path_params
    record = sim.backend.pause(identity_of(request), params["namespace"], params["name"])
    sim.save()
    return _endpoint_response(request, record)


async def resume_endpoint(request: Request) -> JSONResponse:
    sim, params = sim_of(request), request.path_params
    record = sim.backend.resume(identity_of(request), params["namespace"], params["name"])
    sim.save()
    return _endpoint_response(request, record)


async def scale_endpoint_to_zero(request: Request) -> JSONResponse:
    sim, params = sim_of(request), request.path_params
    record = sim.backend.scale_to_zero(identity_of(request), params["namespace"], params["name"])
    sim.save()
    return _endpoint_response(request, record)


async def list_hardware(request: Request) -> JSONResponse:
    namespace = request.path_params["namespace"]
    authorize(identity_of(request), namespace)
    return JSONResponse(render_hardware(sim_of(request).backend, namespace))
