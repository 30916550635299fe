from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "sportello.scheduling"

    def ready(self):
        from . import receivers  # noqa: F401  (the application drives its appointment)
