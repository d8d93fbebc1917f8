"""The transformers engine runs a local model directory behind the same protocol (needs torch)."""

from pathlib import Path

import pytest

from hubsim.models import EngineUnavailableError, GenerationParams, TextEngine, load_engine, repo_files

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(EngineUnavailableError, match="unknown engine"):
        load_engine("llama.cpp")


def test_directory_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailableError):
        load_engine(f"transformers:{tmp_path}")


@pytest.fixture(scope="module")
def tiny_model_engine(tmp_path_factory: pytest.TempPathFactory) -> TextEngine:
    """A randomly initialised two-layer GPT-2 with the gpt2 repository's tokenizer, built locally."""
    torch = pytest.importorskip("torch", reason="the transformers engine needs torch, which is not installed")
    from transformers import GPT2Config, GPT2LMHeadModel

    directory = tmp_path_factory.mktemp("tiny-gpt2")
    files = repo_files("gpt2")
    for name in TOKENIZER_FILES:
        (directory / name).write_bytes(files[name])
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=4097, n_positions=256, n_embd=32, n_layer=2, n_head=2, eos_token_id=4096)
    GPT2LMHeadModel(config).save_pretrained(directory)
    return load_engine(f"transformers:{directory}")


def test_greedy_generation_honours_max_new_tokens(tiny_model_engine: TextEngine) -> None:
    tokens = list(tiny_model_engine.generate("gpt2", "Once upon a time", GenerationParams(max_new_tokens=6)))
    assert [token.finish_reason for token in tokens] == [None] * 5 + ["length"]


def test_sampling_is_repeatable_for_a_seed(tiny_model_engine: TextEngine) -> None:
    params = GenerationParams(max_new_tokens=8, do_sample=True, temperature=1.0, seed=4)
    first = [token.id for token in tiny_model_engine.generate("gpt2", "The sea", params)]
    assert first == [token.id for token in tiny_model_engine.generate("gpt2", "The sea", params)]


def test_sampling_differs_across_seeds(tiny_model_engine: TextEngine) -> None:
    runs = {
        tuple(
            token.id
            for token in tiny_model_engine.generate(
                "gpt2",
                "The sea",
                GenerationParams(max_new_tokens=8, do_sample=True, temperature=1.0, seed=seed),
            )
        )
        for seed in range(4)
    }
    assert len(runs) > 1


def test_tokenize_agrees_with_the_default_engine(tiny_model_engine: TextEngine) -> None:
    text = "What is deep learning?"
    assert tiny_model_engine.tokenize("gpt2", text) == load_engine("ngram").tokenize("gpt2", text)
