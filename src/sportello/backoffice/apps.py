from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "sportello.backoffice"
