"""An answer in flight when its web process goes away: killed, what arrived is kept and shown as cut off,
and can be asked again; stopped gracefully (a deployment), the answer finishes first."""

import contextlib
import signal
import time
from collections.abc import Iterator

import httpx2
import pytest
from django.test import Client
from django.urls import reverse

from playground_app.models import Message, MessageStatus, QueryMode
from tests.fixtures.team import Team
from tests.playground.live import LiveSession, stream_events
from tests.playground.sse import events_of
from tests.reliability.web_process import WebProcess
from tests.reliability.workers import isolated_broker_url

LONG = {  # 400 tokens, 10 ms apart on hubsim: about four seconds
    "mode": QueryMode.MESSAGES,
    "temperature": "0.9",
    "max_new_tokens": "400",
    "seed": "7",
    "text": "Tell me a long story about the sea.",
}


@pytest.fixture
def web(tmp_path) -> Iterator[WebProcess]:
    process = WebProcess(
        isolated_broker_url(), tmp_path / "web.log", graceful_seconds=30, PLAYGROUND_ANSWER_SAVE_SECONDS="0.2"
    )
    process.start()
    yield process
    process.kill()


def the_answer() -> Message | None:
    return Message.objects.filter(role="assistant").first()


@pytest.mark.slow
def test_a_killed_web_process_leaves_the_answer_cut_off_with_what_arrived(
    deploy, team: Team, web: WebProcess, settings
) -> None:
    endpoint = deploy("gemma-killed")
    session = LiveSession(web.url, team.operator)
    try:
        with session.answer({**LONG, "endpoint": endpoint.pk}) as response:
            events = stream_events(response)
            received = ""
            for name, data in events:
                received += data["text"] if name == "token" else ""
                if len(getattr(the_answer(), "content", "")) > 20:  # saved while it grows
                    break
            web.kill()
            with contextlib.suppress(httpx2.HTTPError):  # the connection dies with the process
                received += "".join(data["text"] for name, data in events if name == "token")
    finally:
        session.close()

    answer = the_answer()
    assert answer.status == MessageStatus.STREAMING
    assert answer.content and received.startswith(answer.content)
    conversation = answer.conversation
    browser = Client()
    browser.force_login(team.operator)
    page = browser.get(conversation.get_absolute_url()).content.decode()
    assert "Still arriving" in page  # its last save is recent: it may still be written
    settings.PLAYGROUND_ANSWER_CUT_OFF_SECONDS = 0.5
    time.sleep(0.6)
    page = browser.get(conversation.get_absolute_url()).content.decode()
    assert "Cut off" in page and "Still arriving" not in page

    form = {**LONG, "endpoint": endpoint.pk, "conversation": conversation.pk, "action": "regenerate"}
    form["max_new_tokens"] = "20"
    events = events_of(browser.post(reverse("playground:answer"), form))
    assert events[-1][0] == "done"
    (regenerated,) = Message.objects.filter(conversation=conversation, role="assistant")
    assert regenerated.status == MessageStatus.COMPLETE and regenerated.pk != answer.pk


@pytest.mark.slow
def test_a_graceful_stop_lets_the_open_answer_finish(deploy, team: Team, web: WebProcess) -> None:
    endpoint = deploy("gemma-graceful")
    session = LiveSession(web.url, team.operator)
    try:
        with session.answer({**LONG, "endpoint": endpoint.pk}) as response:
            events = stream_events(response)
            next(event for event in events if event[0] == "token")
            web.signal(signal.SIGTERM)  # as a deployment restarting the web processes does
            names = [name for name, _ in events]
    finally:
        session.close()
    assert names[-1] == "done"
    assert web.wait(timeout=30) in (0, -signal.SIGTERM)  # uvicorn exits by the signal it was sent
    answer = the_answer()
    assert answer.status == MessageStatus.COMPLETE and answer.output_tokens > 1
