"""The create and update forms: what a person types, turned into an EndpointSpec or an EndpointUpdate."""

import json
import re
from dataclasses import replace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from endpoints_app import raw_json
from endpoints_app.engine_settings import (
    CUSTOM_VARIANT,
    DEFAULT_VARIANT,
    DEFAULT_VARIANT_BY_TASK,
    OPTIONS,
    EngineOption,
    ImageSettings,
    container_args,
    image_fields,
    option_of,
    read_settings,
)
from endpoints_app.forms.engine_fields import (
    CONTAINER_FIELDS,
    ContainerForm,
    add_setting_fields,
    check_parallelism,
    initial_values,
    require_settings,
    sections,
    setting_values,
    with_parallelism_default,
)
from endpoints_app.forms.fields import (
    AssignmentsField,
    EndpointNameField,
    HardwareField,
    TagsField,
    WriteOnlyTextarea,
    hardware_key,
    namespace_from,
)
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate
from endpoints_app.models import Endpoint, HardwareOption, Namespace
from endpoints_app.naming import suggest_name_in
from endpoints_app.presets import Preset
from endpoints_app.security_types import EndpointType

REPOSITORY = re.compile(r"^[\w.-]+(/[\w.-]+)?$")
TASKS = (
    ("text-generation", "Text generation"),
    ("image-text-to-text", "Image-text to text (multimodal)"),
    ("text-to-image", "Text to image"),
    ("text2text-generation", "Text-to-text generation"),
    ("feature-extraction", "Feature extraction (embeddings)"),
    ("sentence-similarity", "Sentence similarity"),
    ("text-classification", "Text classification"),
    ("custom", "Custom"),
)
FRAMEWORKS = (("pytorch", "PyTorch"), ("custom", "Custom"))
SCALING_METRICS = (
    ("", "Service default"),
    ("pendingRequests", "Pending requests per replica"),
    ("hardwareUsage", "Hardware usage (%)"),
)


class EndpointSettingsForm(forms.Form):
    """What both create and update change: hardware, scaling, revision, environment, secrets, tags."""

    hardware = HardwareField(label="Hardware")
    min_replica = forms.IntegerField(label="Min replicas", min_value=0, max_value=64, initial=0)
    max_replica = forms.IntegerField(label="Max replicas", min_value=1, max_value=64, initial=1)
    scale_to_zero_timeout = forms.IntegerField(
        label="Scale to zero after (minutes idle)",
        min_value=1,
        required=False,
        help_text="Only with min replicas 0. Empty: the service's default (15 minutes).",
    )
    scaling_metric = forms.ChoiceField(label="Autoscaling metric", choices=SCALING_METRICS, required=False)
    scaling_threshold = forms.FloatField(label="Autoscaling threshold", min_value=0, required=False)
    revision = forms.CharField(
        label="Revision",
        max_length=100,
        required=False,
        help_text="A commit of the repository; empty: latest.",
    )
    env = AssignmentsField(label="Environment variables", help_text="One NAME=value per line.")
    secrets = AssignmentsField(
        label="Secrets",
        widget=WriteOnlyTextarea(attrs={"rows": 2, "spellcheck": "false", "class": "mono"}),
        help_text="One NAME=value per line. Write-only: values are never shown again, not even here.",
    )
    tags = TagsField(label="Tags")

    hardware_missing = False  # True when the namespace's provider list is not cached yet

    def set_hardware_options(self, options: list[HardwareOption]) -> None:
        self.fields["hardware"].set_options(options)
        self.hardware_missing = not options

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_replica"), cleaned.get("max_replica")
        if low is not None and high is not None and low > high:
            self.add_error("max_replica", "Max replicas must be at least min replicas.")
        metric, threshold = cleaned.get("scaling_metric"), cleaned.get("scaling_threshold")
        if bool(metric) != (threshold is not None):
            self.add_error("scaling_threshold", "Give the autoscaling metric and its threshold together.")
        return cleaned


class EndpointCreateForm(EndpointSettingsForm, ContainerForm):
    namespace = forms.ModelChoiceField(
        label="Namespace", queryset=Namespace.objects.filter(credential__isnull=False), empty_label=None
    )
    repository = forms.CharField(
        label="Model repository", max_length=200, help_text="On the Hub, e.g. google/gemma-1.1-2b-it."
    )
    name = EndpointNameField()
    task = forms.ChoiceField(label="Task", choices=TASKS)
    framework = forms.ChoiceField(label="Framework", choices=FRAMEWORKS, initial="pytorch")
    endpoint_type = forms.ChoiceField(
        label="Security", choices=EndpointType.choices, initial="authenticated", widget=forms.RadioSelect
    )
    engine = forms.ChoiceField(
        label="Engine",
        choices=[(option.variant, option.label) for option in OPTIONS],
        initial="vLLM",
        required=False,  # none chosen: the task's usual engine, as the page preselects it
        widget=forms.RadioSelect,
    )

    field_order = [
        "namespace",
        "repository",
        "name",
        "task",
        "framework",
        "revision",
        "engine",
        *CONTAINER_FIELDS,
        "hardware",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen_namespace = self._chosen_namespace()  # whose hardware the picker offers
        if not self.is_bound and self.chosen_namespace is not None:
            self.initial["namespace"] = self.chosen_namespace
        options = (
            list(HardwareOption.objects.filter(namespace=self.chosen_namespace))
            if self.chosen_namespace is not None
            else []
        )
        self.set_hardware_options(options)
        add_setting_fields(self, OPTIONS)
        self.fields["task"].widget.attrs["data-engine-by-task"] = json.dumps(DEFAULT_VARIANT_BY_TASK)
        if repository := self._raw_value("repository"):
            self.fields["name"].widget.attrs["placeholder"] = suggest_name_in(
                self.chosen_namespace, repository
            )

    def _raw_value(self, field: str) -> Any:
        """The field's value as submitted (bound) or as given in `initial` (unbound)."""
        if self.is_bound:
            return self.data.get(self.add_prefix(field)) or ""
        return self.initial.get(field) or self.fields[field].initial or ""

    def _chosen_namespace(self) -> Namespace | None:
        """The namespace submitted or given, else the first one a token reaches."""
        return namespace_from(self._raw_value("namespace"), self.fields["namespace"].queryset)

    def clean_repository(self) -> str:
        repository = self.cleaned_data["repository"].strip()
        if not REPOSITORY.match(repository):
            raise ValidationError("Write the repository as owner/name, e.g. google/gemma-1.1-2b-it.")
        return repository

    @property
    def engine_option(self) -> EngineOption:
        """The engine chosen, else the task's usual one; the other engines' settings are ignored."""
        variant = self._raw_value("engine")
        if option_of(variant) is None:
            variant = DEFAULT_VARIANT_BY_TASK.get(self._raw_value("task"), DEFAULT_VARIANT)
        return option_of(variant)

    @property
    def engine_sections(self) -> list:
        return sections(self, OPTIONS)

    @property
    def variants_in_maintenance(self) -> set[str]:
        return {option.variant for option in OPTIONS if option.in_maintenance}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("repository"):
            cleaned["name"] = suggest_name_in(cleaned.get("namespace"), cleaned["repository"])
        chosen = self.engine_option
        # What the chosen engine does not use is never sent, so never refused (and hidden on the page).
        unused = [o.field_name(s) for o in OPTIONS if o is not chosen for s in o.settings]
        for name in unused + ([] if chosen.is_container else list(CONTAINER_FIELDS)):
            self.errors.pop(name, None)
        if chosen.variant == CUSTOM_VARIANT and cleaned.get("image_url") == "":  # absent: refused already
            self.add_error("image_url", "A custom container needs its image, e.g. registry.example.com/a:1.")
        require_settings(self, chosen)
        check_parallelism(self, chosen, cleaned.get("hardware"))
        return cleaned

    def to_spec(self) -> EndpointSpec:
        data = self.cleaned_data
        hardware: HardwareOption = data["hardware"]
        option, image, args = self.engine_option, None, ()
        if option.is_container:
            values = with_parallelism_default(option, setting_values(data, option), hardware)
            image = CustomImage(
                url=data["image_url"] or option.default_image(hardware.accelerator),
                health_route=data["health_route"],
                variant=option.variant,
                port=data["port"] or option.port,
                settings=image_fields(option, values),
            )
            args = container_args(option, values, data["container_args"])
        return EndpointSpec(
            name=data["name"],
            repository=data["repository"],
            task=data["task"],
            framework=data["framework"],
            revision=data["revision"] or None,
            vendor=hardware.vendor,
            region=hardware.region,
            accelerator=hardware.accelerator,
            instance_type=hardware.instance_type,
            instance_size=hardware.instance_size,
            endpoint_type=data["endpoint_type"],
            min_replica=data["min_replica"],
            max_replica=data["max_replica"],
            scale_to_zero_timeout=data["scale_to_zero_timeout"],
            scaling_metric=data["scaling_metric"] or None,
            scaling_threshold=data["scaling_threshold"],
            custom_image=image,
            container_args=args,
            env=data["env"],
            secrets=data["secrets"],
            tags=data["tags"],
        )


class EndpointUpdateForm(EndpointSettingsForm, ContainerForm):
    """Changes to an existing endpoint: only the fields that differ from now are sent. The engine stays (the
    service cannot change it on an endpoint: hf-endpoints-documentation `engines/tgi.md`, "Migration Guide");
    its image and settings can change."""

    def __init__(self, *args: Any, endpoint: Endpoint, **kwargs: Any) -> None:
        self.current = read_settings(endpoint.raw.get("model") or {})
        kwargs.setdefault("initial", {**settings_of(endpoint), **initial_values(self.current)})
        super().__init__(*args, **kwargs)
        self.endpoint = endpoint
        # The API moves an endpoint to other hardware of its vendor and region, not elsewhere.
        self.set_hardware_options(
            list(
                HardwareOption.objects.filter(
                    namespace=endpoint.namespace, vendor=endpoint.vendor, region=endpoint.region
                )
            )
        )
        names = raw_json.secret_names(endpoint.raw)
        if names:
            self.fields["secrets"].help_text = (
                f"Current secrets: {', '.join(names)}. Empty keeps them; anything typed here replaces them "
                "all. Values are never shown."
            )
        self.engine_note = _why_the_engine_is_fixed(self.current)
        self.engine_option = None if self.engine_note else self.current.option
        if self.engine_option is None:
            for name in CONTAINER_FIELDS:
                del self.fields[name]
        else:
            add_setting_fields(self, (self.engine_option,))

    @property
    def engine_sections(self) -> list:
        return sections(self, (self.engine_option,)) if self.engine_option else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.engine_option is not None:
            require_settings(self, self.engine_option)
            check_parallelism(self, self.engine_option, cleaned.get("hardware"))
        return cleaned

    def to_update(self) -> EndpointUpdate:
        data, changed = self.cleaned_data, set(self.changed_data)

        def if_changed(field: str) -> Any:
            return data[field] if field in changed else None

        hardware: HardwareOption | None = data["hardware"] if "hardware" in changed else None
        image, args = self._engine_changes(changed, hardware)
        return EndpointUpdate(
            accelerator=hardware.accelerator if hardware else None,
            instance_type=hardware.instance_type if hardware else None,
            instance_size=hardware.instance_size if hardware else None,
            min_replica=if_changed("min_replica"),
            max_replica=if_changed("max_replica"),
            scale_to_zero_timeout=if_changed("scale_to_zero_timeout"),
            scaling_metric=if_changed("scaling_metric") or None,
            scaling_threshold=if_changed("scaling_threshold"),
            revision=if_changed("revision") or None,
            custom_image=image,
            container_args=args,
            env=if_changed("env"),
            secrets=data["secrets"] or None,
            tags=if_changed("tags"),
        )

    def _engine_changes(
        self, changed: set[str], hardware: HardwareOption | None
    ) -> tuple[CustomImage | None, tuple[str, ...] | None]:
        """The whole image when one of its fields changed (the API replaces `model.image` as a whole: the
        fields the console does not show are sent back as they are), and the arguments when they changed."""
        option = self.engine_option
        if option is None:
            return None, None
        data = self.cleaned_data
        typed = setting_values(data, option)
        values = with_parallelism_default(option, typed, hardware) if hardware else typed
        in_image = {option.field_name(s) for s in option.settings if s.image_field}
        in_args = {option.field_name(s) for s in option.settings if s.flag}
        image = None
        if changed & {"image_url", "health_route", "port", *in_image} or values != typed:
            image = replace(
                self.current,
                url=data["image_url"] or option.default_image(self.endpoint.accelerator),
                health_route=data["health_route"],
                port=data["port"],
                values=values,
            ).as_image()
        args = None
        if changed & {"container_args", *in_args}:
            args = container_args(option, values, data["container_args"])
        return image, args


def _why_the_engine_is_fixed(current: ImageSettings) -> str:
    """Why the update form offers no engine fields for this image, or "" when it does."""
    if current.option is None:
        return f"The console does not know the settings of this image (variant {current.variant})."
    if not current.option.is_container:
        return "The default container has no engine settings."
    if current.has_credentials:
        return (
            "This image logs in to its registry, whose password the API never shows: the console cannot "
            "send the image back, so it leaves it as it is."
        )
    return ""


def settings_of(endpoint: Endpoint) -> dict[str, Any]:
    """The settings form's initial values: the endpoint as it is now."""
    metric, threshold = raw_json.scaling_measure(endpoint.raw)
    return {
        "hardware": hardware_key(
            endpoint.vendor, endpoint.region, endpoint.instance_type, endpoint.instance_size
        ),
        "min_replica": endpoint.min_replica,
        "max_replica": endpoint.max_replica,
        "scale_to_zero_timeout": endpoint.scale_to_zero_timeout,
        "scaling_metric": metric,
        "scaling_threshold": threshold,
        "revision": endpoint.revision,
        "env": raw_json.model_env(endpoint.raw),
        "tags": tuple(sorted(tag.name for tag in endpoint.tags.all())),
    }


def initial_for_clone(endpoint: Endpoint) -> dict[str, Any]:
    """The create form prefilled from an endpoint, its engine and settings included (a new name is suggested;
    secrets are not copied)."""
    current = read_settings(endpoint.raw.get("model") or {})
    return {
        **settings_of(endpoint),
        **initial_values(current),
        "namespace": endpoint.namespace,
        "repository": endpoint.repository,
        "task": endpoint.task,
        "framework": endpoint.framework or "pytorch",
        "endpoint_type": endpoint.endpoint_type,
        "engine": current.variant,
    }


def initial_for_preset(preset: Preset) -> dict[str, Any]:
    option = option_of(preset.engine)
    settings = {option.field_name(setting): preset.settings.get(setting.name) for setting in option.settings}
    return {
        "repository": preset.repository,
        "task": preset.task,
        "framework": preset.framework,
        "endpoint_type": preset.endpoint_type,
        "engine": preset.engine,
        "image_url": preset.image_url,
        "health_route": preset.health_route,
        "env": dict(preset.env),
        **settings,
        "hardware": hardware_key(preset.vendor, preset.region, preset.instance_type, preset.instance_size),
        "min_replica": preset.min_replica,
        "max_replica": preset.max_replica,
        "scale_to_zero_timeout": preset.scale_to_zero_timeout,
    }
