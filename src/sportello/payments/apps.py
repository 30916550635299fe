from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "sportello.payments"
    verbose_name = "Pagamenti"
