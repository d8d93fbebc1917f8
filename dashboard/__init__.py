"""The Django project: settings, URLs, the ASGI/WSGI entry points, the Celery app and the overview page."""

from dashboard.celery import app as celery_app

__all__ = ["celery_app"]
