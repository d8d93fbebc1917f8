"""README.md of each built-in repository: the model card metadata the Hub shows, and what hubsim built."""

from .catalog import RepoSpec

_LICENSES = {
    "gemma": "gemma",
    "llama3": "llama3",
    "chatml": "apache-2.0",
    "mistral": "apache-2.0",
    "idefics2": "apache-2.0",
    "gpt2": "mit",
    "bert": "mit",
    "sdxl": "openrail++",
}


def model_card(spec: RepoSpec, built_from: str) -> str:
    tags = "\n".join(f"- {tag}" for tag in spec.tags)
    # A repository of converted weights names its origin, as the GGUF repositories' cards do
    # (Qwen/Qwen2.5-0.5B-Instruct-GGUF's README.md: `base_model: Qwen/Qwen2.5-0.5B-Instruct`).
    base_model = f"base_model: {spec.base_model}\n" if spec.base_model else ""
    return (
        "---\n"
        f"library_name: {spec.library_name}\n"
        f"pipeline_tag: {spec.pipeline_tag}\n"
        f"license: {_LICENSES[spec.family]}\n"
        f"{base_model}"
        f"tags:\n{tags}\n"
        "---\n\n"
        f"# {spec.repo_id.split('/')[-1]}\n\n"
        f"This copy of `{spec.repo_id}` is served by hubsim, a local emulator of the Hub and of Inference "
        "Endpoints. It holds no weights.\n\n"
        f"{built_from}\n"
    )
