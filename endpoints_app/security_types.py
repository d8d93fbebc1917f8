"""Who may call an endpoint: the API's three types, in the words of the Inference Endpoints documentation.

hf-endpoints-documentation `docs/source/guides/configuration.md`, section "Authentication" (last changed in
commit 429e2fa, 2025-11-07):

    - **Private (default)**: Accessible only to you, or members of your Hugging Face organization, using a
      personal HF access token.
    - **Public**: Anyone can access your endpoint, without authentication.
    - **Authenticated**: Anyone with a Hugging Face account can access it, using their personal HF access
      tokens.

AWS PrivateLink is not one of them: the same page's "Network" section turns it on separately ("Endpoints
deployed on an AWS instance can use AWS PrivateLink to restrict access to a specific VPC"). The tutorial's
"Protected" is the API's `authenticated` (huggingface_hub refuses `protected` since it left the API).

The console's requests to an endpoint's URL (health check, /metrics, the playground) carry the team's token
only when the endpoint's type requires one: whatever runs behind a public URL could keep the header, and an
operator chooses what runs there.
"""

from django.db import models


class EndpointType(models.TextChoices):
    PUBLIC = "public", "Public: anyone, without a token"
    AUTHENTICATED = (
        "authenticated",
        "Authenticated: anyone with a Hugging Face account, using their own token",
    )
    PRIVATE = "private", "Private: only you or members of your organization, using their own token"


SHORT_LABELS = {
    EndpointType.PUBLIC: "Public (no token needed)",
    EndpointType.AUTHENTICATED: "Authenticated (a token of any Hugging Face account)",
    EndpointType.PRIVATE: "Private (a token of the namespace's user or organization members)",
}


# The types whose URL refuses a request without a Hugging Face token.
TOKEN_REQUIRED = frozenset({EndpointType.AUTHENTICATED, EndpointType.PRIVATE})


def authorization(endpoint_type: str, token: str) -> dict[str, str]:
    """The header that authenticates a request to an endpoint of this type: none for a public endpoint (or a
    type the console does not know), the token for the others."""
    if endpoint_type in TOKEN_REQUIRED:
        return {"Authorization": f"Bearer {token}"}
    return {}


def behind_private_link(raw: dict) -> bool:
    """Reachable only through AWS PrivateLink, whatever its type: the API's `status.private` names its service
    (hubsim/README.md), and its URL answers no one outside its VPC (hf-endpoints-documentation
    `guides/private_link.md`)."""
    return bool((raw.get("status") or {}).get("private"))


def short_label(endpoint_type: str) -> str:
    """What the endpoint page says of a type; one the console does not know is shown as the API names it."""
    try:
        return SHORT_LABELS[EndpointType(endpoint_type)]
    except ValueError:
        return endpoint_type or "—"
