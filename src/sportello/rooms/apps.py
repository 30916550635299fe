from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "sportello.rooms"
    verbose_name = "Spazi comunali"

    def ready(self):
        from . import receivers  # noqa: F401
