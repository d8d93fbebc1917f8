"""An unforeseen failure while answering still ends the stream with an error event (never a silent stop)."""

from django.db import OperationalError
from django.urls import reverse

from tests.playground.fixtures import GEMMA
from tests.playground.sse import events_of
from tests.playground.test_query_modes import TUTORIAL_FORM


def test_a_database_failure_while_recording_ends_with_an_error_event(deploy, otto, monkeypatch) -> None:
    endpoint = deploy("gemma-chat", GEMMA)

    def database_down(plan):  # stands in for the database failing at that moment
        raise OperationalError("database is locked")

    monkeypatch.setattr("playground_app.answer_stream.record_question", database_down)
    form = {**TUTORIAL_FORM, "endpoint": endpoint.pk, "mode": "messages"}
    events = events_of(otto.post(reverse("playground:answer"), form))
    assert [name for name, _ in events] == ["error"]
    assert "The console failed while answering" in events[0][1]["message"]
