"""The create and update forms: local validation, suggestions, presets, and what they hand to the services."""

import pytest
from django.core.exceptions import ValidationError

from endpoints_app.forms.endpoints import (
    EndpointCreateForm,
    EndpointUpdateForm,
    initial_for_clone,
    initial_for_preset,
)
from endpoints_app.forms.fields import parse_assignments
from endpoints_app.hf.remote import CustomImage
from endpoints_app.models import Namespace
from endpoints_app.naming import suggest_name
from endpoints_app.presets import PRESETS_BY_KEY
from endpoints_app.services.operations import ENDPOINT_NAME
from tests.endpoints.mirror_rows import endpoint_row, hardware_option, raw_endpoint

pytestmark = pytest.mark.django_db

GEMMA_FORM = {
    "repository": "google/gemma-1.1-2b-it",
    "name": "gemma-001",
    "task": "text-generation",
    "framework": "pytorch",
    "endpoint_type": "authenticated",
    "health_route": "/health",
    "hardware": "aws/us-east-1/nvidia-a10g/x1",
    "min_replica": "0",
    "max_replica": "1",
}


def create_form(namespace: Namespace, **changes: str) -> EndpointCreateForm:
    return EndpointCreateForm({**GEMMA_FORM, "namespace": str(namespace.pk), **changes})


@pytest.mark.parametrize("name", ["-gemma", "gemma-", "Gemma", "abc", "a" * 33, "gemma_1"])
def test_name_may_not_break_the_service_rule(name: str) -> None:
    assert not ENDPOINT_NAME.match(name)


def test_name_may_not_start_or_end_with_a_hyphen(namespace: Namespace) -> None:
    hardware_option(namespace)
    form = create_form(namespace, name="-gemma-")
    assert not form.is_valid()
    assert "starting and ending with a letter or a digit" in form.errors["name"][0]


def test_names_are_suggested_from_the_repository_and_skip_taken_ones() -> None:
    assert suggest_name("google/gemma-1.1-2b-it", set()) == "gemma-1-1-2b-it-001"
    assert suggest_name("google/gemma-1.1-2b-it", {"gemma-1-1-2b-it-001"}) == "gemma-1-1-2b-it-002"
    assert (
        suggest_name("stabilityai/stable-diffusion-xl-base-1.0", set()) == "stable-diffusion-xl-base-1-0-001"
    )
    assert suggest_name("___", set()) == "endpoint-001"


def test_an_empty_name_takes_the_suggestion(namespace: Namespace) -> None:
    hardware_option(namespace)
    endpoint_row(namespace, "gemma-1-1-2b-it-001")
    form = create_form(namespace, name="")
    assert form.is_valid(), form.errors
    assert form.to_spec().name == "gemma-1-1-2b-it-002"


def test_the_gemma_preset_gives_the_tutorials_endpoint(namespace: Namespace) -> None:
    hardware_option(namespace)
    initial = initial_for_preset(PRESETS_BY_KEY["gemma"])
    form = create_form(
        namespace,
        engine=initial["engine"],
        image_url=initial["image_url"],
        env="MODEL_ID=/repository",
        endpoint_type=initial["endpoint_type"],
    )
    assert form.is_valid(), form.errors
    spec = form.to_spec()
    assert (spec.vendor, spec.region, spec.accelerator) == ("aws", "us-east-1", "gpu")
    assert (spec.instance_type, spec.instance_size, spec.endpoint_type) == (
        "nvidia-a10g",
        "x1",
        "authenticated",
    )
    assert spec.custom_image == CustomImage(
        url="ghcr.io/huggingface/text-generation-inference:latest", health_route="/health"
    )
    assert spec.env == {"MODEL_ID": "/repository"}  # the API keeps a container's environment here only


def test_unavailable_hardware_is_shown_disabled_and_refused(namespace: Namespace) -> None:
    hardware_option(namespace, "intel-icl", "x1", status="deprecated", price="0.03")
    blank = EndpointCreateForm(initial={"namespace": namespace})
    assert '<option value="aws/us-east-1/intel-icl/x1" disabled>' in str(blank["hardware"])
    form = create_form(namespace, hardware="aws/us-east-1/intel-icl/x1")
    assert not form.is_valid()
    assert "cannot be chosen now" in form.errors["hardware"][0]


def test_hardware_options_show_memory_price_and_quota(namespace: Namespace) -> None:
    hardware_option(namespace, "nvidia-l4", "x1", price="0.80")
    assert "NVIDIA-L4 x1 · 24 GB GPU · $0.80/h · quota: 3 of 4 free" in str(
        create_form(namespace)["hardware"]
    )


def test_env_secrets_and_tags_are_parsed(namespace: Namespace) -> None:
    hardware_option(namespace)
    form = create_form(namespace, env="A=1\n# note\nB = two words", secrets="TOKEN=s3cret", tags="b, a b")
    assert form.is_valid(), form.errors
    spec = form.to_spec()
    assert (spec.env, spec.secrets, spec.tags) == (
        {"A": "1", "B": " two words"},
        {"TOKEN": "s3cret"},
        ("a", "b"),
    )


def test_a_secret_typed_is_never_rendered_back(namespace: Namespace) -> None:
    form = create_form(namespace, secrets="TOKEN=s3cret", name="Bad_Name")
    assert not form.is_valid()
    assert "s3cret" not in str(form["secrets"])


def test_a_malformed_env_line_is_reported_with_its_number() -> None:
    with pytest.raises(ValidationError, match="Line 2: write NAME=value"):
        parse_assignments("A=1\nnot an assignment")


def test_min_replicas_above_max_is_refused(namespace: Namespace) -> None:
    hardware_option(namespace)
    form = create_form(namespace, min_replica="2", max_replica="1")
    assert not form.is_valid()
    assert form.errors["max_replica"] == ["Max replicas must be at least min replicas."]


def test_the_update_form_sends_only_what_changed(namespace: Namespace) -> None:
    hardware_option(namespace)
    hardware_option(namespace, "nvidia-l4", "x1", price="0.80")
    endpoint = endpoint_row(namespace, "gemma-001", raw=raw_endpoint("gemma-001", env={"A": "1"}))
    initial = EndpointUpdateForm(endpoint=endpoint).initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update(hardware="aws/us-east-1/nvidia-l4/x1", env="A=1", tags="", max_replica="2")
    form = EndpointUpdateForm(data, endpoint=endpoint)
    assert form.is_valid(), form.errors
    update = form.to_update()
    assert (update.accelerator, update.instance_type, update.instance_size) == ("gpu", "nvidia-l4", "x1")
    assert update.max_replica == 2
    assert (update.min_replica, update.env, update.tags, update.secrets, update.revision) == (None,) * 5


def test_the_update_form_offers_only_the_endpoints_vendor_and_region(namespace: Namespace) -> None:
    hardware_option(namespace)
    hardware_option(namespace, "intel-spr", "x1", vendor="gcp", region="us-east4")
    endpoint = endpoint_row(namespace, "gemma-001")
    assert set(EndpointUpdateForm(endpoint=endpoint).fields["hardware"].options) == {
        "aws/us-east-1/nvidia-a10g/x1"
    }


def test_clone_prefills_everything_but_the_name_and_secrets(namespace: Namespace) -> None:
    raw = raw_endpoint(
        "gemma-001",
        env={"A": "1", "MODEL_ID": "/repository"},
        secrets={"TOKEN": "********"},
        image={"custom": {"url": "tgi:latest", "healthRoute": "/health"}},
    )
    source = endpoint_row(namespace, "gemma-001", raw=raw, image="tgi:latest")
    initial = initial_for_clone(source)
    assert initial["repository"] == "google/gemma-1.1-2b-it"
    assert (initial["engine"], initial["image_url"], initial["env"]) == (
        "custom",
        "tgi:latest",
        {"A": "1", "MODEL_ID": "/repository"},
    )
    assert "name" not in initial and "secrets" not in initial
