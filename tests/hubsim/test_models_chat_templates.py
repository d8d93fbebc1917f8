"""Each family's chat template behaves like the real one (turn markers, refused roles, content shapes)."""

import pytest

from hubsim.models import ChatTemplateError, render_chat

GEMMA = "google/gemma-1.1-2b-it"
IDEFICS2 = "HuggingFaceM4/idefics2-8b-chatty"
QUESTION = {"role": "user", "content": "Why is the sky blue?"}


def test_gemma_uses_bos_and_start_of_turn_markers() -> None:
    assert render_chat(GEMMA, [QUESTION]) == (
        "<bos><start_of_turn>user\nWhy is the sky blue?<end_of_turn>\n<start_of_turn>model\n"
    )


def test_gemma_calls_the_assistant_model() -> None:
    conversation = [QUESTION, {"role": "assistant", "content": "Air scatters blue light."}, QUESTION]
    assert "<start_of_turn>model\nAir scatters blue light.<end_of_turn>\n" in render_chat(GEMMA, conversation)


def test_gemma_refuses_a_system_message() -> None:
    with pytest.raises(ChatTemplateError, match="System role not supported"):
        render_chat(GEMMA, [{"role": "system", "content": "Be brief."}, QUESTION])


def test_gemma_refuses_two_user_turns_in_a_row() -> None:
    with pytest.raises(ChatTemplateError, match="Conversation roles must alternate"):
        render_chat(GEMMA, [QUESTION, QUESTION])


def test_gemma_trims_message_content() -> None:
    rendered = render_chat(GEMMA, [{"role": "user", "content": "  Hi \n"}], add_generation_prompt=False)
    assert rendered == "<bos><start_of_turn>user\nHi<end_of_turn>\n"


def test_chatml_adds_qwen_default_system_message() -> None:
    assert render_chat("Qwen/Qwen2.5-0.5B-Instruct", [QUESTION]) == (
        "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\nWhy is the sky blue?<|im_end|>\n<|im_start|>assistant\n"
    )


def test_chatml_keeps_a_given_system_message_instead() -> None:
    system = {"role": "system", "content": "You answer in one line."}
    rendered = render_chat("Qwen/Qwen2.5-0.5B-Instruct", [system, QUESTION])
    assert rendered.startswith("<|im_start|>system\nYou answer in one line.<|im_end|>\n<|im_start|>user\n")


def test_llama3_uses_header_markers() -> None:
    assert render_chat("meta-llama/Meta-Llama-3-8B-Instruct", [QUESTION]) == (
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhy is the sky blue?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )


def test_mistral_folds_the_system_message_into_the_first_instruction() -> None:
    system = {"role": "system", "content": "Be brief."}
    assert render_chat("mistralai/Mistral-7B-Instruct-v0.2", [system, QUESTION]) == (
        "<s> [INST] Be brief.\n\nWhy is the sky blue? [/INST]"
    )


def test_idefics2_marks_images_and_utterance_ends() -> None:
    message = {
        "role": "user",
        "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            {"type": "text", "text": "What colour is the sky?"},
        ],
    }
    assert (
        render_chat(IDEFICS2, [message])
        == "User:<image>What colour is the sky?<end_of_utterance>\nAssistant:"
    )


def test_idefics2_reads_string_content_as_one_text_part() -> None:
    assert render_chat(IDEFICS2, [QUESTION]) == "User: Why is the sky blue?<end_of_utterance>\nAssistant:"


def test_text_family_joins_text_parts() -> None:
    parts = {
        "role": "user",
        "content": [{"type": "text", "text": "Why is "}, {"type": "text", "text": "it blue?"}],
    }
    assert "user\nWhy is it blue?<end_of_turn>" in render_chat(GEMMA, [parts])


def test_text_family_refuses_image_parts() -> None:
    image = {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:,"}}]}
    with pytest.raises(ChatTemplateError, match="text only"):
        render_chat(GEMMA, [image])


def test_gpt2_has_no_chat_template() -> None:
    with pytest.raises(ChatTemplateError, match="no chat template"):
        render_chat("gpt2", [QUESTION])


def test_empty_conversation_is_refused() -> None:
    with pytest.raises(ChatTemplateError, match="non-empty"):
        render_chat(GEMMA, [])
