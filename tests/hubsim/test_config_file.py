"""The config file's users, orgs, tokens, gated access, hardware changes and quotas, on the backend itself."""

from pathlib import Path

import pytest

from hubsim import models
from hubsim.clock import SimClock
from hubsim.config import SimConfig, load_config
from hubsim.endpoints.backend import EndpointsBackend
from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.errors import ApiError

CONFIG = """
[users.alice]
fullname = "Alice Martin"
orgs = ["acme"]
gated_repos = ["google/gemma-1.1-2b-it"]
tokens = ["hf_alice_write"]
read_tokens = ["hf_alice_read"]

[orgs.acme]
fullname = "Acme Corp"

[hardware."aws-us-east-1-nvidia-l4-x1"]
status = "not_available"

[hardware."aws-us-east-1-nvidia-a10g-x1"]
price_per_hour = 1.25

[quotas]
default = 4
[quotas.namespaces.acme]
nvidia-a100 = 1
"""


def gemma_payload(name: str, instance_type: str = "nvidia-a10g") -> dict:
    return {
        "name": name,
        "type": "authenticated",
        "provider": {"vendor": "aws", "region": "us-east-1"},
        "compute": {"accelerator": "gpu", "instanceType": instance_type, "instanceSize": "x1"},
        "model": {
            "repository": "google/gemma-1.1-2b-it",
            "framework": "pytorch",
            "image": {"huggingface": {}},
        },
    }


@pytest.fixture
def config(tmp_path: Path) -> SimConfig:
    path = tmp_path / "hubsim.toml"
    path.write_text(CONFIG)
    return load_config(path)


@pytest.fixture
def backend(config: SimConfig) -> EndpointsBackend:
    return EndpointsBackend(
        clock=SimClock(),
        catalog=HardwareCatalog.load(config.hardware_overrides),
        quotas=config.quotas,
        get_repo=models.get_repo,
        repo_sha=models.repo_sha,
        deploy_seconds=1.0,
    )


def test_a_configured_token_identifies_its_user_and_orgs(config: SimConfig) -> None:
    identity = config.accounts.identify("hf_alice_write")
    assert (identity.user.name, identity.user.namespaces) == ("alice", ("alice", "acme"))


def test_the_built_in_identities_stay(config: SimConfig) -> None:
    assert [config.accounts.identify(token).user.name for token in ("hf_demo_token", "hf_viewer_token")] == [
        "demo",
        "viewer",
    ]


def test_a_read_token_cannot_create(config: SimConfig, backend: EndpointsBackend) -> None:
    with pytest.raises(ApiError) as caught:
        backend.create(config.accounts.identify("hf_alice_read"), "acme", gemma_payload("acme-gemma"))
    assert (caught.value.status, caught.value.message) == (
        403,
        "This token is read-only: a token with write access is needed for this action",
    )


def test_a_read_token_can_list(config: SimConfig, backend: EndpointsBackend) -> None:
    backend.create(config.accounts.identify("hf_alice_write"), "acme", gemma_payload("acme-gemma"))
    listed = backend.list_endpoints(config.accounts.identify("hf_alice_read"), "acme")
    assert [record.name for record in listed] == ["acme-gemma"]


def test_hardware_made_unavailable_is_refused(config: SimConfig, backend: EndpointsBackend) -> None:
    with pytest.raises(ApiError, match="Hardware 'nvidia-l4 x1' is not available in aws/us-east-1"):
        backend.create(
            config.accounts.identify("hf_alice_write"), "alice", gemma_payload("on-l4", "nvidia-l4")
        )


def test_a_price_override_shows_in_the_catalog(backend: EndpointsBackend) -> None:
    compute = backend.catalog.find("aws", "us-east-1", "nvidia-a10g", "x1")
    assert compute.raw["pricePerHour"] == 1.25


def test_a_namespace_quota_overrides_the_default(config: SimConfig, backend: EndpointsBackend) -> None:
    assert (
        backend.quotas.max_accelerators("acme", "nvidia-a100"),
        backend.quotas.max_accelerators("acme", "nvidia-t4"),
    ) == (1, 4)


def test_an_override_of_an_unknown_compute_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "hubsim.toml"
    path.write_text('[hardware."aws-us-east-1-nvidia-b300-x1"]\nstatus = "available"\n')
    with pytest.raises(ValueError, match="hardware overrides for unknown computes"):
        HardwareCatalog.load(load_config(path).hardware_overrides)


def test_a_user_in_an_undeclared_org_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "hubsim.toml"
    path.write_text('[users.bob]\norgs = ["ghost-org"]\n')
    with pytest.raises(ValueError, match="user 'bob' is in unknown orgs"):
        load_config(path)
