"""The served OpenAPI description of /v2 covers every route (tests/fuzz generates requests from it).

It is hubsim's own description: hubsim's answers are checked against the service's recorded answers and the
client's code instead (test_endpoint_payloads.py, test_endpoint_images.py)."""

import httpx2
from starlette.routing import Route

from hubsim.endpoints import urls
from hubsim.observability import urls as observability_urls


def test_every_api_route_is_described(hubsim) -> None:
    document = httpx2.get(f"{hubsim.api_url}/openapi.json").json()
    described = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    served = {
        (route.path.removeprefix("/v2"), method)
        for route in urls.routes + observability_urls.routes
        if isinstance(route, Route) and route.path != "/v2/openapi.json"
        for method in route.methods - {"HEAD"}
    }
    assert described == served
