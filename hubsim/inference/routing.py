"""How an inference route is served: admit the request through the gate, pick the endpoint's server, count."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from hubsim import models
from hubsim.endpoints.record import EndpointRecord
from hubsim.errors import ApiError
from hubsim.inference.gate import admit
from hubsim.inference.metrics import EndpointMetrics
from hubsim.request_context import sim_of

if TYPE_CHECKING:
    from hubsim.simulation import Simulation

TGI = "tgi"  # text-generation-inference: text generation and multimodal chat
DIFFUSERS = "diffusers"  # text-to-image


@dataclass(frozen=True)
class Served:
    """An admitted request: the endpoint it is for and that endpoint's model."""

    sim: "Simulation"
    record: EndpointRecord
    repo: models.RepoSpec
    metrics: EndpointMetrics

    @property
    def repo_id(self) -> str:
        return self.repo.repo_id

    @property
    def server(self) -> str:
        return DIFFUSERS if self.repo.pipeline_tag == "text-to-image" else TGI

    @property
    def multimodal(self) -> bool:
        return self.repo.pipeline_tag == "image-text-to-text"

    async def engine(self) -> models.TextEngine:
        return await self.sim.engine.get()


Handler = Callable[[Request, Served], Awaitable[Response]]


def inference_route(
    *servers: str, counted: bool = True
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A route of the servers named; ``counted`` routes add to the endpoint's request metrics."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            record = await admit(request)
            sim = sim_of(request)
            served = Served(sim, record, models.get_repo(record.repository), sim.metrics.of(record.id))
            if served.server not in servers:
                raise ApiError(404, "Not Found")
            if not counted:
                return await handler(request, served)
            served.metrics.tgi_request_count += 1
            try:
                response = await handler(request, served)
            except ApiError:
                served.metrics.tgi_request_failure += 1
                raise
            served.metrics.tgi_request_success += 1
            return response

        return endpoint

    return decorate
