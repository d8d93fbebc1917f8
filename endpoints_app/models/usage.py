"""Who used which endpoint from the console: one row per playground request (a chat answer, an image, an
embeddings call), with its tokens when the server counted them. Billing's Usage page reads these rows."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from endpoints_app.models.endpoints import Endpoint


class UsageKind(models.TextChoices):
    CHAT = "chat", "Chat answer"
    IMAGE = "image", "Image"
    EMBEDDINGS = "embeddings", "Embeddings"


class UsageRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    user_label = models.CharField(max_length=150, help_text="The username, kept if the account is deleted.")
    endpoint = models.ForeignKey(Endpoint, null=True, on_delete=models.SET_NULL, related_name="usage_records")
    endpoint_label = models.CharField(max_length=140, help_text="namespace/name, kept if it is deleted.")
    kind = models.CharField(max_length=16, choices=UsageKind.choices)
    input_tokens = models.PositiveIntegerField(null=True, blank=True)
    output_tokens = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_label} -> {self.endpoint_label}: {self.get_kind_display()}"
