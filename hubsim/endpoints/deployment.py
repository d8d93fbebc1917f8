"""Whether a spec can deploy: which repositories each engine can load, and whether the health check passes.

The engine a container runs is ``hubsim.inference.engines.engine_of``. Which engine loads which repository
is hubsim's rule (assumed), from what each engine's documentation says it serves (hf-endpoints-documentation
``engines/*.md``): the text generation engines load transformers checkpoints, llama.cpp GGUF files, TEI
embedding models, the default image (the Inference Toolkit) the tasks hubsim knows.
"""

from typing import Any

from hubsim.endpoints.images import DEFAULT_HEALTH_ROUTE, health_route
from hubsim.inference.engines import LLAMACPP, SGLANG, TEI, TGI, TOOLKIT, UNKNOWN, VLLM, engine_of

ENGINE_NAMES = {
    TGI: "text-generation-inference",
    VLLM: "vLLM",
    SGLANG: "SGLang",
    LLAMACPP: "llama.cpp",
    TEI: "text-embeddings-inference",
    TOOLKIT: "the Inference Toolkit",
    UNKNOWN: "the container",
}
LLM_ENGINES = frozenset({TGI, VLLM, SGLANG})
# Tasks served by the text-generation engines; they serve multimodal chat too.
LLM_TASKS = frozenset({"text-generation", "image-text-to-text"})
EMBEDDING_TASKS = frozenset({"feature-extraction", "sentence-similarity"})
GGUF_LIBRARY = "gguf"


def engine_name(spec: dict[str, Any]) -> str:
    """The name of the engine an endpoint of this spec runs, as its messages and logs say it."""
    return ENGINE_NAMES[engine_of(spec)]


def task_fits_repo(task: str, pipeline_tag: str) -> bool:
    # TGI serves image-text-to-text models under the text-generation task as well.
    return task == pipeline_tag or (task == "text-generation" and pipeline_tag == "image-text-to-text")


def deployment_problem(spec: dict[str, Any], repo: Any, container_health_route: str | None) -> str | None:
    """Why this spec would fail to start (the message a failed endpoint shows), or None if it starts.

    ``container_health_route`` is the route the container answers its health check on, when its author
    wrote one; the engines hubsim knows answer on ``/health``.
    """
    model = spec["model"]
    engine = engine_of(spec)
    refusal = _engine_refusal(engine, repo)
    if refusal:
        served = f"{ENGINE_NAMES[engine]} cannot serve '{model['repository']}'"
        return f"Endpoint failed to start: {served}, {refusal}"
    if not task_fits_repo(model["task"], repo.pipeline_tag):
        return (
            f"Endpoint failed to start: task '{model['task']}' does not match '{model['repository']}',"
            f" a {repo.pipeline_tag} model."
        )
    checked = health_route(model["image"])
    answered = (container_health_route or DEFAULT_HEALTH_ROUTE) if engine == UNKNOWN else DEFAULT_HEALTH_ROUTE
    if checked != answered:
        return (
            f"Endpoint failed to start: the health check on '{checked}' never succeeded"
            " (the container did not answer 200 there)"
        )
    return None


def _engine_refusal(engine: str, repo: Any) -> str | None:
    gguf = repo.library_name == GGUF_LIBRARY
    if engine in LLM_ENGINES and gguf:
        return "a GGUF model: llama.cpp serves GGUF files."
    if engine in LLM_ENGINES and repo.pipeline_tag not in LLM_TASKS:
        return f"a {repo.pipeline_tag} model. Use the default image for this task."
    if engine == LLAMACPP and not gguf:
        return "which has no GGUF file."
    if engine == TEI and repo.pipeline_tag not in EMBEDDING_TASKS:
        return f"a {repo.pipeline_tag} model: it serves embedding models."
    return None
