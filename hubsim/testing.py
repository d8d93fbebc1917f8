"""Running hubsim from tests and benchmarks: a subprocess server and a client for its control API.

with HubsimServer() as hub:              # a free port, deploy_seconds=0.3
    os.environ["HF_ENDPOINT"] = hub.url  # (before importing huggingface_hub)
    huggingface_hub.constants.INFERENCE_ENDPOINTS_ENDPOINT = hub.api_url
    ...
    hub.control.advance(3600)            # an hour passes on hubsim's clock
    hub.control.inject_fault("GET", "/v2/endpoint/*", 429, retry_after=1)
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx2

import hubsim

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
DEMO_TOKEN = "hf_demo_token"  # noqa: S105 - the built-in demo user's token, not a secret

# The tutorial's Gemma on TGI, as `create_inference_endpoint` keyword arguments ("authenticated" is the
# tutorial's "protected", which the client no longer accepts).
TUTORIAL_GEMMA: dict[str, Any] = {
    "repository": "google/gemma-1.1-2b-it",
    "framework": "pytorch",
    "task": "text-generation",
    "accelerator": "gpu",
    "vendor": "aws",
    "region": "us-east-1",
    "instance_size": "x1",
    "instance_type": "nvidia-a10g",
    "min_replica": 0,
    "max_replica": 1,
    "type": "authenticated",
    "custom_image": {
        "health_route": "/health",
        "env": {"MODEL_ID": "/repository"},
        "url": "ghcr.io/huggingface/text-generation-inference:latest",
    },
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SimControl:
    """A thin client of hubsim's /_sim control API."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        response = httpx2.request(method, f"{self.base_url}/_sim{path}", json=body, timeout=self.timeout)
        response.raise_for_status()
        return response.json()

    def status(self) -> dict:
        return self._call("GET", "/status")

    def reset(self) -> None:
        """No endpoints, faults, logged requests or metrics; the clock back at real time."""
        self._call("POST", "/reset")

    def clock(self) -> dict:
        return self._call("GET", "/clock")

    def advance(self, seconds: float) -> dict:
        """Move hubsim's clock forward: planned transitions and idle timeouts fall due."""
        return self._call("POST", "/clock/advance", {"seconds": seconds})

    def set_state(self, namespace: str, name: str, state: str, message: str | None = None) -> dict:
        """Put an endpoint in ``state`` at once (its planned transitions are dropped); returns its JSON."""
        return self._call(
            "POST", f"/endpoints/{namespace}/{name}/state", {"state": state, "message": message}
        )

    def fail_next_deployment(
        self, namespace: str | None = None, name: str | None = None, message: str | None = None
    ) -> None:
        """The next deployment (create, resume or update) of a matching endpoint ends failed/updateFailed."""
        self._call(
            "POST", "/deployments/fail-next", {"namespace": namespace, "name": name, "message": message}
        )

    def set_quota(self, namespace: str, instance_type: str, max_accelerators: int) -> dict:
        """Change one accelerator quota of a namespace until the next reset."""
        body = {"namespace": namespace, "instance_type": instance_type, "max_accelerators": max_accelerators}
        return self._call("POST", "/quotas", body)

    def inject_fault(
        self,
        method: str,
        path_pattern: str,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        latency_ms: float = 0,
        message: str | None = None,
        when: str = "before",
    ) -> dict:
        """The next ``times`` requests matching answer ``status`` (429 or 5xx) and/or wait ``latency_ms``.

        ``when="after"``: the request is handled first, then its answer is replaced by ``status`` (or
        delayed by ``latency_ms``): the client never learns that its create or pause went through.
        """
        body = {
            "method": method,
            "path": path_pattern,
            "status": status,
            "times": times,
            "retry_after": retry_after,
            "latency_ms": latency_ms,
            "message": message,
            "when": when,
        }
        return self._call("POST", "/faults", body)

    def faults(self) -> list[dict]:
        return self._call("GET", "/faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def request_counts(self) -> dict:
        """``{"total", "by_route": {"GET /v2/endpoint/{namespace}": n}, "by_endpoint": {"ns/name": n}}``."""
        return self._call("GET", "/requests/counts")

    def request_log(self) -> list[dict]:
        return self._call("GET", "/requests")

    def reset_requests(self) -> None:
        self._call("DELETE", "/requests")


class HubsimServer:
    """``python -m hubsim`` in a subprocess, on a given or free port; a context manager."""

    def __init__(
        self,
        port: int | None = None,
        *,
        deploy_seconds: float = 0.3,
        state_file: str | None = None,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.deploy_seconds = deploy_seconds
        self.state_file = state_file
        self.extra_args = list(extra_args)
        self.env = dict(env or {})
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/v2"
        self.control = SimControl(self.url)
        self.log_path = Path(tempfile.gettempdir()) / f"hubsim-{self.port}.log"
        self._process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "hubsim", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--deploy-seconds", str(self.deploy_seconds)]
        if self.state_file:
            command += ["--state-file", str(self.state_file)]
        return command + self.extra_args

    def start(self) -> None:
        """Start the server; returns once it answers."""
        if self._process is not None:
            raise RuntimeError("hubsim is already running")
        # The child imports this same hubsim, installed or not.
        source_root = str(Path(hubsim.__file__).resolve().parents[1])
        python_path = os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": python_path, **self.env}
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                self.command(), env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"hubsim exited at start-up:\n{self.log_path.read_text()}")
            try:
                self.control.status()
                return
            except httpx2.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"hubsim did not answer within {START_TIMEOUT_SECONDS}s:\n{self.log_path.read_text()}"
        )

    def stop(self) -> None:
        """Stop the server (it saves its state file first); leaves no process behind."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self) -> None:
        """Stop and start again on the same port, with the same state file."""
        self.stop()
        self.start()

    def create_endpoint(
        self, name: str, namespace: str = "demo", token: str = DEMO_TOKEN, **overrides: Any
    ) -> Any:
        """Creates an endpoint with the real huggingface_hub client, as a notebook outside any console
        would: the tutorial's Gemma on TGI unless `overrides` say otherwise. Returns an InferenceEndpoint."""
        from huggingface_hub import HfApi

        api = HfApi(endpoint=self.url, token=token)
        return api.create_inference_endpoint(name, namespace=namespace, **{**TUTORIAL_GEMMA, **overrides})

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> "HubsimServer":
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
