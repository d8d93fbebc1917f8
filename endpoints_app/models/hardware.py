"""The provider list (hardware, prices, availability, quota) per namespace, refreshed from the API daily."""

from django.db import models

from endpoints_app.models.credentials import Namespace

UNAVAILABLE_STATUSES = {"not_available", "reserved", "deprecated"}


class HardwareOption(models.Model):
    namespace = models.ForeignKey(Namespace, on_delete=models.CASCADE, related_name="hardware_options")
    compute_id = models.CharField(max_length=100)
    vendor = models.CharField(max_length=32)
    region = models.CharField(max_length=64)
    accelerator = models.CharField(max_length=16)
    instance_type = models.CharField(max_length=64)
    instance_size = models.CharField(max_length=16)
    architecture = models.CharField(max_length=100, blank=True)
    num_accelerators = models.PositiveIntegerField(default=0)
    num_cpus = models.PositiveIntegerField(null=True, blank=True)
    memory_gb = models.FloatField(default=0)
    gpu_memory_gb = models.FloatField(null=True, blank=True)
    price_per_hour = models.DecimalField(max_digits=10, decimal_places=4)
    status = models.CharField(max_length=32)
    quota_max_accelerators = models.PositiveIntegerField(null=True, blank=True)
    quota_used_accelerators = models.PositiveIntegerField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["vendor", "region", "accelerator", "price_per_hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "vendor", "region", "instance_type", "instance_size"],
                name="one_hardware_option_per_namespace_and_instance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor}/{self.region} {self.instance_type} {self.instance_size}"

    @property
    def is_available(self) -> bool:
        return self.status not in UNAVAILABLE_STATUSES

    @property
    def quota_left(self) -> int | None:
        if self.quota_max_accelerators is None:
            return None
        return max(0, self.quota_max_accelerators - (self.quota_used_accelerators or 0))
