"""Each playground request records who sent it to which endpoint, with the tokens its answer counted."""

from django.urls import reverse

from endpoints_app.models import UsageKind, UsageRecord
from playground_app.models import Message, QueryMode, Role
from tests.playground.fixtures import BGE, SDXL
from tests.playground.sse import events_of

IMAGE_FORM = {
    "prompt": "A lighthouse at dusk",
    "width": "512",
    "height": "512",
    "num_inference_steps": "4",
    "guidance_scale": "7.5",
    "seed": "7",
    "count": "2",
}


def test_a_chat_answer_records_its_sender_and_its_tokens(deploy, otto, team) -> None:
    endpoint = deploy("gemma-usage")
    form = {"endpoint": endpoint.pk, "mode": QueryMode.MESSAGES, "text": "Say hello.", "max_new_tokens": "20"}
    events_of(otto.post(reverse("playground:answer"), form))
    answer = Message.objects.get(role=Role.ASSISTANT)
    record = UsageRecord.objects.get()
    assert (record.user, record.endpoint, record.kind) == (team.operator, endpoint, UsageKind.CHAT)
    assert answer.output_tokens
    assert (record.input_tokens, record.output_tokens) == (answer.input_tokens, answer.output_tokens)


def test_each_image_is_a_request_of_its_own(deploy, otto, team) -> None:
    endpoint = deploy("sdxl-usage", SDXL)
    otto.post(reverse("playground:generate"), {**IMAGE_FORM, "endpoint": endpoint.pk})
    records = UsageRecord.objects.filter(endpoint=endpoint, kind=UsageKind.IMAGE, user=team.operator)
    assert records.count() == 2


def test_an_embeddings_call_is_recorded(deploy, otto, team) -> None:
    endpoint = deploy("bge-usage", BGE, engine="tei")
    form = {"endpoint": endpoint.pk, "sentences": "Bread rises\nDough rests"}
    otto.post(reverse("playground:compare_embeddings"), form)
    record = UsageRecord.objects.get()
    assert (record.user, record.endpoint, record.kind) == (team.operator, endpoint, UsageKind.EMBEDDINGS)


def test_a_refused_request_records_nothing(deploy, otto) -> None:
    endpoint = deploy("bge-refused", BGE, engine="tei")
    otto.post(reverse("playground:compare_embeddings"), {"endpoint": endpoint.pk, "sentences": "Only one"})
    assert not UsageRecord.objects.exists()
