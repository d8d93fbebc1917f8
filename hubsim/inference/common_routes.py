"""Handlers several engines share: an empty 200 health check, and the endpoint's metrics as its engine
renders them."""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim.inference.routing import Served


async def healthy(request: Request, served: Served) -> Response:
    """TGI, TEI, vLLM and SGLang answer their health route with 200 and no body."""
    return Response(status_code=200)


async def metrics(request: Request, served: Served) -> Response:
    body, content_type = served.metrics.render()
    return Response(body, media_type=content_type)


def fastapi_not_found(request: Request) -> Response:
    """FastAPI's answer to a path no route matches (vLLM and SGLang are FastAPI applications)."""
    return JSONResponse({"detail": "Not Found"}, status_code=404)
