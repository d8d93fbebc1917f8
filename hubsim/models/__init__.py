"""The models half of hubsim: built-in repositories, text generation, image rendering and image description.

Pure Python and no HTTP: the server half of hubsim uses only the names exported here."""

from .catalog import RepoSpec, all_repos, get_repo
from .chat_templates import ChatTemplateError, render_chat
from .engines import load_engine
from .generation_types import (
    EngineUnavailableError,
    GeneratedToken,
    GenerationParameterError,
    GenerationParams,
    TextEngine,
)
from .images import ImageParameterError, text_to_image
from .repo_files import repo_files, repo_sha
from .vision import describe_image

__all__ = [
    "ChatTemplateError",
    "EngineUnavailableError",
    "GeneratedToken",
    "GenerationParameterError",
    "GenerationParams",
    "ImageParameterError",
    "RepoSpec",
    "TextEngine",
    "all_repos",
    "describe_image",
    "get_repo",
    "load_engine",
    "render_chat",
    "repo_files",
    "repo_sha",
    "text_to_image",
]
