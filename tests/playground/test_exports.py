"""A conversation exports as JSON (every message with its parameters, endpoint and timings) and as Markdown,
for any member of the team, and only for members."""

import json

from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from playground_app.models import Conversation, MessageStatus, QueryMode
from tests.playground.fixtures import client_of
from tests.playground.sse import events_of

QUESTION = "Please write a short poem about open source for me."


def answered_conversation(client: Client, endpoint) -> Conversation:
    """A conversation asked through the playground, answered by the hubsim endpoint."""
    form = {
        "endpoint": endpoint.pk,
        "mode": QueryMode.MESSAGES,
        "text": QUESTION,
        "seed": "42",
        "temperature": "0.2",
        "max_new_tokens": "40",
    }
    assert [name for name, _ in events_of(client.post(reverse("playground:answer"), form))][-1] == "done"
    return Conversation.objects.get()


def test_the_json_export_holds_every_message_with_its_endpoint_and_timings(deploy, otto, team) -> None:
    conversation = answered_conversation(otto, deploy("gemma-export"))
    question, answer = conversation.messages.order_by("position")
    response = client_of(team.viewer).get(reverse("playground:export_json", args=[conversation.pk]))
    assert response.status_code == 200
    file_name = f"{slugify(conversation.title)}-{conversation.pk}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{file_name}"'
    document = json.loads(response.content)
    assert (document["title"], document["author"], document["endpoint"]) == (
        conversation.title,
        "otto",
        "demo/gemma-export",
    )
    assert document["parameters"] == conversation.parameters and document["parameters"]["seed"] == 42
    assert [(m["role"], m["content"]) for m in document["messages"]] == [
        ("user", QUESTION),
        ("assistant", answer.content),
    ]
    exported_answer = document["messages"][1]
    assert exported_answer["status"] == MessageStatus.COMPLETE
    assert exported_answer["time_to_first_token_ms"] == answer.time_to_first_token_ms > 0
    assert exported_answer["output_tokens"] == answer.output_tokens > 0
    assert question.content == QUESTION


def test_the_markdown_export_reads_as_the_conversation(deploy, otto) -> None:
    conversation = answered_conversation(otto, deploy("gemma-markdown"))
    answer = conversation.messages.get(position=1)
    response = otto.get(reverse("playground:export_markdown", args=[conversation.pk]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-{conversation.pk}.md"')
    text = response.content.decode()
    assert text.startswith(f"# {conversation.title}\n")
    assert "- Endpoint: demo/gemma-markdown" in text and "- Author: otto" in text
    user_part, answer_part = text.split("## User\n\n")[1].split("## Assistant\n\n")
    assert user_part.strip() == QUESTION
    assert answer_part.startswith(answer.content)
    assert f"{answer.output_tokens} out" in answer_part


def test_the_conversation_page_links_its_exports_and_strangers_get_none(otto, team) -> None:
    conversation = Conversation.objects.create(title="Release notes", author=team.operator)
    page = client_of(team.viewer).get(conversation.get_absolute_url()).content.decode()
    for name in ("playground:export_markdown", "playground:export_json"):
        url = reverse(name, args=[conversation.pk])
        assert f'href="{url}"' in page
        assert Client().get(url).status_code == 302  # to the login page
    assert otto.get(reverse("playground:export_json", args=[conversation.pk + 1])).status_code == 404
