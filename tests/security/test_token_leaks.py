"""The team's Hugging Face tokens never leak, nor an endpoint's secret: a day of real use (credentials added
and replaced through the pages, an endpoint created by the worker and paused, the playground, the API
failing with 401 and 500, the friendly 500 page) is captured whole and searched for them. The database holds
tokens as ciphertext only."""

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from endpoints_app import token_vault
from endpoints_app.models import Credential, Endpoint, Namespace, Operation
from hubsim.testing import HubsimServer
from playground_app.models import Conversation
from tests.endpoints.form_flow import create_form_values, started_operation, submit
from tests.fixtures.team import DEMO_TOKEN, Team
from tests.playground.sse import parse_events
from tests.security.capture import (
    Capture,
    RecordingClient,
    recording_client,
    recording_exception_messages,
    recording_logs,
    recording_task_publishes,
)
from tests.waiting import finished, wait_until

SECOND_TOKEN = "hf_viewer_token"  # hubsim's second user, without the demo organisation
MISTYPED_TOKEN = "hf_mistyped0token0that0never0worked"
REVOKED_TOKEN = "hf_revoked0token0the0hub0refuses"
ENDPOINT_SECRET = "s3cr3t-value-of-the-endpoint"
SECRETS = [DEMO_TOKEN, SECOND_TOKEN, MISTYPED_TOKEN, REVOKED_TOKEN, ENDPOINT_SECRET]
ENDPOINT_NAME = "leak-check-001"
QUESTION = {"mode": "messages", "text": "Name a colour.", "max_new_tokens": "20", "seed": "1"}


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    """Listed first by the test, so the team's own set-up (its token added, the first sync) is captured."""
    import transformers  # noqa: F401 - its logging is set up on import (own level, no propagation): before ours

    capture = Capture()
    recording_exception_messages(capture, monkeypatch)
    with recording_logs(capture), recording_task_publishes(capture):
        yield capture


def logged_in(capture: Capture, user: User) -> RecordingClient:
    client = recording_client(capture)
    client.force_login(user)
    return client


def add_and_replace_credentials(ada: Client) -> Credential:
    """A second token added; a mistyped one refused (the API answers 401), as a new token and as a
    replacement; then the second token replaced by itself."""
    credentials = reverse("endpoints:credentials")
    assert ada.post(credentials, {"label": "Second token", "token": SECOND_TOKEN}).status_code == 302
    refused = ada.post(credentials, {"label": "Typo", "token": MISTYPED_TOKEN}).content.decode()
    assert "Hugging Face refused the token (401)" in refused
    second = Credential.objects.get(label="Second token")
    replace = reverse("endpoints:replace_credential", args=[second.pk])
    assert "refused the token (401)" in ada.post(replace, {"token": MISTYPED_TOKEN}).content.decode()
    assert ada.post(replace, {"token": SECOND_TOKEN}).status_code == 302
    wait_until(lambda: Namespace.objects.filter(name="viewer", last_synced_at__isnull=False).exists())
    return second


def create_endpoint_with_a_secret(otto: Client) -> Endpoint:
    values = create_form_values(otto, "gemma", name=ENDPOINT_NAME, secrets=f"API_KEY={ENDPOINT_SECRET}")
    operation = finished(started_operation(submit(otto, reverse("endpoints:create"), values)))
    assert operation.state == "succeeded", operation.error
    return Endpoint.objects.get(name=ENDPOINT_NAME)


def use_the_playground(vic: Client, endpoint: Endpoint, hubsim: HubsimServer) -> None:
    """Answers in two modes, the prompt preview (the tokenizer loaded with the token), the code, and an
    answer the model fails with a 500."""
    answer = reverse("playground:answer")
    question = {**QUESTION, "endpoint": endpoint.pk}
    assert events(vic.post(answer, question))[-1][0] == "done"
    assert events(vic.post(answer, {**question, "mode": "raw"}))[-1][0] == "done"
    assert (
        "&lt;start_of_turn&gt;"
        in vic.post(reverse("playground:preview"), {**question, "mode": "raw"}).content.decode()
    )
    assert "HF_TOKEN" in vic.post(reverse("playground:code"), question).content.decode()
    hubsim.control.inject_fault("POST", "/e/*", 500)
    name, failure = events(vic.post(answer, question))[-1]
    assert (name, failure["message"].split(":")[0]) == ("error", "The model failed (HTTP 500)")


def events(response: HttpResponse) -> list[tuple[str, dict]]:
    return parse_events(b"".join(response.streaming_content))


def pause(otto: Client, endpoint: Endpoint) -> Operation:
    otto.post(reverse("endpoints:pause", args=[endpoint.pk]))
    return finished(Operation.objects.filter(kind="pause").latest("created_at"))


def visit_every_page_that_shows_credentials_or_endpoints(clients: list[Client], endpoint: Endpoint) -> None:
    operation = Operation.objects.filter(kind="create").get()
    credential = Credential.objects.get(label="Second token")
    pages = [
        reverse("overview"),
        reverse("endpoints:list"),
        reverse("endpoints:detail", args=[endpoint.pk]),
        reverse("endpoints:update", args=[endpoint.pk]),
        reverse("endpoints:clone", args=[endpoint.pk]),
        reverse("endpoints:operation", args=[operation.pk]),
        reverse("endpoints:namespaces"),
        reverse("endpoints:credentials"),
        reverse("endpoints:replace_credential", args=[credential.pk]),
        reverse("endpoints:audit"),
        reverse("endpoints:audit_csv"),
        reverse("playground:chat"),
        reverse("playground:conversation", args=[Conversation.objects.first().pk]),
        reverse("playground:endpoint_state", args=[endpoint.pk]),
        reverse("billing:costs"),
        reverse("admin:endpoints_app_credential_change", args=[credential.pk]),
        reverse("admin:endpoints_app_operation_change", args=[operation.pk]),
        reverse("admin:endpoints_app_endpoint_change", args=[endpoint.pk]),
        reverse("admin:endpoints_app_namespace_changelist"),
        "/no/such/page",
    ]
    for client in clients:
        for page in pages:
            client.get(page)


def lose_the_encryption_key(credential: Credential) -> None:
    """TOKEN_ENCRYPTION_KEY rotated without keeping the old key: the stored token can no longer be read."""
    Credential.objects.filter(pk=credential.pk).update(
        token_ciphertext=Fernet(Fernet.generate_key()).encrypt(DEMO_TOKEN.encode())
    )


def database_rows() -> Iterator[tuple[str, str]]:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - the database's own table names
            yield table, repr(cursor.fetchall())


def test_no_secret_reaches_a_page_a_log_record_a_task_an_exception_or_a_database_column(
    capture: Capture, ready_team: Team, hubsim: HubsimServer
) -> None:
    User.objects.filter(pk=ready_team.admin.pk).update(is_staff=True)
    ada, otto, vic = (
        logged_in(capture, user) for user in (ready_team.admin, ready_team.operator, ready_team.viewer)
    )

    second = add_and_replace_credentials(ada)
    endpoint = create_endpoint_with_a_secret(otto)
    use_the_playground(vic, endpoint, hubsim)
    visit_every_page_that_shows_credentials_or_endpoints([vic, otto, ada], endpoint)

    hubsim.control.inject_fault(
        "POST", f"/v2/endpoint/demo/{ENDPOINT_NAME}/pause", 500, times=settings.HF_API_MAX_ATTEMPTS
    )
    assert "(HTTP 500)" in pause(otto, endpoint).error
    assert pause(otto, endpoint).state == "succeeded"

    second.set_token(REVOKED_TOKEN)  # as if revoked on the Hub: hubsim does not know it
    second.save()
    otto.post(reverse("endpoints:refresh_namespace", args=[Namespace.objects.get(name="viewer").pk]))
    wait_until(lambda: "(401)" in Namespace.objects.get(name="viewer").last_sync_error)
    otto.get(reverse("endpoints:namespaces"))

    lose_the_encryption_key(ready_team.credential)
    vic.raise_request_exception = False
    broken = vic.post(reverse("playground:preview"), {**QUESTION, "endpoint": endpoint.pk, "mode": "raw"})
    assert broken.status_code == 500
    assert "Something went wrong on our side" in broken.content.decode()

    for table, rows in database_rows():
        capture.add(f"database {table}", rows)
    # What is searched holds what the workflow made: the worker's and the gateway's records, the tasks, the
    # API's refusals, the error page.
    for source in (
        "log endpoints_app.hf.gateway",
        "log django.request",
        "task endpoints_app.tasks.run_operation",
        "exception AuthenticationFailed",
        "exception ServiceError",
        "exception TokenDecryptionError",
        "response POST /playground/preview 500",
    ):
        assert capture.sources(source), source
    assert capture.leaks(SECRETS) == []


def test_the_token_column_holds_ciphertext_only(team: Team) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_ciphertext FROM endpoints_app_credential")
        (stored,) = (bytes(value) for (value,) in cursor.fetchall())
    assert DEMO_TOKEN.encode() not in stored
    assert token_vault.decrypt(stored) == DEMO_TOKEN
