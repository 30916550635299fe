"""Signals other domains listen to, so that applications never import them (no import cycles).

``application_transitioned`` is sent by ``services._fire`` inside the transaction that changes the state, with
``application`` and ``event`` (the ``ApplicationEvent``: transition, from_state, to_state). Receivers that write
(e.g. scheduling releasing a slot, payments cancelling a position) therefore commit or roll back with it.
"""

from django.dispatch import Signal

application_transitioned = Signal()
