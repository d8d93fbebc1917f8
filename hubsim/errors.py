"""The one exception the rules raise: an API error with the status code and message the service would give."""

from collections.abc import Mapping


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        error_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        # Sent as X-Error-Code (e.g. "RepoNotFound", "EntryNotFound", "GatedRepo"): the Hub client keys on it.
        self.code = code
        # TGI's error kind ("validation", "overloaded", ...), sent in the body by the inference routes.
        self.error_type = error_type
        self.headers = dict(headers or {})
