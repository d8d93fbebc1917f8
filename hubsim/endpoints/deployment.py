"""Whether a spec can deploy: which tasks each serving image can run."""

from typing import Any

# Tasks served by the text-generation servers (TGI and the other LLM engines); they serve multimodal chat too.
LLM_TASKS = frozenset({"text-generation", "image-text-to-text"})
LLM_IMAGE_VARIANTS = ("tgi", "vLLM", "sGLang", "llamacpp")
TGI_IMAGE_NAME = "text-generation-inference"


def image_server(image: dict[str, Any]) -> str | None:
    """The LLM server an image runs ("text-generation-inference", "vLLM", ...), or None for other images."""
    variant, config = next(iter(image.items()))
    if variant == "tgi" or TGI_IMAGE_NAME in str(config.get("url", "")):
        return TGI_IMAGE_NAME
    if variant in LLM_IMAGE_VARIANTS:
        return variant
    return None


def task_fits_repo(task: str, pipeline_tag: str) -> bool:
    # TGI serves image-text-to-text models under the text-generation task as well.
    return task == pipeline_tag or (task == "text-generation" and pipeline_tag == "image-text-to-text")


def deployment_problem(spec: dict[str, Any], pipeline_tag: str) -> str | None:
    """Why this spec would fail to start (the message a failed endpoint shows), or None if it starts."""
    model = spec["model"]
    server = image_server(model["image"])
    if server is not None and pipeline_tag not in LLM_TASKS:
        return (
            f"Endpoint failed to start: {server} cannot serve '{model['repository']}',"
            f" a {pipeline_tag} model. Use the default image for this task."
        )
    if not task_fits_repo(model["task"], pipeline_tag):
        return (
            f"Endpoint failed to start: task '{model['task']}' does not match '{model['repository']}',"
            f" a {pipeline_tag} model."
        )
    return None
