from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sportello.accounts"
