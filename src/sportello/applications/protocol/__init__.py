"""Protocol registers behind one small interface; the built-in one numbers per municipality and year."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ProtocolProvider, ProtocolReceipt


def get_provider() -> ProtocolProvider:
    return import_string(
        getattr(
            settings, "SPORTELLO_PROTOCOL_PROVIDER", "sportello.applications.protocol.builtin.BuiltinProtocol"
        )
    )()


__all__ = ["ProtocolProvider", "ProtocolReceipt", "get_provider"]
