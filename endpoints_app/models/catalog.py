"""The Inference Catalog as last fetched: its models and their recipes (pages read these, never the API)."""

from django.db import models

from endpoints_app.engines import Engine


class CatalogModel(models.Model):
    repo_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    author = models.CharField(max_length=96)
    license = models.CharField(max_length=100, blank=True)
    task = models.CharField(max_length=64)
    added_at = models.DateTimeField(null=True, blank=True, help_text="When the catalog took it in.")
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["repo_id"]

    def __str__(self) -> str:
        return self.repo_id


class CatalogRecipe(models.Model):
    """A tested way of deploying a model: an engine on an accelerator (and a GGUF file for llama.cpp). Its
    hardware is blank when the catalog does not say it."""

    model = models.ForeignKey(CatalogModel, on_delete=models.CASCADE, related_name="recipes")
    public_id = models.CharField(max_length=64, unique=True)
    accelerator = models.CharField(max_length=16)
    engine = models.CharField(max_length=16, help_text="The catalog's engine: vllm, sglang, llamacpp, tei.")
    gguf_file = models.CharField(max_length=200, blank=True)
    revision = models.CharField(max_length=100, blank=True)
    vendor = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=64, blank=True)
    instance_type = models.CharField(max_length=64, blank=True)
    instance_size = models.CharField(max_length=16, blank=True)
    compute_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["model", "id"]
        indexes = [models.Index(fields=["engine"]), models.Index(fields=["accelerator"])]

    def __str__(self) -> str:
        return f"{self.model.repo_id}: {self.public_id}"

    @property
    def engine_label(self) -> str:
        try:
            return Engine(self.engine).label
        except ValueError:
            return self.engine

    @property
    def hardware_key(self) -> tuple[str, str, str, str]:
        return (self.vendor, self.region, self.instance_type, self.instance_size)
