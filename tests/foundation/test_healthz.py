"""/healthz reports each part the console needs, and 503 when one is down."""

import pytest
from django.test import Client


@pytest.fixture
def anonymous() -> Client:
    return Client()


def test_every_part_ok(anonymous: Client, celery_worker, hubsim) -> None:
    response = anonymous.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "redis": True,
        "celery": True,
        "hf_api": True,
    }


@pytest.mark.django_db
def test_redis_down_is_503(anonymous: Client, settings, hubsim) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


@pytest.mark.django_db
def test_unreachable_hf_api_is_503(anonymous: Client, settings) -> None:
    settings.HF_ENDPOINT = "http://127.0.0.1:1"
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["hf_api"] == {"ok": False, "detail": "ConnectError"}


@pytest.mark.django_db
def test_no_worker_is_503(anonymous: Client, settings, redis_client, hubsim) -> None:
    settings.CELERY_BROKER_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"  # no worker listens there
    body = anonymous.get("/healthz").json()
    assert body["checks"]["celery"] == {"ok": False, "detail": "no worker answered"}
