"""``Idempotency-Key`` on the POSTs that create things: a retry replays the first answer and creates nothing; the
same key for a different request is a 422; two concurrent requests with one key create one thing."""

import threading

import pytest
from django.db import connection
from django.test import Client

from sportello.integrations.models import IdempotencyKey
from sportello.integrations.services import idempotent_request
from sportello.scheduling.models import Appointment

from .conftest import first_free_slot

BASE = "/api/v1/comune-di-mori"
KEY = "0f5c7a4e-3d0b-4a55-9a43-2a7b0c6f1d11"


def booking(calendar, **changes):
    return {
        "calendar": calendar.pk,
        "start": first_free_slot(calendar).start.isoformat(),
        "first_name": "Anna",
        "last_name": "Bianchi",
        **changes,
    }


def test_a_retried_booking_replays_the_first_answer_and_books_once(api, mori_token, mori_calendar):
    client = api(mori_token)
    first = client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == 201, first.content
    again = client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Appointment.objects.count() == 1
    other = client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY + "-2")
    assert other.status_code == 201 and Appointment.objects.count() == 2  # a new key is a new booking


def test_the_same_key_for_a_different_request_is_a_422_and_changes_nothing(api, mori_token, mori_calendar):
    client = api(mori_token)
    assert (
        client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY).status_code
        == 201
    )
    different = client.post(
        f"{BASE}/appointments", booking(mori_calendar, last_name="Neri"), HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert different.status_code == 422 and different["Content-Type"] == "application/problem+json"
    assert "già stata usata" in different.json()["detail"]
    assert Appointment.objects.count() == 1


def test_an_error_is_not_stored_and_the_key_can_be_used_again(api, mori_token, mori_calendar):
    client = api(mori_token)
    bad = client.post(f"{BASE}/appointments", booking(mori_calendar, last_name=""), HTTP_IDEMPOTENCY_KEY=KEY)
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists() and not Appointment.objects.exists()
    good = client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY)
    assert good.status_code == 201 and Appointment.objects.count() == 1


def test_a_malformed_key_is_refused(api, mori_token, mori_calendar):
    response = api(mori_token).post(
        f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY="chiave con spazi"
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert not Appointment.objects.exists()


def test_messages_and_room_booking_actions_are_idempotent_too(
    api, mori_token, mori_application, mori_booking
):
    client = api(mori_token)
    url = f"{BASE}/applications/{mori_application.pk}/messages"
    first = client.post(url, {"body": "Serve la copia del documento."}, HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(url, {"body": "Serve la copia del documento."}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert mori_application.messages.count() == 1
    action = f"{BASE}/room-bookings/{mori_booking.pk}/transitions"
    approve = {"name": "approve", "patronage": True}
    first = client.post(action, approve, HTTP_IDEMPOTENCY_KEY="approva-1")
    again = client.post(action, approve, HTTP_IDEMPOTENCY_KEY="approva-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert [e.transition for e in mori_booking.events.all()] == ["hold", "request", "approve"]
    without_key = client.post(action, approve)  # a plain retry gets the state's answer
    assert without_key.status_code == 409


def test_keys_belong_to_one_municipality(mori, trento):
    calls = []

    def perform():
        calls.append(1)
        return 201, {"n": len(calls)}

    for municipality in (mori, trento, mori):
        idempotent_request(municipality=municipality, key=KEY, fingerprint="f" * 64, perform=perform)
    assert calls == [1, 1]
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_book_once(mori_token, mori_calendar):
    """Real threads and connections: without the unique constraint on (municipality, key) each request finds
    no stored answer and books (the slot has 2 places)."""
    body = booking(mori_calendar)
    threads, barrier, lock, answers = 4, threading.Barrier(4), threading.Lock(), []

    def run():
        client = Client(headers={"Authorization": f"Bearer {mori_token}", "Idempotency-Key": KEY})
        try:
            barrier.wait()
            response = client.post(f"{BASE}/appointments", body, content_type="application/json")
            answer = (response.status_code, response.json().get("id"))
        except Exception as error:  # recorded, so the assertion shows what went wrong
            answer = repr(error)
        finally:
            connection.close()
        with lock:
            answers.append(answer)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert Appointment.objects.count() == 1, answers
    assert {answer for answer in answers} == {(201, Appointment.objects.get().pk)}, answers


def test_keys_are_forgotten_after_a_day(api, mori_token, mori_calendar):
    from datetime import timedelta

    from django.utils import timezone

    from sportello.integrations.services import idempotency_keys_purge

    client = api(mori_token)
    assert (
        client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY).status_code
        == 201
    )
    assert idempotency_keys_purge(now=timezone.now() + timedelta(hours=23)) == 0
    assert idempotency_keys_purge(now=timezone.now() + timedelta(hours=25)) == 1
    again = client.post(f"{BASE}/appointments", booking(mori_calendar), HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again  # a new booking now
    assert Appointment.objects.count() == 2
