"""The text-to-image server: ``POST /`` with ``{"inputs", "parameters"}`` answers a PNG."""

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference.params import object_body, typed_value, unreadable
from hubsim.inference.routing import Served
from hubsim.request_context import json_body

# Request parameter -> (keyword of models.text_to_image, accepted JSON types)
IMAGE_PARAMETERS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "negative_prompt": ("negative_prompt", str),
    "width": ("width", int),
    "height": ("height", int),
    "num_inference_steps": ("num_inference_steps", int),
    "guidance_scale": ("guidance_scale", (int, float)),
    "seed": ("seed", int),
}


def read_image_request(body: Any) -> tuple[str, dict[str, Any]]:
    body = object_body(body)
    prompt = typed_value(body, "inputs", str)
    if not prompt:
        raise unreadable("missing field `inputs`")
    parameters = typed_value(body, "parameters", dict) or {}
    options = {}
    for name, (keyword, kinds) in IMAGE_PARAMETERS.items():
        value = typed_value(parameters, name, kinds)
        if value is not None:
            options[keyword] = value
    return prompt, options


async def text_to_image(request: Request, served: Served) -> Response:
    prompt, options = read_image_request(await json_body(request))
    try:
        png = await run_in_threadpool(lambda: models.text_to_image(prompt, **options))
    except models.ImageParameterError as error:
        raise ApiError(422, str(error), error_type="validation") from error
    return Response(png, media_type="image/png")
