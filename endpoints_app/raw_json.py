"""Reading the parts of an endpoint's raw API JSON that the mirror has no column for."""

import copy
from typing import Any

SECRET_MASK = "********"  # noqa: S105 - what is shown in place of a secret's value


def _model(raw: dict[str, Any]) -> dict[str, Any]:
    return raw.get("model") or {}


def model_env(raw: dict[str, Any]) -> dict[str, str]:
    """The endpoint's environment variables (`model.env`)."""
    return dict(_model(raw).get("env") or {})


def secret_names(raw: dict[str, Any]) -> list[str]:
    return sorted(_model(raw).get("secrets") or {})


def scaling_measure(raw: dict[str, Any]) -> tuple[str, float | None]:
    """The autoscaling metric and its threshold (`compute.scaling.measure`), or ("", None) when none was set:
    the API answers `{"hardwareUsage": null}` for the service's default."""
    measure = ((raw.get("compute") or {}).get("scaling") or {}).get("measure") or {}
    for metric, threshold in measure.items():
        if threshold is not None:
            return metric, threshold
    return "", None


def redacted(raw: dict[str, Any]) -> dict[str, Any]:
    """The raw JSON with every secret value masked (the API masks them already; this page never trusts it)."""
    shown = copy.deepcopy(raw)
    secrets = _model(shown).get("secrets")
    if isinstance(secrets, dict):
        shown["model"]["secrets"] = dict.fromkeys(secrets, SECRET_MASK)
    return shown
