"""An endpoint whose engine serves no API the console knows (a custom container, the default container on a
text task) gets a clear message in the playground, and is never asked anything."""

import pytest
from django.urls import reverse

from playground_app.models import Conversation, QueryMode
from tests.playground.fixtures import GEMMA

WHY = "the console knows no chat or completion API on it."
MESSAGES = {
    "custom": "demo/custom-chat runs a container the playground cannot talk to (Custom container: "
    f"ghcr.io/acme/chat-server:1.2): {WHY}",
    "toolkit": f"demo/toolkit-chat runs a container the playground cannot talk to (Inference Toolkit): {WHY}",
}


@pytest.fixture(params=["custom", "toolkit"])
def unknown(request, deploy):
    engine = request.param
    endpoint = deploy(f"{engine}-chat", GEMMA, engine=engine)
    assert endpoint.status == "running"
    return endpoint, MESSAGES[engine]


def test_the_chat_page_says_why_and_offers_no_mode(unknown, otto) -> None:
    endpoint, why = unknown
    page = otto.get(f"{reverse('playground:chat')}?endpoint={endpoint.pk}")
    assert page.status_code == 200
    option = page.content.decode().split(f'value="{endpoint.pk}"')[1].split(">")[0]
    assert 'data-modes=""' in option
    assert f'data-unsupported="{why}' in option


@pytest.mark.parametrize("mode", list(QueryMode))
def test_a_send_is_refused_with_the_reason_and_reaches_nothing(unknown, otto, hubsim, mode) -> None:
    endpoint, why = unknown
    form = {"endpoint": endpoint.pk, "mode": mode, "text": "Hello?"}
    answer = otto.post(reverse("playground:answer"), form)
    assert (answer.status_code, answer.json()["message"].startswith(why)) == (400, True)
    assert not Conversation.objects.exists()
    assert hubsim.control.request_counts()["by_endpoint"].get(endpoint.full_name) is None


def test_the_preview_says_why_instead_of_a_template(unknown, otto) -> None:
    endpoint, why = unknown
    form = {"endpoint": endpoint.pk, "mode": QueryMode.RAW, "text": "Hello?"}
    html = otto.post(reverse("playground:preview"), form).content.decode()
    assert why in html and "prompt-text" not in html
