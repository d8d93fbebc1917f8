"""Streaming one answer to the browser as server-sent events, from an endpoint reached asynchronously.

Events: `start` (the conversation and question ids, the notice of older turns left out), `status` (waking a
scaled-to-zero endpoint), `token` (text as it arrives), then `done` (the saved answer as sanitized HTML and
its figures) or `error`. When the browser goes away (its Stop button aborts the request) the upstream request
is closed at once and what had arrived is saved as a stopped answer. The answer is saved while it arrives
(playground_app.growing_answer), so that one whose web process dies is kept, cut off, with what arrived.
"""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from playground_app.database_trips import database_trip
from playground_app.growing_answer import GrowingAnswer
from playground_app.models import MessageStatus
from playground_app.query_modes import AnswerRequest, Opened, Token, Usage
from playground_app.services.asking import AnswerPlan, Outcome, Recorded, answer_html, record_question
from playground_app.upstream import EndpointTarget, UpstreamError, Waking, until_awake

logger = logging.getLogger(__name__)
UNEXPECTED = "The console failed while answering; what arrived is shown. Try again in a moment."

Opener = Callable[[float | None], Awaitable[Opened]]  # opens the request, given the X-Scale-Up-Timeout


def sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


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


def _opener(request: AnswerRequest, target: EndpointTarget, progress: Progress) -> Opener:
    """Opens the request, noting when it was sent (the time to first token counts from the last attempt)."""

    def open_request(scale_up_timeout: float | None) -> Awaitable[Opened]:
        progress.sent_at = time.perf_counter()
        return request.open(target, scale_up_timeout)

    return open_request


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
    # The endpoint is asked at once and the question recorded meanwhile: the first token does not wait for
    # the database. (Both start here, in the loop that streams the answer.)
    first_attempt = None
    if plan.request is not None:
        progress.sent_at = time.perf_counter()
        first_attempt = asyncio.ensure_future(plan.request.open(plan.target, None))
    recording = asyncio.ensure_future(_record(plan))
    opened: Opened | None = None
    growing: GrowingAnswer | None = None
    try:
        recorded = await asyncio.shield(recording)
        growing = GrowingAnswer(plan, recorded, lambda: progress.text)
        yield _start_event(recorded)
        if plan.request is None:
            raise UpstreamError(plan.failure)
        opener = _opener(plan.request, plan.target, progress)
        async for outcome in until_awake(opener, plan.target.label, first_attempt):
            if isinstance(outcome, Waking):
                yield sse("status", _waking_status(plan, outcome))
            else:
                opened = outcome
        async for event in _receive(opened, progress):
            yield event
    except UpstreamError as error:
        answer = await growing.finish(progress.outcome(MessageStatus.FAILED, str(error)))
        yield sse("error", {"message": str(error), "answer": answer.pk, "text": progress.text})
        return
    except (asyncio.CancelledError, GeneratorExit):
        # The browser left (Stop), or the server's graceful shutdown ran out of time: keep what arrived.
        # Shielded: this task is being cancelled.
        await asyncio.shield(_save_stopped(plan, recording, growing, progress))
        raise
    except Exception:
        # Not foreseen (the database, say): the conversation must still hear that the answer stopped.
        logger.exception("The answer of %s failed", plan.endpoint.full_name)
        if growing is not None:
            await growing.stop()  # left arriving: shown as cut off, with what arrived
        yield sse("error", {"message": UNEXPECTED, "answer": None, "text": progress.text})
        return
    finally:
        await _close(opened, first_attempt)
    answer = await growing.finish(progress.outcome(MessageStatus.COMPLETE))
    yield sse("done", {"answer": answer.pk, "html": answer_html(answer), "stats": progress.stats()})


def _start_event(recorded: Recorded) -> bytes:
    conversation = recorded.conversation
    return sse(
        "start",
        {
            "conversation": conversation.pk,
            "url": conversation.get_absolute_url(),
            "question": recorded.question.pk,
            "notice": recorded.answer.history_notice,  # older turns left out, shown under the answer
        },
    )


async def _close(opened: Opened | None, first_attempt: "asyncio.Future[Opened] | None") -> None:
    """Closes the upstream request, including a first attempt nobody waited for (the browser left early)."""
    if opened is None and first_attempt is not None:
        if not first_attempt.done():
            first_attempt.cancel()
        elif not first_attempt.cancelled() and first_attempt.exception() is None:
            opened = first_attempt.result()
    if opened is not None:
        await opened.close()


async def _save_stopped(
    plan: AnswerPlan,
    recording: "asyncio.Future[Recorded]",
    growing: GrowingAnswer | None,
    progress: Progress,
) -> None:
    if growing is None:  # left before the question was recorded: its answer starts, and stops, now
        growing = GrowingAnswer(plan, await recording, lambda: progress.text)
    await growing.finish(progress.outcome(MessageStatus.STOPPED))


def _waking_status(plan: AnswerPlan, waking: Waking) -> dict[str, Any]:
    return {
        "text": f"{plan.endpoint.full_name} is waking up from zero replicas (attempt {waking.attempt}, "
        f"{waking.elapsed:.0f} s so far)…",
        "attempt": waking.attempt,
    }


@database_trip
def _record(plan: AnswerPlan) -> Recorded:
    return record_question(plan)
