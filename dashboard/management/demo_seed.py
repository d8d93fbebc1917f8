"""`manage.py demo`'s living team, seeded before the console's processes start (so no sync of theirs meets
the replayed month): the fleet and its month (demo_fleet.py), then the people, their playground work and the
billing rules (demo_team.py). `DEMO_EMPTY=1` leaves the console empty."""

import os

from django.contrib.auth.models import User

from dashboard.management.demo_fleet import SimControl, seed_fleet
from dashboard.management.demo_team import seed_people, seed_playground, seed_policies
from endpoints_app.models import Endpoint
from endpoints_app.services.catalog import refresh_catalog


def wants_seed() -> bool:
    """Unless DEMO_EMPTY=1, or the console already mirrors endpoints (a demo run before)."""
    return os.environ.get("DEMO_EMPTY", "") not in {"1", "true", "yes"} and not Endpoint.objects.exists()


def seed_demo(hubsim_url: str, admin: User, password: str) -> None:
    """hubsim starts from nothing; the admin's credential must reach its `demo` and `demo-org` namespaces."""
    control = SimControl(hubsim_url)
    control.reset()
    refresh_catalog()  # what beat's first run fetches: the Catalog page has its models at once
    seed_fleet(control)
    seed_playground(seed_people(password))
    seed_policies(admin)
