"""Typed views of what the API returns, and of what the console asks it to do."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime

from endpoints_app import security_types
from endpoints_app.engines import Engine, engine_of_image


@dataclass(frozen=True)
class WhoAmI:
    name: str
    organizations: tuple[str, ...]

    @property
    def namespaces(self) -> tuple[str, ...]:
        return (self.name, *self.organizations)


@dataclass(frozen=True)
class RemoteEndpoint:
    """An endpoint as the API describes it (the payload huggingface_hub's `InferenceEndpoint.from_raw` reads;
    hubsim/README.md describes what hubsim serves)."""

    namespace: str
    name: str
    status: str
    message: str
    url: str
    endpoint_type: str
    repository: str
    revision: str
    task: str
    framework: str
    image: str
    engine: Engine
    health_route: str
    vendor: str
    region: str
    accelerator: str
    instance_type: str
    instance_size: str
    min_replica: int
    max_replica: int
    scale_to_zero_timeout: int | None
    ready_replica: int
    target_replica: int
    tags: tuple[str, ...]
    created_by: str
    updated_by: str
    created_at: datetime | None
    updated_at: datetime | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, namespace: str, raw: dict[str, Any]) -> "RemoteEndpoint":
        status = raw.get("status") or {}
        compute = raw.get("compute") or {}
        scaling = compute.get("scaling") or {}
        model = raw.get("model") or {}
        provider = raw.get("provider") or {}
        return cls(
            namespace=namespace,
            name=raw["name"],
            status=status.get("state", ""),
            message=status.get("message") or "",
            url=status.get("url") or "",
            endpoint_type=raw.get("type", ""),
            repository=model.get("repository", ""),
            revision=model.get("revision") or "",
            task=model.get("task") or "",
            framework=model.get("framework") or "",
            image=_image_label(model.get("image") or {}),
            engine=engine_of_image(model.get("image")),
            health_route=raw.get("healthRoute") or _custom_image(model).get("health_route") or "/health",
            vendor=provider.get("vendor", ""),
            region=provider.get("region", ""),
            accelerator=compute.get("accelerator", ""),
            instance_type=compute.get("instanceType", ""),
            instance_size=compute.get("instanceSize", ""),
            min_replica=int(scaling.get("minReplica") or 0),
            max_replica=int(scaling.get("maxReplica") or 0),
            scale_to_zero_timeout=scaling.get("scaleToZeroTimeout"),
            ready_replica=int(status.get("readyReplica") or 0),
            target_replica=int(status.get("targetReplica") or 0),
            tags=tuple(raw.get("tags") or ()),
            created_by=(status.get("createdBy") or {}).get("name", ""),
            updated_by=(status.get("updatedBy") or {}).get("name", ""),
            created_at=_datetime(status.get("createdAt")),
            updated_at=_datetime(status.get("updatedAt")),
            raw=raw,
        )

    @property
    def behind_private_link(self) -> bool:
        return security_types.behind_private_link(self.raw)


def _custom_image(model: dict[str, Any]) -> dict[str, Any]:
    image = model.get("image") or {}
    return image.get("custom") or image.get("tgi") or {}


def _image_label(image: dict[str, Any]) -> str:
    """'huggingface' for the default container, else the custom image's URL."""
    for kind, details in image.items():
        if isinstance(details, dict) and details.get("url"):
            return str(details["url"])
        if kind == "huggingface":
            return "huggingface"
    return ""


def _datetime(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


@dataclass(frozen=True)
class RemoteHardware:
    """One entry of the provider list."""

    compute_id: str
    vendor: str
    region: str
    accelerator: str
    instance_type: str
    instance_size: str
    architecture: str
    num_accelerators: int
    num_cpus: int | None
    memory_gb: float
    gpu_memory_gb: float | None
    price_per_hour: Decimal
    status: str
    quota_max_accelerators: int | None
    quota_used_accelerators: int | None


@dataclass(frozen=True)
class RemoteCatalogRecipe:
    """A tested way of deploying a catalog model: its engine and accelerator and, when the catalog says it,
    its hardware (`provider` and `compute`, whose instance the provider list prices)."""

    public_id: str  # the recipe's id, as huggingface_hub's recipe_id argument takes it
    accelerator: str
    engine: str  # the catalog's engine: vllm, sglang, llamacpp, tei
    gguf_file: str
    revision: str
    vendor: str = ""
    region: str = ""
    instance_type: str = ""
    instance_size: str = ""
    compute_id: str = ""


@dataclass(frozen=True)
class RemoteCatalogModel:
    repo_id: str
    name: str
    author: str
    license: str
    task: str
    created_at: datetime | None
    recipes: tuple[RemoteCatalogRecipe, ...]


@dataclass(frozen=True)
class CustomImage:
    """`model.image`, as huggingface_hub's `custom_image` argument takes it: one variant, `custom` or an
    engine's (`vLLM`, `sGLang`, `llamacpp`, `tei`, `tgi`), with only the fields that variant declares (the API
    drops any other without an error: hubsim/endpoints/images.py). `settings` holds the variant's own fields
    (`tensorParallelSize`, `maxBatchTokens` ...: engine_settings.py says which). The container's environment
    is not an image field: it goes in `model.env` (EndpointSpec.env)."""

    url: str
    health_route: str = "/health"
    variant: str = "custom"
    port: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def as_payload(self) -> dict[str, Any]:
        config = {"url": self.url, "healthRoute": self.health_route, **self.settings}
        if self.port is not None:
            config["port"] = self.port
        return {self.variant: config}


@dataclass(frozen=True)
class EndpointSpec:
    """Everything needed to create an endpoint; mirrors `create_inference_endpoint`'s arguments."""

    name: str
    repository: str
    task: str
    vendor: str
    region: str
    accelerator: str
    instance_type: str
    instance_size: str
    framework: str = "pytorch"
    revision: str | None = None
    endpoint_type: str = "authenticated"
    min_replica: int = 0
    max_replica: int = 1
    scale_to_zero_timeout: int | None = None
    scaling_metric: str | None = None
    scaling_threshold: float | None = None
    custom_image: CustomImage | None = None  # None: the service's default container for the task
    container_args: tuple[str, ...] = ()  # `model.args`, appended to the container's entrypoint
    env: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndpointUpdate:
    """The fields to change on an endpoint; None means 'leave as it is'."""

    accelerator: str | None = None
    instance_type: str | None = None
    instance_size: str | None = None
    min_replica: int | None = None
    max_replica: int | None = None
    scale_to_zero_timeout: int | None = None
    scaling_metric: str | None = None
    scaling_threshold: float | None = None
    revision: str | None = None
    custom_image: CustomImage | None = None  # the whole image: the API replaces `model.image` as a whole
    container_args: tuple[str, ...] | None = None
    env: dict[str, str] | None = None
    secrets: dict[str, str] | None = field(default=None, repr=False)
    tags: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in self.__dict__.values())


@dataclass(frozen=True)
class LogLine:
    at: datetime | None
    replica: str
    kind: str  # "build" or "runtime"
    level: str  # "info", "warn" or "error"
    message: str


@dataclass(frozen=True)
class LogPage:
    """The latest lines that match, oldest first, and the cursor of the lines before them (None: no more)."""

    lines: tuple[LogLine, ...]
    next_cursor: str | None
