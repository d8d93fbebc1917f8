from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from billing import notifications
        from endpoints_app.signals import operation_finished

        operation_finished.connect(notifications.on_operation_finished, dispatch_uid="billing-notifications")
