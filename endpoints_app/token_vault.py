"""Encryption of Hugging Face tokens at rest, with Fernet (AES-128-CBC + HMAC) from `cryptography`.

TOKEN_ENCRYPTION_KEY holds one key, or several separated by commas: the first encrypts, every key decrypts,
so a key can be rotated by putting the new one first and re-saving the credentials.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables


class TokenDecryptionError(Exception):
    """The stored token cannot be read with the configured keys (the key changed?)."""


@cache
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])


@sensitive_variables("token")
def encrypt(token: str) -> bytes:
    return _fernet(settings.TOKEN_ENCRYPTION_KEY).encrypt(token.encode())


def decrypt(ciphertext: bytes) -> str:
    try:
        return _fernet(settings.TOKEN_ENCRYPTION_KEY).decrypt(ciphertext).decode()
    except InvalidToken as error:
        raise TokenDecryptionError(
            "A stored Hugging Face token cannot be decrypted: TOKEN_ENCRYPTION_KEY no longer matches. "
            "Restore the old key, or add the token again."
        ) from error
