"""Hugging Face tokens (encrypted at rest) and the namespaces they reach."""

from django.conf import settings
from django.db import models

from endpoints_app import token_vault


class Credential(models.Model):
    """A team's Hugging Face token. The plaintext never leaves `token_vault` except to call the API."""

    label = models.CharField(max_length=100, help_text="A name for people, e.g. 'Team CI token'.")
    hf_username = models.CharField(max_length=96)
    token_ciphertext = models.BinaryField(editable=False)
    token_last4 = models.CharField(max_length=4, editable=False)
    reached_namespaces = models.JSONField(default=list, help_text="The user and its orgs, from whoami.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.masked_token})"

    @property
    def masked_token(self) -> str:
        return f"hf_…{self.token_last4}"

    def set_token(self, token: str) -> None:
        self.token_ciphertext = token_vault.encrypt(token)
        self.token_last4 = token[-4:]

    def reveal_token(self) -> str:
        """The plaintext token, for the HF gateway and the playground's server-side calls only."""
        return token_vault.decrypt(bytes(self.token_ciphertext))


class Namespace(models.Model):
    """A Hugging Face user or organisation whose endpoints the console mirrors."""

    name = models.CharField(max_length=96, unique=True)
    is_organization = models.BooleanField(default=False)
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.SET_NULL, related_name="namespaces"
    )
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_sync_attempt_at = models.DateTimeField(null=True, blank=True)
    last_sync_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
