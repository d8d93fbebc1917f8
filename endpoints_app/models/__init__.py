"""The endpoint registry's models: credentials and namespaces, the endpoint mirror, operations, audit, and
the Inference Catalog."""

from endpoints_app.models.api_health import ApiHealth
from endpoints_app.models.audit import AuditEntry
from endpoints_app.models.catalog import CatalogModel, CatalogRecipe
from endpoints_app.models.credentials import Credential, Namespace
from endpoints_app.models.endpoints import Endpoint, EndpointStatus, StatusEvent, Tag
from endpoints_app.models.hardware import HardwareOption
from endpoints_app.models.operations import Operation, OperationKind, OperationState
from endpoints_app.models.usage import UsageKind, UsageRecord

__all__ = [
    "ApiHealth",
    "AuditEntry",
    "CatalogModel",
    "CatalogRecipe",
    "Credential",
    "Endpoint",
    "EndpointStatus",
    "HardwareOption",
    "Namespace",
    "Operation",
    "OperationKind",
    "OperationState",
    "StatusEvent",
    "Tag",
    "UsageKind",
    "UsageRecord",
]
