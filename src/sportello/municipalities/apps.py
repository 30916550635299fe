from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "sportello.municipalities"
