from django.apps import AppConfig
from django.conf import settings


class EndpointsAppConfig(AppConfig):
    name = "endpoints_app"
    verbose_name = "Inference Endpoints"

    def ready(self) -> None:
        # The Endpoints API and Inference Catalog bases are module constants of huggingface_hub, read at
        # call time; the Hub base (HF_ENDPOINT) is read from the environment when huggingface_hub is first
        # imported.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed
        from huggingface_hub import constants

        from endpoints_app.hf.session import install_client_with_timeout
        from endpoints_app.roles import keep_admins_staff

        m2m_changed.connect(keep_admins_staff, sender=get_user_model().groups.through)
        constants.INFERENCE_ENDPOINTS_ENDPOINT = settings.HF_ENDPOINTS_API_URL
        constants.INFERENCE_CATALOG_ENDPOINT = settings.HF_INFERENCE_CATALOG_URL
        install_client_with_timeout()
