"""One endpoint's stored state: its spec (what was asked for), its status and its planned transitions."""

from dataclasses import asdict, dataclass, field
from typing import Any

STATES = (
    "pending",
    "initializing",
    "updating",
    "updateFailed",
    "running",
    "paused",
    "failed",
    "scaledToZero",
)

STATE_MESSAGES = {
    "pending": "Endpoint is waiting for hardware to be scheduled",
    "initializing": "Endpoint is initializing",
    "updating": "Endpoint is updating",
    "running": "Endpoint is ready",
    "paused": "Endpoint is paused",
    "scaledToZero": "Endpoint is scaled to zero",
}


@dataclass
class Step:
    """A planned transition: at ``at`` (hubsim clock), the endpoint enters ``state``."""

    at: float
    state: str
    message: str


@dataclass
class EndpointRecord:
    id: str
    namespace: str
    name: str
    # The create payload, normalised: type, provider, compute, model, and optional route/tags/...
    spec: dict[str, Any]
    state: str
    message: str
    created_at: float
    created_by: dict[str, str]
    updated_at: float
    updated_by: dict[str, str]
    plan: list[Step] = field(default_factory=list)
    last_activity: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def scaling(self) -> dict[str, Any]:
        return self.spec["compute"]["scaling"]

    @property
    def repository(self) -> str:
        return self.spec["model"]["repository"]

    @property
    def task(self) -> str:
        return self.spec["model"]["task"]

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> "EndpointRecord":
        return cls(**{**data, "plan": [Step(**step) for step in data["plan"]]})
