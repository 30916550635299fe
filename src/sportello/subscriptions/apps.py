from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "sportello.subscriptions"
    verbose_name = "Servizi a sottoscrizione"

    def ready(self):
        from . import receivers  # noqa: F401  (a submitted enrolment application creates the subscription)
