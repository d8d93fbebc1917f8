from django.apps import AppConfig


class PlaygroundAppConfig(AppConfig):
    name = "playground_app"
    verbose_name = "Playground"
