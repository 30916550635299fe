"""Signals other domains listen to (payments never imports them).

``payment_still_pending`` is sent by the poller, for each payment of an application still awaiting its outcome,
with ``payment`` and ``application``: scheduling extends the appointment or room hold while the citizen pays.
Its release on failure follows ``applications.signals.application_transitioned`` (``payment_failed``).
"""

from django.dispatch import Signal

payment_still_pending = Signal()
