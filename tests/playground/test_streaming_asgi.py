"""Through the real ASGI server: tokens reach the browser while the model still writes, and Stop ends the
upstream request (hubsim's request log shows it closed early)."""

from collections.abc import Iterator

import pytest

from playground_app.models import Message, MessageStatus, QueryMode
from tests.fixtures.team import Team
from tests.playground.live import LiveSession, stream_events
from tests.waiting import wait_until

LONG = {
    "temperature": "0.9",
    "max_new_tokens": "400",
    "seed": "7",
    "text": "Tell me a long story about the sea.",
}


@pytest.fixture
def live(asgi_server, team: Team) -> Iterator[LiveSession]:
    session = LiveSession(asgi_server.url, team.operator)
    yield session
    session.close()


def upstream_requests(hubsim) -> list[dict]:
    return [
        entry
        for entry in hubsim.control.request_log()
        if entry["route"] == "POST /e/{endpoint_id}/v1/chat/completions"
    ]


def test_tokens_arrive_before_the_answer_ends(deploy, live, hubsim) -> None:
    endpoint = deploy("gemma-stream")
    with live.answer({**LONG, "endpoint": endpoint.pk, "mode": QueryMode.MESSAGES}) as response:
        events = stream_events(response)
        next(event for event in events if event[0] == "token")
        (upstream,) = upstream_requests(hubsim)
        assert not upstream["completed"]  # the model is still writing when the first token is shown
        names = [name for name, _ in events]
    assert names[-1] == "done"
    assert upstream_requests(hubsim)[0]["completed"]


def closed_early_and_stopped(hubsim, route: str) -> tuple[list[dict], Message]:
    """hubsim's requests to the endpoint's `route` that ended before their answer, and the stopped answer."""
    closed = wait_until(
        lambda: [
            e
            for e in hubsim.control.request_log()
            if e["route"] == f"POST /e/{{endpoint_id}}{route}" and e["closed_early"]
        ],
        what="hubsim to see the stream closed early",
    )
    answer = wait_until(
        lambda: Message.objects.filter(role="assistant", status=MessageStatus.STOPPED).first(),
        what="the stopped answer",
    )
    return closed, answer


def test_stop_closes_the_upstream_request_and_keeps_the_partial_answer(deploy, live, hubsim) -> None:
    endpoint = deploy("gemma-stop")
    with live.answer({**LONG, "endpoint": endpoint.pk, "mode": QueryMode.RAW}) as response:
        events = stream_events(response)
        received = [data["text"] for _, data in (next(e for e in events if e[0] == "token"), next(events))]
    # The browser went away (Stop aborts its fetch): the upstream request must end early too.
    closed, answer = closed_early_and_stopped(hubsim, "/generate_stream")
    assert len(closed) == 1
    assert answer.status == MessageStatus.STOPPED
    assert answer.content.startswith("".join(received))


@pytest.mark.parametrize(
    ("engine", "mode", "route"),
    [("vllm", QueryMode.RAW, "/v1/completions"), ("llamacpp", QueryMode.CLIENT, "/v1/chat/completions")],
)
def test_stop_closes_the_upstream_request_on_other_engines(deploy, live, hubsim, engine, mode, route) -> None:
    repository = "Qwen/Qwen2.5-0.5B-Instruct-GGUF" if engine == "llamacpp" else "Qwen/Qwen2.5-0.5B-Instruct"
    endpoint = deploy(f"{engine}-stop", repository, engine=engine)
    with live.answer({**LONG, "endpoint": endpoint.pk, "mode": mode}) as response:
        events = stream_events(response)
        next(e for e in events if e[0] == "token")
    closed, answer = closed_early_and_stopped(hubsim, route)
    assert len(closed) == 1
    assert answer.status == MessageStatus.STOPPED
