"""The built-in repositories: their files, their commit id, and the disk cache that makes a restart fast."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import ModelCard

from hubsim.models import all_repos, get_repo, repo_files, repo_sha

CHAT_FILES = {
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
    "README.md",
}


def test_catalog_holds_the_tutorial_repositories() -> None:
    tasks = {spec.repo_id: spec.pipeline_tag for spec in all_repos()}
    assert {
        "google/gemma-1.1-2b-it": "text-generation",
        "HuggingFaceM4/idefics2-8b-chatty": "image-text-to-text",
        "stabilityai/stable-diffusion-xl-base-1.0": "text-to-image",
        "gpt2": "text-generation",
    }.items() <= tasks.items()


def test_gated_repositories_are_those_gated_on_the_hub() -> None:
    assert {spec.repo_id for spec in all_repos() if spec.gated} == {
        "google/gemma-1.1-2b-it",
        "meta-llama/Meta-Llama-3-8B-Instruct",
        "mistralai/Mistral-7B-Instruct-v0.2",
    }


def test_unknown_repository_is_none() -> None:
    assert get_repo("nobody/nothing") is None


def test_chat_model_ships_tokenizer_and_template_files() -> None:
    assert set(repo_files("google/gemma-1.1-2b-it")) == CHAT_FILES


def test_gpt2_ships_no_chat_template() -> None:
    assert set(repo_files("gpt2")) == CHAT_FILES - {"chat_template.jinja"}


def test_diffusers_pipeline_ships_its_model_index() -> None:
    index = json.loads(repo_files("stabilityai/stable-diffusion-xl-base-1.0")["model_index.json"])
    assert index["_class_name"] == "StableDiffusionXLPipeline"


def test_model_card_carries_the_hub_metadata() -> None:
    card = repo_files("HuggingFaceM4/idefics2-8b-chatty")["README.md"].decode()
    assert card.startswith("---\nlibrary_name: transformers\npipeline_tag: image-text-to-text\n")


def test_a_gguf_card_names_the_model_it_was_converted_from() -> None:
    """Read as huggingface_hub reads a card; the original's README.md writes the same line."""
    card = ModelCard(repo_files("Qwen/Qwen2.5-0.5B-Instruct-GGUF")["README.md"].decode())
    assert card.data.base_model == "Qwen/Qwen2.5-0.5B-Instruct"


def test_generation_config_stops_on_the_end_of_turn_token() -> None:
    files = repo_files("meta-llama/Meta-Llama-3-8B-Instruct")
    end_of_turn = next(
        token["id"]
        for token in json.loads(files["tokenizer.json"])["added_tokens"]
        if token["content"] == "<|eot_id|>"
    )
    assert end_of_turn in json.loads(files["generation_config.json"])["eos_token_id"]


@pytest.mark.parametrize("repo", [spec.repo_id for spec in all_repos()])
def test_repo_sha_is_forty_hex_digits(repo: str) -> None:
    assert re.fullmatch(r"[0-9a-f]{40}", repo_sha(repo))


def test_unknown_repository_has_no_files() -> None:
    with pytest.raises(LookupError):
        repo_files("nobody/nothing")


_PRINT_SHAS = (
    "from hubsim.models import all_repos, repo_sha; print([repo_sha(s.repo_id) for s in all_repos()])"
)


def _shas_in_fresh_process(cache_dir: Path) -> str:
    environment = {**os.environ, "HUBSIM_CACHE_DIR": str(cache_dir)}
    completed = subprocess.run(
        [sys.executable, "-c", _PRINT_SHAS],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    return completed.stdout


def test_files_are_identical_whether_built_or_read_from_the_disk_cache(tmp_path: Path) -> None:
    built = _shas_in_fresh_process(tmp_path)
    assert (_shas_in_fresh_process(tmp_path), built) == (
        built,
        str([repo_sha(s.repo_id) for s in all_repos()]) + "\n",
    )


def test_disk_cache_keeps_the_trained_tokenizer_and_each_repository(tmp_path: Path) -> None:
    _shas_in_fresh_process(tmp_path)
    (build_folder,) = tmp_path.iterdir()
    assert sorted(path.name for path in build_folder.iterdir()) == sorted(
        ["base-tokenizer.json"] + [f"repo-{spec.repo_id.replace('/', '--')}.json" for spec in all_repos()]
    )


def test_disk_cache_drops_entries_of_an_older_build(tmp_path: Path) -> None:
    stale = tmp_path / "0123456789abcdef"
    stale.mkdir()
    (stale / "base-tokenizer.json").write_text("{}")
    _shas_in_fresh_process(tmp_path)
    assert not stale.exists()
