"""The `model` to send to an endpoint's OpenAI-compatible routes, and where the console got it.

TGI takes any name (its documentation writes "tgi"); vLLM answers 404 unless `model` is the name it serves,
and SGLang and llama.cpp name the model they serve the same way: the console asks the endpoint's
`GET /v1/models` once, the first time it needs the name, and keeps the answer in the process for that URL,
repository and revision (an update to another model changes the repository; a 404 "model does not exist"
forgets it). The list names the served model first (`data[0].id`: vLLM's, SGLang's and llama.cpp's
`/v1/models` list the one model they serve).
"""

from dataclasses import dataclass

import httpx2

from endpoints_app import inference_servers
from endpoints_app.engines import traits
from endpoints_app.models import Endpoint
from playground_app.upstream import (
    EndpointTarget,
    UpstreamError,
    error_from_exception,
    error_from_response,
    request_timeout,
)

MODELS_ROUTE = "/v1/models"
Key = tuple[str, str, str]

_learnt: dict[Key, str] = {}


@dataclass(frozen=True)
class ChatModel:
    """How to name an endpoint's model: a fixed name it accepts, else the name it serves (learnt once)."""

    key: Key
    fixed: str | None = None

    @classmethod
    def of(cls, endpoint: Endpoint) -> "ChatModel":
        key = (endpoint.url.rstrip("/"), endpoint.repository, endpoint.revision)
        return cls(key, traits(endpoint.engine).chat_model)

    @property
    def known(self) -> str | None:
        """The name without asking the endpoint: the fixed one, or the one learnt before."""
        return self.fixed or _learnt.get(self.key)

    @property
    def source(self) -> str:
        """Where the name comes from, for people reading the code or the answer."""
        if self.fixed:
            return "any name is accepted; this one by convention"
        return f"the name the endpoint serves, as its GET {MODELS_ROUTE} lists it"

    async def name(self, target: EndpointTarget, scale_up_timeout: float | None) -> str:
        """The name to send; asks `/v1/models` the first time (raising UpstreamError, e.g. 503 while it
        wakes up)."""
        known = self.known
        if known:
            return known
        served = await _served_name(target, scale_up_timeout)
        _learnt[self.key] = served
        return served

    def forget(self) -> None:
        """The endpoint refused the name (it serves another model now): ask again next time."""
        _learnt.pop(self.key, None)


async def _served_name(target: EndpointTarget, scale_up_timeout: float | None) -> str:
    try:
        response = await inference_servers.async_client().get(
            target.route(MODELS_ROUTE),
            headers=target.headers(scale_up_timeout),
            timeout=request_timeout(scale_up_timeout),
        )
    except httpx2.HTTPError as error:
        raise error_from_exception(error, target.label) from error
    if response.status_code != 200:
        raise error_from_response(response.status_code, response.content, target.label)
    try:
        return str(response.json()["data"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise UpstreamError(
            f"{target.label} did not list the model it serves at {MODELS_ROUTE}: the messages API needs "
            "its name."
        ) from error


def forget_all() -> None:
    """Forgets every learnt name (tests start without them)."""
    _learnt.clear()
