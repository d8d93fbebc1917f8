"""hubsim unreachable: the sync marks the namespace stale and recovers once it answers again."""

import pytest
import time_machine
from django.utils import timezone

from endpoints_app.models import Endpoint, Namespace
from endpoints_app.services import sync
from tests.core.test_credentials_and_sync import create_remote
from tests.fixtures.team import Team


@pytest.mark.slow
def test_sync_goes_stale_while_the_api_is_down_and_recovers(team: Team, hubsim, settings) -> None:
    settings.HF_API_MAX_ATTEMPTS = 2
    create_remote(hubsim, "alpha-001")
    assert sync.sync_namespace(team.namespace).ok
    synced_at = Namespace.objects.get(name="demo").last_synced_at

    hubsim.stop()
    try:
        later = timezone.now() + timezone.timedelta(seconds=4 * settings.SYNC_INTERVAL_SECONDS)
        with time_machine.travel(later, tick=True):
            result = sync.sync_namespace(Namespace.objects.get(name="demo"))
            namespace = Namespace.objects.get(name="demo")
            assert not result.ok
            assert "could not be reached" in namespace.last_sync_error
            assert namespace.last_synced_at == synced_at
            assert sync.is_stale(namespace)
            assert not Endpoint.objects.get(name="alpha-001").is_gone  # the mirror keeps the last known state
    finally:
        hubsim.start()

    create_remote(hubsim, "alpha-001")  # this hubsim keeps no state file: its endpoints start over
    assert sync.sync_namespace(Namespace.objects.get(name="demo")).ok
    namespace = Namespace.objects.get(name="demo")
    assert namespace.last_sync_error == "" and not sync.is_stale(namespace)
