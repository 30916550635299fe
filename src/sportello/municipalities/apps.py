from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "sportello.municipalities"

    def ready(self):
        from . import receivers  # noqa: F401 - a change to a municipality replaces its page version token
