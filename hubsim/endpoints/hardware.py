"""The hardware catalog: every compute of every vendor and region, from the published prices."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from hubsim.endpoints.hardware_prices import PRICES_CSV, build_catalog, read_prices

HARDWARE_STATUSES = ("available", "low_availability", "not_available", "reserved", "deprecated")


@dataclass(frozen=True)
class HardwareOverride:
    """A config file's change to one compute (by its id, e.g. ``aws-us-east-1-nvidia-a100-x1``)."""

    status: str | None = None
    price_per_hour: float | None = None


@dataclass(frozen=True)
class Compute:
    vendor: str
    region: str
    raw: Mapping  # the API's COMPUTE entry, without its quota

    @property
    def id(self) -> str:
        return self.raw["id"]

    @property
    def accelerator(self) -> str:
        return self.raw["accelerator"]

    @property
    def instance_type(self) -> str:
        return self.raw["instanceType"]

    @property
    def instance_size(self) -> str:
        return self.raw["instanceSize"]

    @property
    def status(self) -> str:
        return self.raw["status"]

    @property
    def quota_units(self) -> int:
        """What one replica uses of the namespace's quota: its accelerators, or 1 for a CPU instance."""
        return max(self.raw["numAccelerators"], 1)


class HardwareCatalog:
    def __init__(self, catalog: Mapping, overrides: Mapping[str, HardwareOverride] | None = None) -> None:
        overrides = dict(overrides or {})
        self.computes: list[Compute] = []
        for vendor in catalog["vendors"]:
            for region in vendor["regions"]:
                for raw in region["computes"]:
                    change = overrides.pop(raw["id"], None)
                    if change is not None:
                        raw = _apply_override(raw, change)
                    self.computes.append(Compute(vendor["name"], region["name"], raw))
        if overrides:
            raise ValueError(f"hardware overrides for unknown computes: {sorted(overrides)}")

    @classmethod
    def load(cls, overrides: Mapping[str, HardwareOverride] | None = None, prices: Path = PRICES_CSV):
        return cls(build_catalog(read_prices(prices)), overrides)

    def find(self, vendor: str, region: str, instance_type: str, instance_size: str) -> Compute | None:
        for compute in self.computes:
            if (compute.vendor, compute.region, compute.instance_type, compute.instance_size) == (
                vendor,
                region,
                instance_type,
                instance_size,
            ):
                return compute
        return None

    def has_region(self, vendor: str, region: str) -> bool:
        return any(c.vendor == vendor and c.region == region for c in self.computes)

    def vendors(self) -> Iterator[tuple[str, list[tuple[str, list[Compute]]]]]:
        """Vendors in catalog order, each with its regions and their computes."""
        grouped: dict[str, dict[str, list[Compute]]] = {}
        for compute in self.computes:
            grouped.setdefault(compute.vendor, {}).setdefault(compute.region, []).append(compute)
        for vendor, regions in grouped.items():
            yield vendor, list(regions.items())


def _apply_override(raw: Mapping, change: HardwareOverride) -> dict:
    updated = dict(raw)
    if change.status is not None:
        if change.status not in HARDWARE_STATUSES:
            raise ValueError(f"hardware status must be one of {HARDWARE_STATUSES}, not {change.status!r}")
        updated["status"] = change.status
    if change.price_per_hour is not None:
        updated["pricePerHour"] = change.price_per_hour
    return updated
