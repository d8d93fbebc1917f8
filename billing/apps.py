from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from billing import endpoint_failures, notifications
        from endpoints_app.models import StatusEvent
        from endpoints_app.signals import operation_finished

        operation_finished.connect(notifications.on_operation_finished, dispatch_uid="billing-notifications")
        post_save.connect(
            endpoint_failures.on_status_event, sender=StatusEvent, dispatch_uid="billing-failures"
        )
