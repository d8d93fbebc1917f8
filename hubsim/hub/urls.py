"""Routes of the Hub, at the root (so HF_ENDPOINT is hubsim's base URL)."""

from starlette.routing import Route

from hubsim.hub import responses

routes = [
    Route("/api/whoami-v2", responses.whoami, methods=["GET"]),
    Route("/api/models", responses.list_models, methods=["GET"]),
    Route("/api/models/{rest:path}", responses.model_api, methods=["GET"]),
    Route(
        "/{repo_id:path}/resolve/{revision}/{filename:path}", responses.resolve_file, methods=["GET", "HEAD"]
    ),
]
