import http.server
import json
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sportello.integrations import signing
from sportello.integrations.models import Event, WebhookDelivery
from sportello.integrations.services import webhook_create, webhook_delivery_replay
from sportello.integrations.tasks import webhook_deliver

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_signature_follows_standard_webhooks_and_detects_tampering():
    body = b'{"type":"application.state_changed"}'
    headers = signing.headers(SECRET, msg_id="msg_1", timestamp=1_700_000_000, body=body)
    assert headers["webhook-id"] == headers["Idempotency-Key"] == "msg_1"
    assert headers["webhook-signature"].startswith("v1,")
    ok = dict(msg_id="msg_1", timestamp="1700000000", signature=headers["webhook-signature"], body=body)
    assert signing.verify(SECRET, **ok, now=1_700_000_010)
    assert not signing.verify(SECRET, **{**ok, "body": body + b" "}, now=1_700_000_010)
    assert not signing.verify(SECRET, **{**ok, "timestamp": "1700000001"}, now=1_700_000_010)
    assert not signing.verify(SECRET, **{**ok, "msg_id": "msg_2"}, now=1_700_000_010)
    assert not signing.verify(signing.new_secret(), **ok, now=1_700_000_010)
    assert not signing.verify(SECRET, **ok, now=1_700_000_000 + 301)  # a replayed old delivery
    assert signing.verify(SECRET, **{**ok, "signature": "v1,bad " + ok["signature"]}, now=1_700_000_000)


# The published test vector of the Standard Webhooks specification: our signature is the standard's.
def test_standard_webhooks_test_vector():
    signature = signing.sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


class Receiver:
    """A real HTTP server on a port of this project's range that answers ``statuses`` in turn."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        for port in range(8750, 8800):
            try:
                self.server = http.server.HTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for item in made:
        item.close()


def _take_charge(application, admin):
    from sportello.applications.services import application_take_charge

    application_take_charge(application=application, user=admin)


@pytest.fixture
def application(mori, mori_admin):
    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.tests.factories import submitted_application

    return submitted_application(municipality=mori, applicant=UserFactory())


def test_a_transition_records_one_delivery_per_webhook_in_its_transaction(
    mori, mori_admin, trento, application
):
    webhook = webhook_create(
        municipality=mori, url="https://example.org/a", events=[Event.APPLICATION_STATE_CHANGED]
    )
    webhook_create(municipality=trento, url="https://example.org/b", events=[Event.APPLICATION_STATE_CHANGED])
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    assert delivery.webhook == webhook.webhook and delivery.municipality == mori
    data = delivery.payload["data"]
    assert data["application"] == {
        "id": application.pk,
        "number": application.number,
        "service": application.service.slug,
        "state": "in_progress",
    }
    assert (data["transition"], data["from_state"], data["to_state"]) == (
        "take_charge",
        "registered",
        "in_progress",
    )
    assert delivery.payload["id"] == str(delivery.pk)
    task = DBTaskResult.objects.get(task_path__endswith="webhook_deliver")
    assert task.args_kwargs["kwargs"] == {"delivery_id": str(delivery.pk)}
    # A refused transition leaves neither a delivery nor a task.
    from sportello.applications.services import TransitionNotAllowed, application_take_charge

    with pytest.raises(TransitionNotAllowed):
        application_take_charge(application=application, user=mori_admin)
    assert WebhookDelivery.objects.count() == 1


def test_delivery_is_signed_and_recorded(mori, mori_admin, application, receiver):
    server = receiver(200)
    created = webhook_create(municipality=mori, url=server.url, events=[Event.APPLICATION_STATE_CHANGED])
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "delivered"
    headers, body = server.requests[0]
    assert headers["idempotency-key"] == headers["webhook-id"] == str(delivery.pk)
    assert signing.verify(
        created.secret,
        msg_id=headers["webhook-id"],
        timestamp=headers["webhook-timestamp"],
        signature=headers["webhook-signature"],
        body=body,
        now=int(time.time()),
    )
    assert json.loads(body) == delivery.payload
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "skipped"  # a duplicate task sends nothing
    assert len(server.requests) == 1


def test_failures_are_retried_with_backoff_with_the_same_idempotency_key(
    mori, mori_admin, application, receiver
):
    server = receiver(503)
    webhook_create(municipality=mori, url=server.url, events=[Event.APPLICATION_STATE_CHANGED])
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    DBTaskResult.objects.all().delete()
    before = timezone.now()
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "pending"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 503)
    retry = DBTaskResult.objects.get(task_path__endswith="webhook_deliver")
    assert retry.args_kwargs["kwargs"] == {"delivery_id": str(delivery.pk), "attempt": 1}
    assert before + timedelta(seconds=55) < retry.run_after < timezone.now() + timedelta(seconds=65)
    # The retry, run when due: delivered, same key.
    assert webhook_deliver.call(**retry.args_kwargs["kwargs"]) == "delivered"
    assert [h["webhook-id"] for h, _ in server.requests] == [str(delivery.pk)] * 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_an_unreachable_receiver_is_retried_and_a_4xx_is_not(mori, mori_admin, application, receiver):
    webhook_create(
        municipality=mori, url="http://127.0.0.1:8799/nobody", events=[Event.APPLICATION_STATE_CHANGED]
    )
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "pending"
    delivery.refresh_from_db()
    assert delivery.response_status is None and "Connection refused" in delivery.error
    server = receiver(410)
    delivery.webhook.url = server.url
    delivery.webhook.save()
    DBTaskResult.objects.all().delete()
    assert webhook_deliver.call(delivery_id=str(delivery.pk), attempt=1) == "failed"
    assert not DBTaskResult.objects.exists()


def test_retries_stop_after_the_last_delay(mori, mori_admin, application, receiver):
    from sportello.core.tasks import RETRY_DELAYS

    server = receiver(500)
    webhook_create(municipality=mori, url=server.url, events=[Event.APPLICATION_STATE_CHANGED])
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    DBTaskResult.objects.all().delete()
    assert webhook_deliver.call(delivery_id=str(delivery.pk), attempt=len(RETRY_DELAYS)) == "failed"
    assert not DBTaskResult.objects.exists()


def test_replay_sends_the_same_delivery_again(mori, mori_admin, application, receiver):
    server = receiver(200, 200)
    webhook_create(municipality=mori, url=server.url, events=[Event.APPLICATION_STATE_CHANGED])
    _take_charge(application, mori_admin)
    delivery = WebhookDelivery.objects.get()
    webhook_deliver.call(delivery_id=str(delivery.pk))
    DBTaskResult.objects.all().delete()
    webhook_delivery_replay(delivery=delivery)
    task = DBTaskResult.objects.get(task_path__endswith="webhook_deliver")
    assert webhook_deliver.call(**task.args_kwargs["kwargs"]) == "delivered"
    assert [json.loads(body)["id"] for _h, body in server.requests] == [str(delivery.pk)] * 2
