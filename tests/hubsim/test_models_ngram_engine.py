"""The default text engine: real, seeded, lazily streamed generation that honours TGI's parameters."""

import itertools
import json

import pytest
from tokenizers import Tokenizer

from hubsim.models import (
    GenerationParameterError,
    GenerationParams,
    TextEngine,
    load_engine,
    render_chat,
    repo_files,
)

GEMMA = "google/gemma-1.1-2b-it"


@pytest.fixture(scope="module")
def engine() -> TextEngine:
    return load_engine("ngram")


def _chat(question: str, repo: str = GEMMA) -> str:
    return render_chat(repo, [{"role": "user", "content": question}])


def _text(engine: TextEngine, prompt: str, repo: str = GEMMA, **params: object) -> str:
    return "".join(token.text for token in engine.generate(repo, prompt, GenerationParams(**params)))


def test_same_seed_gives_same_tokens(engine: TextEngine) -> None:
    params = GenerationParams(max_new_tokens=40, do_sample=True, temperature=1.0, seed=11)
    first = [token.id for token in engine.generate(GEMMA, _chat("Tell me about bread."), params)]
    second = [token.id for token in engine.generate(GEMMA, _chat("Tell me about bread."), params)]
    assert first == second


def test_different_seeds_give_different_texts(engine: TextEngine) -> None:
    texts = {
        _text(
            engine,
            _chat("What is deep learning?"),
            max_new_tokens=40,
            do_sample=True,
            temperature=1.0,
            seed=seed,
        )
        for seed in range(8)
    }
    assert len(texts) > 1


def test_greedy_generation_is_deterministic_without_a_seed(engine: TextEngine) -> None:
    assert _text(engine, _chat("What is deep learning?")) == _text(engine, _chat("What is deep learning?"))


def test_repetition_penalty_changes_the_greedy_text(engine: TextEngine) -> None:
    prompt = _chat("What is deep learning?")
    penalized = _text(engine, prompt, max_new_tokens=40, repetition_penalty=2.0)
    assert penalized != _text(engine, prompt, max_new_tokens=40)


def test_max_new_tokens_is_honoured(engine: TextEngine) -> None:
    tokens = list(engine.generate("gpt2", "Once upon a time", GenerationParams(max_new_tokens=5)))
    assert [token.finish_reason for token in tokens] == [None, None, None, None, "length"]


def test_reply_ends_with_the_family_end_of_turn_token(engine: TextEngine) -> None:
    last = list(
        engine.generate(GEMMA, _chat("What is deep learning?"), GenerationParams(max_new_tokens=200))
    )[-1]
    assert (last.text, last.special, last.finish_reason) == ("<end_of_turn>", True, "eos_token")


@pytest.mark.parametrize(
    ("repo", "end_of_turn"),
    [
        ("Qwen/Qwen2.5-0.5B-Instruct", "<|im_end|>"),
        ("meta-llama/Meta-Llama-3-8B-Instruct", "<|eot_id|>"),
        ("HuggingFaceM4/idefics2-8b-chatty", "<end_of_utterance>"),
    ],
)
def test_each_chat_family_ends_with_its_own_token(engine: TextEngine, repo: str, end_of_turn: str) -> None:
    assert _text(engine, _chat("Why is the sky blue?", repo), repo, max_new_tokens=200).endswith(end_of_turn)


def test_stop_sequence_ends_the_text_with_the_stop_in_the_last_token(engine: TextEngine) -> None:
    tokens = list(
        engine.generate(GEMMA, _chat("What is deep learning?"), GenerationParams(stop=("networks",)))
    )
    text_before_last = "".join(token.text for token in tokens[:-1])
    assert ("networks" in tokens[-1].text, "networks" in text_before_last, tokens[-1].finish_reason) == (
        True,
        False,
        "stop_sequence",
    )


def test_answer_is_about_the_question(engine: TextEngine) -> None:
    assert "bread" in _text(engine, _chat("How do I make bread?"), max_new_tokens=60).lower()


def test_plain_prompt_is_continued(engine: TextEngine) -> None:
    assert _text(engine, "Once upon a time", "gpt2", max_new_tokens=3).startswith(",")


def test_tokens_are_produced_lazily(engine: TextEngine) -> None:
    tokens = engine.generate("gpt2", "Once upon a time", GenerationParams(max_new_tokens=100_000))
    assert len(list(itertools.islice(tokens, 3))) == 3


def test_generated_text_equals_the_tokenizer_decoding(engine: TextEngine) -> None:
    tokenizer = Tokenizer.from_str(repo_files(GEMMA)["tokenizer.json"].decode())
    params = GenerationParams(max_new_tokens=60)
    tokens = list(engine.generate(GEMMA, _chat("Tell me about the sea."), params))
    decoded = tokenizer.decode([token.id for token in tokens], skip_special_tokens=False)
    assert "".join(token.text for token in tokens) == decoded


def test_logprobs_are_log_probabilities(engine: TextEngine) -> None:
    params = GenerationParams(max_new_tokens=30, do_sample=True, temperature=0.7, top_p=0.9, seed=5)
    assert all(token.logprob <= 0 for token in engine.generate(GEMMA, _chat("Hello!"), params))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (GenerationParams(max_new_tokens=0), "max_new_tokens"),
        (GenerationParams(temperature=-1.0), "temperature"),
        (GenerationParams(top_p=1.5), "top_p"),
        (GenerationParams(top_k=0), "top_k"),
        (GenerationParams(repetition_penalty=0.0), "repetition_penalty"),
        (GenerationParams(stop=("",)), "stop"),
    ],
)
def test_bad_parameters_are_refused_at_the_call(
    engine: TextEngine, params: GenerationParams, message: str
) -> None:
    with pytest.raises(GenerationParameterError, match=message):
        engine.generate(GEMMA, "Hello", params)


def test_tokenize_gives_each_token_its_span_of_the_text(engine: TextEngine) -> None:
    text = "<start_of_turn>user\nHi there<end_of_turn>\n"
    tokens = engine.tokenize(GEMMA, text)
    assert all(token_text == text[start:stop] for _, token_text, start, stop in tokens)


def test_tokenize_starts_with_bos_where_the_family_adds_it(engine: TextEngine) -> None:
    llama = "meta-llama/Meta-Llama-3-8B-Instruct"
    bos_id = json.loads(repo_files(llama)["config.json"])["bos_token_id"]
    assert engine.tokenize(llama, "Hello")[0] == (bos_id, "", 0, 0)


def test_text_to_image_repository_is_not_a_text_model(engine: TextEngine) -> None:
    with pytest.raises(LookupError, match="not a text model"):
        engine.tokenize("stabilityai/stable-diffusion-xl-base-1.0", "Hello")
