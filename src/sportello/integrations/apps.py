from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "sportello.integrations"
    verbose_name = "Integrazioni"

    def ready(self):
        from sportello.applications.signals import application_transitioned

        from . import receivers

        application_transitioned.connect(receivers.application_state_changed, dispatch_uid="webhooks")
