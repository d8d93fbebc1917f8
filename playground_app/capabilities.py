"""What the playground can do with an endpoint, from its engine's traits (endpoints_app.engines): the query
modes it offers, what its raw mode sends, and why it offers nothing when the console knows no API of it."""

from endpoints_app.engines import Engine, traits
from endpoints_app.models import Endpoint
from playground_app.models import QueryMode


def query_modes(endpoint: Endpoint) -> list[QueryMode]:
    """The modes the endpoint's engine serves: the messages API and InferenceClient (its chat route), and
    raw (a route that takes a templated prompt)."""
    engine = traits(endpoint.engine)
    offered = {
        QueryMode.MESSAGES: engine.chat,
        QueryMode.RAW: bool(engine.raw_route),
        QueryMode.CLIENT: engine.chat,
    }
    return [mode for mode in QueryMode if offered[mode]]


def raw_route(endpoint: Endpoint) -> str | None:
    """Where raw mode sends the templated prompt: TGI's `/generate`, else `/v1/completions`."""
    return traits(endpoint.engine).raw_route


def mode_label(endpoint: Endpoint, mode: QueryMode) -> str:
    if mode == QueryMode.RAW and raw_route(endpoint):
        return f"Raw: templated prompt to {raw_route(endpoint)}"
    return mode.label


def unsupported(endpoint: Endpoint) -> str:
    """Why the playground cannot chat with the endpoint ("" when it can)."""
    if query_modes(endpoint):
        return ""
    engine = Engine(endpoint.engine) if endpoint.engine in Engine.values else Engine.UNKNOWN
    image = f": {endpoint.image}" if "/" in endpoint.image or ":" in endpoint.image else ""
    return (
        f"{endpoint.full_name} runs a container the playground cannot talk to ({engine.label}{image}): the "
        "console knows no chat or completion API on it. Query it with your own code, or deploy the model "
        "with vLLM, SGLang, llama.cpp or TGI to chat with it here."
    )


def embeds(endpoint: Endpoint) -> bool:
    return traits(endpoint.engine).embeddings
