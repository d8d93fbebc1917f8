"""ASGI entry point (the web server runs this: the streaming playground needs async views). Request bodies
are bounded before Django reads them (dashboard/body_limit.py)."""

import os

from django.core.asgi import get_asgi_application
from django.urls import reverse

from dashboard.body_limit import BodyLimitMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

application = BodyLimitMiddleware(get_asgi_application())

# Each web process loads the URL configuration, and with it every view module, as it starts: otherwise its
# first request pays for that (about a second of CPU), and the requests that arrive meanwhile wait too.
reverse("healthz")
