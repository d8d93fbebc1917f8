"""Template context shared by every page."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from dashboard.banners import current_banners


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str  # the URL namespace (or name) whose pages light this item up
    staff_only: bool = False


NAVIGATION = (
    NavItem("Overview", "overview", "overview"),
    NavItem("Endpoints", "endpoints:list", "endpoints"),
    NavItem("Playground", "playground:chat", "playground"),
    NavItem("Costs", "billing:costs", "billing"),
    NavItem("Usage", "billing:usage", "billing:usage"),
    NavItem("Admin", "admin:index", "admin", staff_only=True),
)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current = (match.namespace or match.url_name) if match else ""
    # The most specific section lights up: billing:usage rather than billing.
    lit = (
        match.view_name if match and any(item.section == match.view_name for item in NAVIGATION) else current
    )
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": lit == item.section}
        for item in NAVIGATION
        if user.is_staff or not item.staff_only
    ]
    return {"navigation": items}


def banners(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"banners": current_banners()}
