"""Billing fixtures (a pytest plugin listed in tests/conftest.py, so that the browser tests use them too): a
fleet of endpoints on the live hubsim mirrored by the console, waiting for the worker's operations, and a
local webhook receiver."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2
import pytest

from endpoints_app.hf import EndpointSpec, HfGateway
from endpoints_app.hf.remote import CustomImage
from endpoints_app.models import Endpoint, Namespace, Operation
from endpoints_app.models.operations import ACTIVE_STATES
from endpoints_app.services import sync
from tests.fixtures.team import DEMO_TOKEN, Team
from tests.waiting import wait_until

# Gemma runs on TGI, as the tutorial deploys it: TGI's /metrics counts requests (tgi_request_count), which the
# Inference Toolkit of the default image does not (hubsim/README.md, "The inference servers").
TGI_IMAGE = CustomImage(url="ghcr.io/huggingface/text-generation-inference:latest")
QWEN = "Qwen/Qwen2.5-0.5B-Instruct"
# What each engine serves here: (repository, task, `model.image`; None is the default container, the toolkit).
ENGINES: dict[str, tuple[str, str, CustomImage | None]] = {
    "tgi": ("google/gemma-1.1-2b-it", "text-generation", TGI_IMAGE),
    "vllm": (QWEN, "text-generation", CustomImage("vllm/vllm-openai:v0.11.0", variant="vLLM")),
    "sglang": (QWEN, "text-generation", CustomImage("lmsysorg/sglang:v0.5.2", variant="sGLang")),
    "llamacpp": (
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        "text-generation",
        CustomImage("ghcr.io/ggml-org/llama.cpp:server-cuda", variant="llamacpp"),
    ),
    "tei": (
        "BAAI/bge-small-en-v1.5",
        "feature-extraction",
        CustomImage("ghcr.io/huggingface/text-embeddings-inference:1.9", variant="tei"),
    ),
    "toolkit": ("google/gemma-1.1-2b-it", "text-generation", None),
}
# hubsim's prices per replica-hour (aws us-east-1), as in hubsim/endpoints/hardware-prices.csv.
HARDWARE = {
    "t4": ("gpu", "nvidia-t4", "x1"),  # $0.50
    "l4": ("gpu", "nvidia-l4", "x1"),  # $0.80
    "a10g": ("gpu", "nvidia-a10g", "x1"),  # $1.00
    "a100": ("gpu", "nvidia-a100", "x1"),  # $2.50
}


class Fleet:
    """Endpoints deployed on the live hubsim with the demo token and mirrored by a sync."""

    def __init__(self, team: Team, hubsim: Any) -> None:
        self.team = team
        self.hubsim = hubsim
        self.gateway = HfGateway(DEMO_TOKEN)

    def deploy(
        self,
        name: str,
        *,
        hardware: str = "a10g",
        namespace: str = "demo",
        min_replica: int = 1,
        engine: str = "tgi",
        **extra: Any,
    ) -> Endpoint:
        accelerator, instance_type, instance_size = HARDWARE[hardware]
        repository, task, image = ENGINES[engine]
        env = {"MODEL_ID": "/repository"} if engine == "tgi" else {}
        spec = EndpointSpec(
            name=name,
            repository=repository,
            task=task,
            vendor="aws",
            region="us-east-1",
            accelerator=accelerator,
            instance_type=instance_type,
            instance_size=instance_size,
            min_replica=min_replica,
            max_replica=max(min_replica, 1),
            **{"custom_image": image, "env": env, **extra},
        )
        self.gateway.create_endpoint(namespace, spec)
        self.hubsim.control.advance(1)  # the deployment (0.3 s on hubsim's clock) is done
        self.sync()
        return Endpoint.objects.get(namespace__name=namespace, name=name)

    def sync(self) -> None:
        for namespace in Namespace.objects.filter(credential__isnull=False):
            sync.sync_namespace(namespace)

    def remote_state(self, endpoint: Endpoint) -> str:
        return self.gateway.get_endpoint(endpoint.namespace.name, endpoint.name).status

    def remote_states(self) -> dict[str, str]:
        """Every endpoint on hubsim, by namespace/name."""
        return {
            f"{namespace.name}/{remote.name}": remote.status
            for namespace in Namespace.objects.filter(credential__isnull=False)
            for remote in self.gateway.list_endpoints(namespace.name)
        }

    def fail_open_metrics(self) -> None:
        """The service's open-metrics route answers 503 from now on (for the rest of a test)."""
        self.hubsim.control.inject_fault("GET", "/v2/endpoint/*/open-metrics", 503, times=100)

    def use(self, endpoint: Endpoint) -> None:
        """One request to the endpoint's URL, as a client of the team would make: a generation on TGI,
        embeddings on TEI, a chat completion on the OpenAI-compatible engines."""
        endpoint.refresh_from_db()
        hello = [{"role": "user", "content": "Hello"}]
        chat = {"model": endpoint.repository, "messages": hello, "max_tokens": 2}
        route, body = {
            "tgi": ("/generate", {"inputs": "Hello", "parameters": {"max_new_tokens": 2}}),
            "tei": ("/embed", {"inputs": "Hello"}),
        }.get(endpoint.engine, ("/v1/chat/completions", chat))
        response = httpx2.post(
            f"{endpoint.url}{route}",
            json=body,
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
            timeout=10,
        )
        response.raise_for_status()


@pytest.fixture
def fleet(ready_team: Team, hubsim: Any) -> Fleet:
    """The team with a worker, once its namespaces' prices are fetched; no endpoint yet."""
    return Fleet(ready_team, hubsim)


def wait_for_operations() -> list[Operation]:
    """Waits until the worker has finished every operation; returns them, oldest first."""
    wait_until(lambda: not Operation.objects.filter(state__in=ACTIVE_STATES).exists(), what="the operations")
    return list(Operation.objects.order_by("created_at", "id"))


class WebhookReceiver:
    """A local HTTP server recording the JSON bodies posted to it; the first `failing` posts get a 503."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.failing = 0
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                if receiver.refused < receiver.failing:
                    receiver.refused += 1
                    self.send_response(503)
                else:
                    receiver.received.append(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/console"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook(settings: Any) -> Iterator[WebhookReceiver]:
    """A webhook receiver, set as the console's BILLING_WEBHOOK_URL."""
    with WebhookReceiver() as receiver:
        settings.BILLING_WEBHOOK_URL = receiver.url
        yield receiver
