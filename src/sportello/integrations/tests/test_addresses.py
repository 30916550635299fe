"""Webhooks never reach internal addresses (SSRF): refused when saved and again at delivery, on the address the
connection is actually opened to (DNS rebinding), IPv4 and IPv6, except the allowed networks of the setting."""

import ipaddress
import socket

import pytest
from django.core.exceptions import ValidationError

from sportello.integrations import addresses
from sportello.integrations.models import Event, Webhook, WebhookDelivery
from sportello.integrations.services import webhook_create
from sportello.integrations.tasks import webhook_deliver

from .test_webhooks import receiver  # noqa: F401 (fixture)

PUBLIC = "93.184.216.34"


@pytest.mark.parametrize(
    "address, reason",
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.10", "private"),
        ("169.254.169.254", "link_local"),  # cloud metadata
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link_local"),
        ("ff02::1", "multicast"),
        ("fd00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6: judged as the IPv4 it carries
        ("::ffff:10.0.0.1", "private"),
        (PUBLIC, ""),
        ("2a00:1450:4002:80b::200e", ""),
        ("::ffff:93.184.216.34", ""),
    ],
)
def test_internal_addresses_are_refused(address, reason):
    assert addresses.refusal(ipaddress.ip_address(address), allowed=[]) == reason


def test_the_setting_allows_the_demo_receivers_network():
    loopback = ipaddress.ip_address("127.0.0.1")
    assert addresses.refusal(loopback, allowed=["127.0.0.0/8"]) == ""
    assert addresses.refusal(ipaddress.ip_address("::ffff:127.0.0.1"), allowed=["127.0.0.0/8"]) == ""
    assert addresses.refusal(ipaddress.ip_address("10.0.0.1"), allowed=["127.0.0.0/8"]) == "private"


@pytest.fixture
def dns(monkeypatch):
    """A resolver answering from ``answers`` (host -> list of addresses), as getaddrinfo would."""
    answers = {}

    def resolve(host, port):
        found = answers.get(host, [host])
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in found
        ]

    monkeypatch.setattr(addresses, "resolve", resolve)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/eventi",
        "http://[::1]/eventi",
        "http://[::ffff:7f00:1]/eventi",
        "http://169.254.169.254/latest/meta-data",
        "https://intranet.example.org/eventi",  # resolves to a private address among public ones
    ],
)
def test_an_internal_url_is_refused_when_saved(mori, settings, dns, url):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    dns["intranet.example.org"] = [PUBLIC, "10.0.0.7"]
    with pytest.raises(ValidationError) as refused:
        webhook_create(municipality=mori, url=url, events=[Event.APPLICATION_STATE_CHANGED])
    assert "rete interna" in refused.value.message_dict["url"][0]
    assert not Webhook.objects.exists()


def test_the_back_office_explains_the_refusal_in_italian(client, mori, mori_admin, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    client.force_login(mori_admin)
    response = client.post(
        "/comune-di-mori/it/operatori/integrazioni/",
        {
            "azione": "webhook",
            "webhook-url": "http://localhost:9000/eventi",
            "webhook-events": [Event.APPLICATION_STATE_CHANGED],
        },
    )
    assert response.status_code == 200
    assert "porta a una rete interna" in response.content.decode()
    assert not Webhook.objects.exists()


def test_dns_rebinding_is_refused_at_delivery_on_the_address_connected_to(
    mori,
    settings,
    dns,
    receiver,  # noqa: F811
):
    """Public when saved, 127.0.0.1 (a live receiver) when delivered: the delivery refuses the address it would
    connect to, sends nothing and does not retry."""
    server = receiver(200)
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    dns["hooks.example.org"] = [PUBLIC]
    port = server.server.server_port
    webhook_create(
        municipality=mori, url=f"http://hooks.example.org:{port}/hook", events=[Event.PAYMENT_PAID]
    )
    dns["hooks.example.org"] = ["127.0.0.1"]  # the attacker's DNS now answers with the loopback
    delivery = WebhookDelivery.objects.create(
        municipality=mori, webhook=Webhook.objects.get(), event=Event.PAYMENT_PAID, payload={"id": "x"}
    )
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "failed"
    assert server.requests == []
    delivery.refresh_from_db()
    assert "AddressRefused" in delivery.error and "127.0.0.1" in delivery.error and delivery.attempts == 1


def test_an_allowed_receiver_on_the_loopback_still_gets_its_delivery(mori, receiver):  # noqa: F811
    """The demo's, the tests' and the multi-node proof's receivers: 127.0.0.0/8 is allowed outside production."""
    server = receiver(200)
    created = webhook_create(municipality=mori, url=server.url, events=[Event.PAYMENT_PAID])
    delivery = WebhookDelivery.objects.create(
        municipality=mori, webhook=created.webhook, event=Event.PAYMENT_PAID, payload={"id": "y"}
    )
    assert webhook_deliver.call(delivery_id=str(delivery.pk)) == "delivered"
    assert len(server.requests) == 1
