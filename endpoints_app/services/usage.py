"""Recording a playground request against the person who sent it and the endpoint that answered."""

from django.contrib.auth.models import AbstractBaseUser

from endpoints_app.models import Endpoint, UsageKind, UsageRecord


def record_usage(
    user: AbstractBaseUser,
    endpoint: Endpoint,
    kind: UsageKind,
    *,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
) -> UsageRecord:
    return UsageRecord.objects.create(
        user=user,
        user_label=user.get_username(),
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        kind=kind,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )
