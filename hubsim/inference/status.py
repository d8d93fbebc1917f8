"""Routes every inference server has: the health check and the Prometheus metrics."""

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from hubsim.inference.routing import Served


async def health(request: Request, served: Served) -> Response:
    return Response(status_code=200)


async def metrics(request: Request, served: Served) -> Response:
    return PlainTextResponse(served.metrics.prometheus_text(), media_type="text/plain; version=0.0.4")
