"""The Jinja2 environment of the few templates rendered by Jinja2 (templates/jinja2/): the filters they share
with Django's templates, the same functions."""

from typing import Any

from django.template.defaultfilters import timesince_filter
from jinja2 import Environment

from endpoints_app.templatetags.endpoint_ui import money, offered_actions, status_badge


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on: these templates write HTML
    env = Environment(autoescape=True, **options)
    env.filters.update(
        money=money, offered_actions=offered_actions, status_badge=status_badge, timesince=timesince_filter
    )
    return env
