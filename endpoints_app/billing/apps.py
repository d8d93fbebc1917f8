from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "endpoints_app.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from endpoints_app.billing import notifications
        from endpoints_app.signals import operation_finished

        operation_finished.connect(notifications.on_operation_finished, dispatch_uid="billing-notifications")
