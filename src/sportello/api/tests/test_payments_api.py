"""Payments, the accounting export and posting messages in the API."""

import pytest
from django.utils import timezone

from sportello.integrations.tests.factories import token_for
from sportello.payments import accounting

BASE = "/api/v1/comune-di-mori"


@pytest.fixture
def accountant(api, mori, mori_admin):
    return api(token_for(mori, mori_admin, scopes=["payments:read"]))


def test_payments_list_filters_and_detail(accountant, mori_payment):
    rows = accountant.get(f"{BASE}/payments").json()["results"]
    assert [r["id"] for r in rows] == [mori_payment.pk]
    row = rows[0]
    assert row["status"] == "paid" and row["amount_cents"] == 2221 and row["iuv"] == mori_payment.iuv
    assert row["application"]["id"] == mori_payment.application_id and row["receipt_id"] == "R1"
    for query, expected in (
        ({"status": "paid"}, 1),
        ({"status": "pending"}, 0),
        ({"q": mori_payment.notice_number}, 1),
        ({"q": "RSSMRA80A01H501U"}, 1),
        ({"q": "000"}, 0),
        ({"application": mori_payment.application_id}, 1),
        ({"paid_from": timezone.localdate()}, 1),
        ({"paid_to": timezone.localdate() - timezone.timedelta(days=1)}, 0),
    ):
        assert len(accountant.get(f"{BASE}/payments", query).json()["results"]) == expected, query
    response = accountant.get(f"{BASE}/payments", {"status": "x", "created_from": "0001-01-01"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"status", "created_from"}
    detail = accountant.get(f"{BASE}/payments/{mori_payment.pk}").json()
    assert [(li["transfer_index"], li["capitolo"], li["amount_cents"]) for li in detail["lines"]] == [
        (1, "9100", 1679),
        (2, "3050", 516),
        (3, "3060", 26),
    ]
    assert [e["to_status"] for e in detail["events"]] == ["created", "pending", "paid"]


def test_operators_see_the_payments_of_the_applications_they_handle(client, mori_operator, mori_payment):
    client.force_login(mori_operator)
    assert client.get(f"{BASE}/payments").json()["results"] == []
    assert client.get(f"{BASE}/payments/{mori_payment.pk}").status_code == 404
    mori_payment.application.service.operators.add(mori_operator)
    assert [r["id"] for r in client.get(f"{BASE}/payments").json()["results"]] == [mori_payment.pk]


def test_the_accounting_export_is_the_back_offices_rows(accountant, mori_payment, mori):
    today = timezone.localdate()
    url = f"{BASE}/accounting-export"
    response = accountant.get(url, {"paid_from": today, "paid_to": today})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows == list(accounting.accounting_rows(mori, today, today))
    assert [(r["capitolo"], r["importo"], r["indice_trasferimento"]) for r in rows] == [
        ("9100", "16.79", 1),
        ("3050", "5.16", 2),
        ("3060", "0.26", 3),
    ]
    seen, page = [], f"{url}?paid_from={today}&paid_to={today}&limit=2"  # the cursor walks every line once
    while page:
        body = accountant.get(page).json()
        seen += [r["indice_trasferimento"] for r in body["results"]]
        page = body["next"]
    assert seen == [1, 2, 3]
    yesterday = today - timezone.timedelta(days=1)
    assert accountant.get(url, {"paid_from": yesterday, "paid_to": yesterday}).json()["results"] == []
    for query in (
        {},
        {"paid_from": today, "paid_to": yesterday},
        {"paid_from": today, "paid_to": "9999-12-31"},
    ):
        response = accountant.get(url, query)
        assert response.status_code == 400 and response.json()["errors"], query


def test_posting_messages(api, mori, mori_admin, mori_application):
    writer = api(token_for(mori, mori_admin, scopes=["applications:read", "messages:write"]))
    url = f"{BASE}/applications/{mori_application.pk}/messages"
    response = writer.post(url, {"body": "Manca la copia del documento."})
    assert response.status_code == 201, response.content
    message = mori_application.messages.get()
    assert message.from_office and not message.internal and message.author == mori_admin
    assert response.json()["id"] == message.pk
    note = writer.post(url, {"body": "Verificare con l'anagrafe", "internal": True}).json()
    assert note["internal"] is True
    assert [m["body"] for m in writer.get(url).json()["results"]] == [
        "Manca la copia del documento.",
        "Verificare con l'anagrafe",
    ]
    response = writer.post(url, {"body": "   "})
    assert response.status_code == 400 and "body" in response.json()["errors"]
    reader = api(token_for(mori, mori_admin, scopes=["applications:read"]))
    response = reader.post(url, {"body": "Senza permesso"})
    assert response.status_code == 403 and "messages:write" in response.json()["detail"]
    assert mori_application.messages.count() == 2
