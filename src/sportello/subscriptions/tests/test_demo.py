"""The demo "Mensa scolastica 2026/27": in both municipalities, subscribers paid, late and withdrawn, one
subscription shared by two demo citizens; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from sportello.subscriptions import selectors
from sportello.subscriptions.models import Subscription, SubscriptionService

pytestmark = pytest.mark.django_db


def test_demo_canteen_in_both_municipalities(settings, tmp_path):
    from sportello.accounts.models import User

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    services = SubscriptionService.objects.filter(code="mensa-2026-27")
    assert sorted(s.municipality.slug for s in services) == ["comune-di-mori", "comune-di-trento"]
    mori = services.get(municipality__slug="comune-di-mori")
    assert [(i.code, i.amount_cents) for i in mori.items.all()][:4] == [
        ("iscrizione", 3000),
        ("rata-1", 14000),
        ("rata-2", 14000),
        ("rata-3", 14000),
    ]
    assert Subscription.objects.filter(subscription_service=mori).count() == 4
    assert mori.seats_taken == 3  # the withdrawn one freed its seat
    by_child = {
        row.subscription.subscriber_first_name: [c.status if c else None for c in row.cells]
        for row in selectors.payment_matrix(mori, states=["active", "withdrawn", "closed"]).rows
    }
    assert by_child["Marco"][:2] == ["paid", "paid"]
    assert by_child["Elena"][:2] == ["open", "late"]
    assert by_child["Sofia"][:2] == ["paid", "late"]
    assert by_child["Tommaso"][0] == "cancelled"
    giulia = User.objects.get(fiscal_code="BNCGLI85M41L378W")
    mario = User.objects.get(fiscal_code="RSSMRA80A01H501U")
    sofia = Subscription.objects.get(subscription_service=mori, subscriber_first_name="Sofia")
    for parent in (mario, giulia):
        assert sofia in selectors.subscriptions_for_citizen(parent, mori.municipality)


def test_demo_canteen_card_has_every_section_agid_requires_even_on_an_older_demo(mori):
    """C.SI.1.3 of AgID's validator: "A chi è rivolto", "Cosa serve", "Cosa si ottiene", "Tempi e scadenze"."""
    from sportello.demo.subscriptions import _service

    required = ("addressed_to", "description", "how_to", "needed", "achieved", "timing", "cost")
    service = _service(mori)
    assert [field for field in required if not getattr(service, field)] == []
    service.needed = service.timing = ""  # a demo loaded before those sections were written
    service.save()
    service = _service(mori)
    service.refresh_from_db()
    assert [field for field in required if not getattr(service, field)] == []
    assert service.card_html["it"]["needed"].startswith("<ul>")
