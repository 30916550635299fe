"""WCAG 2.1 AA checks with axe-core in Chromium on the main citizen and staff pages, in Italian and German."""

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.catalog.constants import AccessLevel, Kind
from sportello.catalog.models import Rating
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import ServiceFactory
from sportello.municipalities.models import FaqEntry

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FORM = {
    "pages": [
        {
            "title": {"it": "Richiedente"},
            "fields": [
                {
                    "key": "nome",
                    "type": "text",
                    "label": {"it": "Nome"},
                    "required": True,
                    "help": {"it": "Come nel documento"},
                },
                {"key": "nascita", "type": "date", "label": {"it": "Data di nascita"}},
                {
                    "key": "tipo",
                    "type": "radio",
                    "label": {"it": "Tipo"},
                    "options": [{"value": "a", "label": {"it": "A"}}],
                },
                {"key": "indirizzo", "type": "address", "label": {"it": "Indirizzo"}},
                {"key": "privacy", "type": "checkbox", "label": {"it": "Accetto"}, "required": True},
                {
                    "key": "doc",
                    "type": "file",
                    "label": {"it": "Documento"},
                    "file": {"types": ["pdf"], "max_size_mb": 2},
                },
                {"key": "info", "type": "static", "content": {"it": "Leggi con attenzione."}},
            ],
        }
    ]
}


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


PHONE_WIDTHS = (375, 320)


def sideways_scroll(page) -> list[str]:
    """The phone widths at which the page is wider than the screen (it would scroll sideways)."""
    found = []
    desktop = page.viewport_size
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(
                """(width) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null)
                    .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                width,
            )
            found.append(f"{scroll_width} px wide at {width} px: {wide}")
    page.set_viewport_size(desktop)
    return found


def violations(page) -> list[str]:
    """WCAG violations found by axe-core, and sideways scrolling on phones."""
    return axe_violations(page) + sideways_scroll(page)


def staff_login(page, username: str = "admin-mori") -> None:
    page.goto("/comune-di-mori/it/operatori/login")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()


def pages_violations(page, paths) -> dict:
    """Visit each path and collect its WCAG violations (an empty dict when all pages pass)."""
    from playwright.sync_api import Error as PlaywrightError

    found = {}
    for path in paths:
        try:
            page.goto(path)
        except PlaywrightError as error:  # the page left behind reloaded itself ("Pagamento in verifica")
            if "ERR_ABORTED" not in str(error):
                raise
            page.goto(path)
        problems = violations(page)
        if problems:
            found[path] = problems
    return found


@pytest.mark.parametrize("lang", ["it", "de"])
def test_citizen_pages_have_no_wcag_violations(page, mori, lang):
    ServiceFactory(municipality=mori, slug="cie", kind=Kind.APPOINTMENT, featured=True, topics=["Anagrafe"])
    service = ServiceFactory(municipality=mori, slug="segnalazione", access_level=AccessLevel.ANONYMOUS)
    service_form_save(service=service, definition=FORM)
    FaqEntry.objects.create(municipality=mori, question="Come accedo?", answer="Con **SPID** o CIE.")
    found = {}
    for path in [
        "/",
        f"/comune-di-mori/{lang}/",
        f"/comune-di-mori/{lang}/servizi/",
        f"/comune-di-mori/{lang}/servizi/cie/",
        f"/comune-di-mori/{lang}/prenota-appuntamento/",
        f"/comune-di-mori/{lang}/privacy/",
        f"/comune-di-mori/{lang}/note-legali/",
        f"/comune-di-mori/{lang}/argomenti/",
        f"/comune-di-mori/{lang}/argomenti/anagrafe/",
        f"/comune-di-mori/{lang}/domande-frequenti/",
        f"/comune-di-mori/{lang}/operatori/login",
        f"/comune-di-mori/{lang}/servizi/segnalazione/accedi/",
        f"/comune-di-mori/{lang}/pagina-che-non-esiste/",
    ]:
        page.goto(path)
        problems = violations(page)
        if problems:
            found[path] = problems
        if path.endswith("/accedi/"):  # the same form showing its errors
            page.get_by_role("button").last.click()
            problems = violations(page)
            if problems:
                found[path + " (errors)"] = problems
    assert found == {}


def test_staff_pages_have_no_wcag_violations(page, mori, mori_admin, settings, tmp_path):
    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications import services as applications
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory(municipality=mori, slug="cie")
    service_form_save(service=service, definition=FORM)
    simple = ServiceFactory(municipality=mori, slug="semplice")
    FaqEntry.objects.create(municipality=mori, question="Come accedo?", answer="Con SPID o CIE.")
    Rating.objects.create(municipality=mori, service=simple, page="service", stars=4, answer="clear")
    application = submitted_application(municipality=mori, applicant=UserFactory(), service=simple)
    applications.application_take_charge(application=application, user=mori_admin)
    applications.application_request_integration(
        application=application, user=mori_admin, body="Manca un documento."
    )
    staff_login(page)
    base = "/comune-di-mori/it/operatori"
    paths = [
        f"{base}/",
        f"{base}/personale/",
        f"{base}/personale/nuovo/",
        f"{base}/ente/",
        f"{base}/password",
        f"{base}/servizi/",
        f"{base}/servizi/{service.pk}/",
        f"{base}/servizi/{service.pk}/scheda/",
        f"{base}/servizi/{service.pk}/modulo/",
        f"{base}/servizi/{service.pk}/modulo/campo/",
        f"{base}/servizi/{service.pk}/modulo/anteprima/",
        f"{base}/pratiche/",
        f"{base}/pratiche/{application.pk}/",
        f"{base}/statistiche/",
        f"{base}/statistiche/valutazioni/",
        f"{base}/faq/",
    ]
    assert pages_violations(page, paths) == {}


def test_citizen_personal_pages_have_no_wcag_violations(
    page, mori, mori_admin, sp_at_live_server, settings, tmp_path
):
    import re

    from sportello.accounts.models import User
    from sportello.applications import services as applications
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    page.goto("/comune-di-mori/it/login/?next=/comune-di-mori/it/area-personale/")
    page.get_by_text("Entra con SPID").click()
    page.get_by_role("link", name="SPID di prova (demo)").click()
    page.get_by_label(re.compile(r"Mario Rossi")).check()
    page.get_by_role("button", name="Accedi come questo cittadino").click()
    page.wait_for_url(re.compile(r"/comune-di-mori/it/area-personale/"))
    citizen = User.objects.get(fiscal_code="RSSMRA80A01H501U")
    application = submitted_application(municipality=mori, applicant=citizen)
    applications.application_take_charge(application=application, user=mori_admin)
    applications.application_request_integration(
        application=application, user=mori_admin, body="Manca un documento."
    )
    assert pages_violations(page, ["/comune-di-mori/it/area-personale/"]) == {}  # first access: the notice
    from django.conf import settings as django_settings

    from sportello.accounts.services import privacy_consent_give

    privacy_consent_give(user=citizen, municipality=mori, version=django_settings.PRIVACY_TERMS_VERSION)
    paths = [
        "/comune-di-mori/it/area-personale/",
        "/comune-di-mori/it/pratiche/",
        f"/comune-di-mori/it/pratiche/{application.pk}/",
        f"/comune-di-mori/de/pratiche/{application.pk}/",
    ]
    assert pages_violations(page, paths) == {}


def _room_day():
    from datetime import timedelta

    from django.utils import timezone

    from sportello.rooms.services import is_holiday

    day = timezone.localdate() + timedelta(days=12)
    while day.weekday() not in (1, 2) or is_holiday(day):
        day += timedelta(days=1)
    return day


def _demo_rooms(mori, settings, tmp_path):
    from sportello.demo.rooms import load_demo_rooms

    settings.MEDIA_ROOT = tmp_path
    load_demo_rooms(mori, town="mori")
    return mori.rooms.get(slug="sala-consiliare")


def _room_details(booking, citizen):
    from sportello.rooms import services as rooms

    values = {"purpose": "Assemblea", "attendance": 30, "declarations": list(rooms.DECLARATIONS)}
    rooms.room_booking_details_save(
        booking=booking, citizen=citizen, values={**values, "applicant_kind": "person"}
    )


def test_citizen_room_pages_have_no_wcag_violations(
    page, mori, sp_at_live_server, demo_spid_login, settings, tmp_path
):
    """The rooms, a room's page (week, month, a chosen day, a band room), the booking steps, the booking, the
    signed link and "Le mie prenotazioni di sale"."""
    import re
    from datetime import datetime, time

    from django.conf import settings as django_settings

    from sportello.accounts.models import User
    from sportello.accounts.services import privacy_consent_give
    from sportello.rooms import services as rooms
    from sportello.rooms.pricing import ROME
    from sportello.rooms.tokens import manage_token

    council = _demo_rooms(mori, settings, tmp_path)
    page.goto("/comune-di-mori/it/login/?next=/comune-di-mori/it/spazi/")
    demo_spid_login(page, "Mario Rossi", first_access=False)
    page.wait_for_url(re.compile(r"/comune-di-mori/it/spazi/"))
    citizen = User.objects.get(fiscal_code="RSSMRA80A01H501U")
    privacy_consent_give(user=citizen, municipality=mori, version=django_settings.PRIVACY_TERMS_VERSION)
    day = _room_day()
    base = "/comune-di-mori/it/spazi"
    assert (
        pages_violations(
            page,
            [
                f"{base}/",
                f"{base}/sala-consiliare/",
                f"{base}/sala-consiliare/?mese={day:%Y-%m}#mese",
                f"{base}/sala-consiliare/?giorno={day.isoformat()}#scegli",
                f"{base}/palestra-comunale/",
            ],
        )
        == {}
    )
    page.goto(f"{base}/sala-consiliare/?giorno={day.isoformat()}")  # the choice showing its errors
    page.get_by_role("button", name="Avanti").click()
    assert violations(page) == []
    booking = rooms.room_booking_hold(
        room=council,
        citizen=citizen,
        ranges=[(datetime.combine(day, time(18), ROME), datetime.combine(day, time(21), ROME))],
        category="resident",
    )
    steps = f"{base}/prenotazioni/{booking.uid}"
    assert pages_violations(page, [f"{steps}/dettagli/"]) == {}
    page.get_by_role("button", name="Avanti").click()  # the details showing their errors
    assert violations(page) == []
    _room_details(booking, citizen)
    assert pages_violations(page, [f"{steps}/riepilogo/"]) == {}
    rooms.room_booking_submit(booking=booking, citizen=citizen)
    booking.refresh_from_db()
    paths = [
        f"{steps}/",
        "/comune-di-mori/it/area-personale/spazi/",
        f"{base}/gestisci/{manage_token(booking)}/",
    ]
    assert pages_violations(page, paths) == {}


def test_staff_room_pages_have_no_wcag_violations(page, mori, mori_admin, citizen, settings, tmp_path):
    """Sale, requests, a booking, the room calendar, the room editor, tariffs, the booking on behalf (also with
    its errors) and the photos."""
    from datetime import datetime, time

    from sportello.payments.tests.factories import payment_settings
    from sportello.rooms import services as rooms
    from sportello.rooms.pricing import ROME

    council = _demo_rooms(mori, settings, tmp_path)
    payment_settings(mori)
    day = _room_day()
    booking = rooms.room_booking_hold(
        room=council,
        citizen=citizen,
        ranges=[(datetime.combine(day, time(18), ROME), datetime.combine(day, time(21), ROME))],
        category="resident",
    )
    _room_details(booking, citizen)
    rooms.room_booking_submit(booking=booking, citizen=citizen)
    staff_login(page)
    base = "/comune-di-mori/it/operatori/sale"
    paths = [
        f"{base}/",
        f"{base}/richieste/",
        f"{base}/prenotazioni/{booking.pk}/",
        f"{base}/{council.pk}/calendario/?settimana={day.isoformat()}",
        f"{base}/{council.pk}/",
        f"{base}/{council.pk}/tariffe/",
        f"{base}/{council.pk}/prenota/?giorno={day.isoformat()}",
        f"{base}/{council.pk}/foto/",
        f"{base}/statistiche/",
    ]
    assert pages_violations(page, paths) == {}
    page.goto(f"{base}/{council.pk}/prenota/")
    page.get_by_role("button", name="Prenota", exact=True).click()  # the form showing its errors
    assert violations(page) == []
    page.goto(f"{base}/{council.pk}/foto/")
    page.get_by_role("button", name="Carica la foto").click()
    assert violations(page) == []


def test_manual_and_support_pages_have_no_wcag_violations(page, mori, mori_operator, settings):
    """Aiuto, as an operator (the staff walk above is an administrator's): every chapter of the manual and Supporto."""
    from sportello.backoffice import manual

    settings.SUPPORT = {
        "name": "Assistenza Sportello",
        "email": "assistenza@example.org",
        "phone": "0461 000000",
        "hours": "dal lunedì al venerdì, 8:30-17:00",
        "url": "https://assistenza.example.org/",
    }
    page.goto("/comune-di-mori/it/operatori/login")
    page.get_by_label("Nome utente").fill(mori_operator.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    base = "/comune-di-mori/it/operatori/aiuto"
    chapters = [f"{base}/manuale/{chapter.slug}/" for chapter in manual.chapters()]
    assert len(chapters) >= 6
    found = {}
    for path in [f"{base}/manuale/", *chapters, f"{base}/supporto/"]:
        page.goto(path)
        assert page.url.endswith(path), f"{path} was not shown (at {page.url})"
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}
