"""Payment providers behind one small interface (``base.Provider``): ``pagopa`` (GPD + Checkout) and ``sandbox``."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import PositionStatus, Provider, ProviderError, ProviderUnavailable

__all__ = ["PositionStatus", "Provider", "ProviderError", "ProviderUnavailable", "get_provider"]


def get_provider(payment_settings, name: str | None = None) -> Provider:
    """The provider of a municipality's settings (or ``name``, a payment's own provider)."""
    name = name or payment_settings.provider
    if name == "sandbox":
        if "pagopa_sandbox" not in settings.SANDBOX_PROVIDERS:
            raise ImproperlyConfigured("The pagoPA sandbox is not enabled (SANDBOX_PROVIDERS)")
        from .sandbox import SandboxProvider

        return SandboxProvider()
    if name == "pagopa":
        from .pagopa import PagoPAProvider

        return PagoPAProvider(payment_settings)
    raise ImproperlyConfigured(f"Unknown payment provider {name!r}")
