"""How a request to an endpoint's URL is served: the gate admits it, then the engine the endpoint's container
runs answers it with its own routes, its own error bodies and its own 404.

Each engine is an ``EngineServer``: a table of (path, method) -> handler. The route table hubsim mounts is the
union of every engine's paths under ``/e/{endpoint_id}`` (so the request log names each route), plus a
catch-all that lets the endpoint's engine answer a path it does not know as that engine would.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hubsim import models
from hubsim.endpoints.record import EndpointRecord
from hubsim.errors import ApiError
from hubsim.inference.engines import engine_of
from hubsim.inference.gate import admit
from hubsim.inference.metrics import EngineMetrics
from hubsim.request_context import sim_of

if TYPE_CHECKING:
    from hubsim.simulation import Simulation

BASE = "/e/{endpoint_id}"
CATCH_ALL = "/{path:path}"


@dataclass(frozen=True)
class Served:
    """An admitted request: the endpoint it is for, that endpoint's model, engine and metrics."""

    sim: "Simulation"
    record: EndpointRecord
    repo: models.RepoSpec
    metrics: EngineMetrics

    @property
    def repo_id(self) -> str:
        return self.repo.repo_id

    @property
    def multimodal(self) -> bool:
        return self.repo.pipeline_tag == "image-text-to-text"

    @property
    def token_latency(self) -> float:
        """Seconds between streamed tokens."""
        return self.sim.settings.token_latency_ms / 1000

    async def engine(self) -> models.TextEngine:
        return await self.sim.engine.get()


Handler = Callable[[Request, Served], Awaitable[Response]]


@dataclass(frozen=True)
class EngineServer:
    """One engine's HTTP server."""

    name: str
    routes: dict[str, dict[str, Handler]]  # path under the endpoint URL ("" is the root) -> method -> handler
    render_error: Callable[[ApiError], Response]
    not_found: Callable[[Request], Response]
    new_metrics: Callable[[EndpointRecord], EngineMetrics]


def mount(servers: list[EngineServer]) -> list[Route]:
    """The routes of every engine under ``/e/{endpoint_id}``, each dispatching to the endpoint's engine."""
    by_engine = {server.name: server for server in servers}
    paths: dict[str, set[str]] = {}
    for server in servers:
        for path, methods in server.routes.items():
            paths.setdefault(path, set()).update(methods)
    routes = []
    for path, methods in paths.items():
        dispatch = _dispatcher(by_engine, path)
        routes.append(Route(BASE + path, dispatch, methods=sorted(methods)))
        if path == "":
            routes.append(Route(BASE + "/", dispatch, methods=sorted(methods)))
    any_method = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    routes.append(Route(BASE + CATCH_ALL, _dispatcher(by_engine, None), methods=any_method))
    return routes


def _dispatcher(
    servers: dict[str, EngineServer], path: str | None
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        record = await admit(request)
        engine = engine_of(record.spec)
        route = path if path is not None else "/" + request.path_params["path"]
        server = servers.get(engine)
        if server is None:
            return await _serve_unknown(request, record, route)
        sim = sim_of(request)
        metrics = sim.metrics.of(record.id, engine, lambda: server.new_metrics(record))
        served = Served(sim, record, models.get_repo(record.repository), metrics)
        method = "GET" if request.method == "HEAD" else request.method
        handler = server.routes.get(route, {}).get(method)
        if handler is None:
            return server.not_found(request)
        try:
            return await handler(request, served)
        except ApiError as error:
            return server.render_error(error)
        except models.GenerationParameterError as error:
            # Each server validates first; an engine that still refuses a parameter is a validation error.
            return server.render_error(ApiError(422, str(error), error_type="validation"))

    return endpoint


async def _serve_unknown(request: Request, record: EndpointRecord, route: str) -> Response:
    """A container hubsim cannot emulate: it answers its health route (it is running, so its health check
    passed) and 404 elsewhere. Assumed: nothing public says what an arbitrary container answers."""
    container = next(iter(record.spec["model"]["image"].values())) or {}
    health_route = container.get("healthRoute") or "/health"
    if request.method == "GET" and route == health_route:
        return Response(status_code=200)
    return PlainTextResponse("Not Found", status_code=404)
