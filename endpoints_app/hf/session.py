"""The HTTP client huggingface_hub uses in this process.

The library's default client waits forever for an answer; a worker must not. This one has the console's
timeout and otherwise behaves like the default (redirects followed).
"""

import httpx2
from django.conf import settings
from huggingface_hub import set_client_factory


def _client_with_timeout() -> httpx2.Client:
    return httpx2.Client(follow_redirects=True, timeout=httpx2.Timeout(settings.HF_API_TIMEOUT_SECONDS))


def install_client_with_timeout() -> None:
    set_client_factory(_client_with_timeout)
