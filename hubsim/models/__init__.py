"""The models half of hubsim: built-in repositories, text generation, image rendering and image description.

Pure Python and no HTTP: the server half of hubsim uses only the names exported here."""

from .catalog import RepoSpec, all_repos, get_repo
from .chat_templates import ChatTemplateError, render_chat
from .embeddings import DIMENSIONS as EMBEDDING_DIMENSIONS
from .embeddings import embedding_model, normalized
from .engines import load_engine
from .families import NotATextModelError, text_family
from .generation_types import (
    EngineUnavailableError,
    GeneratedToken,
    GenerationParameterError,
    GenerationParams,
    TextEngine,
)
from .images import ImageParameterError, text_to_image
from .repo_files import repo_files, repo_sha
from .repo_tokens import detokenize
from .vision import describe_image

__all__ = [
    "EMBEDDING_DIMENSIONS",
    "ChatTemplateError",
    "EngineUnavailableError",
    "GeneratedToken",
    "GenerationParameterError",
    "GenerationParams",
    "ImageParameterError",
    "NotATextModelError",
    "RepoSpec",
    "TextEngine",
    "all_repos",
    "describe_image",
    "detokenize",
    "embedding_model",
    "get_repo",
    "load_engine",
    "normalized",
    "render_chat",
    "repo_files",
    "repo_sha",
    "text_family",
    "text_to_image",
]
