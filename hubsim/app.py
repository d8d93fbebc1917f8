"""The ASGI application: every route table, the request log and fault middleware, start-up and shutdown."""

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from hubsim import control
from hubsim.catalog import urls as catalog_urls
from hubsim.endpoints import urls as endpoint_urls
from hubsim.errors import ApiError
from hubsim.faults import FaultMiddleware
from hubsim.http_errors import api_error_response, error_response
from hubsim.hub import urls as hub_urls
from hubsim.inference import urls as inference_urls
from hubsim.observability import urls as observability_urls
from hubsim.observability.traffic import TrafficMiddleware
from hubsim.requestlog import RequestLogMiddleware
from hubsim.settings import Settings
from hubsim.simulation import Simulation

logger = logging.getLogger("hubsim")


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return api_error_response(error)


async def _not_found(request: Request, error: Exception) -> JSONResponse:
    return error_response(404, "Not Found")


def create_app(settings: Settings) -> Starlette:
    sim = Simulation.build(settings)
    # The Hub's catch-all resolve route comes last so that it never shadows another route.
    routes = (
        control.routes
        + endpoint_urls.routes
        + observability_urls.routes
        + catalog_urls.routes
        + inference_urls.routes
        + hub_urls.routes
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sim.engine.start()
        logger.info(
            "hubsim serving at %s (engine %r building in the background)", settings.base_url, settings.engine
        )
        yield
        sim.save()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestLogMiddleware, log=sim.requests, routes=routes, name_endpoint=sim.endpoint_key),
            Middleware(FaultMiddleware, book=sim.faults),
            Middleware(TrafficMiddleware, served=sim.observability.served, now=sim.clock.now),
        ],
        exception_handlers={ApiError: _api_error, 404: _not_found},
        lifespan=lifespan,
    )
    app.state.sim = sim
    return app
