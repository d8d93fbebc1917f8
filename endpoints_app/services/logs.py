"""An endpoint's logs, read from the API when someone opens the Logs tab (the one page that calls it)."""

from endpoints_app.hf import HfGateway
from endpoints_app.hf.remote import LogPage
from endpoints_app.hf.retry import ONE_ATTEMPT
from endpoints_app.models import Endpoint

# The hosted Logs tab's first page, then "Load more" (hf-endpoints-documentation guides/logs.md).
PAGE_SIZE = 50


def read_logs(endpoint: Endpoint, *, replica: str = "", level: str = "", cursor: str = "") -> LogPage:
    """The latest lines (before `cursor`, when given). Raises GatewayError with a message for people; a
    person is waiting, so a failed read is said at once, not retried."""
    gateway = HfGateway.for_namespace(endpoint.namespace, retry=ONE_ATTEMPT)
    return gateway.endpoint_logs(
        endpoint.namespace.name, endpoint.name, replica=replica, level=level, cursor=cursor, limit=PAGE_SIZE
    )
