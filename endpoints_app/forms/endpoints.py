"""The create and update forms: what a person types, turned into an EndpointSpec or an EndpointUpdate."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from endpoints_app import raw_json
from endpoints_app.forms.fields import (
    AssignmentsField,
    HardwareField,
    TagsField,
    WriteOnlyTextarea,
    hardware_key,
)
from endpoints_app.hf.remote import CustomImage, EndpointSpec, EndpointUpdate
from endpoints_app.models import Endpoint, HardwareOption, Namespace
from endpoints_app.naming import suggest_name_in
from endpoints_app.presets import Preset
from endpoints_app.security_types import EndpointType
from endpoints_app.services.operations import ENDPOINT_NAME, NAME_RULE

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


class EndpointCreateForm(EndpointSettingsForm):
    namespace = forms.ModelChoiceField(
        label="Namespace", queryset=Namespace.objects.filter(credential__isnull=False), empty_label=None
    )
    repository = forms.CharField(
        label="Model repository", max_length=200, help_text="On the Hub, e.g. google/gemma-1.1-2b-it."
    )
    name = forms.CharField(
        label="Endpoint name", max_length=32, required=False, help_text=f"{NAME_RULE} Empty: the suggestion."
    )
    task = forms.ChoiceField(label="Task", choices=TASKS)
    framework = forms.ChoiceField(label="Framework", choices=FRAMEWORKS, initial="pytorch")
    endpoint_type = forms.ChoiceField(
        label="Security", choices=EndpointType.choices, initial="authenticated", widget=forms.RadioSelect
    )
    image_url = forms.CharField(
        label="Custom container image",
        max_length=300,
        required=False,
        help_text="Empty: the service picks its default container for the task.",
    )
    health_route = forms.CharField(label="Health route", max_length=200, initial="/health")
    image_env = AssignmentsField(
        label="Container environment", help_text="For the custom image, e.g. MODEL_ID=/repository."
    )

    field_order = [
        "namespace",
        "repository",
        "name",
        "task",
        "framework",
        "revision",
        "image_url",
        "health_route",
        "image_env",
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
        chosen = self._raw_value("namespace")
        namespaces = self.fields["namespace"].queryset
        if isinstance(chosen, Namespace):
            return chosen
        if chosen and str(chosen).isdecimal():  # int() takes these; not "²", which isdigit() accepts
            return namespaces.filter(pk=chosen).first()
        return namespaces.first()

    def clean_repository(self) -> str:
        repository = self.cleaned_data["repository"].strip()
        if not REPOSITORY.match(repository):
            raise ValidationError("Write the repository as owner/name, e.g. google/gemma-1.1-2b-it.")
        return repository

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name and not ENDPOINT_NAME.match(name):
            raise ValidationError(f"Not a valid endpoint name: {NAME_RULE}")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("repository"):
            cleaned["name"] = suggest_name_in(cleaned.get("namespace"), cleaned["repository"])
        return cleaned

    def to_spec(self) -> EndpointSpec:
        data = self.cleaned_data
        hardware: HardwareOption = data["hardware"]
        image = None
        if data["image_url"]:
            image = CustomImage(
                url=data["image_url"], health_route=data["health_route"], env=data["image_env"]
            )
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
            env=data["env"],
            secrets=data["secrets"],
            tags=data["tags"],
        )


class EndpointUpdateForm(EndpointSettingsForm):
    """Changes to an existing endpoint: only the fields that differ from now are sent."""

    def __init__(self, *args: Any, endpoint: Endpoint, **kwargs: Any) -> None:
        kwargs.setdefault("initial", settings_of(endpoint))
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

    def to_update(self) -> EndpointUpdate:
        data, changed = self.cleaned_data, set(self.changed_data)

        def if_changed(field: str) -> Any:
            return data[field] if field in changed else None

        hardware: HardwareOption | None = data["hardware"] if "hardware" in changed else None
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
            env=if_changed("env"),
            secrets=data["secrets"] or None,
            tags=if_changed("tags"),
        )


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
    """The create form prefilled from an endpoint (a new name is suggested; secrets are not copied)."""
    custom_image = endpoint.image if endpoint.image not in ("", "huggingface") else ""
    return {
        **settings_of(endpoint),
        "namespace": endpoint.namespace,
        "repository": endpoint.repository,
        "task": endpoint.task,
        "framework": endpoint.framework or "pytorch",
        "endpoint_type": endpoint.endpoint_type,
        "image_url": custom_image,
        "health_route": endpoint.health_route,
        "image_env": raw_json.image_env(endpoint.raw),
    }


def initial_for_preset(preset: Preset) -> dict[str, Any]:
    return {
        "repository": preset.repository,
        "task": preset.task,
        "framework": preset.framework,
        "endpoint_type": preset.endpoint_type,
        "image_url": preset.image_url,
        "health_route": preset.health_route,
        "image_env": dict(preset.image_env),
        "hardware": hardware_key(preset.vendor, preset.region, preset.instance_type, preset.instance_size),
        "min_replica": preset.min_replica,
        "max_replica": preset.max_replica,
        "scale_to_zero_timeout": preset.scale_to_zero_timeout,
    }
