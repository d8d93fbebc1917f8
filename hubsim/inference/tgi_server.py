"""TGI as an engine server: its route table (server.rs's ``base_routes`` and ``info_routes``), its error
body ``{"error", "error_type"}`` and axum's empty 404."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from hubsim.errors import ApiError
from hubsim.inference import tgi
from hubsim.inference.common_routes import healthy, metrics
from hubsim.inference.engines import TGI
from hubsim.inference.params import JsonRejection
from hubsim.inference.routing import EngineServer, Served
from hubsim.inference.tgi_metrics import TgiMetrics

# text-generation-inference's own OpenAPI description (Apache-2.0), which TGI serves at /api-doc/openapi.json.
TGI_OPENAPI = Path(__file__).with_name("tgi-openapi.json")


async def openapi(request: Request, served: Served) -> Response:
    return FileResponse(TGI_OPENAPI, media_type="application/json")


def render_error(error: ApiError) -> Response:
    if isinstance(error, JsonRejection):
        return PlainTextResponse(error.message, status_code=error.status)
    return JSONResponse(
        {"error": error.message, "error_type": error.error_type or "validation"}, status_code=error.status
    )


def not_found(request: Request) -> Response:
    return Response(status_code=404)


SERVER = EngineServer(
    name=TGI,
    routes={
        "": {"POST": tgi.compat_generate, "GET": healthy},
        "/generate": {"POST": tgi.generate},
        "/generate_stream": {"POST": tgi.generate_stream},
        "/v1/chat/completions": {"POST": tgi.chat_completions},
        "/v1/completions": {"POST": tgi.completions},
        "/invocations": {"POST": tgi.invocations},
        "/tokenize": {"POST": tgi.tokenize_route},
        "/chat_tokenize": {"POST": tgi.chat_tokenize},
        "/info": {"GET": tgi.info},
        "/health": {"GET": healthy},
        "/ping": {"GET": healthy},
        "/metrics": {"GET": metrics},
        "/v1/models": {"GET": tgi.list_models},
        "/api-doc/openapi.json": {"GET": openapi},
    },
    render_error=render_error,
    not_found=not_found,
    new_metrics=lambda record: TgiMetrics(),
)
