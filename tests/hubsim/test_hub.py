"""The Hub routes, through the real huggingface_hub and transformers clients."""

import json
from pathlib import Path

import pytest
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from transformers import AutoTokenizer

from hubsim import models
from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN

# Repositories with a tokenizer.json (a GGUF repository carries its tokenizer inside its GGUF files).
CHAT_REPOS = [
    spec.repo_id for spec in models.all_repos() if "tokenizer.json" in models.repo_files(spec.repo_id)
]
MESSAGES = [{"role": "user", "content": "Hello there"}]
# Idefics2's template reads content as a list of parts (transformers passes a string through as it is).
PARTS_MESSAGES = [{"role": "user", "content": [{"type": "text", "text": "Hello there"}]}]


def test_whoami_names_the_user_and_its_orgs(hubsim) -> None:
    me = HfApi(endpoint=hubsim.url).whoami(token=DEMO_TOKEN)
    assert (me["type"], me["name"], [org["name"] for org in me["orgs"]]) == ("user", "demo", ["demo-org"])


def test_whoami_with_an_unknown_token_is_refused(hubsim) -> None:
    with pytest.raises(HfHubHTTPError, match="Invalid user token"):
        HfApi(endpoint=hubsim.url).whoami(token="hf_not_a_real_token")


def test_model_info_has_sha_files_and_pipeline(hubsim) -> None:
    info = HfApi(endpoint=hubsim.url).model_info("google/gemma-1.1-2b-it", token=DEMO_TOKEN)
    files = {sibling.rfilename for sibling in info.siblings}
    assert (info.sha, info.pipeline_tag) == (models.repo_sha("google/gemma-1.1-2b-it"), "text-generation")
    assert {"tokenizer.json", "tokenizer_config.json", "chat_template.jinja"} <= files


def test_an_unknown_repository_is_repo_not_found(hubsim) -> None:
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=hubsim.url).model_info("nobody/no-such-model")


def test_an_unknown_revision_is_revision_not_found(hubsim) -> None:
    with pytest.raises(RevisionNotFoundError):
        HfApi(endpoint=hubsim.url).model_info("gpt2", revision="0" * 40)


@pytest.mark.parametrize("repo_id", CHAT_REPOS)
def test_auto_tokenizer_loads_from_an_empty_cache(hubsim, tmp_path: Path, repo_id: str) -> None:
    tokenizer = AutoTokenizer.from_pretrained(repo_id, token=DEMO_TOKEN, cache_dir=tmp_path)
    assert tokenizer("Hello world")["input_ids"]


@pytest.mark.parametrize(
    "repo_id", [repo for repo in CHAT_REPOS if "chat_template.jinja" in models.repo_files(repo)]
)
def test_the_chat_template_renders_as_hubsim_renders_it(hubsim, tmp_path: Path, repo_id: str) -> None:
    messages = PARTS_MESSAGES if models.get_repo(repo_id).family == "idefics2" else MESSAGES
    tokenizer = AutoTokenizer.from_pretrained(repo_id, token=DEMO_TOKEN, cache_dir=tmp_path)
    rendered = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert rendered == models.render_chat(repo_id, messages)


def test_gpt2_has_no_chat_template(hubsim, tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained("gpt2", token=DEMO_TOKEN, cache_dir=tmp_path)
    assert tokenizer.chat_template is None


def test_a_gated_file_needs_access(hubsim, tmp_path: Path) -> None:
    with pytest.raises(GatedRepoError):
        hf_hub_download(
            "google/gemma-1.1-2b-it",
            "tokenizer.json",
            token=VIEWER_TOKEN,
            cache_dir=tmp_path,
            endpoint=hubsim.url,
        )


def test_a_missing_file_is_entry_not_found(hubsim, tmp_path: Path) -> None:
    with pytest.raises(EntryNotFoundError):
        hf_hub_download("gpt2", "no-such-file.bin", cache_dir=tmp_path, endpoint=hubsim.url)


def test_a_downloaded_file_is_the_repository_file(hubsim, tmp_path: Path) -> None:
    path = hf_hub_download("gpt2", "config.json", cache_dir=tmp_path, endpoint=hubsim.url)
    assert Path(path).read_bytes() == models.repo_files("gpt2")["config.json"]


def test_snapshot_download_fetches_every_file(hubsim, tmp_path: Path) -> None:
    folder = Path(
        snapshot_download("stabilityai/stable-diffusion-xl-base-1.0", cache_dir=tmp_path, endpoint=hubsim.url)
    )
    downloaded = {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}
    assert downloaded == set(models.repo_files("stabilityai/stable-diffusion-xl-base-1.0"))
    assert json.loads((folder / "model_index.json").read_text())["_class_name"] == "StableDiffusionXLPipeline"


def test_the_tree_of_a_missing_folder_is_entry_not_found(hubsim) -> None:
    with pytest.raises(EntryNotFoundError):
        list(HfApi(endpoint=hubsim.url).list_repo_tree("gpt2", path_in_repo="no-such-folder"))
