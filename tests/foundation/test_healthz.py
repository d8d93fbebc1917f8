"""/healthz is a cheap anonymous liveness check that names nothing; /readyz reports each part the console
needs (503 when one is down) to admins or a monitor holding HEALTH_CHECK_TOKEN, its checks cached a few
seconds."""

from collections.abc import Iterator

import pytest
from django.test import Client

from dashboard import health
from tests.fixtures.team import make_user

MONITOR_TOKEN = "a-long-random-monitoring-token"
WHOAMI = "GET /api/whoami-v2"


@pytest.fixture(autouse=True)
def fresh_checks(settings) -> Iterator[None]:
    settings.HEALTH_CHECK_TOKEN = MONITOR_TOKEN
    health.forget_cached_results()
    yield
    health.forget_cached_results()


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def monitor() -> Client:
    return Client(headers={"Authorization": f"Bearer {MONITOR_TOKEN}"})


@pytest.mark.django_db
def test_liveness_is_anonymous_cheap_and_names_nothing(
    anonymous: Client, django_assert_num_queries, settings
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # a part down does not make the process dead
    with django_assert_num_queries(0):
        response = anonymous.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["", "viewer", "operator"])
def test_readiness_is_refused_without_the_token_or_the_admin_role(role: str, hubsim) -> None:
    client = Client(headers={"Authorization": "Bearer a-wrong-token"})
    if role:
        client.force_login(make_user("someone", role))
    hubsim.control.reset_requests()
    response = client.get("/readyz")
    assert response.status_code == 403
    assert "checks" not in response.json()
    assert hubsim.control.request_counts()["total"] == 0  # nothing was checked for them


@pytest.mark.django_db
def test_an_admin_reads_readiness_without_a_token(settings, hubsim, celery_worker) -> None:
    settings.HEALTH_CHECK_TOKEN = ""  # no token configured: admins only
    admin = Client()
    admin.force_login(make_user("ada", "admin"))
    assert admin.get("/readyz").json()["status"] == "ok"
    assert Client(headers={"Authorization": "Bearer "}).get("/readyz").status_code == 403


def test_every_part_ok(monitor: Client, celery_worker, hubsim) -> None:
    response = monitor.get("/readyz")
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
def test_the_checks_are_reused_for_a_few_seconds(monitor: Client, settings, hubsim, redis_client) -> None:
    hubsim.control.reset_requests()
    monitor.get("/readyz")
    monitor.get("/readyz")
    assert hubsim.control.request_counts()["by_route"][WHOAMI] == 1

    settings.HEALTH_CACHE_SECONDS = 0
    monitor.get("/readyz")
    assert hubsim.control.request_counts()["by_route"][WHOAMI] == 2


@pytest.mark.django_db
def test_redis_down_is_503(monitor: Client, settings, hubsim) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = monitor.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


@pytest.mark.django_db
def test_unreachable_hf_api_is_503(monitor: Client, settings) -> None:
    settings.HF_ENDPOINT = "http://127.0.0.1:1"
    response = monitor.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["hf_api"] == {"ok": False, "detail": "ConnectError"}


@pytest.mark.django_db
def test_no_worker_is_503(monitor: Client, settings, redis_client, hubsim) -> None:
    settings.CELERY_BROKER_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"  # no worker listens there
    body = monitor.get("/readyz").json()
    assert body["checks"]["celery"] == {"ok": False, "detail": "no worker answered"}
