"""Routes of the inference servers, under each endpoint's URL ``/e/{endpoint_id}``.

Each route names the servers that have it (TGI for text generation and multimodal chat, DIFFUSERS for
text-to-image) and whether it counts as an inference request in the endpoint's metrics.
"""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from hubsim.inference import images, status, tgi
from hubsim.inference.params import object_body
from hubsim.inference.routing import DIFFUSERS, TGI, Served, inference_route
from hubsim.request_context import json_body

BASE = "/e/{endpoint_id}"
# text-generation-inference's own OpenAPI description (Apache-2.0), which TGI serves at /api-doc/openapi.json.
TGI_OPENAPI = Path(__file__).with_name("tgi-openapi.json")


async def root(request: Request, served: Served) -> Response:
    """``POST /``: a PNG on a text-to-image endpoint, TGI's compat generate on a text-generation one."""
    if served.server == DIFFUSERS:
        return await images.text_to_image(request, served)
    return await tgi.compat_generate(request, served)


async def invocations(request: Request, served: Served) -> Response:
    """SageMaker's single route: chat, completions or generate, by the body's shape."""
    body = object_body(await json_body(request, error_type="validation"))
    if "messages" in body:
        return await tgi.chat_completions(request, served)
    if "prompt" in body:
        return await tgi.completions(request, served)
    return await tgi.sagemaker_generate(request, served)


async def openapi(request: Request, served: Served) -> Response:
    return FileResponse(TGI_OPENAPI, media_type="application/json")


text_generation = inference_route(TGI)
any_server = inference_route(TGI, DIFFUSERS)

routes = [
    Route(BASE, any_server(root), methods=["POST"]),
    Route(BASE + "/", any_server(root), methods=["POST"]),
    Route(BASE + "/generate", text_generation(tgi.generate), methods=["POST"]),
    Route(BASE + "/generate_stream", text_generation(tgi.generate_stream), methods=["POST"]),
    Route(BASE + "/v1/chat/completions", text_generation(tgi.chat_completions), methods=["POST"]),
    Route(BASE + "/v1/completions", text_generation(tgi.completions), methods=["POST"]),
    Route(BASE + "/chat_tokenize", text_generation(tgi.chat_tokenize), methods=["POST"]),
    Route(BASE + "/tokenize", text_generation(tgi.tokenize), methods=["POST"]),
    Route(BASE + "/invocations", text_generation(invocations), methods=["POST"]),
    Route(BASE + "/v1/models", inference_route(TGI, counted=False)(tgi.list_models), methods=["GET"]),
    Route(BASE + "/info", inference_route(TGI, counted=False)(tgi.info), methods=["GET"]),
    Route(BASE + "/api-doc/openapi.json", inference_route(TGI, counted=False)(openapi), methods=["GET"]),
    Route(BASE + "/health", inference_route(TGI, DIFFUSERS, counted=False)(status.health), methods=["GET"]),
    Route(BASE + "/metrics", inference_route(TGI, DIFFUSERS, counted=False)(status.metrics), methods=["GET"]),
]
