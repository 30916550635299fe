"""Signals other domains listen to, so that the catalogue never imports them.

``service_renamed`` is sent by ``service_update_general`` inside the transaction that renames the service, with
``service`` (already saved), ``old_name`` and ``actor``; notifications updates the App IO registration from it.
"""

from django.dispatch import Signal

service_renamed = Signal()
