"""The served OpenAPI description of /v2 and the answers it describes."""

import httpx2
import pytest
from starlette.routing import Route

from hubsim.endpoints import urls
from tests.hubsim.conftest import DEMO_TOKEN
from tests.hubsim.openapi_schemas import OpenApiSchemas

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}


@pytest.fixture
def document(hubsim) -> dict:
    return httpx2.get(f"{hubsim.api_url}/openapi.json").json()


def test_every_api_route_is_described(document: dict) -> None:
    described = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    served = {
        (route.path.removeprefix("/v2"), method)
        for route in urls.routes
        if isinstance(route, Route) and route.path != "/v2/openapi.json"
        for method in route.methods - {"HEAD"}
    }
    assert described == served


def test_an_endpoint_answer_matches_its_schema(document: dict, running_endpoint) -> None:
    assert OpenApiSchemas(document).errors("Endpoint", running_endpoint().raw) == []


def test_the_hardware_answer_matches_its_schema(document: dict, hubsim) -> None:
    hardware = httpx2.get(f"{hubsim.api_url}/provider/demo", headers=DEMO).json()
    assert OpenApiSchemas(document).errors("HardwareList", hardware) == []


def test_an_error_answer_matches_its_schema(document: dict, hubsim) -> None:
    error = httpx2.get(f"{hubsim.api_url}/endpoint/demo/missing", headers=DEMO).json()
    assert OpenApiSchemas(document).errors("Error", error) == []
