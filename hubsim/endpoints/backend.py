"""The Inference Endpoints service without HTTP: endpoints per namespace, their rules and their state machine.

Transitions are planned as timed steps on hubsim's clock and applied when an endpoint is next read, so
advancing the clock is all it takes to move endpoints along (no background timers):

- create/resume: pending -> initializing (after 1/4 of deploy_seconds) -> running (after deploy_seconds),
  or -> failed with a message when the spec cannot deploy;
- update of the model or hardware: updating -> running (after deploy_seconds), or -> updateFailed;
- wake-up of a scaledToZero endpoint on a request: initializing -> running (after deploy_seconds / 2);
- a running endpoint with minReplica 0 goes to scaledToZero after scaleToZeroTimeout idle minutes.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from hubsim.accounts import Identity
from hubsim.clock import SimClock
from hubsim.endpoints.access import authorize
from hubsim.endpoints.deployment import deployment_problem
from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.endpoints.images import written_health_route
from hubsim.endpoints.parsing import STRING, read, require_object
from hubsim.endpoints.quota import STATES_HOLDING_QUOTA, QuotaPolicy
from hubsim.endpoints.record import STATE_MESSAGES, STATES, EndpointRecord, Step
from hubsim.endpoints.replicas import new_deployment_id, new_replica_names
from hubsim.endpoints.validation import RepoLookup, check_name, merge_update, normalise_spec
from hubsim.errors import ApiError

SCHEDULING_SHARE = 0.25  # share of deploy_seconds spent pending before initializing
WAKE_UP_SHARE = 0.5  # a scaled-to-zero endpoint starts faster than a fresh deployment
SERVING_STATES = frozenset({"running", "updating", "updateFailed"})
# States that stop every replica (an updateFailed endpoint keeps the previous deployment's replicas).
STOPPED_STATES = frozenset({"paused", "scaledToZero", "failed"})


class EndpointObserver(Protocol):
    """Told of each state an endpoint enters (with the replicas concerned) and of its deletion."""

    def entered(
        self, record: EndpointRecord, state: str, message: str, at: float, replicas: list[str]
    ) -> None: ...

    def deleted(self, record: EndpointRecord) -> None: ...


@dataclass
class InjectedFailure:
    """A deployment made to fail by the control API (for any endpoint when namespace/name are None)."""

    namespace: str | None
    name: str | None
    message: str

    def matches(self, record: EndpointRecord) -> bool:
        return self.namespace in (None, record.namespace) and self.name in (None, record.name)


class EndpointsBackend:
    def __init__(
        self,
        *,
        clock: SimClock,
        catalog: HardwareCatalog,
        quotas: QuotaPolicy,
        get_repo: RepoLookup,
        repo_sha: Callable[[str], str],
        deploy_seconds: float,
        observer: EndpointObserver | None = None,
    ) -> None:
        self.clock = clock
        self.catalog = catalog
        self.quotas = quotas
        self.configured_quotas = quotas
        self.get_repo = get_repo
        self.repo_sha = repo_sha
        self.deploy_seconds = deploy_seconds
        self.observer = observer
        self.records: dict[tuple[str, str], EndpointRecord] = {}
        self.injected_failures: list[InjectedFailure] = []

    # -- reading ----------------------------------------------------------------------------------------

    def list_endpoints(self, identity: Identity | None, namespace: str) -> list[EndpointRecord]:
        authorize(identity, namespace)
        found = [record for (ns, _), record in self.records.items() if ns == namespace]
        for record in found:
            self.refresh(record)
        return sorted(found, key=lambda record: record.created_at)

    def get(self, identity: Identity | None, namespace: str, name: str) -> EndpointRecord:
        authorize(identity, namespace)
        return self._existing(namespace, name)

    def by_id(self, endpoint_id: str) -> EndpointRecord | None:
        for record in self.records.values():
            if record.id == endpoint_id:
                self.refresh(record)
                return record
        return None

    def used_accelerators(
        self, namespace: str, vendor: str, instance_type: str, exclude: str | None = None
    ) -> int:
        used = 0
        for record in self.records.values():
            self.refresh(record)
            provider, compute = record.spec["provider"], record.spec["compute"]
            if (
                record.namespace == namespace
                and record.id != exclude
                and record.state in STATES_HOLDING_QUOTA
                and (provider["vendor"], compute["instanceType"]) == (vendor, instance_type)
            ):
                used += self._units_per_replica(record.spec) * record.scaling["maxReplica"]
        return used

    def refresh(self, record: EndpointRecord) -> None:
        """Apply the planned steps that are due, then the idle scale-to-zero rule."""
        now = self.clock.now()
        while record.plan and record.plan[0].at <= now:
            step = record.plan.pop(0)
            self._enter(record, step.state, step.message, at=step.at)
        timeout = record.scaling.get("scaleToZeroTimeout")
        if record.state == "running" and record.scaling["minReplica"] == 0 and timeout:
            idle_until = record.last_activity + timeout * 60
            if now >= idle_until:
                self._enter(record, "scaledToZero", STATE_MESSAGES["scaledToZero"], at=idle_until)

    # -- actions ----------------------------------------------------------------------------------------

    def create(self, identity: Identity | None, namespace: str, payload: Any) -> EndpointRecord:
        identity = authorize(identity, namespace, write=True)
        name = read(require_object(payload, ""), "name", STRING, "", required=True)
        check_name(name)
        spec = normalise_spec(payload, identity, self.catalog, self.get_repo, self.repo_sha)
        if (namespace, name) in self.records:
            raise ApiError(409, f"Endpoint '{name}' already exists in namespace '{namespace}'")
        self._check_quota(namespace, spec)
        now = self.clock.now()
        record = EndpointRecord(
            id=secrets.token_hex(8),
            namespace=namespace,
            name=name,
            spec=spec,
            state="pending",
            message=STATE_MESSAGES["pending"],
            created_at=now,
            created_by=identity.actor,
            updated_at=now,
            updated_by=identity.actor,
            container_health_route=written_health_route(payload),
        )
        self.records[(namespace, name)] = record
        self._deploy(record, failed_state="failed")
        return record

    def update(self, identity: Identity | None, namespace: str, name: str, payload: Any) -> EndpointRecord:
        identity = authorize(identity, namespace, write=True)
        record = self._existing(namespace, name)
        merged = merge_update(record.spec, payload)
        spec = normalise_spec(merged, identity, self.catalog, self.get_repo, self.repo_sha)
        redeploy = _deployed_parts(spec) != _deployed_parts(record.spec)
        if record.state in STATES_HOLDING_QUOTA:
            self._check_quota(namespace, spec, exclude=record.id)
        record.spec = spec
        if isinstance(payload.get("model"), dict) and "image" in payload["model"]:
            record.container_health_route = written_health_route(payload)
        self._touch(record, identity)
        if record.state == "running":
            self._resize(record)
        if redeploy and record.state in SERVING_STATES:
            self._deploy(record, first_state="updating", failed_state="updateFailed")
        elif redeploy and record.state in ("pending", "initializing", "failed"):
            self._deploy(record, failed_state="failed")
        return record

    def delete(self, identity: Identity | None, namespace: str, name: str) -> None:
        authorize(identity, namespace, write=True)
        record = self._existing(namespace, name)
        del self.records[(namespace, name)]
        if self.observer:
            self.observer.deleted(record)

    def pause(self, identity: Identity | None, namespace: str, name: str) -> EndpointRecord:
        identity = authorize(identity, namespace, write=True)
        record = self._existing(namespace, name)
        if record.state != "paused":
            self._enter(record, "paused", STATE_MESSAGES["paused"], at=self.clock.now())
            self._touch(record, identity)
        return record

    def resume(self, identity: Identity | None, namespace: str, name: str) -> EndpointRecord:
        identity = authorize(identity, namespace, write=True)
        record = self._existing(namespace, name)
        if record.state == "running":
            raise ApiError(400, f"Endpoint '{name}' is already running")
        if record.state in ("pending", "initializing", "updating"):
            return record  # already on its way to running
        if record.state == "scaledToZero":
            self.wake(record)
        else:
            if record.state not in STATES_HOLDING_QUOTA:
                self._check_quota(namespace, record.spec, exclude=record.id)
            self._deploy(record, failed_state="failed")
        self._touch(record, identity)
        return record

    def scale_to_zero(self, identity: Identity | None, namespace: str, name: str) -> EndpointRecord:
        identity = authorize(identity, namespace, write=True)
        record = self._existing(namespace, name)
        if record.state == "scaledToZero":
            return record
        if record.state not in SERVING_STATES:
            raise ApiError(400, f"Endpoint '{name}' cannot be scaled to zero while it is {record.state}")
        self._enter(record, "scaledToZero", STATE_MESSAGES["scaledToZero"], at=self.clock.now())
        self._touch(record, identity)
        return record

    # -- serving ----------------------------------------------------------------------------------------

    def note_activity(self, record: EndpointRecord) -> None:
        record.last_activity = max(record.last_activity, self.clock.now())

    def wake(self, record: EndpointRecord) -> None:
        """Start a replica of a scaled-to-zero endpoint (a request arrived)."""
        now = self.clock.now()
        record.starting_replicas = _new_replicas(record)
        record.plan = [
            Step(now, "initializing", "Endpoint is scaling up from zero"),
            Step(now + self.deploy_seconds * WAKE_UP_SHARE, "running", STATE_MESSAGES["running"]),
        ]
        self.refresh(record)

    def serving_replica(self, record: EndpointRecord) -> str:
        """The replica that takes the next request, in turn (replicas are named on demand for endpoints
        restored from a state file written before replicas had names)."""
        if not record.replicas:
            record.replicas = _new_replicas(record)
        replica = record.replicas[record.requests_served % len(record.replicas)]
        record.requests_served += 1
        return replica

    # -- control ----------------------------------------------------------------------------------------

    def set_state(self, namespace: str, name: str, state: str, message: str | None = None) -> EndpointRecord:
        if state not in STATES:
            raise ApiError(400, f"Unknown state '{state}': expected one of {', '.join(STATES)}")
        record = self._existing(namespace, name)
        record.plan = []
        self._enter(
            record, state, message or STATE_MESSAGES.get(state, f"Endpoint is {state}"), at=self.clock.now()
        )
        return record

    def fail_next_deployment(self, namespace: str | None, name: str | None, message: str | None) -> None:
        self.injected_failures.append(
            InjectedFailure(
                namespace, name, message or "Endpoint failed to start: the container exited (code 1)"
            )
        )

    def reset(self) -> None:
        self.records.clear()
        self.injected_failures.clear()
        self.quotas = self.configured_quotas

    def set_quota(self, namespace: str, instance_type: str, max_accelerators: int) -> None:
        """Changes one quota until the next reset (tests of many endpoints, or of a full quota)."""
        if max_accelerators < 0:
            raise ApiError(400, "max_accelerators must be >= 0")
        self.quotas = self.quotas.with_limit(namespace, instance_type, max_accelerators)

    def snapshot(self) -> list[dict[str, Any]]:
        return [record.to_state() for record in self.records.values()]

    def restore(self, snapshot: list[dict[str, Any]]) -> None:
        self.records = {}
        for data in snapshot:
            record = EndpointRecord.from_state(data)
            self.records[(record.namespace, record.name)] = record

    # -- internals --------------------------------------------------------------------------------------

    def _existing(self, namespace: str, name: str) -> EndpointRecord:
        record = self.records.get((namespace, name))
        if record is None:
            raise ApiError(404, f"Endpoint '{name}' not found in namespace '{namespace}'")
        self.refresh(record)
        return record

    def _enter(self, record: EndpointRecord, state: str, message: str, *, at: float) -> None:
        concerned = list(record.starting_replicas or record.replicas)
        if state in STOPPED_STATES or state == "updateFailed":
            record.plan = []  # nothing planned survives a stop or a failure
            record.starting_replicas = []
        if state in STOPPED_STATES:
            record.replicas = []
        record.state, record.message = state, message
        if state == "running":
            record.last_activity = max(record.last_activity, at)
            if record.starting_replicas:
                record.replicas, record.starting_replicas = record.starting_replicas, []
            elif not record.replicas:
                record.replicas = _new_replicas(record)
            concerned = list(record.replicas)
        if self.observer:
            self.observer.entered(record, state, message, at, concerned)

    def _resize(self, record: EndpointRecord) -> None:
        """A running endpoint gets or stops replicas when its minimum changes (no redeployment)."""
        wanted = _wanted_replicas(record)
        if record.replicas and len(record.replicas) != wanted:
            extra = new_replica_names(record.deployment_id, max(wanted - len(record.replicas), 0))
            record.replicas = (record.replicas + extra)[:wanted]

    def _touch(self, record: EndpointRecord, identity: Identity) -> None:
        record.updated_at = self.clock.now()
        record.updated_by = identity.actor

    def _deploy(self, record: EndpointRecord, *, failed_state: str, first_state: str = "pending") -> None:
        """Plan the steps of a (re)deployment, ending in running or in ``failed_state`` with a message."""
        now = self.clock.now()
        record.deployment_id = new_deployment_id()
        record.starting_replicas = _new_replicas(record)
        problem = self._take_injected_failure(record) or deployment_problem(
            record.spec, self.get_repo(record.repository), record.container_health_route
        )
        steps = [Step(now, first_state, STATE_MESSAGES[first_state])]
        if first_state == "pending":
            steps.append(
                Step(
                    now + self.deploy_seconds * SCHEDULING_SHARE,
                    "initializing",
                    STATE_MESSAGES["initializing"],
                )
            )
        done = now + self.deploy_seconds
        steps.append(
            Step(done, failed_state, problem) if problem else Step(done, "running", STATE_MESSAGES["running"])
        )
        record.plan = steps
        self.refresh(record)

    def _take_injected_failure(self, record: EndpointRecord) -> str | None:
        for failure in self.injected_failures:
            if failure.matches(record):
                self.injected_failures.remove(failure)
                return failure.message
        return None

    def _units_per_replica(self, spec: dict[str, Any]) -> int:
        provider, compute = spec["provider"], spec["compute"]
        found = self.catalog.find(
            provider["vendor"], provider["region"], compute["instanceType"], compute["instanceSize"]
        )
        return found.quota_units if found else 1

    def _check_quota(self, namespace: str, spec: dict[str, Any], exclude: str | None = None) -> None:
        vendor, instance_type = spec["provider"]["vendor"], spec["compute"]["instanceType"]
        needed = self._units_per_replica(spec) * spec["compute"]["scaling"]["maxReplica"]
        used = self.used_accelerators(namespace, vendor, instance_type, exclude=exclude)
        limit = self.quotas.max_accelerators(namespace, instance_type)
        if used + needed > limit:
            raise ApiError(
                400,
                f"Quota exceeded for {instance_type} on {vendor} in namespace '{namespace}':"
                f" this endpoint needs {needed}, {max(limit - used, 0)} of {limit} are free",
            )


def _deployed_parts(spec: dict[str, Any]) -> dict[str, Any]:
    """What the replicas are made of: a change here redeploys; scaling, type and tags apply at once."""
    compute = {key: value for key, value in spec["compute"].items() if key != "scaling"}
    return {
        "provider": spec["provider"],
        "compute": compute,
        "model": spec["model"],
        "route": spec.get("route"),
    }


def _wanted_replicas(record: EndpointRecord) -> int:
    """Replicas up while serving: the minimum, and one when it is 0 (hubsim does not autoscale)."""
    return max(record.scaling["minReplica"], 1)


def _new_replicas(record: EndpointRecord) -> list[str]:
    """Names for a full set of replicas of the endpoint's current deployment."""
    record.deployment_id = record.deployment_id or new_deployment_id()
    return new_replica_names(record.deployment_id, _wanted_replicas(record))
