"""HTTP in, JSON out for the Hub routes."""

import mimetypes
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hubsim import models
from hubsim.accounts import Identity
from hubsim.clock import isoformat
from hubsim.errors import ApiError
from hubsim.hub.repos import RepoView, check_can_download, find_repo, git_blob_oid
from hubsim.request_context import identity_of, sim_of


def render_whoami(identity: Identity, orgs: dict) -> dict[str, Any]:
    user = identity.user
    return {
        "type": "user",
        "id": user.id,
        "name": user.name,
        "fullname": user.fullname,
        "email": f"{user.name}@hubsim.local",
        "emailVerified": True,
        "canPay": True,
        "isPro": False,
        "periodEnd": None,
        "avatarUrl": "",
        "orgs": [
            {
                "type": "org",
                "id": orgs[name].id,
                "name": name,
                "fullname": orgs[name].fullname,
                "roleInOrg": "admin",
            }
            for name in user.orgs
        ],
        "auth": {
            "type": "access_token",
            "accessToken": {"displayName": f"{user.name} token", "role": identity.token.role},
        },
    }


async def whoami(request: Request) -> JSONResponse:
    identity = identity_of(request)
    if identity is None:
        raise ApiError(401, "Invalid credentials in Authorization header")
    return JSONResponse(render_whoami(identity, sim_of(request).accounts.orgs))


def render_model_info(view: RepoView, created_at: str) -> dict[str, Any]:
    spec = view.spec
    return {
        "_id": view.sha[:24],
        "id": view.repo_id,
        "modelId": view.repo_id,
        "author": view.repo_id.split("/")[0] if "/" in view.repo_id else None,
        "sha": view.sha,
        "lastModified": created_at,
        "createdAt": created_at,
        "private": False,
        "disabled": False,
        "gated": "manual" if spec.gated else False,
        "pipeline_tag": spec.pipeline_tag,
        "library_name": spec.library_name,
        "tags": list(spec.tags),
        "downloads": 0,
        "likes": 0,
        "siblings": [{"rfilename": path} for path in sorted(view.files())],
    }


def _started_at(request: Request) -> str:
    return isoformat(sim_of(request).started_at)


async def list_models(request: Request) -> JSONResponse:
    search = request.query_params.get("search", "").lower()
    found = [
        render_model_info(find_repo(spec.repo_id), _started_at(request))
        for spec in models.all_repos()
        if search in spec.repo_id.lower()
    ]
    return JSONResponse(found)


async def model_api(request: Request) -> JSONResponse:
    """``/api/models/{repo}``, ``.../revision/{rev}`` and ``.../tree/{rev}[/{path}]``.

    One route parses all three, since a repo id has one part ("gpt2") or two ("google/gemma-1.1-2b-it").
    """
    rest = request.path_params["rest"]
    if "/tree/" in rest:
        repo_id, _, tail = rest.partition("/tree/")
        revision, _, subpath = tail.partition("/")
        recursive = request.query_params.get("recursive", "").lower() in ("1", "true")
        return JSONResponse(
            tree_entries(find_repo(repo_id, revision), subpath.strip("/"), recursive=recursive)
        )
    repo_id, _, revision = rest.partition("/revision/")
    return JSONResponse(render_model_info(find_repo(repo_id, revision or None), _started_at(request)))


def tree_entries(view: RepoView, subpath: str, *, recursive: bool) -> list[dict[str, Any]]:
    files = view.files()
    prefix = f"{subpath}/" if subpath else ""
    under = {path: content for path, content in files.items() if path.startswith(prefix)}
    if subpath and not under:
        raise ApiError(404, f'{subpath} does not exist on "{view.sha}"', code="EntryNotFound")
    entries: dict[str, dict[str, Any]] = {}
    for path, content in sorted(under.items()):
        parts = path[len(prefix) :].split("/")
        depth = len(parts) if recursive else 1
        for level in range(1, min(depth, len(parts) - 1) + 1):
            directory = prefix + "/".join(parts[:level])
            entries.setdefault(
                directory, {"type": "directory", "oid": view.sha, "size": 0, "path": directory}
            )
        if recursive or len(parts) == 1:
            entries[path] = {"type": "file", "oid": git_blob_oid(content), "size": len(content), "path": path}
    return list(entries.values())


async def resolve_file(request: Request) -> Response:
    params = request.path_params
    view = find_repo(params["repo_id"], params["revision"])
    check_can_download(view, identity_of(request))
    content = view.files().get(params["filename"])
    if content is None:
        raise ApiError(
            404,
            f'{params["filename"]} does not exist on "{view.sha}"',
            code="EntryNotFound",
            headers={"X-Repo-Commit": view.sha},
        )
    media_type = mimetypes.guess_type(params["filename"])[0] or "application/octet-stream"
    headers = {"X-Repo-Commit": view.sha, "ETag": f'"{git_blob_oid(content)}"', "Accept-Ranges": "bytes"}
    body = b"" if request.method == "HEAD" else content
    response = Response(body, media_type=media_type, headers=headers)
    response.headers["content-length"] = str(len(content))
    return response
