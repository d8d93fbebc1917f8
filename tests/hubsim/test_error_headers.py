"""Error messages that quote user input still make valid HTTP headers."""

import httpx2

from hubsim.http_errors import header_safe
from tests.hubsim.conftest import DEMO_TOKEN


def test_control_characters_and_non_ascii_become_question_marks() -> None:
    assert header_safe("bad name 'a\r\nb\x00é'") == "bad name 'a??b??'"


def test_a_name_with_a_line_break_gets_an_error_not_a_dropped_connection(hubsim) -> None:
    response = httpx2.get(
        f"{hubsim.url}/v2/endpoint/demo/bad%0Aname", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
    )
    assert response.status_code == 404
    assert "\n" not in response.headers["X-Error-Message"]
    assert "bad\nname" in response.json()["error"]
