"""What each playground request adds to the Usage page (the row itself is endpoints_app's UsageRecord)."""

from django.contrib.auth.models import AbstractBaseUser

from endpoints_app.models import Endpoint, UsageKind, UsageRecord
from endpoints_app.services.usage import record_usage


def record_answer(
    user: AbstractBaseUser, endpoint: Endpoint, stats: dict[str, float | int | None]
) -> UsageRecord:
    """A chat answer, with the tokens its stats counted (the server's usage, else the console's own count)."""
    input_tokens, output_tokens = stats.get("input_tokens"), stats.get("output_tokens")
    return record_usage(
        user,
        endpoint,
        UsageKind.CHAT,
        input_tokens=int(input_tokens) if input_tokens is not None else None,
        output_tokens=int(output_tokens) if output_tokens is not None else None,
    )


def record_image(user: AbstractBaseUser, endpoint: Endpoint) -> UsageRecord:
    return record_usage(user, endpoint, UsageKind.IMAGE)


def record_embeddings(user: AbstractBaseUser, endpoint: Endpoint) -> UsageRecord:
    return record_usage(user, endpoint, UsageKind.EMBEDDINGS)
