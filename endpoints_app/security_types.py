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


def short_label(endpoint_type: str) -> str:
    """What the endpoint page says of a type; one the console does not know is shown as the API names it."""
    try:
        return SHORT_LABELS[EndpointType(endpoint_type)]
    except ValueError:
        return endpoint_type or "—"
