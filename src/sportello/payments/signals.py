"""Signals other domains listen to (payments never imports them).

``payment_still_pending`` is sent by the poller, for each payment of an application still awaiting its outcome,
with ``payment`` and ``application``: scheduling extends the appointment or room hold while the citizen pays.
Its release on failure follows ``applications.signals.application_transitioned`` (``payment_failed``).

``payment_settled`` is sent inside the transaction that makes a payment final (paid, failed, expired,
cancelled), once per payment and final state, with ``payment`` and ``status``: domains that created a position
with a ``purpose`` (rooms, subscriptions) follow their payments through it.
"""

from django.dispatch import Signal

payment_still_pending = Signal()
payment_settled = Signal()
