"""Every URL pattern of the project, found by walking the resolver (namespaced includes and the admin's
per-model pages included), and a concrete URL for each, its parameters filled with real rows."""

import re
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.security.rows import Rows

# The admin's pages of one model, by the suffix of their URL name ("object" is the unnamed redirect from
# admin/<app>/<model>/<id>/ to the change page).
ADMIN_MODEL_PAGES = ("changelist", "add", "history", "delete", "change", "object")
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: `key` is its qualified name ("endpoints:pause"), or its route when it has none."""

    key: str
    route: str
    named: bool
    model_admin: ModelAdmin | None = None
    admin_page: str = ""  # one of ADMIN_MODEL_PAGES for a model's admin page

    @property
    def is_admin_model_page(self) -> bool:
        return self.model_admin is not None


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()) -> list[Pattern]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            found += _walk(entry, route, inner)
            continue
        assert isinstance(entry, URLPattern)
        name = ":".join((*namespaces, entry.name)) if entry.name else ""
        found.append(_with_model_admin(Pattern(name or route, route, named=bool(name))))
    return found


def _with_model_admin(pattern: Pattern) -> Pattern:
    """Recognises the standard pages admin.site makes for each registered model (others, like a user's
    password page, are ordinary patterns)."""
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        if not pattern.route.startswith(f"admin/{app}/{name}/"):
            continue
        page = pattern.key.removeprefix(f"admin:{app}_{name}_") if pattern.named else "object"
        if page in ADMIN_MODEL_PAGES:
            return Pattern(pattern.key, pattern.route, pattern.named, model_admin, page)
    return pattern


def all_patterns() -> list[Pattern]:
    return _walk(get_resolver())


def model_label(model_admin: ModelAdmin) -> str:
    return model_admin.model._meta.label_lower


def url_for(pattern: Pattern, rows: Rows, pk_row: str = "") -> str:
    """A URL matching the pattern; `pk_row` names the attribute of `rows` whose primary key fills <pk>."""
    parameters = _parameters(pattern, rows, pk_row)
    if pattern.named:
        return reverse(pattern.key, kwargs=parameters)
    if pattern.key.endswith("(?P<url>.*)$"):  # the admin's catch-all: anything it does not know
        return "/admin/no-such-page/"
    return "/" + PARAMETER.sub(lambda match: str(parameters[match[1]]), pattern.route)


def _parameters(pattern: Pattern, rows: Rows, pk_row: str) -> dict[str, object]:
    viewer = rows.people.viewer
    values: dict[str, object] = {
        "kind": rows.policy.kind,
        "uidb64": urlsafe_base64_encode(force_bytes(viewer.pk)),
        "token": default_token_generator.make_token(viewer),
        "content_type_id": rows.content_type.pk,
        "object_id": rows.conversation.pk,
        "app_label": "endpoints_app",
        "id": viewer.pk,  # the admin page of a user's password
        "public_id": rows.recipe.public_id,  # a catalog recipe
        "letter": "A",  # a comparison's column
    }
    if pattern.is_admin_model_page:
        values["object_id"] = rows.of_model(pattern.model_admin.model).pk
    if pk_row:
        values["pk"] = getattr(rows, pk_row).pk
    names = set(PARAMETER.findall(pattern.route)) | set(re.findall(r"\(\?P<(\w+)>", pattern.route))
    names.discard("url")
    return {name: values[name] for name in names}
