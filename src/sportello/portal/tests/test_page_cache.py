"""The anonymous public pages' cache (core/pagecache.py): what it serves, to whom, and when it lets go."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.utils import timezone

from sportello.catalog.constants import Status
from sportello.catalog.services import service_update_card
from sportello.catalog.tests.factories import ServiceFactory
from sportello.core import pagecache
from sportello.municipalities.models import FaqEntry

BASE = "/comune-di-mori/it"
PUBLIC_PAGES = [
    "/",
    "/servizi/",
    "/servizi/?categoria=anagrafe",
    "/servizi/carta-identita/",
    "/argomenti/",
    "/domande-frequenti/",
    "/note-legali/",
]


@pytest.fixture
def service(mori):
    return ServiceFactory(
        municipality=mori, slug="carta-identita", name="Carta d'identità", featured=True, topics=["Anagrafe"]
    )


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def cache_state(response) -> str:
    return response.get(pagecache.HEADER, "none")


def nonce_of_header(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(client, service, path):
    first, second = client.get(BASE + path), client.get(BASE + path)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert first.content == second.content or "csrfmiddlewaretoken" in first.content.decode()


def test_a_cached_page_gets_this_responses_nonce_and_a_valid_csrf_token(service):
    client = Client(enforce_csrf_checks=True)
    client.get(f"{BASE}/servizi/carta-identita/")
    hits = [client.get(f"{BASE}/servizi/carta-identita/") for _ in range(2)]
    nonces = set()
    for response in hits:
        assert cache_state(response) == "hit"
        script = soup(response).select_one('script[data-element="metatag"]')
        assert script["nonce"] == nonce_of_header(response)
        nonces.add(script["nonce"])
        assert b"__sportello" not in response.content
    assert len(nonces) == 2, "a nonce was replayed"
    other = Client(enforce_csrf_checks=True)  # a new visitor, with a CSRF cookie of their own
    page = other.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(page) == "hit"
    token = soup(page).select_one('input[name="csrfmiddlewaretoken"]')["value"]
    answer = other.post(
        f"{BASE}/valutazione",
        {"csrfmiddlewaretoken": token, "page": "service", "service": "carta-identita", "stars": "5",
         "answer": "chiare", "next": f"{BASE}/servizi/carta-identita/"},
    )  # fmt: skip
    assert answer.status_code == 302, "the cached page's CSRF token was refused"


@pytest.mark.parametrize("path", ["/", "/servizi/", "/servizi/carta-identita/"])
def test_a_cached_hit_makes_one_query_for_the_municipality_and_its_version(
    client, service, path, django_assert_num_queries
):
    client.get(BASE + path)
    with django_assert_num_queries(1):  # the trivial view makes none; a rendered page makes dozens
        response = client.get(BASE + path)
    assert cache_state(response) == "hit"


def test_a_renamed_municipality_shows_at_once_on_pages_and_uncached_views(client, mori, service):
    search = f"{BASE}/servizi/?q=carta"  # never cached: only the municipality the process remembered could be stale
    client.get(f"{BASE}/")
    assert cache_state(client.get(search)) == "none"
    mori.name = "Comune di Mori (TN)"
    mori.save()
    assert "Comune di Mori (TN)" in client.get(f"{BASE}/").content.decode()
    assert "Comune di Mori (TN)" in client.get(search).content.decode()


def test_saving_the_card_shows_at_once_on_every_cached_page(client, service):
    for path in ("/", "/servizi/", "/servizi/carta-identita/"):
        client.get(BASE + path)
    service_update_card(service=service, description="Nuova **descrizione** della carta.")
    service.name = "Carta d'identità elettronica"
    service.save()
    detail = client.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(detail) == "miss"
    assert "Nuova <strong>descrizione</strong> della carta." in detail.content.decode()
    for path in ("/", "/servizi/"):
        assert "Carta d&#x27;identità elettronica" in client.get(BASE + path).content.decode()


def test_municipality_data_and_faq_changes_retire_the_cached_pages(client, mori, service):
    client.get(f"{BASE}/")
    client.get(f"{BASE}/domande-frequenti/")
    mori.phone = "0464 999111"
    mori.save()
    assert "0464 999111" in client.get(f"{BASE}/").content.decode()
    FaqEntry.objects.create(municipality=mori, question="Quando apre l'ufficio?", answer="Alle *otto*.")
    assert "Quando apre l" in client.get(f"{BASE}/domande-frequenti/").content.decode()


def test_a_change_in_another_municipality_keeps_this_ones_pages(client, mori, trento, service):
    client.get(f"{BASE}/")
    ServiceFactory(municipality=trento)
    assert cache_state(client.get(f"{BASE}/")) == "hit"


def test_the_back_office_card_form_retires_the_public_page(client, mori, mori_admin, service):
    anonymous = Client()
    anonymous.get(f"{BASE}/servizi/carta-identita/")
    client.force_login(mori_admin)
    data = {field: getattr(service, field) for field in ("addressed_to", "how_to", "needed", "achieved")}
    data.update(
        description="Testo aggiornato dall'ufficio.",
        office_email="anagrafe@example.org",
        **{"scadenze-TOTAL_FORMS": "0", "scadenze-INITIAL_FORMS": "0"},
    )
    response = client.post(f"{BASE}/operatori/servizi/{service.pk}/scheda/", data)
    assert response.status_code == 302
    assert (
        "Testo aggiornato dall'ufficio." in anonymous.get(f"{BASE}/servizi/carta-identita/").content.decode()
    )


def test_logged_in_citizens_and_staff_are_never_served_nor_stored(client, mori, mori_admin, citizen, service):
    anonymous = Client()
    anonymous.get(f"{BASE}/servizi/carta-identita/")  # cached for anonymous visitors
    client.force_login(citizen)
    session = client.session
    session["citizen_auth"] = {"level": "spid2"}
    session.save()
    mine = client.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(mine) == "none"
    assert mine["Cache-Control"] == "private, no-store"
    assert soup(mine).select_one("#citizen-login") is None, "the citizen got the anonymous page"
    assert citizen.last_name in mine.content.decode()
    client.force_login(mori_admin)
    assert cache_state(client.get(f"{BASE}/")) == "none"
    public = Client().get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(public) == "hit"
    assert citizen.last_name not in public.content.decode()
    assert soup(public).select_one("#citizen-login") is not None


def test_a_page_seen_first_by_a_citizen_is_not_stored_for_others(client, citizen, service):
    client.force_login(citizen)
    client.get(f"{BASE}/servizi/")
    assert cache_state(Client().get(f"{BASE}/servizi/")) == "miss"


def test_a_visitor_with_a_message_or_anonymous_applications_gets_a_fresh_page(client, service):
    client.get(f"{BASE}/servizi/carta-identita/")
    client.post(
        f"{BASE}/valutazione",
        {"page": "service", "service": "carta-identita", "stars": "5", "answer": "chiare",
         "next": f"{BASE}/servizi/carta-identita/"},
    )  # fmt: skip
    thanked = client.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(thanked) == "none"
    assert soup(thanked).select_one(".sportello-messages") is not None
    again = client.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(again) == "hit"
    assert soup(again).select_one(".sportello-messages") is None
    session = client.session
    session["anonymous_applications"] = [1]
    session.save()
    owner = client.get(f"{BASE}/servizi/carta-identita/")
    assert cache_state(owner) == "none"
    assert owner["Cache-Control"] == "private, no-store"


def test_searches_and_unknown_parameters_are_not_cached(client, service):
    for query in ("?q=carta", "?categoria=anagrafe&utm=x", "?page=2"):
        client.get(f"{BASE}/servizi/{query}")
        assert cache_state(client.get(f"{BASE}/servizi/{query}")) == "none"


def test_a_scheduled_service_appears_when_its_window_opens(client, mori, service, monkeypatch):
    opens = timezone.now() + timedelta(seconds=90)
    ServiceFactory(municipality=mori, status=Status.SCHEDULED, publish_from=opens, name="In arrivo")
    timeouts = []
    real_set = pagecache.cache().set
    monkeypatch.setattr(
        pagecache.cache(),
        "set",
        lambda key, value, timeout: timeouts.append(timeout) or real_set(key, value, timeout),
    )
    client.get(f"{BASE}/servizi/")
    client.get(f"{BASE}/note-legali/")
    assert 0 < timeouts[0] <= 90, "the list would outlive the service's publication"
    assert timeouts[1] == settings.PAGE_CACHE_SECONDS


def test_cached_pages_do_not_render_markdown(client, service, monkeypatch):
    """The card's HTML is stored when it is saved: a page view renders no Markdown."""
    from sportello.core import markdown

    def refuse(text):
        raise AssertionError("Markdown rendered during a page view")

    monkeypatch.setattr(markdown, "render_markdown", refuse)
    monkeypatch.setattr("sportello.catalog.content.render_markdown", refuse)
    response = client.get(f"{BASE}/servizi/carta-identita/")
    assert response.status_code == 200
    assert "Descrizione <strong>estesa</strong>." in response.content.decode()


def test_the_faq_page_renders_no_markdown(client, mori, monkeypatch):
    """The answer's HTML is stored when it is saved (and by the migration for older entries)."""
    from sportello.core import markdown

    entry = FaqEntry.objects.create(municipality=mori, question="Orari?", answer="Alle *otto*.")
    entry.question = "Quali sono gli orari?"
    entry.save(update_fields=["question"])

    def refuse(text):
        raise AssertionError("Markdown rendered during a page view")

    monkeypatch.setattr(markdown, "render_markdown", refuse)
    monkeypatch.setattr(settings, "PAGE_CACHE_SECONDS", 0)  # every view renders the page
    response = client.get(f"{BASE}/domande-frequenti/")
    assert response.status_code == 200
    assert "Alle <em>otto</em>." in response.content.decode()


def test_the_faq_answer_html_is_sanitised_and_follows_the_answer(mori):
    entry = FaqEntry.objects.create(municipality=mori, question="Q", answer="Prima <script>x()</script>")
    assert "<script>" not in entry.answer_html and "Prima" in entry.answer_html
    entry.answer = "**Dopo**"
    entry.save(update_fields=["answer"])
    entry.refresh_from_db()
    assert entry.answer_html == "<p><strong>Dopo</strong></p>"


def test_an_enrolment_service_page_always_shows_its_seats_now(client, mori):
    """Seats fill and windows close without the service being saved: the page of an enrolment form is not cached."""
    from sportello.subscriptions.models import SubscriptionService
    from sportello.subscriptions.tests.factories import canteen

    subscription_service = canteen(mori, max_subscribers=1)
    path = f"{BASE}/servizi/{subscription_service.service.slug}/"
    assert cache_state(client.get(path)) == "none" and "al completo" not in client.get(path).content.decode()
    SubscriptionService.objects.filter(pk=subscription_service.pk).update(
        seats_taken=1
    )  # as an enrolment does
    assert "al completo" in client.get(path).content.decode()
