"""The prompt preview is the exact output of the repository's chat template, with its token count; the
tokenizer is loaded once per process; missing and refusing templates are explained."""

import pytest
from django.urls import reverse
from transformers import AutoTokenizer

from playground_app import chat_templates
from playground_app.models import QueryMode
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import GEMMA, GPT2, QWEN
from tests.playground.sse import events_of, last

QUESTION = "What is open source?"


def preview(client, endpoint, **fields) -> str:
    form = {"endpoint": endpoint.pk, "mode": QueryMode.RAW, "text": QUESTION, **fields}
    return client.post(reverse("playground:preview"), form).content.decode()


def expected(repository: str, revision: str, messages: list[dict]) -> tuple[str, int]:
    tokenizer = AutoTokenizer.from_pretrained(repository, revision=revision, token=DEMO_TOKEN)
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return text, len(tokenizer(text, add_special_tokens=False)["input_ids"])


def test_preview_shows_the_chat_template_output_and_its_token_count(deploy, otto) -> None:
    endpoint = deploy("qwen-preview", QWEN)
    html = preview(otto, endpoint, system_prompt="You are terse.")
    text, count = expected(
        QWEN,
        endpoint.revision,
        [{"role": "system", "content": "You are terse."}, {"role": "user", "content": QUESTION}],
    )
    assert "<|im_start|>system" in text  # ChatML, from the repository's own template
    assert (
        f'<pre class="prompt-text" id="prompt-text">{text.replace("<", "&lt;").replace(">", "&gt;")}</pre>'
        in html
    )
    assert f'<span id="prompt-token-count">{count}</span>' in html


def test_the_tokenizer_is_downloaded_once_per_process(deploy, otto, hubsim, fresh_tokenizers) -> None:
    endpoint = deploy("gemma-once", GEMMA)
    before = hubsim.control.request_counts()["total"]
    preview(otto, endpoint)
    after_first = hubsim.control.request_counts()["total"]
    preview(otto, endpoint, text="Another question")
    otto.get(reverse("playground:chat"))
    assert after_first > before  # the first preview downloaded the tokenizer from the Hub
    assert hubsim.control.request_counts()["total"] == after_first


def test_a_repository_without_template_offers_the_messages_api_only(deploy, otto) -> None:
    endpoint = deploy("gpt2-plain", GPT2)
    html = preview(otto, endpoint)
    assert "gpt2 has no chat template" in html
    assert 'data-no-template="true"' in html


def test_raw_mode_without_template_answers_with_an_error_in_the_conversation(deploy, otto) -> None:
    endpoint = deploy("gpt2-raw", GPT2)
    events = events_of(
        otto.post(
            reverse("playground:answer"), {"endpoint": endpoint.pk, "mode": QueryMode.RAW, "text": QUESTION}
        )
    )
    assert "gpt2 has no chat template" in last(events, "error")["message"]


def test_gemma_refusing_a_system_prompt_is_shown_clearly(deploy, otto) -> None:
    endpoint = deploy("gemma-system", GEMMA)
    html = preview(otto, endpoint, system_prompt="Be brief.")
    assert (
        "The chat template of google/gemma-1.1-2b-it refused this conversation: System role not supported"
        in html
    )


def test_a_card_without_a_base_model_leaves_the_messages_api_only(hubsim) -> None:
    with pytest.raises(chat_templates.NoChatTemplate, match="gpt2 holds GGUF weights, without a tokenizer"):
        chat_templates.base_model_source(GPT2, "", DEMO_TOKEN)


def test_an_unreadable_card_is_explained(hubsim) -> None:
    with pytest.raises(chat_templates.TokenizerUnavailable, match="The model card of nobody/nothing-GGUF"):
        chat_templates.base_model_source("nobody/nothing-GGUF", "", DEMO_TOKEN)
