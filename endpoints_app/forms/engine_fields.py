"""The engine part of the create and update forms: the container, and a field per setting of each engine
(engine_settings.py says which settings there are and where each goes)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

from endpoints_app import image_policy
from endpoints_app.engine_settings import (
    DEFAULT_HEALTH_ROUTE,
    TENSOR_PARALLEL,
    EngineOption,
    ImageSettings,
    Setting,
    join_args,
    parse_args,
)
from endpoints_app.models import HardwareOption

CONTAINER_FIELDS = ("image_url", "health_route", "port", "container_args")


class ContainerForm(forms.Form):
    """The container fields every engine but the default container has."""

    image_url = forms.CharField(
        label="Container image",
        max_length=300,
        required=False,
        help_text="Empty: the engine's published image. Required for a custom container.",
    )
    health_route = forms.CharField(
        label="Health route",
        max_length=200,
        required=False,
        initial=DEFAULT_HEALTH_ROUTE,
        help_text="Where the service checks that the container is ready.",
    )
    port = forms.IntegerField(
        label="Port", min_value=1, max_value=65535, required=False, help_text="Empty: the engine's own."
    )
    container_args = forms.CharField(
        label="Container arguments",
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"class": "mono", "spellcheck": "false"}),
        help_text="Appended to the container's command line, quoted as in a shell, e.g. --enable-lora.",
    )

    def __init__(
        self, *args: Any, user: AbstractBaseUser | AnonymousUser | None = None, **kwargs: Any
    ) -> None:
        """`user`: who deploys, for the images they may choose (image_policy); None may choose no others
        than an operator."""
        super().__init__(*args, **kwargs)
        self.user = user
        if "image_url" in self.fields:
            field = self.fields["image_url"]
            field.help_text = f"{field.help_text} {image_policy.rule(user)}"

    def clean_image_url(self) -> str:
        image = self.cleaned_data["image_url"].strip()
        if "image_url" in self.changed_data and (refused := image_policy.refusal(image, self.user)):
            raise ValidationError(refused)
        return image

    def clean_container_args(self) -> tuple[str, ...]:
        try:
            return parse_args(self.cleaned_data["container_args"])
        except ValueError as error:  # an unclosed quote
            raise ValidationError(f"Could not read the arguments: {error}.") from None

    def clean_health_route(self) -> str:
        route = self.cleaned_data["health_route"].strip() or DEFAULT_HEALTH_ROUTE
        if not route.startswith("/"):
            raise ValidationError("A route starts with /, e.g. /health.")
        return route


def setting_field(setting: Setting) -> forms.Field:
    common = {"label": setting.label, "help_text": setting.help_text, "required": False}
    if setting.choices:
        choices = [("", "The engine's default"), *((choice, choice) for choice in setting.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if setting.text:
        return forms.CharField(max_length=200, **common)
    return forms.IntegerField(min_value=setting.minimum, **common)


def add_setting_fields(form: forms.Form, options: tuple[EngineOption, ...]) -> None:
    for option in options:
        for setting in option.settings:
            form.fields[option.field_name(setting)] = setting_field(setting)


def setting_values(cleaned: dict[str, Any], option: EngineOption) -> dict[str, Any]:
    """The cleaned values of an engine's settings, by setting name (empty ones left out)."""
    values = {setting.name: cleaned.get(option.field_name(setting)) for setting in option.settings}
    return {name: value for name, value in values.items() if value not in (None, "")}


def require_settings(form: forms.Form, option: EngineOption) -> None:
    for setting in option.settings:
        name = option.field_name(setting)
        if setting.required and name not in form.errors and not form.cleaned_data.get(name):
            form.add_error(name, f"{option.label} needs its {setting.label.lower()}.")


def with_parallelism_default(
    option: EngineOption, values: dict[str, Any], hardware: HardwareOption
) -> dict[str, Any]:
    """vLLM and SGLang on an instance of several GPUs, with no parallelism given, are split over all of them:
    the Endpoints UI's default (hf-endpoints-documentation `engines/vllm.md`, "Default Behavior"), which the
    API does not apply by itself (it refuses the deployment: huggingface_hub's guide, "Parallelism on
    multi-accelerator instances")."""
    parallel = ("tensor_parallel_size", "data_parallel_size")
    unset = not any(values.get(name) for name in parallel)
    if TENSOR_PARALLEL in option.settings and hardware.num_accelerators > 1 and unset:
        return {**values, TENSOR_PARALLEL.name: hardware.num_accelerators}
    return values


def check_parallelism(form: forms.Form, option: EngineOption, hardware: HardwareOption | None) -> None:
    """Tensor times data parallel size may not ask for more GPUs than the instance has."""
    if hardware is None or TENSOR_PARALLEL not in option.settings:
        return
    values = setting_values(form.cleaned_data, option)
    needed = values.get("tensor_parallel_size", 1) * values.get("data_parallel_size", 1)
    if needed > hardware.num_accelerators:
        form.add_error(
            option.field_name(TENSOR_PARALLEL),
            f"This needs {needed} GPUs (tensor times data parallel size); the instance has "
            f"{hardware.num_accelerators}.",
        )


def initial_values(current: ImageSettings) -> dict[str, Any]:
    """The engine fields' initial values for an endpoint's image (clone, update)."""
    option = current.option
    values = {
        "image_url": current.url,
        "health_route": current.health_route,
        "port": current.port,
        "container_args": join_args(current.other_args),
    }
    for setting in option.settings if option else ():
        values[option.field_name(setting)] = current.values.get(setting.name)
    return values


@dataclass(frozen=True)
class EngineSection:
    """One engine's settings as the template shows them."""

    option: EngineOption
    fields: list[forms.BoundField]


def sections(form: forms.Form, options: tuple[EngineOption, ...]) -> list[EngineSection]:
    return [
        EngineSection(option, [form[option.field_name(setting)] for setting in option.settings])
        for option in options
    ]
