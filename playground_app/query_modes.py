"""The ways to ask an endpoint for an answer, each streamed token by token; which ones an endpoint offers
follows from its engine (endpoints_app.engines).

- raw, on TGI: `POST {url}/generate_stream` (the streamed twin of `/generate`; TGI's router,
  router/src/server.rs) with `{"inputs": <templated prompt>, "parameters": {..., "return_full_text": false,
  "details": true}}` (TGI streams the token counts only when `details` asks for them);
- raw, on vLLM, SGLang and llama.cpp: `POST {url}/v1/completions` with `{"model", "prompt": <templated
  prompt>, ...}`, the template applied by the console;
- the OpenAI-compatible messages API: `POST {url}/v1/chat/completions` with `{"model", "messages"}` (the
  parameters at the top level, where the server reads them: the tutorial nests them in a `parameters`
  object, which the messages API ignores);
- `huggingface_hub.AsyncInferenceClient(base_url=url).chat_completion(messages, model=<name>, ...)`: with
  `model=url` instead, the client sends `"model": "dummy"` (its hf_inference provider), which vLLM refuses.

`model` is the name each engine accepts (playground_app.served_models). Each request `open`s (raising
UpstreamError, e.g. a 503 while the endpoint wakes up) and then yields `Token`s and at most one `Usage`;
`close` ends the upstream request, also half-way through.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import httpx2
from huggingface_hub import AsyncInferenceClient
from huggingface_hub.errors import HfHubHTTPError, TextGenerationError

from endpoints_app import inference_servers
from playground_app.models import QueryMode
from playground_app.parameters import ChatParameters
from playground_app.served_models import ChatModel
from playground_app.upstream import (
    EndpointTarget,
    UpstreamError,
    error_from_exception,
    error_from_response,
    request_timeout,
)


@dataclass(frozen=True)
class Token:
    """One generated token; `text` is empty for special tokens (end of sequence ...)."""

    text: str


@dataclass(frozen=True)
class Usage:
    input_tokens: int | None
    output_tokens: int | None


Piece = Token | Usage


@dataclass(frozen=True)
class Opened:
    pieces: AsyncIterator[Piece]
    close: Callable[[], Awaitable[None]]


class AnswerRequest(Protocol):
    mode: QueryMode

    async def open(self, target: EndpointTarget, scale_up_timeout: float | None) -> Opened: ...


def _model_failed(error: object) -> UpstreamError:
    return UpstreamError(f"The model failed while answering: {error}")


def tgi_piece(event: dict[str, Any]) -> list[Piece]:
    """A `/generate_stream`-style event: a token, and on the last one the details."""
    if event.get("error"):
        raise _model_failed(event["error"])
    token = event.get("token") or {}
    pieces: list[Piece] = [Token("" if token.get("special") else str(token.get("text", "")))]
    details = event.get("details")
    if details:
        pieces.append(Usage(details.get("input_length"), details.get("generated_tokens")))
    return pieces


def openai_chunk_piece(event: dict[str, Any]) -> list[Piece]:
    """A chat or completion chunk: one token per choice (a chat's `delta.content`, a completion's `text`),
    and the usage chunk at the end."""
    if event.get("error"):
        raise _model_failed(event["error"])
    pieces: list[Piece] = []
    for choice in event.get("choices") or []:
        pieces.append(Token((choice.get("delta") or {}).get("content") or choice.get("text") or ""))
    usage = event.get("usage")
    if usage:
        pieces.append(Usage(usage.get("prompt_tokens"), usage.get("completion_tokens")))
    return pieces


async def open_event_stream(
    target: EndpointTarget,
    path: str,
    payload: dict[str, Any],
    scale_up_timeout: float | None,
    parse: Callable[[dict[str, Any]], list[Piece]],
) -> Opened:
    client = inference_servers.async_client()
    request = client.build_request(
        "POST",
        target.route(path),
        json=payload,
        headers=target.headers(scale_up_timeout),
        timeout=request_timeout(scale_up_timeout),
    )
    try:
        response = await client.send(request, stream=True)
    except httpx2.HTTPError as error:
        raise error_from_exception(error, target.label) from error
    if response.status_code != 200:
        try:
            body = await response.aread()
        finally:
            await response.aclose()
        raise error_from_response(response.status_code, body, target.label)

    async def pieces() -> AsyncIterator[Piece]:
        try:
            async for event in httpx2.EventSource(response):
                if event.data.strip() == "[DONE]":
                    return
                for piece in parse(event.json()):
                    yield piece
        except (httpx2.HTTPError, ValueError) as error:
            raise error_from_exception(error, target.label) from error

    return Opened(pieces(), response.aclose)


async def with_model(
    model: ChatModel,
    target: EndpointTarget,
    scale_up_timeout: float | None,
    send: Callable[[str], Awaitable[Opened]],
) -> Opened:
    """Sends with the model's name; a 404 (the endpoint serves another model now) forgets a learnt name."""
    name = await model.name(target, scale_up_timeout)
    try:
        return await send(name)
    except UpstreamError as error:
        if error.status == 404:
            model.forget()
        raise


@dataclass(frozen=True)
class RawTgiRequest:
    prompt: str
    parameters: ChatParameters
    mode: QueryMode = QueryMode.RAW
    route: ClassVar[str] = "/generate"  # the engine's raw route; its stream is "/generate_stream"

    def payload(self) -> dict[str, Any]:
        return {"inputs": self.prompt, "parameters": {**self.parameters.tgi_parameters(), "details": True}}

    async def open(self, target: EndpointTarget, scale_up_timeout: float | None) -> Opened:
        return await open_event_stream(
            target, "/generate_stream", self.payload(), scale_up_timeout, tgi_piece
        )


@dataclass(frozen=True)
class OpenAiRequest:
    """A streamed request to an OpenAI-compatible route: a chat's `messages` or a completion's `prompt`."""

    route: str
    content: dict[str, Any]
    parameters: ChatParameters
    model: ChatModel
    mode: QueryMode

    def payload(self, model: str) -> dict[str, Any]:
        arguments = self.parameters.chat_completion_arguments()
        return {
            "model": model,
            **self.content,
            **arguments,
            "stream": True,
            "stream_options": {"include_usage": True},
        }

    async def open(self, target: EndpointTarget, scale_up_timeout: float | None) -> Opened:
        def send(model: str) -> Awaitable[Opened]:
            return open_event_stream(
                target, self.route, self.payload(model), scale_up_timeout, openai_chunk_piece
            )

        return await with_model(self.model, target, scale_up_timeout, send)


def messages_api_request(
    messages: list[dict[str, Any]], parameters: ChatParameters, model: ChatModel
) -> OpenAiRequest:
    return OpenAiRequest(
        "/v1/chat/completions", {"messages": messages}, parameters, model, QueryMode.MESSAGES
    )


def raw_request(route: str, prompt: str, parameters: ChatParameters, model: ChatModel) -> AnswerRequest:
    """The raw request for an engine's raw route: TGI's generate API, else OpenAI's completions."""
    if route == RawTgiRequest.route:
        return RawTgiRequest(prompt, parameters)
    return OpenAiRequest(route, {"prompt": prompt}, parameters, model, QueryMode.RAW)


@dataclass(frozen=True)
class InferenceClientRequest:
    messages: list[dict[str, Any]]
    parameters: ChatParameters
    model: ChatModel
    mode: QueryMode = QueryMode.CLIENT

    async def open(self, target: EndpointTarget, scale_up_timeout: float | None) -> Opened:
        return await with_model(
            self.model, target, scale_up_timeout, lambda model: self._open(target, scale_up_timeout, model)
        )

    async def _open(self, target: EndpointTarget, scale_up_timeout: float | None, model: str) -> Opened:
        headers = {"X-Scale-Up-Timeout": str(int(scale_up_timeout))} if scale_up_timeout else None
        client = AsyncInferenceClient(
            base_url=target.url,
            # None: no team token. huggingface_hub would then send a token saved on the machine (HF_TOKEN, the
            # token file); the console's processes have none (README, "Security").
            token=target.endpoint_token,
            headers=headers,
            timeout=request_timeout(scale_up_timeout).read,
        )
        try:
            chunks = await client.chat_completion(
                self.messages,
                model=model,
                stream=True,
                stream_options={"include_usage": True},
                **self.parameters.chat_completion_arguments(),
            )
        except HfHubHTTPError as error:
            await client.close()
            raise error_from_response(
                error.response.status_code, error.response.content, target.label
            ) from error
        except Exception as error:
            await client.close()
            raise _client_error(error, target) from error

        async def pieces() -> AsyncIterator[Piece]:
            try:
                async for chunk in chunks:
                    for choice in chunk.choices:
                        yield Token(choice.delta.content or "")
                    if chunk.usage:
                        yield Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
            except TextGenerationError as error:
                raise _model_failed(error) from error
            except (httpx2.HTTPError, TimeoutError) as error:
                raise error_from_exception(error, target.label) from error

        return Opened(pieces(), client.close)


def _client_error(error: Exception, target: EndpointTarget) -> UpstreamError:
    if isinstance(error, TextGenerationError):
        return _model_failed(error)
    if isinstance(error, httpx2.HTTPError | TimeoutError):
        return error_from_exception(error, target.label)
    return UpstreamError(f"InferenceClient could not query {target.label}: {error}")
