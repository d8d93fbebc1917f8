"""The running simulation: every part of hubsim's state, built from the settings and the config file."""

import time
from dataclasses import dataclass

from hubsim import models
from hubsim.accounts import Accounts
from hubsim.clock import SimClock
from hubsim.config import load_config
from hubsim.endpoints.backend import EndpointsBackend
from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.faults import FaultBook
from hubsim.inference.engine import EngineHolder
from hubsim.inference.metrics import MetricsBook
from hubsim.observability.observer import Observability
from hubsim.requestlog import RequestLog
from hubsim.settings import Settings
from hubsim.statefile import StateFile


@dataclass
class Simulation:
    settings: Settings
    clock: SimClock
    accounts: Accounts
    backend: EndpointsBackend
    faults: FaultBook
    requests: RequestLog
    metrics: MetricsBook
    observability: Observability
    engine: EngineHolder
    state_file: StateFile | None
    started_at: float

    @classmethod
    def build(cls, settings: Settings) -> "Simulation":
        config = load_config(settings.config_file)
        clock = SimClock()
        observability = Observability()
        backend = EndpointsBackend(
            clock=clock,
            catalog=HardwareCatalog.load(config.hardware_overrides),
            quotas=config.quotas,
            get_repo=models.get_repo,
            repo_sha=models.repo_sha,
            deploy_seconds=settings.deploy_seconds,
            observer=observability,
        )
        state_file = StateFile(settings.state_file) if settings.state_file else None
        if state_file:
            state_file.load_into(backend, clock)
        return cls(
            settings=settings,
            clock=clock,
            accounts=config.accounts,
            backend=backend,
            faults=FaultBook(),
            requests=RequestLog(),
            metrics=MetricsBook(),
            observability=observability,
            engine=EngineHolder(settings.engine),
            state_file=state_file,
            started_at=time.time(),
        )

    def save(self) -> None:
        if self.state_file:
            self.state_file.save(self.backend, self.clock)

    def reset(self) -> None:
        """Back to a fresh start: no endpoints, faults, logged requests, metrics, endpoint logs or traffic;
        the clock at real time."""
        self.backend.reset()
        self.faults.clear()
        self.requests.clear()
        self.metrics.clear()
        self.observability.clear()
        self.clock.reset()
        self.save()

    def endpoint_key(self, path_params: dict) -> str | None:
        """The endpoint (as "namespace/name") that a route's path parameters point at, for request counts."""
        if "endpoint_id" in path_params:
            record = self.backend.by_id(path_params["endpoint_id"])
            return record.key if record else None
        if "namespace" in path_params and "name" in path_params:
            return f"{path_params['namespace']}/{path_params['name']}"
        return None
