"""The gateway's exceptions: a few kinds, each with a message a person can act on."""


class GatewayError(Exception):
    """A call to Hugging Face did not do what was asked. `str(error)` is fit to show to a user."""

    retryable = False

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class NoCredential(GatewayError):
    """No token is configured for the namespace."""


class AuthenticationFailed(GatewayError):
    """401: the token is wrong, expired or revoked."""


class NotAllowed(GatewayError):
    """403: the token is valid but may not do this (fine-grained permissions, org membership, gated repo)."""


class NotFound(GatewayError):
    """404: the endpoint (or namespace, or repository) does not exist."""


class AlreadyExists(GatewayError):
    """409: an endpoint with that name exists in the namespace."""


class InvalidRequest(GatewayError):
    """400/422: the API refused the request (name rules, hardware, quota, repository ...)."""


class RateLimited(GatewayError):
    """429: too many requests; `retry_after` seconds is when the API says to come back."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float, status_code: int = 429) -> None:
        super().__init__(message, status_code=status_code)
        self.retry_after = retry_after


class ServiceError(GatewayError):
    """5xx: the API failed on its side."""

    retryable = True


class Unreachable(GatewayError):
    """The API did not answer (connection refused, DNS, timeout)."""

    retryable = True
