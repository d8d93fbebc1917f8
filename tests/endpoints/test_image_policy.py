"""Which container images a person may deploy (endpoints_app/image_policy.py): operators the engines'
published images and the registries of OPERATOR_IMAGE_REGISTRIES, admins any image; the form says which."""

import itertools

import pytest
from django.urls import reverse

from endpoints_app.forms.endpoints import EndpointCreateForm, EndpointUpdateForm
from endpoints_app.models import Namespace, Operation
from tests.endpoints.mirror_rows import endpoint_row, hardware_option
from tests.fixtures.team import make_user

pytestmark = pytest.mark.django_db
numbers = itertools.count(1)

CUSTOM = "registry.example.com/team/logger:1"
VALUES = {
    "repository": "Qwen/Qwen2.5-0.5B-Instruct",
    "name": "qwen-001",
    "task": "text-generation",
    "framework": "pytorch",
    "endpoint_type": "public",
    "min_replica": "0",
    "max_replica": "1",
    "hardware": "aws/us-east-1/nvidia-a10g/x1",
}


@pytest.fixture
def namespace(namespace: Namespace) -> Namespace:
    """The tests' namespace, with the hardware VALUES choose."""
    hardware_option(namespace)
    return namespace


def create_form(namespace: Namespace, role: str, **values: str) -> EndpointCreateForm:
    data = {**VALUES, "namespace": str(namespace.pk), **values}
    return EndpointCreateForm(data, user=make_user(f"{role}-{next(numbers)}", role))


def image_errors(form: EndpointCreateForm | EndpointUpdateForm) -> list[str]:
    form.is_valid()
    return form.errors.get("image_url", [])


def test_an_operator_may_not_deploy_a_custom_image(namespace: Namespace) -> None:
    form = create_form(namespace, "operator", engine="custom", image_url=CUSTOM)
    assert image_errors(form) == [
        "Only an admin may deploy this image. Allowed: the engines' published images (any tag)."
    ]


def test_an_operator_may_deploy_an_engine_image_of_any_tag(namespace: Namespace) -> None:
    latest = "ghcr.io/huggingface/text-generation-inference:latest"
    assert image_errors(create_form(namespace, "operator", engine="tgi", image_url=latest)) == []
    assert image_errors(create_form(namespace, "operator", engine="tgi", image_url="")) == []


def test_an_engine_image_name_inside_another_registry_is_not_the_engine_image(namespace: Namespace) -> None:
    lookalike = "evil.example.com/ghcr.io/huggingface/text-generation-inference:3.3.7"
    assert image_errors(create_form(namespace, "operator", engine="tgi", image_url=lookalike))


def test_an_admin_may_deploy_any_image(namespace: Namespace) -> None:
    form = create_form(namespace, "admin", engine="custom", image_url=CUSTOM)
    assert image_errors(form) == []
    assert form.to_spec().custom_image.url == CUSTOM


def test_the_registries_setting_lets_operators_deploy_from_them(namespace: Namespace, settings) -> None:
    settings.OPERATOR_IMAGE_REGISTRIES = ["registry.example.com/team"]
    assert image_errors(create_form(namespace, "operator", engine="custom", image_url=CUSTOM)) == []
    # A prefix is a whole registry or path: a host that only starts with the same letters is another one.
    other = "registry.example.com.attacker.net/team/logger:1"
    assert image_errors(create_form(namespace, "operator", engine="custom", image_url=other))
    elsewhere = "registry.example.com/teammate/logger:1"
    assert image_errors(create_form(namespace, "operator", engine="custom", image_url=elsewhere))


def test_an_update_keeps_an_image_an_operator_did_not_change_but_refuses_a_new_one(
    namespace: Namespace,
) -> None:
    custom = {"custom": {"url": CUSTOM, "healthRoute": "/health", "port": 80}}
    endpoint = endpoint_row(namespace, "logger", raw={"model": {"image": custom}})
    operator = make_user("otto", "operator")
    unchanged = EndpointUpdateForm(endpoint=endpoint, user=operator)
    data = {name: value for name, value in unchanged.initial.items() if value not in (None, "")}
    data["hardware"] = VALUES["hardware"]
    kept = EndpointUpdateForm(data, endpoint=endpoint, user=operator)
    assert image_errors(kept) == []
    changed = EndpointUpdateForm(
        {**data, "image_url": "registry.example.com/team/logger:2"}, endpoint=endpoint, user=operator
    )
    assert image_errors(changed)


def test_the_create_page_says_which_images_may_be_deployed_and_refuses_others(
    namespace: Namespace, client_as, settings
) -> None:
    settings.OPERATOR_IMAGE_REGISTRIES = ["registry.example.com/team"]
    operator = client_as("operator")
    page = operator.get(reverse("endpoints:create")).content.decode()
    assert "the engines&#x27; published images (any tag), or an image from registry.example.com/team" in page

    values = {**VALUES, "namespace": namespace.pk, "engine": "custom", "image_url": "docker.io/someone/x:1"}
    response = operator.post(reverse("endpoints:create"), values)
    assert response.status_code == 200
    assert "Only an admin may deploy this image." in response.content.decode()
    assert not Operation.objects.exists()
