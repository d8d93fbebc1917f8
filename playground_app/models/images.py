"""Images made by text-to-image endpoints: the PNG original, its thumbnail and the parameters used."""

from django.db import models
from django.urls import reverse

from endpoints_app.models import Endpoint
from playground_app.models.authored import Authored


class GeneratedImage(Authored):
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="generated_images"
    )
    endpoint_label = models.CharField(max_length=140)
    repository = models.CharField(max_length=200, blank=True)
    batch = models.UUIDField(db_index=True, help_text="Images asked for together share a batch.")
    prompt = models.TextField()
    negative_prompt = models.TextField(blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    num_inference_steps = models.PositiveIntegerField()
    guidance_scale = models.FloatField()
    seed = models.PositiveBigIntegerField()
    original = models.FileField(upload_to="playground/images/%Y/%m/")
    thumbnail = models.FileField(upload_to="playground/thumbnails/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prompt[:40]} (seed {self.seed})"

    def get_absolute_url(self) -> str:
        return reverse("playground:image", args=[self.pk])

    @property
    def settings(self) -> dict:
        """The parameters that made it, as the image form takes them ("re-use these settings")."""
        return {
            "endpoint": self.endpoint_id,
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "width": self.width,
            "height": self.height,
            "num_inference_steps": self.num_inference_steps,
            "guidance_scale": self.guidance_scale,
            "seed": self.seed,
        }
