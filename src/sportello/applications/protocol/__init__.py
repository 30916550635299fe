"""Protocol registers. The built-in one (``builtin.py``) numbers synchronously per municipality and year through
``ProtocolProvider.register``; P.I.Tre. (``pitre.py``, chosen per municipality in ``ProtocolSettings``) registers
out of band (``applications/registration.py``). Both give a ``ProtocolReceipt``."""

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
