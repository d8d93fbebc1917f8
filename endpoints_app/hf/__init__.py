"""The HF gateway: the only code that calls the Inference Endpoints API (through huggingface_hub).

Everything else works with the typed results of `remote.py` and the exceptions of `errors.py`.
"""

from endpoints_app.hf.errors import (
    AlreadyExists,
    AuthenticationFailed,
    GatewayError,
    InvalidRequest,
    NoCredential,
    NotAllowed,
    NotFound,
    RateLimited,
    ServiceError,
    Unreachable,
)
from endpoints_app.hf.gateway import HfGateway
from endpoints_app.hf.remote import (
    EndpointSpec,
    EndpointUpdate,
    RemoteCatalogModel,
    RemoteCatalogRecipe,
    RemoteEndpoint,
    RemoteHardware,
    WhoAmI,
)

__all__ = [
    "AlreadyExists",
    "AuthenticationFailed",
    "EndpointSpec",
    "EndpointUpdate",
    "GatewayError",
    "HfGateway",
    "InvalidRequest",
    "NoCredential",
    "NotAllowed",
    "NotFound",
    "RateLimited",
    "RemoteCatalogModel",
    "RemoteCatalogRecipe",
    "RemoteEndpoint",
    "RemoteHardware",
    "ServiceError",
    "Unreachable",
    "WhoAmI",
]
