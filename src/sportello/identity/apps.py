from django.apps import AppConfig


class IdentityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sportello.identity"
    verbose_name = "SPID e CIE"
