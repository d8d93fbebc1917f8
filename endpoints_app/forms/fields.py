"""Form fields for endpoint settings: names, NAME=value lists, write-only secrets, tags, hardware."""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from endpoints_app.models import HardwareOption, Namespace
from endpoints_app.services.operations import ENDPOINT_NAME, NAME_RULE

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


class EndpointNameField(forms.CharField):
    """A new endpoint's name, as the service allows it; empty for the suggestion."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Endpoint name")
        kwargs.setdefault("help_text", f"{NAME_RULE} Empty: the suggestion.")
        super().__init__(max_length=32, required=False, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not ENDPOINT_NAME.match(value):
            raise ValidationError(f"Not a valid endpoint name: {NAME_RULE}")


def namespace_from(value: Any, namespaces: QuerySet[Namespace]) -> Namespace | None:
    """The namespace a form was given (a row, or the id a browser sent), else the first of `namespaces`."""
    if isinstance(value, Namespace):
        return value
    if value and str(value).isdecimal():  # int() takes these; not "²", which isdigit() accepts
        return namespaces.filter(pk=value).first()
    return namespaces.first()


def parse_assignments(text: str) -> dict[str, str]:
    """'NAME=value' lines into a dict; blank lines and '#' comments are skipped."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, value = line.partition("=")
        name = name.strip()
        if not separator or not ENV_NAME.match(name):
            raise ValidationError(
                f"Line {number}: write NAME=value, the name made of letters, digits and underscores."
            )
        values[name] = value
    return values


class AssignmentsField(forms.CharField):
    """A textarea of NAME=value lines, cleaned into a dict."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return "\n".join(f"{name}={text}" for name, text in value.items())
        return value

    def to_python(self, value: Any) -> dict[str, str]:
        return parse_assignments(super().to_python(value) or "")


class WriteOnlyTextarea(forms.Textarea):
    """Never renders its value: what was typed into it is not sent back to the browser."""

    def format_value(self, value: Any) -> None:
        return None


class TagsField(forms.CharField):
    """Tags separated by commas or spaces, cleaned into a sorted tuple without duplicates."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Separated by commas, e.g. team-nlp, staging.")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> tuple[str, ...]:
        names = sorted({name for name in re.split(r"[,\s]+", super().to_python(value) or "") if name})
        invalid = [name for name in names if not TAG.match(name)]
        if invalid:
            raise ValidationError(
                f"Not a valid tag: {', '.join(invalid)} (letters, digits, '-', '_', '.', ':'; 64 at most)."
            )
        return tuple(names)


def hardware_key(vendor: str, region: str, instance_type: str, instance_size: str) -> str:
    """The picker's value for an instance: stable across refreshes of the provider list."""
    return f"{vendor}/{region}/{instance_type}/{instance_size}"


def hardware_label(option: HardwareOption) -> str:
    """'NVIDIA A10G x1 · 24 GB GPU · $1.00/h · quota: 3 of 4 free', and its availability unless plain."""
    name = option.architecture or option.instance_type
    if option.accelerator == "gpu":
        parts = [f"{name} x{option.num_accelerators}", f"{option.gpu_memory_gb or option.memory_gb:g} GB GPU"]
    else:
        parts = [f"{name} · {option.num_cpus or '?'} vCPU", f"{option.memory_gb:g} GB"]
    parts.append(f"${option.price_per_hour:.2f}/h")
    if option.quota_left is not None:
        parts.append(f"quota: {option.quota_left} of {option.quota_max_accelerators} free")
    if option.status != "available":
        parts.append(option.status.replace("_", " "))
    return " · ".join(parts)


class HardwareSelect(forms.Select):
    """A select grouped by vendor and region whose unavailable instances are shown but disabled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class HardwareField(forms.ChoiceField):
    """Chooses one instance of the cached provider list; cleaned into its HardwareOption."""

    widget = HardwareSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options: dict[str, HardwareOption] = {}

    def set_options(self, options: Iterable[HardwareOption]) -> None:
        self.options = {
            hardware_key(o.vendor, o.region, o.instance_type, o.instance_size): o for o in options
        }
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, option in self.options.items():
            groups.setdefault(f"{option.vendor} · {option.region}", []).append((key, hardware_label(option)))
        self.choices = [("", "Choose the hardware…"), *groups.items()]
        self.widget.disabled_values = {key for key, option in self.options.items() if not option.is_available}

    def clean(self, value: Any) -> HardwareOption | None:
        key = super().clean(value)
        if not key:
            return None
        option = self.options[key]
        if not option.is_available:
            raise ValidationError(f"{hardware_label(option)}: this instance cannot be chosen now.")
        return option
