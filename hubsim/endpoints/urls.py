"""Routes of the Endpoints API, under /v2."""

from starlette.routing import Route

from hubsim.endpoints import responses
from hubsim.endpoints.openapi import serve_openapi

ENDPOINT = "/v2/endpoint/{namespace}/{name}"

routes = [
    Route("/v2/openapi.json", serve_openapi, methods=["GET"]),
    Route("/v2/endpoint/{namespace}", responses.list_endpoints, methods=["GET"]),
    Route("/v2/endpoint/{namespace}", responses.create_endpoint, methods=["POST"]),
    Route(ENDPOINT, responses.get_endpoint, methods=["GET"]),
    Route(ENDPOINT, responses.update_endpoint, methods=["PUT"]),
    Route(ENDPOINT, responses.delete_endpoint, methods=["DELETE"]),
    Route(ENDPOINT + "/pause", responses.pause_endpoint, methods=["POST"]),
    Route(ENDPOINT + "/resume", responses.resume_endpoint, methods=["POST"]),
    Route(ENDPOINT + "/scale-to-zero", responses.scale_endpoint_to_zero, methods=["POST"]),
    Route("/v2/provider/{namespace}", responses.list_hardware, methods=["GET"]),
]
