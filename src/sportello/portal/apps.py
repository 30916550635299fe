from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sportello.portal"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the page cache's invalidation
