"""``model.image``: a union keyed by variant, each variant with the fields it declares.

- The variants are those huggingface_hub 2.4's CLI maps its engines to (``cli/inference_endpoints.py``,
  ``ENGINE_IMAGE_KEYS``) plus ``huggingface`` and ``huggingfaceNeuron``, "the managed Hugging Face images"
  that take no URL. Every other variant is a container that requires ``url`` (huggingface_hub commit 72b5d66,
  "Every `model.image` variant but `huggingface` inherits `BaseContainer`, which requires `url`").
- Each variant's fields: ``url``, ``healthRoute``, ``port`` for every container, ``tensorParallelSize`` for
  vLLM and SGLang and ``dataParallelSize`` for vLLM (huggingface_hub ``_set_parallelism_in_image``),
  ``credentials`` for custom containers (``_build_endpoint_image_payload``); the engines' own settings as
  the Go client sebps/huggingface-client declares them (``client/models.go``); ``disableCustomKernels`` is
  in a recorded catalog answer (huggingface_hub ``tests/test_hf_api.py``).
- The service drops a field its variant does not declare, without an error (huggingface_hub
  ``_set_parallelism_in_image``: "The API ignores a field a variant doesn't declare instead of rejecting
  it"): a custom image's ``health_route`` is dropped and the default health route is checked (huggingface_hub
  commit 5589874, "the API silently ignored snake_case health_route"). So is an ``env`` inside the image: no
  variant of the Go client declares one (huggingface_hub's guide writes one there; its docstring of
  ``create_inference_endpoint`` passes ``env`` beside the image).
"""

from typing import Any

from hubsim.endpoints.parsing import (
    BOOLEAN,
    INTEGER,
    OBJECT,
    STRING,
    Kind,
    joined,
    read,
    require_object,
    unknown_variant,
    unreadable,
)

DEFAULT_HEALTH_ROUTE = "/health"
CONTAINER: dict[str, Kind] = {"url": STRING, "healthRoute": STRING, "port": INTEGER}
TGI_LIMITS: dict[str, Kind] = {
    "maxBatchPrefillTokens": INTEGER,
    "maxBatchTotalTokens": INTEGER,
    "maxInputLength": INTEGER,
    "maxTotalTokens": INTEGER,
}
VARIANT_FIELDS: dict[str, dict[str, Kind]] = {
    "huggingface": {},
    "huggingfaceNeuron": {"batchSize": INTEGER, "neuronCache": STRING, "sequenceLength": INTEGER},
    "custom": {**CONTAINER, "credentials": OBJECT},
    "tgi": {**CONTAINER, **TGI_LIMITS, "disableCustomKernels": BOOLEAN, "quantize": STRING},
    "tgiNeuron": {**CONTAINER, **TGI_LIMITS, "hfAutoCastType": STRING, "hfNumCores": INTEGER},
    "vLLM": {**CONTAINER, "tensorParallelSize": INTEGER, "dataParallelSize": INTEGER},
    "vLLMNeuron": CONTAINER,
    "sGLang": {**CONTAINER, "tensorParallelSize": INTEGER},
    "llamacpp": {
        **CONTAINER,
        "ctxSize": INTEGER,
        "mode": STRING,
        "modelPath": STRING,
        "nGpuLayers": INTEGER,
        "nParallel": INTEGER,
        "pooling": STRING,
        "threadsHttp": INTEGER,
        "variant": STRING,
    },
    "tei": {**CONTAINER, "maxBatchTokens": INTEGER, "maxConcurrentRequests": INTEGER, "pooling": STRING},
    "hfServe": CONTAINER,
}
URL_FREE_VARIANTS = frozenset({"huggingface", "huggingfaceNeuron"})
CREDENTIAL_FIELDS: dict[str, Kind] = {"username": STRING, "password": STRING}
# What the API shows of registry credentials (huggingface_hub tests/test_hf_api.py, recorded redaction).
REDACTED_CREDENTIALS = {"username": "", "password": None}


def image_variant(image: dict[str, Any]) -> str:
    """The variant of a validated ``model.image`` (its single key): the engine family it runs."""
    return next(iter(image))


def read_image(model: dict[str, Any], path: str = "model") -> dict[str, Any]:
    """``model.image`` as the service keeps it: one known variant, its declared fields only."""
    where = joined(path, "image")
    image = read(model, "image", OBJECT, path, required=True)
    if len(image) != 1:
        raise unreadable(where, f"expected one variant of {', '.join(VARIANT_FIELDS)}, got {len(image)}")
    variant, raw_config = next(iter(image.items()))
    if variant not in VARIANT_FIELDS:
        raise unreadable(where, unknown_variant(variant, tuple(VARIANT_FIELDS)))
    config_path = joined(where, variant)
    config = require_object(raw_config, config_path)
    kept = _declared(config, VARIANT_FIELDS[variant], config_path, url=variant not in URL_FREE_VARIANTS)
    if "credentials" in kept:
        kept["credentials"] = _declared(
            kept["credentials"], CREDENTIAL_FIELDS, joined(config_path, "credentials"), url=False
        )
    return {variant: kept}


def _declared(config: dict[str, Any], fields: dict[str, Kind], path: str, *, url: bool) -> dict[str, Any]:
    kept = {}
    for name, kind in fields.items():
        value = read(config, name, kind, path, required=url and name == "url")
        if value is not None:
            kept[name] = value
    return kept


def health_route(image: dict[str, Any]) -> str:
    """The route the service checks before it sends traffic (the answer's top-level ``healthRoute``)."""
    return image[image_variant(image)].get("healthRoute") or DEFAULT_HEALTH_ROUTE


def written_health_route(payload: Any) -> str | None:
    """The health route a payload's author wrote for their container, under either spelling: what a
    container built for that payload answers on (hubsim's assumption), whatever the service kept."""
    image = payload.get("model", {}).get("image") if isinstance(payload, dict) else None
    if not isinstance(image, dict) or len(image) != 1:
        return None
    config = next(iter(image.values()))
    if not isinstance(config, dict):
        return None
    route = config.get("healthRoute") or config.get("health_route")
    return route if isinstance(route, str) else None


def rendered_image(image: dict[str, Any]) -> dict[str, Any]:
    """The image as the API shows it: registry credentials redacted."""
    variant = image_variant(image)
    config = image[variant]
    if "credentials" in config:
        config = {**config, "credentials": dict(REDACTED_CREDENTIALS)}
    return {variant: config}
