from sportello.integrations.models import ApiToken, Event, Webhook, WebhookDelivery
from sportello.integrations.services import webhook_create

URL = "/comune-di-mori/it/operatori/integrazioni/"


def test_an_administrator_creates_a_token_shown_once(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(
        URL,
        {
            "azione": "token",
            "token-name": "Contabilità",
            "token-scopes": ["applications:read", "payments:read"],
            "token-expires_on": "2099-12-31",
        },
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = response.context["created_token"]
    assert raw.startswith("spt_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.scopes == ["applications:read", "payments:read"] and token.user == mori_admin
    assert token.key_hash != raw and raw not in str(list(ApiToken.objects.values()))
    assert raw not in client.get(URL).content.decode()  # never shown again
    assert (
        client.get(
            "/api/v1/comune-di-mori/applications", headers={"Authorization": f"Bearer {raw}"}
        ).status_code
        == 200
    )
    client.post(f"/comune-di-mori/it/operatori/integrazioni/token/{token.pk}/revoca")
    assert (
        client.get(
            "/api/v1/comune-di-mori/applications", headers={"Authorization": f"Bearer {raw}"}
        ).status_code
        == 401
    )


def test_bad_input_is_explained_and_changes_nothing(client, mori, mori_admin):
    client.force_login(mori_admin)
    response = client.post(URL, {"azione": "token", "token-name": "", "token-expires_on": "2000-01-01"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "Controlla i dati inseriti" in response.content.decode()
    response = client.post(
        URL, {"azione": "webhook", "webhook-url": "non un indirizzo", "webhook-events": []}
    )
    assert not Webhook.objects.exists()


def test_webhook_created_and_a_delivery_replayed(client, mori, mori_admin):
    from django_tasks_db.models import DBTaskResult

    client.force_login(mori_admin)
    response = client.post(
        URL,
        {
            "azione": "webhook",
            "webhook-url": "https://protocollo.example.org/eventi",
            "webhook-events": [Event.APPLICATION_STATE_CHANGED],
        },
    )
    assert response.context["created_secret"].startswith("whsec_")
    webhook = Webhook.objects.get()
    delivery = WebhookDelivery.objects.create(
        municipality=mori, webhook=webhook, event=Event.APPLICATION_STATE_CHANGED, payload={}, status="failed"
    )
    client.post(f"/comune-di-mori/it/operatori/integrazioni/consegne/{delivery.pk}/reinvia")
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert DBTaskResult.objects.filter(task_path__endswith="webhook_deliver").count() == 1
    assert str(delivery.pk) in client.get(URL).content.decode()


def test_another_municipalitys_rows_are_404(client, mori_admin, trento, trento_admin):
    from sportello.integrations.tests.factories import token_for

    token_for(trento, trento_admin)
    trento_token = ApiToken.objects.get()
    trento_webhook = webhook_create(
        municipality=trento, url="https://t.example.org/", events=["application.state_changed"]
    ).webhook
    client.force_login(mori_admin)
    assert (
        client.post(f"/comune-di-mori/it/operatori/integrazioni/token/{trento_token.pk}/revoca").status_code
        == 404
    )
    assert (
        client.post(
            f"/comune-di-mori/it/operatori/integrazioni/webhook/{trento_webhook.pk}/disattiva"
        ).status_code
        == 404
    )
    trento_token.refresh_from_db()
    trento_webhook.refresh_from_db()
    assert trento_token.revoked_at is None and trento_webhook.is_active
