"""Receivers of other domains' signals (connected in ``apps.ready``): the citizen notices they imply.

Each receiver runs inside the sender's transaction and only enqueues a task, so a notice exists exactly when the
change that caused it committed.
"""


def payment_published_receiver(sender, *, payment, **kwargs) -> None:
    """payments' ``payment_published``: the notice can be paid, tell the citizen (e-mail and/or App IO)."""
    from .tasks import payment_request_notify

    payment_request_notify.enqueue(payment_id=payment.pk)
