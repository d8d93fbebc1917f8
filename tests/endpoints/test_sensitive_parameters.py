"""The forms that carry secrets mark them sensitive: Django's error reports (a 500 mailed to the admins, the
debug page) show stars instead of the token or the endpoint's secrets, and the functions handling a token
hide their local variables from the same reports."""

import pytest
from django.urls import reverse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from endpoints_app import token_vault
from endpoints_app.models import Endpoint
from endpoints_app.services import credentials
from tests.endpoints.mirror_rows import endpoint_row

TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUv"
pytestmark = pytest.mark.django_db


def hidden_in_reports(response, parameter: str) -> bool:
    request = response.wsgi_request
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    return request.POST.get(parameter) and shown[parameter] == SafeExceptionReporterFilter.cleansed_substitute


@pytest.mark.parametrize("url_name", ["endpoints:credentials", "endpoints:replace_credential"])
def test_a_token_typed_in_a_credential_form_is_hidden_from_error_reports(
    client_as, namespace, url_name
) -> None:
    args = [namespace.credential.pk] if url_name == "endpoints:replace_credential" else []
    response = client_as("admin").post(reverse(url_name, args=args), {"label": "CI", "token": TOKEN})
    assert hidden_in_reports(response, "token")


def test_secrets_typed_in_the_endpoint_forms_are_hidden_from_error_reports(client_as, namespace) -> None:
    operator = client_as("operator")
    secrets = {"secrets": "API_KEY=very-secret"}
    assert hidden_in_reports(operator.post(reverse("endpoints:create"), secrets), "secrets")
    endpoint: Endpoint = endpoint_row(namespace, "chat")
    assert hidden_in_reports(
        operator.post(reverse("endpoints:update", args=[endpoint.pk]), secrets), "secrets"
    )


@pytest.mark.parametrize(
    ("function_name", "call"),
    [
        # No actor: each fails inside, with the token in scope.
        ("add_credential", lambda: credentials.add_credential(None, "CI", TOKEN)),
        ("replace_token", lambda: credentials.replace_token(None, None, TOKEN)),
        ("encrypt", lambda: token_vault.encrypt(TOKEN)),  # with an unusable key (below)
    ],
)
def test_functions_handling_a_token_hide_it_from_error_reports(function_name: str, call, settings) -> None:
    """Django's report of an exception raised while such a function runs shows no token in its variables."""
    settings.TOKEN_ENCRYPTION_KEY = "not-a-fernet-key"
    token_vault._fernet.cache_clear()
    try:
        with pytest.raises(Exception) as raised:  # any failure: the report is the point
            call()
    finally:
        token_vault._fernet.cache_clear()
    frames = ExceptionReporter(None, raised.type, raised.value, raised.tb).get_traceback_data()["frames"]
    shown = {frame["function"]: dict(frame["vars"]) for frame in frames}
    assert shown[function_name]["token"] == repr(SafeExceptionReporterFilter.cleansed_substitute)
    assert TOKEN not in str([frame["vars"] for frame in frames])
