"""Calls to the Inference Endpoints API, with the credential's token passed explicitly on every call."""

import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
from django.conf import settings
from django.utils.dateparse import parse_datetime
from huggingface_hub import HfApi, constants
from huggingface_hub._inference_endpoints import InferenceCatalogModel
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

from endpoints_app import inference_servers
from endpoints_app.hf import api_health
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
from endpoints_app.hf.open_metrics import OpenMetrics, UnreadableMetrics, parse_open_metrics
from endpoints_app.hf.remote import (
    EndpointSpec,
    EndpointUpdate,
    LogLine,
    LogPage,
    RemoteCatalogModel,
    RemoteCatalogRecipe,
    RemoteEndpoint,
    RemoteHardware,
    WhoAmI,
)
from endpoints_app.hf.retry import RetryPolicy
from endpoints_app.security_types import authorization

if TYPE_CHECKING:
    from endpoints_app.models import Namespace

logger = logging.getLogger(__name__)
T = TypeVar("T")
LIBRARY_NAME = "endpoints-console"
DEFAULT_RETRY_AFTER_SECONDS = 1.0


class HfGateway:
    def __init__(self, token: str, *, retry: RetryPolicy | None = None) -> None:
        self._token = token
        self._retry = retry or RetryPolicy.from_settings()
        self._api = HfApi(endpoint=settings.HF_ENDPOINT, library_name=LIBRARY_NAME)

    def __repr__(self) -> str:
        return "HfGateway(token=<hidden>)"

    @classmethod
    def for_namespace(cls, namespace: "Namespace", *, retry: RetryPolicy | None = None) -> "HfGateway":
        if namespace.credential is None:
            raise NoCredential(
                f"No Hugging Face token reaches the namespace {namespace.name}. An admin can add one on the "
                "Credentials page."
            )
        return cls(namespace.credential.reveal_token(), retry=retry)

    # --- Hub --------------------------------------------------------------------------------------------
    def whoami(self) -> WhoAmI:
        info = self._call("check the token", lambda: self._api.whoami(token=self._token))
        organizations = tuple(org["name"] for org in info.get("orgs") or [] if org.get("name"))
        return WhoAmI(name=info["name"], organizations=organizations)

    # --- Endpoints --------------------------------------------------------------------------------------
    def list_endpoints(self, namespace: str) -> list[RemoteEndpoint]:
        endpoints = self._call(
            f"list the endpoints of {namespace}",
            lambda: self._api.list_inference_endpoints(namespace=namespace, token=self._token),
        )
        return [RemoteEndpoint.from_raw(namespace, endpoint.raw) for endpoint in endpoints]

    def get_endpoint(self, namespace: str, name: str) -> RemoteEndpoint:
        endpoint = self._call(
            f"read {namespace}/{name}",
            lambda: self._api.get_inference_endpoint(name, namespace=namespace, token=self._token),
        )
        return RemoteEndpoint.from_raw(namespace, endpoint.raw)

    def create_endpoint(self, namespace: str, spec: EndpointSpec) -> RemoteEndpoint:
        """Creates the endpoint. A create is never sent twice: before a retry, it checks whether the first
        attempt went through after all."""

        def create() -> RemoteEndpoint:
            endpoint = self._api.create_inference_endpoint(
                spec.name,
                namespace=namespace,
                token=self._token,
                repository=spec.repository,
                framework=spec.framework,
                task=spec.task,
                accelerator=spec.accelerator,
                vendor=spec.vendor,
                region=spec.region,
                instance_type=spec.instance_type,
                instance_size=spec.instance_size,
                revision=spec.revision or None,
                type=spec.endpoint_type,
                min_replica=spec.min_replica,
                max_replica=spec.max_replica,
                scale_to_zero_timeout=spec.scale_to_zero_timeout,
                scaling_metric=spec.scaling_metric,
                scaling_threshold=spec.scaling_threshold,
                custom_image=spec.custom_image.as_payload() if spec.custom_image else None,
                container_args=list(spec.container_args) or None,
                env=dict(spec.env) or None,
                secrets=dict(spec.secrets) or None,
                tags=list(spec.tags) or None,
            )
            return RemoteEndpoint.from_raw(namespace, endpoint.raw)

        created_meanwhile = self._created_meanwhile(namespace, spec.name)
        return self._call(f"create {namespace}/{spec.name}", create, before_retry=created_meanwhile)

    def _created_meanwhile(self, namespace: str, name: str) -> Callable[[], RemoteEndpoint | None]:
        """What to ask before sending a create again: the endpoint, if the first attempt made it after all."""

        def existing() -> RemoteEndpoint | None:
            try:
                return self.get_endpoint(namespace, name)
            except NotFound:
                return None

        return existing

    def update_endpoint(self, namespace: str, name: str, update: EndpointUpdate) -> RemoteEndpoint:
        endpoint = self._call(
            f"update {namespace}/{name}",
            lambda: self._api.update_inference_endpoint(
                name,
                namespace=namespace,
                token=self._token,
                accelerator=update.accelerator,
                instance_type=update.instance_type,
                instance_size=update.instance_size,
                min_replica=update.min_replica,
                max_replica=update.max_replica,
                scale_to_zero_timeout=update.scale_to_zero_timeout,
                scaling_metric=update.scaling_metric,
                scaling_threshold=update.scaling_threshold,
                revision=update.revision,
                custom_image=update.custom_image.as_payload() if update.custom_image else None,
                container_args=list(update.container_args) if update.container_args is not None else None,
                env=update.env,
                secrets=update.secrets,
                tags=list(update.tags) if update.tags is not None else None,
            ),
        )
        return RemoteEndpoint.from_raw(namespace, endpoint.raw)

    def pause_endpoint(self, namespace: str, name: str) -> RemoteEndpoint:
        endpoint = self._call(
            f"pause {namespace}/{name}",
            lambda: self._api.pause_inference_endpoint(name, namespace=namespace, token=self._token),
        )
        return RemoteEndpoint.from_raw(namespace, endpoint.raw)

    def resume_endpoint(self, namespace: str, name: str) -> RemoteEndpoint:
        endpoint = self._call(
            f"resume {namespace}/{name}",
            lambda: self._api.resume_inference_endpoint(
                name, namespace=namespace, token=self._token, running_ok=True
            ),
        )
        return RemoteEndpoint.from_raw(namespace, endpoint.raw)

    def scale_endpoint_to_zero(self, namespace: str, name: str) -> RemoteEndpoint:
        endpoint = self._call(
            f"scale {namespace}/{name} to zero",
            lambda: self._api.scale_to_zero_inference_endpoint(name, namespace=namespace, token=self._token),
        )
        return RemoteEndpoint.from_raw(namespace, endpoint.raw)

    def delete_endpoint(self, namespace: str, name: str) -> None:
        """Deletes the endpoint; one already gone counts as deleted."""
        try:
            self._call(
                f"delete {namespace}/{name}",
                lambda: self._api.delete_inference_endpoint(name, namespace=namespace, token=self._token),
            )
        except NotFound:
            logger.info("Endpoint %s/%s was already deleted.", namespace, name)

    def list_hardware(self, namespace: str) -> list[RemoteHardware]:
        entries = self._call(
            f"list the hardware of {namespace}",
            lambda: self._api.list_inference_endpoints_hardware(namespace=namespace, token=self._token),
        )
        return [
            RemoteHardware(
                compute_id=entry.id,
                vendor=entry.vendor,
                region=entry.region,
                accelerator=entry.accelerator,
                instance_type=entry.instance_type,
                instance_size=entry.instance_size,
                architecture=entry.architecture or "",
                num_accelerators=entry.num_accelerators or 0,
                num_cpus=entry.num_cpus,
                memory_gb=float(entry.memory_gb or 0),
                gpu_memory_gb=entry.gpu_memory_gb,
                price_per_hour=Decimal(str(entry.price_per_hour)),
                status=entry.status,
                quota_max_accelerators=entry.max_accelerators,
                quota_used_accelerators=entry.used_accelerators,
            )
            for entry in entries
        ]

    # --- Inference Catalog ------------------------------------------------------------------------------
    def list_catalog(self) -> list[RemoteCatalogModel]:
        """Every model of the Inference Catalog, with its recipes and their hardware.

        huggingface_hub's `list_inference_catalog` asks `GET {catalog}/list` and keeps of each recipe its id,
        accelerator, engine, GGUF file and revision (`InferenceCatalogRecipe.from_raw`), dropping its
        `provider` and `compute`: the hardware whose price the catalog page shows. So this asks the same route
        the same way (the library's session, headers and error check) and reads each item with the library's
        `InferenceCatalogModel.from_raw`, taking only the hardware from the answer itself.
        """

        def fetch() -> list[dict]:
            response = get_session().get(
                f"{constants.INFERENCE_CATALOG_ENDPOINT}/list",
                headers=build_hf_headers(token=self._token, library_name=LIBRARY_NAME),
            )
            hf_raise_for_status(response)
            return response.json()["items"]

        return [_catalog_model(item) for item in self._call("list the Inference Catalog", fetch)]

    def deploy_from_catalog(self, namespace: str, recipe_id: str, name: str) -> RemoteEndpoint:
        """Deploys a catalog recipe as `name`. Like a create, never sent twice: before a retry, it checks
        whether the first attempt went through after all."""

        def deploy() -> RemoteEndpoint:
            endpoint = self._api.create_inference_endpoint_from_catalog(
                recipe_id=recipe_id, name=name, namespace=namespace, token=self._token
            )
            return RemoteEndpoint.from_raw(namespace, endpoint.raw)

        return self._call(
            f"deploy the catalog recipe {recipe_id} as {namespace}/{name}",
            deploy,
            before_retry=self._created_meanwhile(namespace, name),
        )

    # --- Observability ----------------------------------------------------------------------------------
    def endpoint_open_metrics(self, namespace: str, name: str) -> OpenMetrics:
        """The endpoint's requests by replica and status, latency quantiles and replicas, as the service
        counts them: every request its replicas answered, whatever the engine.

        `GET /v2/endpoint/{namespace}/{name}/open-metrics` with the namespace's token (Inference Endpoints
        documentation, `guides/analytics.md`; a Beta for Enterprise subscribers, `guides/openmetrics.md`).
        huggingface_hub has no function for it: it is asked with the library's session and headers.
        """
        what = f"read the open-metrics of {namespace}/{name}"
        text = self._call(what, lambda: self._observability_get(namespace, name, "open-metrics", {}).text)
        try:
            return parse_open_metrics(text)
        except UnreadableMetrics as error:
            raise InvalidRequest(f"Could not {what}: the answer was {error}.") from None

    def endpoint_logs(
        self,
        namespace: str,
        name: str,
        *,
        replica: str = "",
        level: str = "",
        cursor: str = "",
        limit: int = 50,
    ) -> LogPage:
        """The latest `limit` log lines of the endpoint (of one replica, at `level` or more severe), oldest
        first; `cursor` (a page's `next_cursor`) asks for the lines before that page.

        The logs route is not in the public documentation: `/logs` with a `replica` parameter is what two
        public clients of the API call; the other parameters and the answer's shape are hubsim's (assumed: see
        hubsim/README.md, "Observability"). This is the one place that knows them.
        """
        params = {"replica": replica, "level": level, "cursor": cursor, "limit": str(limit)}
        answer = self._call(
            f"read the logs of {namespace}/{name}",
            lambda: self._observability_get(namespace, name, "logs", {k: v for k, v in params.items() if v}),
        ).json()
        lines = tuple(
            LogLine(
                at=parse_datetime(item.get("timestamp") or ""),
                replica=item.get("replica", ""),
                kind=item.get("kind", ""),
                level=item.get("level", ""),
                message=item.get("message", ""),
            )
            for item in answer.get("items") or []
        )
        return LogPage(lines=lines, next_cursor=answer.get("nextCursor") or None)

    def _observability_get(self, namespace: str, name: str, route: str, params: dict[str, str]) -> Any:
        """`GET /v2/endpoint/{namespace}/{name}/{route}`: huggingface_hub has no call for the observability
        routes, so they are asked with the library's session and headers, as the catalog is."""
        response = get_session().get(
            f"{constants.INFERENCE_ENDPOINTS_ENDPOINT}/endpoint/{namespace}/{name}/{route}",
            params=params,
            headers=build_hf_headers(token=self._token, library_name=LIBRARY_NAME),
            timeout=settings.HF_API_TIMEOUT_SECONDS,
        )
        hf_raise_for_status(response)
        return response

    # --- Inference server -------------------------------------------------------------------------------
    def check_health(self, endpoint_url: str, health_route: str, endpoint_type: str) -> bool:
        """True when the endpoint's health route answers 200 (what "running" means to the console).

        `endpoint_url` must come from the mirror (an endpoint's `status.url`), never from a user; the token
        goes only to a type that requires one (security_types.authorization).
        """
        url = f"{endpoint_url.rstrip('/')}/{health_route.lstrip('/')}"
        try:
            response = inference_servers.client().get(
                url,
                headers=authorization(endpoint_type, self._token),
                timeout=settings.HF_API_TIMEOUT_SECONDS,
                follow_redirects=False,
            )
        except httpx2.HTTPError:
            return False
        return response.status_code == 200

    # --- Errors and retries -----------------------------------------------------------------------------
    def _call(
        self, what: str, call: Callable[[], T], before_retry: Callable[[], T | None] | None = None
    ) -> T:
        attempt = 1
        while True:
            try:
                result = call()
            except Exception as raw_error:
                error = translate_error(raw_error, what)
                if error is None:
                    raise
                api_health.record_failure(error)
                delay = self._retry.delay_before_retry(attempt, error)
                if delay is None:
                    raise error from None
                logger.warning(
                    "Could not %s (%s); attempt %d again in %.1f s.", what, error, attempt + 1, delay
                )
                time.sleep(delay)
                attempt += 1
                if before_retry is not None and (done := before_retry()) is not None:
                    api_health.record_success()
                    return done
                continue
            api_health.record_success()
            return result


def _catalog_model(item: dict[str, Any]) -> RemoteCatalogModel:
    model = InferenceCatalogModel.from_raw(item)
    return RemoteCatalogModel(
        repo_id=model.repo_id,
        name=model.name,
        author=model.author,
        license=model.license,
        task=model.task,
        created_at=model.created_at,
        recipes=tuple(
            _catalog_recipe(recipe, raw) for recipe, raw in zip(model.recipes, item["recipes"], strict=True)
        ),
    )


def _catalog_recipe(recipe: Any, raw: dict[str, Any]) -> RemoteCatalogRecipe:
    provider, compute = raw.get("provider") or {}, raw.get("compute") or {}
    return RemoteCatalogRecipe(
        public_id=recipe.id,
        accelerator=recipe.accelerator,
        engine=recipe.engine,
        gguf_file=recipe.gguf_file or "",
        revision=recipe.revision or "",
        vendor=provider.get("vendor", ""),
        region=provider.get("region", ""),
        instance_type=compute.get("instanceType", ""),
        instance_size=compute.get("instanceSize", ""),
        compute_id=compute.get("id", ""),
    )


def translate_error(error: Exception, what: str) -> GatewayError | None:
    """The gateway exception for a client error, or None for an exception that is not about the API."""
    if isinstance(error, GatewayError):
        return error
    if isinstance(error, HfHubHTTPError) and error.response is not None:
        return _from_status(error.response, error.server_message or "", what)
    if isinstance(error, httpx2.TimeoutException):
        return Unreachable(f"Hugging Face did not answer in time when trying to {what}.")
    if isinstance(error, httpx2.TransportError):
        return Unreachable(f"Hugging Face could not be reached to {what}.")
    if isinstance(error, ValueError):  # huggingface_hub's own checks of the arguments
        return InvalidRequest(f"Could not {what}: {error}")
    return None


def _from_status(response: httpx2.Response, server_message: str, what: str) -> GatewayError:
    status = response.status_code
    detail = f": {server_message.strip()}" if server_message.strip() else "."
    if status == 401:
        return AuthenticationFailed(
            f"Hugging Face refused the token (401) when trying to {what}. It may be expired or revoked; an "
            "admin can replace it on the Credentials page.",
            status_code=status,
        )
    if status == 403:
        return NotAllowed(f"The token may not {what} (403){detail}", status_code=status)
    if status == 404:
        return NotFound(f"Could not {what}: not found (404){detail}", status_code=status)
    if status == 409:
        return AlreadyExists(f"Could not {what}: it already exists (409){detail}", status_code=status)
    if status == 429:
        return RateLimited(
            f"Hugging Face is rate-limiting requests; could not {what} for now (429).",
            retry_after=_retry_after(response),
        )
    if status >= 500:
        return ServiceError(f"Hugging Face failed to {what} (HTTP {status}){detail}", status_code=status)
    return InvalidRequest(f"Hugging Face refused to {what} (HTTP {status}){detail}", status_code=status)


def _retry_after(response: httpx2.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", DEFAULT_RETRY_AFTER_SECONDS)))
    except ValueError:
        return DEFAULT_RETRY_AFTER_SECONDS
