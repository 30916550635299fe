from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sportello.notifications"

    def ready(self):
        from sportello.catalog.signals import service_renamed

        from .services import service_renamed_receiver

        service_renamed.connect(service_renamed_receiver, dispatch_uid="notifications.io_rename")

        from sportello.payments.signals import payment_published

        from .receivers import payment_published_receiver

        payment_published.connect(payment_published_receiver, dispatch_uid="notifications.payment_request")
