"""Routes of the observability APIs, under /v2 beside the Endpoints API."""

from starlette.routing import Route

from hubsim.observability import responses

ENDPOINT = "/v2/endpoint/{namespace}/{name}"

routes = [
    Route(ENDPOINT + "/open-metrics", responses.open_metrics, methods=["GET"]),
    Route(ENDPOINT + "/logs", responses.logs, methods=["GET"]),
]
