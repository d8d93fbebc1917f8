"""The built-in model repositories hubsim serves, described the way the Hub's model info describes them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RepoSpec:
    repo_id: str
    pipeline_tag: str
    library_name: str
    family: str
    gated: bool
    tags: tuple[str, ...]
    # A repository of converted weights (GGUF) names the repository its tokenizer and template come from.
    base_model: str | None = None


_CHAT_TAGS = ("transformers", "safetensors", "text-generation", "conversational", "en")
_TEXT = "text-generation"

_REPOS = (
    RepoSpec("google/gemma-1.1-2b-it", _TEXT, "transformers", "gemma", True, (*_CHAT_TAGS, "gemma")),
    RepoSpec("Qwen/Qwen2.5-0.5B-Instruct", _TEXT, "transformers", "chatml", False, (*_CHAT_TAGS, "qwen2")),
    RepoSpec(
        "meta-llama/Meta-Llama-3-8B-Instruct",
        _TEXT,
        "transformers",
        "llama3",
        True,
        (*_CHAT_TAGS, "llama", "llama-3", "facebook", "meta"),
    ),
    RepoSpec(
        "mistralai/Mistral-7B-Instruct-v0.2",
        _TEXT,
        "transformers",
        "mistral",
        True,
        (*_CHAT_TAGS, "mistral", "finetuned"),
    ),
    RepoSpec(
        "HuggingFaceM4/idefics2-8b-chatty",
        "image-text-to-text",
        "transformers",
        "idefics2",
        False,
        ("transformers", "safetensors", "idefics2", "image-text-to-text", "multimodal", "vision", "en"),
    ),
    RepoSpec("gpt2", _TEXT, "transformers", "gpt2", False, ("transformers", "gpt2", _TEXT, "en")),
    RepoSpec(
        "BAAI/bge-small-en-v1.5",
        "feature-extraction",
        "sentence-transformers",
        "bert",
        False,
        (
            "sentence-transformers",
            "safetensors",
            "bert",
            "feature-extraction",
            "sentence-similarity",
            "transformers",
            "text-embeddings-inference",
            "en",
        ),
    ),
    RepoSpec(
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        _TEXT,
        "gguf",
        "chatml",
        False,
        ("gguf", "chat", _TEXT, "conversational", "en"),
        base_model="Qwen/Qwen2.5-0.5B-Instruct",
    ),
    RepoSpec(
        "stabilityai/stable-diffusion-xl-base-1.0",
        "text-to-image",
        "diffusers",
        "sdxl",
        False,
        ("diffusers", "safetensors", "text-to-image", "stable-diffusion", "StableDiffusionXLPipeline"),
    ),
)

_BY_ID = {spec.repo_id: spec for spec in _REPOS}


def get_repo(repo_id: str) -> RepoSpec | None:
    return _BY_ID.get(repo_id)


def all_repos() -> list[RepoSpec]:
    return list(_REPOS)
