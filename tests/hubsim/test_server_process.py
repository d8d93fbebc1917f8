"""hubsim as a process: the state file across restarts, a clean stop, start-up errors."""

import json
import re
import socket
from pathlib import Path

import httpx2
import pytest

from hubsim.testing import HubsimServer
from tests.hubsim.conftest import DEMO_TOKEN

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}
GEMMA = {
    "name": "kept-endpoint",
    "type": "authenticated",
    "provider": {"vendor": "aws", "region": "us-east-1"},
    "compute": {"accelerator": "gpu", "instanceType": "nvidia-a10g", "instanceSize": "x1"},
    "model": {"repository": "google/gemma-1.1-2b-it", "framework": "pytorch", "image": {"huggingface": {}}},
}


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_restart_keeps_endpoints_of_the_state_file(tmp_path: Path) -> None:
    with HubsimServer(state_file=str(tmp_path / "state.json")) as server:
        created = httpx2.post(f"{server.api_url}/endpoint/demo", headers=DEMO, json=GEMMA).json()
        server.control.advance(60)
        server.restart()
        kept = httpx2.get(f"{server.api_url}/endpoint/demo/kept-endpoint", headers=DEMO).json()
    assert (kept["status"]["state"], kept["status"]["createdAt"]) == (
        "running",
        created["status"]["createdAt"],
    )
    assert kept["status"]["url"] == f"{server.url}/e/{kept['status']['url'].rsplit('/', 1)[1]}"


def test_without_a_state_file_a_restart_starts_empty() -> None:
    with HubsimServer() as server:
        httpx2.post(f"{server.api_url}/endpoint/demo", headers=DEMO, json=GEMMA)
        server.restart()
        assert httpx2.get(f"{server.api_url}/endpoint/demo", headers=DEMO).json() == {"items": []}


def test_stop_leaves_no_process_and_frees_the_port() -> None:
    server = HubsimServer()
    server.start()
    server.stop()
    assert (server.running, port_is_open(server.port)) == (False, False)


def test_a_server_that_cannot_start_reports_its_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[users.bob]\norgs = ['ghost-org']\n")
    with pytest.raises(RuntimeError, match="user 'bob' is in unknown orgs"):
        HubsimServer(extra_args=["--config", str(broken)]).start()


def test_the_first_request_is_answered_while_the_engine_builds() -> None:
    with HubsimServer() as server:
        assert server.control.status()["ok"] is True


def test_a_state_file_of_an_earlier_version_still_serves(tmp_path: Path) -> None:
    # As hubsim wrote it before replicas had names and image fields were read: a snake_case health route,
    # no scaling metric, no replica fields.
    record = {
        "id": "0123456789abcdef",
        "namespace": "demo",
        "name": "old-endpoint",
        "spec": {
            **GEMMA,
            "compute": {
                **GEMMA["compute"],
                "id": "aws-us-east-1-nvidia-a10g-x1",
                "scaling": {"minReplica": 1, "maxReplica": 1, "scaleToZeroTimeout": None},
            },
            "model": {
                **GEMMA["model"],
                "task": "text-generation",
                "revision": "main",
                "image": {
                    "custom": {
                        "url": "ghcr.io/huggingface/text-generation-inference:latest",
                        "health_route": "/health",
                    }
                },
            },
        },
        "state": "running",
        "message": "Endpoint is ready",
        "created_at": 1.0,
        "created_by": {"id": "x", "name": "demo"},
        "updated_at": 1.0,
        "updated_by": {"id": "x", "name": "demo"},
        "plan": [],
        "last_activity": 1.0,
    }
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 1, "clock_offset_seconds": 0, "endpoints": [record]}))
    with HubsimServer(state_file=str(state)) as server:
        endpoint = httpx2.get(f"{server.api_url}/endpoint/demo/old-endpoint", headers=DEMO).json()
        served = httpx2.get(f"{endpoint['status']['url']}/health", headers=DEMO)
        metrics = httpx2.get(f"{server.api_url}/endpoint/demo/old-endpoint/open-metrics", headers=DEMO).text
    assert (endpoint["healthRoute"], served.status_code) == ("/health", 200)
    assert re.search(r'cpu_usage_percent\{replica_id="[a-z0-9]{8}-[a-z0-9]{5}"\}', metrics)
