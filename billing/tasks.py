"""Celery beat task: read the endpoints' request counts, then enforce the enabled policies."""

from celery import shared_task

from billing import enforcement, metrics


@shared_task(name="billing.tasks.enforce_policies")
def enforce_policies() -> dict[str, int]:
    used = metrics.collect_activity()
    results = enforcement.enforce_all()
    return {
        "endpoints_used": used,
        "policies": len(results),
        "operations": sum(len(result.requested) for result in results),
        "alerts": sum(len(result.alerted) for result in results),
    }
