"""Repository lookups for the Hub routes: which repo, which revision, which file, and who may read it."""

import hashlib
from dataclasses import dataclass

from hubsim import models
from hubsim.accounts import Identity
from hubsim.errors import ApiError

DEFAULT_REVISION = "main"


@dataclass(frozen=True)
class RepoView:
    spec: models.RepoSpec
    sha: str

    @property
    def repo_id(self) -> str:
        return self.spec.repo_id

    def files(self) -> dict[str, bytes]:
        return models.repo_files(self.repo_id)


def git_blob_oid(content: bytes) -> str:
    """The git object id of a file, which the Hub uses as a file's oid and ETag."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def find_repo(repo_id: str, revision: str | None = None) -> RepoView:
    spec = models.get_repo(repo_id)
    if spec is None:
        raise ApiError(404, "Repository not found", code="RepoNotFound")
    view = RepoView(spec, models.repo_sha(repo_id))
    if revision not in (None, DEFAULT_REVISION, view.sha):
        raise ApiError(404, f"Invalid rev id: {revision}", code="RevisionNotFound")
    return view


def check_can_download(view: RepoView, identity: Identity | None) -> None:
    """Gated repos: files only for users granted access (401 without a token, 403 with one)."""
    if not view.spec.gated or (identity is not None and identity.user.can_access_gated(view.repo_id)):
        return
    status = 401 if identity is None else 403
    raise ApiError(
        status,
        f"Access to model {view.repo_id} is restricted and you are not in the authorized list."
        f" Visit {view.repo_id} to ask for access.",
        code="GatedRepo",
    )
