"""Whatever a browser posts to the create and update forms, the form either says what is wrong or gives a
request the services accept, whose stored payload (JSON, without secret values) gives the same request
back. The payload builder round-trips any request on its own too."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endpoints_app.engine_settings import OPTIONS
from endpoints_app.forms.endpoints import (
    FRAMEWORKS,
    SCALING_METRICS,
    TASKS,
    EndpointCreateForm,
    EndpointUpdateForm,
)
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate
from endpoints_app.models import Endpoint, Namespace
from endpoints_app.security_types import EndpointType
from endpoints_app.services.operations import ENDPOINT_NAME
from endpoints_app.services.payloads import (
    spec_from_payload,
    spec_to_payload,
    update_from_payload,
    update_to_payload,
)
from tests.endpoints.mirror_rows import endpoint_row, hardware_option, namespace_with_token, raw_endpoint

pytestmark = pytest.mark.django_db

EXAMPLES = 200
AVAILABLE = "aws/us-east-1/nvidia-a10g/x1"
SOLD_OUT = "aws/us-east-1/nvidia-a100/x1"
FORM_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def anything_or(*valid: str) -> st.SearchStrategy[str]:
    """What the page would send, or (as often) any text: unicode digits, null characters, line breaks ..."""
    return st.one_of(st.sampled_from(valid), st.text(max_size=40))


def keys(choices: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(key for key, _ in choices)


numbers = st.one_of(
    st.integers(-3, 70).map(str),
    st.sampled_from(
        ["", "nan", "inf", "-inf", "1e309", "0.5", " 7 ", "1_000", "²", "٣", "99999999999999999999"]
    ),
    st.text(max_size=6),
)
env_names = st.one_of(st.from_regex(r"[A-Z_][A-Z0-9_]{0,12}", fullmatch=True), st.text(max_size=8))
assignments = st.one_of(
    st.lists(st.tuples(env_names, st.text(max_size=20)), max_size=4).map(
        lambda pairs: "\n".join(f"{name}={value}" for name, value in pairs)
    ),
    st.text(max_size=60),
)
tags = st.one_of(
    st.lists(st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,10}", fullmatch=True), max_size=4).map(", ".join),
    st.text(max_size=40),
)
SETTINGS_FIELDS = {
    "hardware": anything_or(AVAILABLE, SOLD_OUT, ""),
    "min_replica": numbers,
    "max_replica": numbers,
    "scale_to_zero_timeout": numbers,
    "scaling_metric": anything_or(*keys(SCALING_METRICS)),
    "scaling_threshold": numbers,
    "revision": anything_or("", "main", "a" * 101),
    "env": assignments,
    "secrets": assignments,
    "tags": tags,
}
VALID_SETTINGS = {"hardware": AVAILABLE, "min_replica": "0", "max_replica": "1"}


def create_fields(namespace_ids: list[str]) -> dict[str, st.SearchStrategy[str]]:
    return {
        **SETTINGS_FIELDS,
        "namespace": st.one_of(st.sampled_from(namespace_ids), numbers),
        "repository": anything_or("google/gemma-1.1-2b-it", "gpt2", "a/b/c", "./x"),
        "name": anything_or("", "gemma-001", "-gemma-", "Gemma"),
        "task": anything_or(*keys(TASKS)),
        "framework": anything_or(*keys(FRAMEWORKS)),
        "endpoint_type": anything_or(*keys(EndpointType.choices)),
        "engine": anything_or(*(option.variant for option in OPTIONS)),
        "image_url": anything_or("", "ghcr.io/huggingface/text-generation-inference:latest"),
        "health_route": anything_or("/health", "", "health"),
        "port": numbers,
        "container_args": anything_or("", "--enable-lora", "--max-num-seqs 8", "'unclosed"),
        "vllm_max_num_seqs": numbers,
        "vllm_tensor_parallel_size": numbers,
        "vllm_kv_cache_dtype": anything_or("", "fp8"),
        "llamacpp_gguf_file": anything_or("", "model.gguf"),
        "tei_pooling": anything_or("", "cls"),
    }


@st.composite
def form_data(
    draw: st.DrawFn, valid: dict[str, str], fields: dict[str, st.SearchStrategy[str]]
) -> dict[str, str]:
    """A valid submission with a few fields changed to anything, or left out."""
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=4)):
        value = draw(st.none() | fields[name])
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def stored(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the operation's JSON column gives it back (NaN and infinities are not JSON)."""
    return json.loads(json.dumps(payload, allow_nan=False))


@pytest.fixture
def namespace() -> Namespace:
    namespace = namespace_with_token("demo")
    hardware_option(namespace)
    hardware_option(namespace, "nvidia-a100", status="not_available")
    namespace_with_token("demo-org")  # without hardware: its picker is empty
    return namespace


@pytest.fixture
def endpoint(namespace: Namespace) -> Endpoint:
    raw = raw_endpoint("gemma-001", env={"MODEL_ID": "/repository"}, secrets={"API_KEY": "********"})
    return endpoint_row(namespace, "gemma-001", raw=raw)


def test_the_create_form_gives_errors_or_a_request_that_round_trips(namespace: Namespace) -> None:
    namespace_ids = [str(pk) for pk in Namespace.objects.values_list("pk", flat=True)]
    valid = {
        **VALID_SETTINGS,
        "namespace": str(namespace.pk),
        "repository": "google/gemma-1.1-2b-it",
        "task": "text-generation",
        "framework": "pytorch",
        "endpoint_type": "authenticated",
        "health_route": "/health",
    }

    @FORM_SETTINGS
    @given(data=form_data(valid, create_fields(namespace_ids)))
    def check(data: dict[str, str]) -> None:
        form = EndpointCreateForm(data)
        if not form.is_valid():
            assert form.errors
            return
        spec = form.to_spec()
        assert ENDPOINT_NAME.match(spec.name), spec.name  # the service would refuse it otherwise
        assert spec.min_replica <= spec.max_replica
        payload = stored(spec_to_payload(spec))
        assert "secrets" not in payload and payload["secret_names"] == sorted(spec.secrets)
        assert spec_from_payload(payload, spec.secrets) == spec

    check()


def test_the_update_form_gives_errors_or_a_change_that_round_trips(endpoint: Endpoint) -> None:
    @FORM_SETTINGS
    @given(data=form_data({**VALID_SETTINGS, "min_replica": "1"}, SETTINGS_FIELDS))
    def check(data: dict[str, str]) -> None:
        form = EndpointUpdateForm(data, endpoint=endpoint)
        if not form.is_valid():
            assert form.errors
            return
        update = form.to_update()
        payload = stored(update_to_payload(update))
        assert "secrets" not in payload
        assert update_from_payload(payload, update.secrets) == update

    check()


texts = st.text(max_size=20)
names_and_values = st.dictionaries(texts, texts, max_size=3)
finite = st.floats(allow_nan=False, allow_infinity=False)
images = st.builds(
    CustomImage,
    url=texts,
    health_route=texts,
    variant=texts,
    port=st.none() | st.integers(1, 65535),
    settings=st.dictionaries(texts, st.integers() | texts, max_size=3),
)
specs = st.builds(
    EndpointSpec,
    name=texts,
    repository=texts,
    task=texts,
    vendor=texts,
    region=texts,
    accelerator=texts,
    instance_type=texts,
    instance_size=texts,
    framework=texts,
    revision=st.none() | texts,
    endpoint_type=texts,
    min_replica=st.integers(0, 64),
    max_replica=st.integers(0, 64),
    scale_to_zero_timeout=st.none() | st.integers(1, 10_000),
    scaling_metric=st.none() | texts,
    scaling_threshold=st.none() | finite,
    custom_image=st.none() | images,
    container_args=st.lists(texts, max_size=3).map(tuple),
    env=names_and_values,
    secrets=names_and_values,
    tags=st.lists(texts, max_size=3).map(tuple),
)
updates = st.builds(
    EndpointUpdate,
    accelerator=st.none() | texts,
    instance_type=st.none() | texts,
    instance_size=st.none() | texts,
    min_replica=st.none() | st.integers(0, 64),
    max_replica=st.none() | st.integers(0, 64),
    scale_to_zero_timeout=st.none() | st.integers(1, 10_000),
    scaling_metric=st.none() | texts,
    scaling_threshold=st.none() | finite,
    revision=st.none() | texts,
    custom_image=st.none() | images,
    container_args=st.none() | st.lists(texts, max_size=3).map(tuple),
    env=st.none() | names_and_values,
    secrets=st.none() | names_and_values,
    tags=st.none() | st.lists(texts, max_size=3).map(tuple),
)


@given(spec=specs)
def test_any_create_request_round_trips_through_its_stored_payload(spec: EndpointSpec) -> None:
    payload = stored(spec_to_payload(spec))
    assert "secrets" not in payload
    assert spec_from_payload(payload, spec.secrets) == spec


@given(update=updates)
def test_any_update_round_trips_through_its_stored_payload(update: EndpointUpdate) -> None:
    payload = stored(update_to_payload(update))
    assert "secrets" not in payload
    assert update_from_payload(payload, update.secrets) == update
