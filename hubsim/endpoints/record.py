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

# Recorded in huggingface_hub's tests (tests/test_inference_endpoints.py, tests/test_hf_api.py): pending,
# updating, running and a generic failure. The others are assumed.
STATE_MESSAGES = {
    "pending": "Endpoint waiting to be scheduled",
    "initializing": "Endpoint is initializing",
    "updating": "Endpoint waiting for the update",
    "running": "Endpoint is ready",
    "paused": "Endpoint is paused",
    "scaledToZero": "Endpoint is scaled to zero",
    "failed": "Endpoint failed to deploy",
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
    # Replicas are named <deployment id>-<replica id> (see replicas.py): those of the deployment on its way,
    # and those serving requests (the previous deployment's while an update rolls out).
    deployment_id: str = ""
    starting_replicas: list[str] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)
    requests_served: int = 0  # spreads requests over the replicas in turn
    # The health route the container answers on, as its author wrote it (either spelling); None: /health.
    container_health_route: str | None = None

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
