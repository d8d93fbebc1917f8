"""Running the text engine off the event loop: whole completions, token streams, best-of.

Parameters an engine refuses raise ``GenerationParameterError``; each server turns it into its own error."""

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace

from starlette.concurrency import run_in_threadpool

from hubsim.models import GeneratedToken, GenerationParams, TextEngine


@dataclass(frozen=True)
class Completion:
    tokens: list[GeneratedToken]
    seed: int | None

    @property
    def text(self) -> str:
        return "".join(token.text for token in self.tokens)

    @property
    def finish_reason(self) -> str:
        return (self.tokens[-1].finish_reason if self.tokens else None) or "length"

    @property
    def logprob(self) -> float:
        return sum(token.logprob for token in self.tokens)


async def complete(engine: TextEngine, repo_id: str, prompt: str, params: GenerationParams) -> Completion:
    tokens = engine.generate(repo_id, prompt, params)
    return Completion(await run_in_threadpool(list, tokens), params.seed)


async def complete_best_of(
    engine: TextEngine, repo_id: str, prompt: str, params: GenerationParams, best_of: int
) -> tuple[Completion, list[Completion]]:
    """TGI's best_of: ``best_of`` sequences sampled with seeds of their own; the most likely one wins, the
    others are reported too."""
    candidates = [
        await complete(engine, repo_id, prompt, replace(params, seed=random.randint(1, 2**63 - 1)))
        for _ in range(best_of)
    ]
    best = max(candidates, key=lambda completion: completion.logprob)
    return best, [candidate for candidate in candidates if candidate is not best]


def stream_tokens(
    engine: TextEngine, repo_id: str, prompt: str, params: GenerationParams, latency_seconds: float
) -> AsyncIterator[GeneratedToken]:
    """Tokens one by one as the engine makes them; stopping the iteration stops the generation."""
    return _paced(engine.generate(repo_id, prompt, params), latency_seconds)


async def _paced(tokens: Iterator[GeneratedToken], latency_seconds: float) -> AsyncIterator[GeneratedToken]:
    while (token := await run_in_threadpool(next, tokens, None)) is not None:
        yield token
        if latency_seconds:
            await asyncio.sleep(latency_seconds)


async def replay_tokens(
    tokens: list[GeneratedToken], latency_seconds: float
) -> AsyncIterator[GeneratedToken]:
    """Stream tokens that are already known (an image description), at the same pace as generated ones."""
    for token in tokens:
        yield token
        if latency_seconds:
            await asyncio.sleep(latency_seconds)
