"""State-aware answers: paused endpoints are resumed first, scaled-to-zero ones woken (503, then ready),
failed ones refused; errors of the endpoint become errors in the conversation, and nothing typed is lost."""

import pytest
from django.test import override_settings
from django.urls import reverse

from endpoints_app.models import EndpointStatus, Operation
from playground_app.models import Message, MessageStatus, QueryMode
from tests.playground.fixtures import client_of
from tests.playground.sse import answer_text, events_of, last
from tests.waiting import finished

QUESTION = {"temperature": "0.2", "max_new_tokens": "30", "seed": "42", "text": "Say hello."}


def post(client, endpoint, **fields):
    form = {**QUESTION, "endpoint": endpoint.pk, "mode": QueryMode.MESSAGES, **fields}
    return client.post(reverse("playground:answer"), form)


def test_a_paused_endpoint_is_refused_and_the_question_is_not_recorded(deploy, otto) -> None:
    endpoint = deploy("gemma-paused", state="paused")
    response = post(otto, endpoint)
    assert response.status_code == 409
    assert response.json() == {"message": "demo/gemma-paused is paused.", "endpoint_status": "paused"}
    assert not Message.objects.exists()


@pytest.mark.usefixtures("celery_worker")
def test_resume_and_wait_then_the_question_is_answered(deploy, otto) -> None:
    endpoint = deploy("gemma-resume", state="paused")
    response = otto.post(reverse("playground:endpoint_resume", args=[endpoint.pk]))
    assert response.status_code == 202
    operation = finished(Operation.objects.get(pk=response.json()["operation"]["id"]))
    assert operation.state == "succeeded"
    state = otto.get(reverse("playground:endpoint_state", args=[endpoint.pk])).json()
    assert state["status"] == EndpointStatus.RUNNING
    assert answer_text(events_of(post(otto, endpoint))).strip()


def test_viewers_cannot_resume_endpoints(deploy, team) -> None:
    endpoint = deploy("gemma-viewer", state="paused")
    response = client_of(team.viewer).post(reverse("playground:endpoint_resume", args=[endpoint.pk]))
    assert response.status_code == 403


def test_a_scaled_to_zero_endpoint_answers_after_waking_up(deploy, otto, hubsim) -> None:
    endpoint = deploy("gemma-zero", state="scaledToZero")
    events = events_of(post(otto, endpoint))
    names = [name for name, _ in events]
    assert names[:2] == ["start", "status"]
    assert "waking up" in events[1][1]["text"]
    assert names[-1] == "done"
    requests = [
        e for e in hubsim.control.request_log() if e["route"] == "POST /e/{endpoint_id}/v1/chat/completions"
    ]
    assert [e["status"] for e in requests] == [503, 200]


def test_a_failed_endpoint_is_refused(deploy, otto) -> None:
    endpoint = deploy("gemma-failed", state="failed")
    response = post(otto, endpoint)
    assert response.status_code == 409
    assert "failed" in response.json()["message"]


def test_a_server_error_becomes_an_error_answer_and_the_question_stays(deploy, otto, hubsim) -> None:
    endpoint = deploy("gemma-500")
    hubsim.control.inject_fault("POST", "/e/*/v1/chat/completions", 500, message="CUDA out of memory")
    error = last(events_of(post(otto, endpoint)), "error")
    assert error["message"] == "The model failed (HTTP 500): CUDA out of memory"
    question, answer = Message.objects.order_by("position")
    assert question.content == "Say hello."
    assert (answer.status, answer.error) == (MessageStatus.FAILED, error["message"])


def test_a_model_refusal_is_shown_with_the_models_reason(deploy, otto) -> None:
    endpoint = deploy("gemma-422")
    error = last(events_of(post(otto, endpoint, system_prompt="Be brief.")), "error")
    assert error["message"].startswith("The model refused the request: ")
    assert "System role not supported" in error["message"]


@override_settings(PLAYGROUND_READ_TIMEOUT_SECONDS=0.3)
def test_a_slow_endpoint_times_out_with_a_clear_message(deploy, otto, hubsim) -> None:
    endpoint = deploy("gemma-slow")
    hubsim.control.inject_fault("POST", "/e/*/v1/chat/completions", latency_ms=2000)
    error = last(events_of(post(otto, endpoint)), "error")
    assert error["message"] == "demo/gemma-slow did not answer within 0.3 s (timeout)."


def test_an_invalid_form_keeps_nothing_and_says_what_is_wrong(deploy, otto) -> None:
    endpoint = deploy("gemma-form")
    response = post(otto, endpoint, max_new_tokens="100000", text="")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"max_new_tokens", "text"}
    assert not Message.objects.exists()
