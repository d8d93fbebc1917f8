"""The three query modes of the tutorial reach the endpoint with its payloads, and the answers come back."""

import pytest
from django.urls import reverse
from huggingface_hub import InferenceClient
from transformers import AutoTokenizer

from playground_app.models import Message, MessageStatus, QueryMode
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import GEMMA, through_proxy
from tests.playground.sse import answer_text, events_of, last

POEM = "Please write a short poem about open source for me."
TUTORIAL_FORM = {"temperature": "0.2", "max_new_tokens": "100", "seed": "42", "text": POEM}


def ask(client, endpoint, mode: str, **fields):
    form = {**TUTORIAL_FORM, "endpoint": endpoint.pk, "mode": mode, **fields}
    return events_of(client.post(reverse("playground:answer"), form))


def direct_answer(endpoint) -> str:
    """What the tutorial's InferenceClient call answers, sent straight to hubsim."""
    client = InferenceClient(token=DEMO_TOKEN)
    output = client.chat_completion(
        [{"role": "user", "content": POEM}], model=endpoint.url, temperature=0.2, max_tokens=100, seed=42
    )
    return output.choices[0].message.content


def test_raw_tgi_mode_sends_the_templated_prompt_with_the_tutorial_parameters(deploy, otto, proxy) -> None:
    endpoint = through_proxy(deploy("gemma-raw"), proxy)
    events = ask(otto, endpoint, QueryMode.RAW)
    tokenizer = AutoTokenizer.from_pretrained(GEMMA, revision=endpoint.revision, token=DEMO_TOKEN)
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": POEM}], tokenize=False, add_generation_prompt=True
    )
    # The streamed twin of /generate (TGI's `POST /` with `stream` is the tutorial's compat route); the token
    # counts come only with `details`.
    assert proxy.routes() == ["POST /generate_stream"]
    assert proxy.bodies() == [
        {
            "inputs": prompt,
            "parameters": {
                "temperature": 0.2,
                "max_new_tokens": 100,
                "seed": 42,
                "return_full_text": False,
                "details": True,
            },
        }
    ]
    assert answer_text(events).strip()
    assert last(events, "done")["stats"]["output_tokens"] > 0


def test_messages_api_mode_posts_the_conversation_to_chat_completions(deploy, otto, proxy) -> None:
    endpoint = through_proxy(deploy("gemma-chat"), proxy)
    events = ask(otto, endpoint, QueryMode.MESSAGES)
    assert proxy.bodies("/v1/chat/completions") == [
        {
            "model": "tgi",
            "messages": [{"role": "user", "content": POEM}],
            "temperature": 0.2,
            "max_tokens": 100,
            "seed": 42,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
    ]
    assert answer_text(events) == direct_answer(endpoint)


def test_inference_client_mode_sends_what_chat_completion_sends(deploy, otto, proxy) -> None:
    endpoint = through_proxy(deploy("gemma-client"), proxy)
    events = ask(otto, endpoint, QueryMode.CLIENT)
    (body,) = proxy.bodies("/v1/chat/completions")
    assert body["messages"] == [{"role": "user", "content": POEM}]
    assert (body["temperature"], body["max_tokens"], body["seed"], body["stream"]) == (0.2, 100, 42, True)
    assert answer_text(events).strip()


def test_an_answer_is_saved_with_its_figures(deploy, otto) -> None:
    endpoint = deploy("gemma-figures")
    ask(otto, endpoint, QueryMode.MESSAGES)
    answer = Message.objects.get(role="assistant")
    assert answer.status == MessageStatus.COMPLETE
    assert answer.content == direct_answer(endpoint)
    assert answer.input_tokens > 0 and answer.output_tokens > 0
    assert answer.time_to_first_token_ms is not None and answer.tokens_per_second is not None


@pytest.mark.parametrize("mode", [QueryMode.MESSAGES, QueryMode.RAW, QueryMode.CLIENT])
def test_each_mode_answers_the_same_with_the_same_seed(deploy, otto, mode) -> None:
    endpoint = deploy(f"gemma-{mode}")
    assert answer_text(ask(otto, endpoint, mode)).strip() == direct_answer(endpoint).strip()
