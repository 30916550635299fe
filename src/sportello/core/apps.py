from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sportello.core"
