"""The demo's fleet: an endpoint of each engine the console supports, and a month of its life.

Each endpoint is created as the create form makes it (the form filled from a preset, its spec sent through the
console's gateway, so huggingface_hub, to hubsim's Endpoints API). The month is then replayed: at each moment
an endpoint changes state (office hours, nights scaled to zero, a failure), hubsim's control API puts it in
that state at once, where the real service would get there with time, and the console's own sync mirrors it.
The console stamps its status history with its clock, so that clock is moved to each moment (time-machine)
while the sync runs; hubsim keeps real time (its `createdAt` reads today: assumed harmless). Deterministic:
the same endpoints and the same changes, at the same hours of the same days before today.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import httpx2
import time_machine
from django import forms
from django.utils import timezone

from endpoints_app.forms.endpoints import EndpointCreateForm, initial_for_preset
from endpoints_app.hf import HfGateway
from endpoints_app.models import Namespace
from endpoints_app.presets import PRESETS_BY_KEY, Preset
from endpoints_app.services import sync

MONTH_DAYS = 30
HOURS_OF_CHANGE = (8, 17, 19)  # the hours (UTC) of each day at which the schedules below change
FAILURE = "Endpoint failed to start: the container exited (code 1)"


# The state an endpoint is in at a moment of the month, given how many days before today that moment is.
class SimControl:
    """hubsim's control API (`/_sim`, see hubsim/README.md), over one connection."""

    def __init__(self, hubsim_url: str) -> None:
        self._client = httpx2.Client(base_url=f"{hubsim_url}/_sim", timeout=10)

    def reset(self) -> None:
        """No endpoints, faults or logged requests; hubsim's clock back at real time."""
        self._client.post("/reset").raise_for_status()

    def set_state(self, namespace: str, name: str, state: str, message: str | None = None) -> None:
        """The endpoint in `state` at once, its planned transitions dropped."""
        body = {"state": state, "message": message}
        self._client.post(f"/endpoints/{namespace}/{name}/state", json=body).raise_for_status()


Schedule = Callable[[datetime, int], str]


def office_hours(moment: datetime, days_ago: int) -> str:
    """Running on working days from 08:00 to 19:00, paused otherwise (an off-hours policy's work)."""
    return "running" if moment.weekday() < 5 and 8 <= moment.hour < 19 else "paused"


def asleep_at_night(moment: datetime, days_ago: int) -> str:
    """Woken by traffic in the day, scaled to zero by its idle timeout at night."""
    return "running" if 8 <= moment.hour < 17 else "scaledToZero"


def always(state: str) -> Schedule:
    return lambda moment, days_ago: state


def until(day: int, first: Schedule, then: Schedule) -> Schedule:
    """`first` until `day` days before today, `then` from that day on."""
    return lambda moment, days_ago: (first if days_ago > day else then)(moment, days_ago)


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: each is one endpoint
class DemoEndpoint:
    namespace: str
    name: str
    preset: Preset
    schedule: Schedule
    final: str  # its state once the month is replayed
    created_days_ago: int = MONTH_DAYS  # 0: created today, after the replay


QWEN_VLLM = PRESETS_BY_KEY["qwen-vllm"]
FLEET = (
    DemoEndpoint("demo-org", "support-chat-vllm", QWEN_VLLM, office_hours, "running"),
    DemoEndpoint("demo-org", "search-embed-tei", PRESETS_BY_KEY["bge-tei"], always("running"), "running"),
    DemoEndpoint("demo-org", "marketing-sdxl", PRESETS_BY_KEY["sdxl"], office_hours, "running"),
    DemoEndpoint("demo", "laptop-qwen-gguf", PRESETS_BY_KEY["qwen-gguf"], asleep_at_night, "scaledToZero"),
    DemoEndpoint(
        "demo",
        "docs-vqa-idefics2",
        PRESETS_BY_KEY["idefics2"],
        until(12, office_hours, always("paused")),
        "paused",
    ),
    DemoEndpoint(
        "demo-org",
        "agents-sglang",
        replace(QWEN_VLLM, engine="sGLang"),
        until(1, always("running"), always("failed")),
        "failed",
        created_days_ago=3,
    ),
    DemoEndpoint(
        "demo", "tutorial-gemma-tgi", PRESETS_BY_KEY["gemma"], always("initializing"), "initializing", 0
    ),
)


def seed_fleet(control: SimControl) -> None:
    """Creates the fleet on hubsim and replays its month into the console's mirror and status history."""
    namespaces = {name: Namespace.objects.get(name=name) for name in {e.namespace for e in FLEET}}
    for namespace in namespaces.values():
        sync.refresh_hardware(namespace)  # the create form's hardware picker, and the prices of the history
    states: dict[DemoEndpoint, str] = {}
    for moment, days_ago in _moments():
        changes = {
            endpoint: endpoint.schedule(moment, days_ago)
            for endpoint in FLEET
            if endpoint.created_days_ago > 0 and days_ago <= endpoint.created_days_ago
        }
        if any(states.get(endpoint) != state for endpoint, state in changes.items()):
            with time_machine.travel(moment, tick=True):
                _apply(control, namespaces, changes, states)
    _apply(control, namespaces, {endpoint: endpoint.final for endpoint in FLEET}, states)


def _apply(
    control: SimControl,
    namespaces: dict[str, Namespace],
    changes: dict["DemoEndpoint", str],
    states: dict["DemoEndpoint", str],
) -> None:
    """Puts each endpoint in its state on hubsim (created first if new), then the console syncs the
    namespaces that changed."""
    changed = {endpoint.namespace for endpoint, state in changes.items() if states.get(endpoint) != state}
    for endpoint, state in changes.items():
        _move(control, namespaces, endpoint, state, states)
    for name in sorted(changed):
        sync.sync_namespace(namespaces[name])


def _move(
    control: SimControl,
    namespaces: dict[str, Namespace],
    endpoint: DemoEndpoint,
    state: str,
    states: dict[DemoEndpoint, str],
) -> None:
    if endpoint not in states:
        create(namespaces[endpoint.namespace], endpoint.name, endpoint.preset)
    if states.get(endpoint) != state:
        message = FAILURE if state == "failed" else None
        control.set_state(endpoint.namespace, endpoint.name, state, message)
        states[endpoint] = state


def create(namespace: Namespace, name: str, preset: Preset) -> None:
    """What submitting the create form filled from `preset` sends to the API."""
    shown = EndpointCreateForm(initial={**initial_for_preset(preset), "namespace": namespace})
    form = EndpointCreateForm({**_submitted(shown), "name": name})
    if not form.is_valid():
        raise ValueError(f"The create form refused the demo's {name}: {form.errors.as_text()}")
    HfGateway.for_namespace(namespace).create_endpoint(namespace.name, form.to_spec())


def _submitted(form: forms.Form) -> dict[str, Any]:
    """The values a browser sends when the rendered form is submitted unchanged."""
    return {field.html_name: field.value() for field in form if field.value() not in (None, "")}


def _moments() -> Iterator[tuple[datetime, int]]:
    """The hours of change of each of the month's days up to now, with how many days before today each is."""
    now = timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago in range(MONTH_DAYS, -1, -1):
        for hour in HOURS_OF_CHANGE:
            moment = today - timedelta(days=days_ago) + timedelta(hours=hour)
            if moment < now:
                yield moment, days_ago
