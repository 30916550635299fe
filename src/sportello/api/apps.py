from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sportello.api"
    verbose_name = "API"
