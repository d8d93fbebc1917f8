"""The endpoint page's engine section: which engine serves it, its image and settings, and a health route the
service ignored (a tag of its own, so that the page's view needs nothing for it)."""

from dataclasses import dataclass
from typing import Any

from django import template

from endpoints_app.engine_settings import ImageSettings, read_settings
from endpoints_app.engines import Engine, EngineTraits, traits
from endpoints_app.models import Endpoint
from endpoints_app.services.health_routes import IgnoredHealthRoute, ignored_health_route

register = template.Library()


@dataclass(frozen=True)
class EngineFacts:
    engine_label: str
    traits: EngineTraits
    image: ImageSettings
    settings: list[tuple[str, Any]]  # (label, value) of each setting the image sets
    ignored_health_route: IgnoredHealthRoute | None


@register.simple_tag
def engine_facts(endpoint: Endpoint) -> EngineFacts:
    image = read_settings(endpoint.raw.get("model") or {})
    option = image.option
    settings = [
        (setting.label, image.values[setting.name])
        for setting in (option.settings if option else ())
        if setting.name in image.values
    ]
    try:
        label = Engine(endpoint.engine).label
    except ValueError:
        label = endpoint.engine
    return EngineFacts(label, traits(endpoint.engine), image, settings, ignored_health_route(endpoint))
