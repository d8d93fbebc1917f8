"""Driving the create form the way the page does: the values the browser would send, an htmx post, and the
operation's progress partial polled until it ends."""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from endpoints_app.models import Operation
from tests.waiting import wait_until

INTO_PROGRESS = {"hx-request": "true", "hx-target": "form-progress"}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def browser_values(form: forms.Form) -> dict[str, Any]:
    """What submitting the rendered form unchanged would send."""
    values = {}
    for field in form:
        value = field.value()
        if value not in (None, ""):
            values[field.html_name] = value
    return values


def create_form_values(client: Client, preset: str = "", **changes: Any) -> dict[str, Any]:
    query = {"preset": preset} if preset else {}
    form = client.get(reverse("endpoints:create"), query).context["form"]
    return {**browser_values(form), **changes}


def submit(client: Client, url: str, values: dict[str, Any]) -> HttpResponse:
    return client.post(url, values, headers=INTO_PROGRESS)


def started_operation(response: HttpResponse) -> Operation:
    assert response.status_code == 200
    operation = response.context.get("operation")
    assert operation is not None, response.content.decode()
    return operation


def progress_until_done(client: Client, operation: Operation, timeout: float = 30.0) -> str:
    """The progress partial, polled like the page does, once the operation has ended (it stops polling)."""
    url = reverse("endpoints:operation", args=[operation.pk])

    def ended() -> str | None:
        html = client.get(url, headers={"hx-request": "true"}).content.decode()
        return None if "hx-trigger" in html else html

    return wait_until(ended, timeout=timeout, what=f"{operation} to end")
