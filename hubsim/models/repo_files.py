"""Every file of each built-in repository, built deterministically and cached in memory and on disk."""

import hashlib
import json
from functools import cache
from types import MappingProxyType

from .catalog import RepoSpec, get_repo
from .chat_templates import template_source
from .diffusers_files import pipeline_files
from .disk_cache import cached_text
from .embeddings import DIMENSIONS
from .families import TextFamily, text_family
from .gguf_files import gguf_files
from .model_cards import model_card
from .sentence_transformers_files import sentence_transformers_files
from .tokenizer_build import base_vocab_size, family_tokenizer, family_tokenizer_json


class UnknownRepoError(LookupError):
    """No built-in repository has this id."""


def repo_files(repo_id: str) -> dict[str, bytes]:
    """Every file of the repository: path -> content."""
    return dict(_stored_files(repo_id))


@cache
def repo_sha(repo_id: str) -> str:
    """The repository's commit id: 40 hex digits that change whenever any file changes."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path, content in sorted(_stored_files(repo_id).items()):
        blob = hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()
        digest.update(f"{path}\0{blob}\n".encode())
    return digest.hexdigest()


@cache
def _stored_files(repo_id: str) -> MappingProxyType[str, bytes]:
    spec = get_repo(repo_id)
    if spec is None:
        raise UnknownRepoError(f"no built-in repository {repo_id!r}")
    cache_name = f"repo-{repo_id.replace('/', '--')}.json"
    texts = json.loads(cached_text(cache_name, lambda: json.dumps(_build_files(spec), sort_keys=True)))
    files = {path: text.encode() for path, text in texts.items()}
    if spec.library_name == "gguf":
        files.update(gguf_files(spec.base_model or spec.repo_id))
    return MappingProxyType(files)


def _build_files(spec: RepoSpec) -> dict[str, str]:
    """The text files of a repository (binary GGUF files are added beside them)."""
    if spec.library_name == "diffusers":
        files = pipeline_files()
        files["README.md"] = model_card(spec, "The pipeline configuration files are those of the original.")
        return files
    family = text_family(spec.repo_id)
    if spec.library_name == "gguf":
        return {"README.md": model_card(spec, _gguf_note(spec))}
    files = {
        "config.json": _json(_model_config(family)),
        "tokenizer.json": family_tokenizer_json(family),
        "tokenizer_config.json": _json(_tokenizer_config(family)),
        "special_tokens_map.json": _json(family.named_tokens),
        "README.md": model_card(spec, _tokenizer_note(family)),
    }
    if spec.library_name == "sentence-transformers":
        files.update(sentence_transformers_files(family))
    else:
        files["generation_config.json"] = _json(_generation_config(family))
    template = template_source(family)
    if template is not None:
        files["chat_template.jinja"] = template
    return files


def _token_id(family: TextFamily, token: str) -> int:
    return family_tokenizer(family).token_to_id(token)


def _model_config(family: TextFamily) -> dict[str, object]:
    named_ids = {f"{name}_id": _token_id(family, token) for name, token in family.named_tokens.items()}
    config_ids = ("bos_token_id", "eos_token_id", "pad_token_id")
    config = {
        "architectures": [family.architecture],
        "model_type": family.model_type,
        "vocab_size": family_tokenizer(family).get_vocab_size(),
        "max_position_embeddings": family.context_length,
        "torch_dtype": "bfloat16",
        **{key: named_ids[key] for key in config_ids if key in named_ids},
    }
    if family.sentence_wrap:  # an encoder: its hidden size is the size of the embeddings it gives
        config["hidden_size"] = DIMENSIONS
    return config


def _generation_config(family: TextFamily) -> dict[str, object]:
    stop_ids = [_token_id(family, token) for token in family.stop_tokens]
    config: dict[str, object] = {"eos_token_id": stop_ids[0] if len(stop_ids) == 1 else stop_ids}
    if "bos_token" in family.named_tokens:
        config["bos_token_id"] = _token_id(family, family.named_tokens["bos_token"])
    if "pad_token" in family.named_tokens:
        config["pad_token_id"] = _token_id(family, family.named_tokens["pad_token"])
    return config


def _tokenizer_config(family: TextFamily) -> dict[str, object]:
    # A generic class: a model-specific one (GemmaTokenizer ...) would rebuild the tokenizer its own way.
    absent = dict.fromkeys(("bos_token", "eos_token", "unk_token", "pad_token"))
    return {
        "backend": "tokenizers",
        "tokenizer_class": "TokenizersBackend",
        **absent,
        **family.named_tokens,
        "model_max_length": family.context_length,
        "clean_up_tokenization_spaces": False,
    }


def _tokenizer_note(family: TextFamily) -> str:
    template = "its family's real chat template" if family.template else "no chat template, as the original"
    return (
        f"The tokenizer was built locally: a byte-level BPE vocabulary of {base_vocab_size()} tokens "
        f"trained on hubsim's English corpus, the {len(family.special_tokens)} special tokens of the "
        f"{family.model_type} family, and {template}."
    )


def _gguf_note(spec: RepoSpec) -> str:
    return (
        f"The GGUF files are placeholders: each holds the GGUF header and metadata of `{spec.base_model}` "
        "(architecture, quantization type, chat template) and no tensors. Endpoints serve them with hubsim's "
        f"text engine and the tokenizer of `{spec.base_model}`."
    )


def _json(document: object) -> str:
    return json.dumps(document, indent=2) + "\n"
