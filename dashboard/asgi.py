"""ASGI entry point (the web server runs this: the streaming playground needs async views). Request bodies
are bounded before Django reads them (dashboard/body_limit.py)."""

import os

from django.core.asgi import get_asgi_application

from dashboard.body_limit import BodyLimitMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

application = BodyLimitMiddleware(get_asgi_application())
