"""What every text server does with chat messages: the prompt the repository's chat template makes of them,
and the answer's tokens (a description of the last image for image questions, the text engine otherwise)."""

from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from hubsim.inference.generation import complete, replay_tokens, stream_tokens
from hubsim.inference.multimodal import (
    ImageInputError,
    describe,
    description_tokens,
    has_images,
    last_image_and_question,
)
from hubsim.inference.routing import Served
from hubsim.models import GeneratedToken, GenerationParams


def check_images(served: Served, messages: list[dict[str, Any]]) -> None:
    if has_images(messages) and not served.multimodal:
        raise ImageInputError(f"{served.repo_id} is not a multimodal model: it cannot read images")


async def answer_tokens(
    served: Served, messages: list[dict[str, Any]], prompt: str, params: GenerationParams, *, stream: bool
) -> AsyncIterator[GeneratedToken]:
    """The answer's tokens, paced like a generation when streamed."""
    engine = await served.engine()
    latency = served.token_latency if stream else 0
    if has_images(messages):
        image, question = last_image_and_question(messages)
        description = await run_in_threadpool(describe, image, question)
        tokens = await run_in_threadpool(
            description_tokens, engine, served.repo_id, description, params.max_new_tokens
        )
        return replay_tokens(tokens, latency)
    if stream:
        return stream_tokens(engine, served.repo_id, prompt, params, latency)
    completion = await complete(engine, served.repo_id, prompt, params)
    return replay_tokens(completion.tokens, 0)


async def tokenize(
    served: Served, text: str, *, add_special_tokens: bool = True
) -> list[tuple[int, str, int, int]]:
    """Tokens of a text. A prompt made by a chat template is tokenized without special tokens, as TGI, vLLM,
    SGLang and llama.cpp do (the template writes them)."""
    engine = await served.engine()
    return await run_in_threadpool(engine.tokenize, served.repo_id, text, add_special_tokens)
