"""Accelerator quotas: how many accelerators of one type a namespace may hold on one vendor."""

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MAX_ACCELERATORS = 8


@dataclass(frozen=True)
class QuotaPolicy:
    default_max: int = DEFAULT_MAX_ACCELERATORS
    # namespace -> instance type -> max accelerators, from the config file
    per_namespace: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def max_accelerators(self, namespace: str, instance_type: str) -> int:
        return self.per_namespace.get(namespace, {}).get(instance_type, self.default_max)

    def with_limit(self, namespace: str, instance_type: str, max_accelerators: int) -> "QuotaPolicy":
        """The same policy with one limit changed (the control API's quota override)."""
        per_namespace = {name: dict(limits) for name, limits in self.per_namespace.items()}
        per_namespace.setdefault(namespace, {})[instance_type] = max_accelerators
        return QuotaPolicy(default_max=self.default_max, per_namespace=per_namespace)


# States whose replicas hold hardware. Paused endpoints release it; scaled-to-zero ones keep their claim.
STATES_HOLDING_QUOTA = frozenset(
    {"pending", "initializing", "updating", "updateFailed", "running", "scaledToZero"}
)
