"""The create request as it reaches the service (a recording proxy in front of hubsim): a custom container's
health route is `healthRoute` inside the image, its environment is `model.env`, and an engine's settings are
the fields of its variant and its command line; hubsim keeps every one of them."""

import pytest
from huggingface_hub import constants

from endpoints_app.hf import EndpointSpec, HfGateway
from endpoints_app.hf.remote import CustomImage
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.recording_proxy import RecordingProxy

pytestmark = pytest.mark.django_db  # the gateway records how the API answers

OWN_SERVER = "registry.example.com/team/own-server:1.0"


@pytest.fixture
def recorded(hubsim, monkeypatch):
    with RecordingProxy(hubsim.url).running() as proxy:
        monkeypatch.setattr(constants, "INFERENCE_ENDPOINTS_ENDPOINT", f"{proxy.url}/v2")
        yield proxy


def spec(name: str, **changes) -> EndpointSpec:
    values = {
        "name": name,
        "repository": "gpt2",
        "task": "text-generation",
        "vendor": "aws",
        "region": "us-east-1",
        "accelerator": "cpu",
        "instance_type": "intel-spr",
        "instance_size": "x2",
        **changes,
    }
    return EndpointSpec(**values)


def test_the_custom_containers_health_route_and_env_are_where_the_service_reads_them(recorded) -> None:
    own = spec("own-server", custom_image=CustomImage(OWN_SERVER, "/ok"), env={"APP_MODE": "serve"})
    remote = HfGateway(DEMO_TOKEN).create_endpoint("demo", own)

    (body,) = recorded.bodies("/v2/endpoint/demo")
    assert body["model"]["image"] == {"custom": {"url": OWN_SERVER, "healthRoute": "/ok"}}
    assert body["model"]["env"] == {"APP_MODE": "serve"}
    assert remote.raw["model"]["image"] == body["model"]["image"]  # kept: nothing was dropped
    assert remote.raw["healthRoute"] == remote.health_route == "/ok"


def test_an_engines_settings_reach_the_service_as_its_fields_and_flags(recorded) -> None:
    qwen = spec(
        "qwen-sglang",
        repository="Qwen/Qwen2.5-0.5B-Instruct",
        accelerator="gpu",
        instance_type="nvidia-l4",
        instance_size="x1",
        custom_image=CustomImage(
            "lmsysorg/sglang:v0.5.2", "/health", "sGLang", 30000, {"tensorParallelSize": 1}
        ),
        container_args=("--max-running-requests", "16"),
    )
    remote = HfGateway(DEMO_TOKEN).create_endpoint("demo", qwen)

    (body,) = recorded.bodies("/v2/endpoint/demo")
    assert body["model"]["args"] == ["--max-running-requests", "16"]
    assert (remote.raw["model"]["image"], remote.raw["model"]["args"]) == (
        body["model"]["image"],
        body["model"]["args"],
    )
