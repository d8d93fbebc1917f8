"""The Inference Toolkit (huggingface-inference-toolkit 0.5.6: webservice_starlette.py, handler.py,
serialization/, diffusers_utils.py, sentence_transformers_utils.py), the "Default" container of an endpoint
whose image is ``{"huggingface": {}}``.

``POST /`` (or ``/predict``) reads the body by its Content-Type (``application/json`` ...), needs ``inputs``,
runs the pipeline of the endpoint's task and writes the answer as the ``Accept`` header asks
(``application/json`` when absent or ``*/*``: an image then travels as a base64 PNG string). Any failure
answers 400 ``{"error": str(exception)}``. hubsim emulates the tasks text-to-image (diffusers),
text-generation (transformers' pipeline, defaults of the transformers installed here: 256 new tokens,
sampling at temperature 0.7), feature-extraction (a vector per token) and sentence-similarity; another task
answers 400 saying so (a hubsim limitation).
"""

import base64
import io
import json
from typing import Any

from PIL import Image
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from hubsim import models
from hubsim.errors import ApiError
from hubsim.inference.chat import tokenize
from hubsim.inference.engines import TOOLKIT
from hubsim.inference.routing import EngineServer, Served

# serialization/base.py's content_type_mapping: the types it reads and writes (None: listed, no serializer).
_JSON = ("application/json", "application/json; charset=UTF-8")
_IMAGES = (
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/tiff",
    "image/bmp",
    "image/gif",
    "image/webp",
    "image/x-image",
)
_AUDIO = (
    "audio/x-flac", "audio/flac", "audio/mpeg", "audio/x-mpeg-3", "audio/wave", "audio/wav", "audio/x-wav",
    "audio/ogg", "audio/x-audio", "audio/webm", "audio/webm;codecs=opus", "audio/AMR", "audio/amr",
    "audio/AMR-WB", "audio/AMR-WB+", "audio/m4a", "audio/x-m4a",
)  # fmt: skip
_KNOWN_TYPES = (*_JSON, "text/csv", "text/plain", *_IMAGES, *_AUDIO)
_SDXL_SIZE = 1024  # unet sample_size 128 x vae scale factor 8
_TEXT_DEFAULTS = {"max_new_tokens": 256, "do_sample": True, "temperature": 0.7}
_TEXT_PARAMETERS = {
    "max_new_tokens",
    "temperature",
    "top_k",
    "top_p",
    "do_sample",
    "repetition_penalty",
    "seed",
}


class ToolkitFailure(ApiError):
    """Whatever the toolkit's predict() catches: 400 with the exception's text."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def render_error(failure: ApiError) -> Response:
    body = json.dumps({"error": failure.message}, separators=(",", ":"))
    return Response(body, status_code=failure.status, media_type="application/json")


def _unsupported(kind: str, value: str | None) -> ToolkitFailure:
    return ToolkitFailure(
        f'\n                {kind} type "{value}" not supported.'
        f"\n                Supported {kind.lower()} types are:"
        f"\n                {', '.join(_KNOWN_TYPES)}\n            "
    )


async def predict(request: Request, served: Served) -> Response:
    content_type = request.headers.get("content-type")
    if content_type not in _KNOWN_TYPES:
        raise _unsupported("Content", content_type)
    if content_type not in _JSON:
        raise ToolkitFailure(f"hubsim reads JSON bodies only, not {content_type}")
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise ToolkitFailure(str(error)) from error
    if not isinstance(body, dict) or ("inputs" not in body and "instances" not in body):
        raise ToolkitFailure(f"Body needs to provide a inputs key, received: {raw!r}")
    if request.query_params and "parameters" not in body:
        body["parameters"] = {key: _query_value(value) for key, value in request.query_params.items()}
    prediction = await _run_task(served, body.get("inputs"), body.get("parameters") or {})
    accept = request.headers.get("accept")
    if accept in (None, "*/*"):
        accept = "application/json"
    return Response(_serialized(prediction, accept), media_type=accept)


def _query_value(value: str) -> int | bool | str:
    """utils.convert_params_to_int_or_bool."""
    if value.isdigit():
        return int(value)
    return {"true": True, "false": False}.get(value.lower(), value)


def _serialized(prediction: Any, accept: str) -> bytes:
    if accept not in _KNOWN_TYPES:
        raise _unsupported("Accept", accept)
    if accept in _JSON:
        return json.dumps(prediction, separators=(",", ":"), default=_png_base64).encode()
    if accept in _IMAGES:
        if not isinstance(prediction, Image.Image):
            raise ToolkitFailure(f"Can only serialize PIL.Image.Image, got {type(prediction)}")
        image_format = accept.split("/")[-1].upper()
        if image_format not in Image.SAVE:  # PIL knows JPEG, not JPG (nor X-IMAGE)
            raise ToolkitFailure(repr(image_format))
        output = io.BytesIO()
        prediction.save(output, format=image_format)
        return output.getvalue()
    raise ToolkitFailure("'NoneType' object has no attribute 'serialize'")  # text/csv, text/plain, audio


def _png_base64(value: Any) -> str:
    """json_utils.default: an image in JSON is a base64 PNG."""
    if not isinstance(value, Image.Image):
        raise TypeError
    output = io.BytesIO()
    value.save(output, format="PNG")
    return base64.b64encode(output.getvalue()).decode()


async def _run_task(served: Served, inputs: Any, parameters: dict[str, Any]) -> Any:
    task = served.record.task
    if task == "text-to-image":
        return await _text_to_image(inputs, dict(parameters))
    if task == "text-generation":
        return await _text_generation(served, inputs, parameters)
    if task == "feature-extraction":
        return await _token_vectors(served, inputs)
    if task == "sentence-similarity":
        return await _sentence_similarity(inputs)
    raise ToolkitFailure(f"hubsim does not emulate the Inference Toolkit's {task} pipeline")


async def _text_to_image(prompt: Any, kwargs: dict[str, Any]) -> Image.Image:
    """IEAutoPipelineForText2Image.__call__, then diffusers' own checks."""
    if "target_size" in kwargs:
        size = kwargs.pop("target_size")
        kwargs["height"], kwargs["width"] = size.pop("height"), size.pop("width")
    if kwargs.get("height") != kwargs.get("width"):
        raise ToolkitFailure(
            f"Provided `height={kwargs.get('height')}` and `width={kwargs.get('width')}`,"
            " but either both must have a value or both must be None (or not provided)."
        )
    kwargs.pop("num_images_per_prompt", None)
    if kwargs.get("output_type", "pil") != "pil":
        kwargs.pop("output_type")
    known = {
        "negative_prompt",
        "height",
        "width",
        "num_inference_steps",
        "guidance_scale",
        "seed",
        "output_type",
    }
    unexpected = [key for key in kwargs if key not in known]
    if unexpected:
        raise ToolkitFailure(
            f"StableDiffusionXLPipeline.__call__() got an unexpected keyword argument '{unexpected[0]}'"
        )
    if not isinstance(prompt, str):
        raise ToolkitFailure(f"`prompt` has to be of type `str` or `list` but is {type(prompt)}")
    size = kwargs.get("height") or _SDXL_SIZE
    if size % 8:
        raise ToolkitFailure(f"`height` and `width` have to be divisible by 8 but are {size} and {size}.")
    options = {
        "negative_prompt": kwargs.get("negative_prompt"),
        "width": size,
        "height": size,
        "num_inference_steps": kwargs.get("num_inference_steps", 50),  # StableDiffusionXLPipeline's default
        "guidance_scale": kwargs.get("guidance_scale", 5.0),
        "seed": None if kwargs.get("seed") is None else int(kwargs["seed"]),
    }
    try:
        png = await run_in_threadpool(lambda: models.text_to_image(prompt, **options))
    except models.ImageParameterError as error:
        raise ToolkitFailure(str(error)) from error
    return Image.open(io.BytesIO(png))


async def _text_generation(served: Served, inputs: Any, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """TextGenerationPipeline: a text continues (the prompt included unless ``return_full_text`` is false);
    chat messages get the assistant's message appended."""
    parameters = {**_TEXT_DEFAULTS, **parameters}
    full_text = parameters.pop("return_full_text", True)
    unused = [key for key in parameters if key not in _TEXT_PARAMETERS]
    if unused:
        raise ToolkitFailure(f"The following `model_kwargs` are not used by the model: {unused}")
    chat = isinstance(inputs, list)
    try:
        prompt = models.render_chat(served.repo_id, inputs) if chat else inputs
    except models.ChatTemplateError as error:
        raise ToolkitFailure(str(error)) from error
    if not isinstance(prompt, str):
        raise ToolkitFailure(f"inputs must be a string or a list of messages, got {type(inputs)}")
    temperature = parameters["temperature"]
    params = models.GenerationParams(
        max_new_tokens=parameters["max_new_tokens"],
        temperature=temperature if parameters["do_sample"] else None,
        top_k=parameters.get("top_k"),
        top_p=parameters.get("top_p"),
        repetition_penalty=parameters.get("repetition_penalty"),
        seed=parameters.get("seed"),
        do_sample=bool(parameters["do_sample"]),
    )
    engine = await served.engine()
    try:
        tokens = await run_in_threadpool(lambda: list(engine.generate(served.repo_id, prompt, params)))
    except models.GenerationParameterError as error:
        raise ToolkitFailure(str(error)) from error
    text = "".join(token.text for token in tokens if not token.special)
    if chat:
        return [{"generated_text": [*inputs, {"role": "assistant", "content": text}]}]
    return [{"generated_text": (prompt if full_text else "") + text}]


async def _token_vectors(served: Served, inputs: Any) -> list:
    """transformers' feature-extraction pipeline: for each text, a vector per token."""
    texts = [inputs] if isinstance(inputs, str) else inputs
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise ToolkitFailure(f"inputs must be a string or a list of strings, got {type(inputs)}")
    model = models.embedding_model()
    result = []
    for text in texts:
        pieces = await tokenize(served, text)
        result.append([[model.embed(piece or text).tolist() for _, piece, _, _ in pieces]])
    return result[0] if isinstance(inputs, str) else result


async def _sentence_similarity(inputs: Any) -> dict[str, list[float]]:
    """SentenceSimilarityPipeline: cosine similarity of the source sentence to each sentence."""
    if not isinstance(inputs, dict):
        raise ToolkitFailure(
            "SentenceSimilarityPipeline.__call__() argument after ** must be a mapping, not "
            + type(inputs).__name__
        )
    source, sentences = inputs.get("source_sentence"), inputs.get("sentences")
    if not isinstance(source, str) or not isinstance(sentences, list):
        raise ToolkitFailure("SentenceSimilarityPipeline.__call__() missing required arguments")
    model = models.embedding_model()
    anchor = models.normalized(model.embed(source))
    return {"similarities": [float(anchor @ models.normalized(model.embed(text))) for text in sentences]}


async def health(request: Request, served: Served) -> Response:
    return PlainTextResponse("Ok")


async def metrics(request: Request, served: Served) -> Response:
    body, content_type = served.metrics.render()
    return PlainTextResponse(body, media_type=content_type)


class ToolkitMetrics:
    """The toolkit's /metrics: two gauges of its single worker thread, and no request count."""

    def render(self) -> tuple[str, str]:
        return "inf_batch_current_size 0\ninf_queue_size 0\n", "text/plain"


SERVER = EngineServer(
    name=TOOLKIT,
    routes={
        "": {"GET": health, "POST": predict},
        "/health": {"GET": health},
        "/predict": {"POST": predict},
        "/metrics": {"GET": metrics},
    },
    render_error=render_error,
    not_found=lambda request: PlainTextResponse("Not Found", status_code=404),
    new_metrics=lambda record: ToolkitMetrics(),
)
