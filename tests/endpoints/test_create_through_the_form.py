"""Creating endpoints through the form on the real stack (worker, Redis, hubsim, huggingface_hub): each
preset reaches running, the tutorial's "exists -> resume" path, and every kind of refusal shown on the page
with what was typed kept."""

import pytest
from django.test import Client
from django.urls import reverse

from endpoints_app.models import Endpoint, Operation
from endpoints_app.presets import PRESETS, PRESETS_BY_KEY
from endpoints_app.services import sync
from tests.endpoints.form_flow import (
    create_form_values,
    progress_until_done,
    started_operation,
    submit,
)
from tests.fixtures.team import Team
from tests.waiting import wait_until

CREATE = reverse("endpoints:create")


def create_remote(hubsim, name: str) -> None:
    """An endpoint made outside the console (the tutorial's notebook, say)."""
    hubsim.create_endpoint(name)


@pytest.mark.parametrize("preset", [preset.key for preset in PRESETS])
def test_each_preset_creates_a_running_endpoint(operator: Client, preset: str) -> None:
    response = submit(operator, CREATE, create_form_values(operator, preset))
    assert 'id="endpoint-form"' not in response.content.decode()  # the form stays as typed in the browser

    final = progress_until_done(operator, started_operation(response))

    assert "Done: the endpoint is <strong>running</strong>" in final
    endpoint = Endpoint.objects.get(repository=PRESETS_BY_KEY[preset].repository)
    assert (endpoint.status, endpoint.task) == ("running", PRESETS_BY_KEY[preset].task)
    assert endpoint.url


def test_a_name_in_the_mirror_offers_to_resume_that_endpoint(
    operator: Client, ready_team: Team, hubsim
) -> None:
    create_remote(hubsim, "gemma-001")
    hubsim.control.set_state("demo", "gemma-001", "paused")
    sync.sync_namespace(ready_team.namespace)

    refused = submit(operator, CREATE, create_form_values(operator, "gemma", name="gemma-001"))
    page = refused.content.decode()
    assert refused["HX-Retarget"] == "#endpoint-form-area"
    assert "An endpoint named gemma-001 already exists in demo." in page
    assert 'value="google/gemma-1.1-2b-it"' in page  # what was typed is kept
    assert "Resume that endpoint instead" in page

    existing = Endpoint.objects.get(name="gemma-001")
    resumed = submit(operator, reverse("endpoints:resume", args=[existing.pk]), {})
    final = progress_until_done(operator, started_operation(resumed))
    assert "Done: the endpoint is <strong>running</strong>" in final


def test_an_invalid_name_is_refused_on_the_form(operator: Client) -> None:
    response = submit(
        operator, CREATE, create_form_values(operator, "gemma", name="Gemma_2B", tags="team-nlp")
    )
    page = response.content.decode()
    assert "Not a valid endpoint name: 4 to 32 characters" in page
    assert 'value="Gemma_2B"' in page and 'value="team-nlp"' in page
    assert not Operation.objects.exists()


def failure_shown(operator: Client, **changes: str) -> str:
    """Submits the Gemma preset with `changes`; the progress area once the operation has failed."""
    response = submit(operator, CREATE, create_form_values(operator, "gemma", **changes))
    final = progress_until_done(operator, started_operation(response))
    assert 'data-state="failed"' in final
    return final


def test_a_duplicate_name_unknown_to_the_mirror_is_refused_by_the_api(operator: Client, hubsim) -> None:
    create_remote(hubsim, "gemma-001")  # not synced yet: only the API knows it
    final = failure_shown(operator, name="gemma-001")
    assert "Could not create demo/gemma-001: it already exists (409): Endpoint &#x27;gemma-001&#x27;" in final


def test_quota_exceeded_is_shown(operator: Client) -> None:
    final = failure_shown(operator, hardware="aws/us-east-1/nvidia-h100/x8", max_replica="2")
    assert "Quota exceeded for nvidia-h100 on aws in namespace &#x27;demo&#x27;" in final


def test_an_unknown_repository_is_shown(operator: Client) -> None:
    final = failure_shown(operator, repository="nobody/no-such-model", name="nothing-001")
    assert "Model repository &#x27;nobody/no-such-model&#x27; not found on the Hub" in final


def test_a_failed_deployment_is_shown_with_the_apis_message(operator: Client, hubsim) -> None:
    hubsim.control.fail_next_deployment(message="Endpoint failed to start: CUDA out of memory")
    final = failure_shown(operator)
    assert "The deployment failed: Endpoint failed to start: CUDA out of memory" in final


def test_a_server_error_is_shown(operator: Client, hubsim) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 503, times=10)
    final = failure_shown(operator)
    assert "Hugging Face failed to create demo/gemma-1-1-2b-it-001 (HTTP 503)" in final


def test_a_429_storm_is_shown_and_the_create_goes_through_after_it(operator: Client, hubsim) -> None:
    hubsim.control.inject_fault("POST", "/v2/endpoint/demo", 429, times=100, retry_after=1)
    operation = started_operation(submit(operator, CREATE, create_form_values(operator, "gemma")))
    progress = reverse("endpoints:operation", args=[operation.pk])

    def rate_limit_shown() -> bool:
        html = operator.get(progress, headers={"hx-request": "true"}).content.decode()
        return "Hugging Face is rate-limiting requests" in html and "tried again shortly" in html

    wait_until(rate_limit_shown, what="the page to say it is rate-limited")
    hubsim.control.clear_faults()
    assert "Done: the endpoint is <strong>running</strong>" in progress_until_done(operator, operation)
