"""The team on the whole stack (worker, hubsim), ready for the endpoint pages: listed in tests/conftest.py's
pytest_plugins so that the browser tests use it too."""

import pytest

from endpoints_app.models import HardwareOption, Namespace
from tests.fixtures.team import Team
from tests.waiting import wait_until


def first_sync_done() -> bool:
    synced = Namespace.objects.filter(name__in=["demo", "demo-org"], last_synced_at__isnull=False).count()
    return synced == 2 and HardwareOption.objects.filter(namespace__name="demo").exists()


@pytest.fixture
def ready_team(celery_worker: None, team: Team) -> Team:
    """The team with a worker running, once the worker has fetched the prices and endpoints of the token's
    namespaces (the credential service asks for it when a token is added): no background call is left."""
    wait_until(first_sync_done, what="the first sync of the team's namespaces")
    return team
