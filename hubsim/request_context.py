"""What every route reads from a request: the running simulation, the caller's identity, a JSON body."""

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from hubsim.accounts import Identity, bearer_token
from hubsim.errors import ApiError

if TYPE_CHECKING:
    from hubsim.simulation import Simulation


def sim_of(request: Request) -> "Simulation":
    return request.app.state.sim


def identity_of(request: Request) -> Identity | None:
    return sim_of(request).accounts.identify(bearer_token(request.headers.get("authorization")))


async def json_body(request: Request, *, error_type: str | None = None) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ApiError(
            400, f"Failed to parse the request body as JSON: {error}", error_type=error_type
        ) from error
