"""Streaming one answer to the browser as server-sent events, from an endpoint reached asynchronously.

Events: `start` (the conversation and question ids), `status` (waking a scaled-to-zero endpoint), `token`
(text as it arrives), then `done` (the saved answer as sanitized HTML and its figures) or `error`. When the
browser goes away (its Stop button aborts the request) the upstream request is closed at once and what had
arrived is saved as a stopped answer.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

from playground_app.models import Message, MessageStatus
from playground_app.query_modes import AnswerRequest, Opened, Token, Usage
from playground_app.services.answers import AnswerPlan, Outcome, answer_html, save_answer
from playground_app.upstream import EndpointTarget, UpstreamError


def sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


@dataclass(frozen=True)
class Waking:
    attempt: int
    elapsed: float


@dataclass
class Progress:
    """What has arrived of an answer, and when: the figures shown under it."""

    prompt_tokens: int | None = None
    parts: list[str] = field(default_factory=list)
    tokens: int = 0
    usage: Usage | None = None
    sent_at: float = 0.0
    first_at: float | None = None
    last_at: float | None = None

    def add(self, token: Token) -> None:
        now = time.perf_counter()
        self.first_at = self.first_at or now
        self.last_at = now
        self.tokens += 1
        self.parts.append(token.text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def stats(self) -> dict[str, float | int | None]:
        ttft = (self.first_at - self.sent_at) * 1000 if self.first_at else None
        rate = None
        if self.first_at and self.last_at and self.tokens > 1 and self.last_at > self.first_at:
            rate = (self.tokens - 1) / (self.last_at - self.first_at)
        usage = self.usage or Usage(None, None)
        return {
            "time_to_first_token_ms": round(ttft, 1) if ttft is not None else None,
            "tokens_per_second": round(rate, 1) if rate is not None else None,
            "input_tokens": usage.input_tokens if usage.input_tokens is not None else self.prompt_tokens,
            "output_tokens": usage.output_tokens if usage.output_tokens is not None else self.tokens or None,
        }

    def outcome(self, status: MessageStatus, error: str = "") -> Outcome:
        return Outcome(self.text, status, error, self.stats())


async def open_when_awake(
    request: AnswerRequest, target: EndpointTarget, progress: Progress
) -> AsyncIterator[Waking | Opened]:
    """Opens the request; while the endpoint answers 503 (waking from zero), says so and retries, asking
    the server to hold the request until a replica is up (X-Scale-Up-Timeout), until the wake-up timeout."""
    started = time.monotonic()
    scale_up_timeout = None
    attempt = 0
    while True:
        progress.sent_at = time.perf_counter()
        try:
            yield await request.open(target, scale_up_timeout)
            return
        except UpstreamError as error:
            elapsed = time.monotonic() - started
            if not error.is_waking:
                raise
            if elapsed >= settings.PLAYGROUND_WAKE_TIMEOUT_SECONDS:
                raise UpstreamError(f"{target.label} did not wake up within {elapsed:.0f} s.", 503) from error
            attempt += 1
            yield Waking(attempt, elapsed)
            await asyncio.sleep(settings.PLAYGROUND_WAKE_RETRY_SECONDS)
            scale_up_timeout = settings.PLAYGROUND_SCALE_UP_WAIT_SECONDS


async def _receive(opened: Opened, progress: Progress) -> AsyncIterator[bytes]:
    async with aclosing(opened.pieces) as pieces:
        async for piece in pieces:
            if isinstance(piece, Usage):
                progress.usage = piece
                continue
            progress.add(piece)
            if piece.text:
                yield sse("token", {"text": piece.text})


async def stream_answer(plan: AnswerPlan) -> AsyncIterator[bytes]:
    progress = Progress(prompt_tokens=plan.prompt_tokens)
    yield sse(
        "start",
        {
            "conversation": plan.conversation.pk,
            "url": plan.conversation.get_absolute_url(),
            "question": plan.question.pk,
        },
    )
    opened: Opened | None = None
    try:
        if plan.request is None:
            raise UpstreamError(plan.failure)
        async for outcome in open_when_awake(plan.request, plan.target, progress):
            if isinstance(outcome, Waking):
                yield sse("status", _waking_status(plan, outcome))
            else:
                opened = outcome
        async for event in _receive(opened, progress):
            yield event
    except UpstreamError as error:
        answer = await _save(plan, progress.outcome(MessageStatus.FAILED, str(error)))
        yield sse("error", {"message": str(error), "answer": answer.pk, "text": progress.text})
        return
    except (asyncio.CancelledError, GeneratorExit):
        # The browser left (Stop): keep what arrived. Shielded: this task is being cancelled.
        await asyncio.shield(_save(plan, progress.outcome(MessageStatus.STOPPED)))
        raise
    finally:
        if opened is not None:
            await opened.close()
    answer = await _save(plan, progress.outcome(MessageStatus.COMPLETE))
    yield sse("done", {"answer": answer.pk, "html": answer_html(answer), "stats": progress.stats()})


def _waking_status(plan: AnswerPlan, waking: Waking) -> dict[str, Any]:
    return {
        "text": f"{plan.endpoint.full_name} is waking up from zero replicas (attempt {waking.attempt}, "
        f"{waking.elapsed:.0f} s so far)…",
        "attempt": waking.attempt,
    }


@sync_to_async
def _save(plan: AnswerPlan, outcome: Outcome) -> Message:
    return save_answer(plan, outcome)
