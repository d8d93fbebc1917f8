"""Only endpoints of the mirror are contacted, with their namespace's token, which no page ever shows;
activity is recorded; "copy as code" gives runnable code that reads the token from the environment."""

from django.urls import reverse

from playground_app.models import QueryMode
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import client_of, through_proxy
from tests.playground.snippet_runs import run_snippet
from tests.playground.sse import events_of

QUESTION = {"mode": QueryMode.MESSAGES, "text": "Name a colour.", "max_new_tokens": "20", "seed": "42"}


def test_the_endpoint_is_called_with_the_namespace_token_and_no_address_from_the_browser(
    deploy, otto, proxy
) -> None:
    endpoint = through_proxy(deploy("gemma-known"), proxy)
    form = {
        **QUESTION,
        "endpoint": endpoint.pk,
        "url": "http://169.254.169.254/latest",
        "api_url": "http://evil",
    }
    events_of(otto.post(reverse("playground:answer"), form))
    (request,) = proxy.requests
    assert request["path"] == "/e/" + endpoint.url.rsplit("/e/", 1)[1] + "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {DEMO_TOKEN}"


def test_an_endpoint_not_in_the_mirror_is_refused(deploy, otto) -> None:
    endpoint = deploy("gemma-gone")
    endpoint.is_gone = True
    endpoint.save(update_fields=["is_gone"])
    response = otto.post(reverse("playground:answer"), {**QUESTION, "endpoint": endpoint.pk})
    assert response.status_code == 400
    assert "endpoint" in response.json()["errors"]


def test_no_page_or_answer_shows_the_token(deploy, team) -> None:
    endpoint = deploy("gemma-secret")
    vic = client_of(team.viewer)
    form = {**QUESTION, "endpoint": endpoint.pk}
    answer = str(events_of(vic.post(reverse("playground:answer"), form))).encode()
    pages = [
        vic.get(reverse("playground:chat")).content,
        vic.post(reverse("playground:code"), form).content,
        vic.post(reverse("playground:preview"), form).content,
        answer,
    ]
    assert not any(DEMO_TOKEN.encode() in page for page in pages)


def test_using_an_endpoint_records_activity(deploy, otto) -> None:
    endpoint = deploy("gemma-activity")
    assert endpoint.last_activity_at is None
    events_of(otto.post(reverse("playground:answer"), {**QUESTION, "endpoint": endpoint.pk}))
    endpoint.refresh_from_db()
    assert endpoint.last_activity_at is not None


def snippet(client, endpoint, key: str) -> str:
    html = client.post(reverse("playground:code"), {**QUESTION, "endpoint": endpoint.pk}).context["snippets"]
    return next(s.code for s in html if s.key == key)


def test_copied_code_reads_the_token_from_the_environment_and_runs(deploy, otto, tmp_path) -> None:
    endpoint = deploy("gemma-code")
    client_code = snippet(otto, endpoint, "client")
    assert 'os.environ["HF_TOKEN"]' in client_code and DEMO_TOKEN not in client_code
    assert "$HF_TOKEN" in snippet(otto, endpoint, "curl")
    for key in ("requests", "messages", "client"):
        compile(snippet(otto, endpoint, key), key, "exec")
    run = run_snippet(client_code, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()
