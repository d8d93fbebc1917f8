"""Images people upload to ask a multimodal endpoint about them (stored re-encoded, without metadata)."""

from django.db import models

from playground_app.models.authored import Authored


class Upload(Authored):
    file = models.FileField(upload_to="playground/uploads/%Y/%m/")
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or f"upload {self.pk}"
