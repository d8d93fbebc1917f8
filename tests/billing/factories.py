"""Endpoints and status timelines written straight to the database, as the mirror would write them."""

from datetime import datetime
from decimal import Decimal

from endpoints_app.models import Endpoint, Namespace, StatusEvent


def make_endpoint(
    namespace: str, name: str, price: str, status: str, *, replicas: int = 0, min_replica: int = 0
) -> Endpoint:
    return Endpoint.objects.create(
        namespace=Namespace.objects.get_or_create(name=namespace)[0],
        name=name,
        status=status,
        repository="google/gemma-1.1-2b-it",
        vendor="aws",
        region="us-east-1",
        accelerator="gpu",
        instance_type="nvidia-a10g",
        instance_size="x1",
        price_per_hour=Decimal(price),
        target_replica=replicas,
        ready_replica=replicas,
        min_replica=min_replica,
        max_replica=max(min_replica, 1),
    )


def record_timeline(endpoint: Endpoint, *changes: tuple[datetime, str, int]) -> None:
    """One StatusEvent per (moment, status, billed replicas), priced as the mirror records them."""
    previous = ""
    for moment, status, replicas in changes:
        price = endpoint.price_per_hour if replicas else None
        StatusEvent.objects.create(
            endpoint=endpoint,
            at=moment,
            from_status=previous,
            to_status=status,
            replicas=replicas,
            price_per_hour=price,
        )
        previous = status
