"""Parsing the API's endpoint JSON, and the payload an operation stores."""

from decimal import Decimal

import pytest

from endpoints_app import token_vault
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate, RemoteEndpoint
from endpoints_app.models.endpoints import billed_replicas
from endpoints_app.services.payloads import (
    decrypt_secrets,
    encrypt_secrets,
    spec_from_payload,
    spec_to_payload,
    update_from_payload,
    update_to_payload,
)
from tests.core.test_operations import gemma_spec

REFERENCE_ENDPOINT = {
    "name": "gemma-1-1-2b-it-001",
    "type": "authenticated",
    "provider": {"vendor": "aws", "region": "us-east-1"},
    "compute": {
        "accelerator": "gpu",
        "instanceType": "nvidia-a10g",
        "instanceSize": "x1",
        "scaling": {"minReplica": 0, "maxReplica": 1, "scaleToZeroTimeout": 15},
    },
    "model": {
        "repository": "google/gemma-1.1-2b-it",
        "revision": "a" * 40,
        "task": "text-generation",
        "framework": "pytorch",
        "image": {
            "custom": {
                "url": "ghcr.io/huggingface/text-generation-inference:latest",
                "health_route": "/health",
                "env": {"MODEL_ID": "/repository"},
            }
        },
        "env": {},
    },
    "healthRoute": "/health",
    "status": {
        "createdAt": "2026-10-26T12:41:53.263Z",
        "createdBy": {"id": "1", "name": "demo"},
        "updatedAt": "2026-10-26T12:45:00.000Z",
        "updatedBy": {"id": "1", "name": "demo"},
        "private": None,
        "state": "running",
        "message": "Endpoint is ready",
        "url": "https://abc.us-east-1.aws.endpoints.huggingface.cloud",
        "readyReplica": 1,
        "targetReplica": 1,
    },
}


def test_remote_endpoint_reads_the_reference_payload() -> None:
    remote = RemoteEndpoint.from_raw("demo", REFERENCE_ENDPOINT)
    assert (remote.namespace, remote.name, remote.status) == ("demo", "gemma-1-1-2b-it-001", "running")
    assert remote.image == "ghcr.io/huggingface/text-generation-inference:latest"
    assert (remote.instance_type, remote.instance_size, remote.scale_to_zero_timeout) == (
        "nvidia-a10g",
        "x1",
        15,
    )
    assert (remote.created_by, remote.ready_replica, remote.target_replica) == ("demo", 1, 1)
    assert remote.created_at is not None and remote.created_at.year == 2026
    assert remote.raw is REFERENCE_ENDPOINT


def test_remote_endpoint_without_url_or_custom_image() -> None:
    raw = {**REFERENCE_ENDPOINT, "model": {**REFERENCE_ENDPOINT["model"], "image": {"huggingface": {}}}}
    raw["status"] = {**raw["status"], "state": "pending", "url": None}
    remote = RemoteEndpoint.from_raw("demo", raw)
    assert (remote.image, remote.url, remote.status) == ("huggingface", "", "pending")


@pytest.mark.parametrize(
    ("status", "target", "ready", "billed"),
    [
        ("running", 2, 2, 2),
        ("initializing", 1, 0, 1),
        ("updating", 1, 1, 1),
        ("paused", 0, 0, 0),
        ("scaledToZero", 0, 0, 0),
        ("failed", 1, 0, 0),
    ],
)
def test_billed_replicas_by_state(status: str, target: int, ready: int, billed: int) -> None:
    assert billed_replicas(status, target, ready) == billed


def test_create_payload_round_trips_without_secrets() -> None:
    spec = EndpointSpec(
        name="gemma-001",
        repository="google/gemma-1.1-2b-it",
        task="text-generation",
        vendor="aws",
        region="us-east-1",
        accelerator="gpu",
        instance_type="nvidia-a10g",
        instance_size="x1",
        custom_image=CustomImage(
            "vllm/vllm-openai:v0.11.0", "/health", "vLLM", 8000, {"tensorParallelSize": 2}
        ),
        container_args=("--max-num-seqs", "8"),
        env={"A": "1"},
        secrets={"API_KEY": "s3cr3t"},
        tags=("team-a",),
    )
    payload = spec_to_payload(spec)
    assert "s3cr3t" not in str(payload)
    assert payload["secret_names"] == ["API_KEY"]
    assert spec_from_payload(payload, {"API_KEY": "s3cr3t"}) == spec


def test_update_payload_keeps_only_what_changes() -> None:
    update = EndpointUpdate(instance_type="nvidia-a100", instance_size="x1", secrets={"K": "v"})
    payload = update_to_payload(update)
    assert payload == {"instance_type": "nvidia-a100", "instance_size": "x1", "secret_names": ["K"]}
    assert update_from_payload(payload, {"K": "v"}) == update


def test_secrets_and_tokens_are_stored_as_ciphertext() -> None:
    ciphertext = encrypt_secrets({"K": "very-secret-value"})
    assert b"very-secret-value" not in ciphertext
    assert decrypt_secrets(ciphertext) == {"K": "very-secret-value"}
    assert token_vault.decrypt(token_vault.encrypt("hf_abcdefgh1234")) == "hf_abcdefgh1234"
    assert encrypt_secrets({}) is None and decrypt_secrets(None) == {}


def test_hourly_burn_uses_billed_replicas() -> None:
    from endpoints_app.models import Endpoint

    endpoint = Endpoint(status="running", target_replica=2, ready_replica=2, price_per_hour=Decimal("1.8"))
    assert endpoint.hourly_burn == Decimal("3.6")
    endpoint.status = "paused"
    assert endpoint.hourly_burn == 0


def test_a_create_stored_by_the_console_before_engines_reads_back_with_its_env() -> None:
    """The console used to keep a custom container's env inside its image (where the API drops it): an
    operation stored then is sent now with that env as the endpoint's."""
    old = spec_to_payload(gemma_spec(env={"A": "1"}))
    del old["container_args"]
    old["custom_image"] = {"url": "tgi:latest", "health_route": "/health", "env": {"MODEL_ID": "/repository"}}

    spec = spec_from_payload(old, {})

    assert spec.custom_image == CustomImage("tgi:latest", "/health")
    assert spec.env == {"MODEL_ID": "/repository", "A": "1"}
    assert spec.container_args == ()
