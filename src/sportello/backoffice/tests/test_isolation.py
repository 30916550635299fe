"""Walk every back-office URL: other municipalities' staff, citizens and anonymous users never get in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory
from sportello.backoffice.urls import urlpatterns as backoffice_patterns

PUBLIC_VIEWS = {"login", "logout"}


def backoffice_urls(
    municipality_slug: str,
    pk: int,
    service_pk: int | None = None,
    application_pk: int | None = None,
    attachment_pk: int | None = None,
    calendar_pk: int | None = None,
):
    """Every back-office route with its URL for ``municipality_slug`` and object ids.

    ``pk`` is a staff member's id; ``servizi/`` routes take ``service_pk``, ``pratiche/`` routes take
    ``application_pk`` and ``attachment_pk``, ``calendari/`` routes ``calendar_pk`` when given.
    """
    for pattern in backoffice_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        object_pk = pk
        if route.startswith("servizi/") and service_pk is not None:
            object_pk = service_pk
        elif route.startswith("pratiche/") and application_pk is not None:
            object_pk = application_pk
        elif route.startswith("calendari/") and calendar_pk is not None:
            object_pk = calendar_pk
        route = (
            route.replace("<int:pk>", str(object_pk))
            .replace("<int:attachment_pk>", str(attachment_pk if attachment_pk is not None else pk))
            .replace("<slug:key>", "nome")
            .replace("<uuid:pk>", "00000000-0000-4000-8000-000000000000")
            .replace("<str:day>", "2026-12-01")
            .replace("<int:photo_pk>", str(pk))
            .replace("<str:variant>", "piccola")
        )
        assert "<" not in route, f"placeholder not handled by the walk: {route}"
        yield pattern.name, f"/{municipality_slug}/it/operatori/{route}"


def test_the_walk_covers_every_backoffice_route():
    resolver = get_resolver()
    names = {
        name
        for entry in resolver.url_patterns
        if isinstance(entry, URLResolver)
        for sub in entry.url_patterns
        if isinstance(sub, URLResolver) and sub.namespace == "backoffice"
        for name in [p.name for p in sub.url_patterns]
    }
    assert names == {name for name, _url in backoffice_urls("x", 1)}
    assert len(names) >= 10


@pytest.fixture
def mori_staff_member(mori):
    return MembershipFactory(municipality=mori, role=Role.OPERATOR)


@pytest.fixture
def mori_service(mori):
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory

    service = ServiceFactory(municipality=mori, slug="servizio-mori")
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    return service


@pytest.fixture
def mori_application(mori, mori_service, mori_operator, settings, tmp_path):
    """A submitted application of ``mori_service`` (its operator enabled) with one attachment."""
    from django.core.files.base import ContentFile

    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.models import Attachment
    from sportello.applications.tests.factories import submitted_application

    settings.MEDIA_ROOT = tmp_path
    mori_service.operators.add(mori_operator)
    application = submitted_application(municipality=mori, applicant=UserFactory(), service=mori_service)
    attachment = Attachment(
        application=application, kind=Attachment.Kind.FORM, name="a.pdf", size=8, sha256="0" * 64
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return application


@pytest.fixture
def mori_calendar(mori, mori_service):
    from sportello.scheduling.tests.factories import CalendarFactory, OpeningRuleFactory

    calendar = CalendarFactory(municipality=mori)
    OpeningRuleFactory(calendar=calendar)
    calendar.services.add(mori_service)
    return calendar


def walk(slug, staff, service, application, calendar=None):
    return backoffice_urls(
        slug,
        staff.pk,
        service.pk,
        application.pk,
        application.attachments.get().pk,
        calendar.pk if calendar else None,
    )


def assert_calendar_unchanged(calendar):
    before = (calendar.title, calendar.feed_secret, calendar.rules.count(), calendar.closures.count())
    calendar.refresh_from_db()
    assert (calendar.title, calendar.feed_secret, calendar.rules.count(), calendar.closures.count()) == before
    assert calendar.services.count() == 1 and not calendar.appointments.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_trento_admin_gets_403_or_404_on_every_mori_staff_url(
    client, mori, trento_admin, mori_staff_member, mori_service, mori_application, mori_calendar, method
):
    client.force_login(trento_admin)
    for name, url in walk("comune-di-mori", mori_staff_member, mori_service, mori_application, mori_calendar):
        if name in PUBLIC_VIEWS:
            continue
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), (url, response.status_code)
        assert response.status_code != 405 or method == "get", url
    mori_staff_member.refresh_from_db()
    assert mori_staff_member.is_active and mori_staff_member.role == Role.OPERATOR
    mori_service.refresh_from_db()
    assert mori_service.form_version.number == 1 and mori_service.form_versions.count() == 1
    assert mori_application.events.count() == 2 and mori_application.messages.count() == 0
    assert_calendar_unchanged(mori_calendar)


def test_mori_admin_cannot_reach_trento_objects_through_mori_urls(
    client, mori_admin, trento_admin, trento, settings, tmp_path
):
    """Object ids of another municipality are 404 even under one's own municipality."""
    from django.core.files.base import ContentFile

    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.models import Attachment
    from sportello.applications.tests.factories import submitted_application
    from sportello.catalog.tests.factories import ServiceFactory

    settings.MEDIA_ROOT = tmp_path
    client.force_login(mori_admin)
    trento_membership = trento_admin.memberships.get()
    trento_service = ServiceFactory(municipality=trento)
    trento_application = submitted_application(
        municipality=trento, applicant=UserFactory(), service=trento_service
    )
    attachment = Attachment(
        application=trento_application, kind="form", name="a.pdf", size=8, sha256="0" * 64
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    from sportello.scheduling.tests.factories import CalendarFactory

    trento_calendar = CalendarFactory(municipality=trento)
    trento_calendar.services.add(trento_service)
    urls = backoffice_urls(
        "comune-di-mori",
        trento_membership.pk,
        trento_service.pk,
        trento_application.pk,
        attachment.pk,
        trento_calendar.pk,
    )
    for name, url in urls:
        if "<int:pk>" not in next(str(p.pattern) for p in backoffice_patterns if p.name == name):
            continue
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"azione": "elimina"}).status_code == 404, url
    trento_membership.refresh_from_db()
    assert trento_membership.is_active
    assert trento.services.count() == 1
    trento_application.refresh_from_db()
    assert trento_application.state == "registered" and trento_application.messages.count() == 0
    assert_calendar_unchanged(trento_calendar)


POST_ONLY = {
    "staff_deactivate",
    "staff_reactivate",
    "staff_password_reset",
    "service_copy",
    "service_io_sync",
    "service_field_action",
    "service_page_action",
    "application_action",
    "application_message",
    "api_token_revoke",
    "webhook_deactivate",
    "webhook_delivery_replay",
    "calendar_agenda_action",
    "calendar_feed_regenerate",
    "payment_action",
    "application_protocol_retry",
    "faq_delete",
    "subscription_service_remind",
    "subscription_action",
    "io_message_resolve",
    "room_booking_action",
}


def test_operators_get_403_on_admin_pages(
    client, mori_operator, mori_staff_member, mori_service, mori_application, mori_calendar
):
    client.force_login(mori_operator)
    # the operators' pages (an empty POST to an action or message is a bad request, and changes nothing)
    allowed = {
        "dashboard": 200,
        "password_change": 200,
        "application_list": 200,
        "application_detail": 200,
        "application_attachment": 200,
        "application_export": 200,
        "application_action": 400,
        "application_message": 400,
        "application_protocol_retry": 400,
        "statistics": 200,
        # calendars: the list (empty), and 404 on calendars they do not coordinate
        "calendar_list": 200,
        "calendar_edit": 404,
        "calendar_rules": 404,
        "calendar_agenda": 404,
        "calendar_agenda_action": 404,
        "calendar_book": 404,
        "calendar_feed_regenerate": 404,
        "payment_list": 200,
        "payment_action": 400,
        # the accounting export and reconciliation are the administrators': 403 (the default below)
        "rating_list": 200,
        # subscription services: the list (empty), and 404 on services they do not handle
        "subscription_service_list": 200,
        "subscription_service_detail": 404,
        "subscription_service_export": 404,
        "subscription_service_import": 404,
        "subscription_service_remind": 404,
        "subscription_detail": 404,
        "subscription_action": 404,
        "subscription_certificate": 404,
        # Aiuto: the manual and the help desk, for every staff member
        "manual": 200,
        "manual_pdf": 200,
        "manual_chapter": 404,  # no chapter "nome"
        "support": 200,
        "io_uncertain_list": 200,  # only the messages of the services they are enabled on
        "io_message_resolve": 404,  # no uncertain message with that id
        # rooms: lists, exports and statistics of the rooms they coordinate (none); 404 on other rooms
        "room_list": 200,
        "room_requests": 200,
        "room_export": 200,
        "room_stats": 200,
        "room_booking": 404,
        "room_booking_action": 404,
        "room_calendar": 404,
        "room_photo_file": 404,  # photos of rooms they do not coordinate; the photo editor is 403 (admins)
        "room_book": 404,  # the office's booking on behalf of an applicant: rooms they coordinate
        "room_regulation": 404,  # the regulation (PDF) of rooms they coordinate
    }
    for name, url in walk("comune-di-mori", mori_staff_member, mori_service, mori_application, mori_calendar):
        if name in PUBLIC_VIEWS:
            continue
        response = client.post(url) if name in POST_ONLY else client.get(url)
        expected = allowed.get(name, 403)
        assert response.status_code == expected, (url, response.status_code)
    assert mori_application.events.count() == 2 and mori_application.messages.count() == 0


def test_citizens_get_403_everywhere(
    client, mori, citizen, mori_staff_member, mori_service, mori_application, mori_calendar
):
    client.force_login(citizen)
    for name, url in walk("comune-di-mori", mori_staff_member, mori_service, mori_application, mori_calendar):
        if name in PUBLIC_VIEWS:
            continue
        method = client.post if name in POST_ONLY else client.get
        assert method(url).status_code == 403, url


def test_anonymous_users_are_sent_to_this_municipalitys_login(
    client, mori, mori_staff_member, mori_service, mori_application, mori_calendar
):
    for name, url in walk("comune-di-mori", mori_staff_member, mori_service, mori_application, mori_calendar):
        if name in PUBLIC_VIEWS:
            continue
        method = client.post if name in POST_ONLY else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/comune-di-mori/it/operatori/login?next="), url


def test_the_platform_superuser_administers_every_municipality(client, mori, trento, db):
    from sportello.accounts.tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/comune-di-mori/it/operatori/personale/").status_code == 200
    assert client.get("/comune-di-trento/it/operatori/personale/").status_code == 200


def test_faq_entries_of_another_municipality_are_404(client, mori_admin, trento):
    from sportello.municipalities.models import FaqEntry

    entry = FaqEntry.objects.create(municipality=trento, question="Di Trento?", answer="Sì")
    client.force_login(mori_admin)
    base = "/comune-di-mori/it/operatori/faq"
    assert client.get(f"{base}/{entry.pk}/").status_code == 404
    assert (
        client.post(f"{base}/{entry.pk}/", {"question": "X?", "answer": "Y", "position": 1}).status_code
        == 404
    )
    assert client.post(f"{base}/{entry.pk}/elimina").status_code == 404
    entry.refresh_from_db()
    assert entry.question == "Di Trento?"


# The accounting export and reconciliation list every payment of the municipality with the payers' fiscal codes:
# administrators only (issue 9); operators see only the payments of the applications they handle.
ACCOUNTING_VIEWS = {
    "accounting_export": 200,
    "accounting_file": 404,  # no morning export stored for that day
    "flow_list": 200,
    "flow_detail": 404,  # no flow with that id
    "accounting_export_status": 404,  # no export with that id
    "accounting_export_download": 404,
}


def test_accounting_and_reconciliation_are_for_administrators_only(
    client, mori, mori_admin, mori_operator, mori_staff_member, mori_service, mori_application, mori_calendar
):
    from sportello.payments.models import ReportingFlow
    from sportello.payments.tests.factories import payment_settings

    payment_settings(mori)
    urls = dict(walk("comune-di-mori", mori_staff_member, mori_service, mori_application, mori_calendar))
    assert set(ACCOUNTING_VIEWS) <= set(urls)
    client.force_login(mori_operator)
    for name in ACCOUNTING_VIEWS:
        assert client.get(urls[name]).status_code == 403, name
    assert client.post(urls["flow_list"], {"sandbox": "1"}).status_code == 403
    assert client.post(urls["accounting_export"], {"formato": "csv"}).status_code == 403
    menu = client.get("/comune-di-mori/it/operatori/").content.decode()
    assert "Export contabile" not in menu and "Rendicontazione" not in menu
    client.force_login(mori_admin)
    for name, expected in ACCOUNTING_VIEWS.items():
        assert client.get(urls[name]).status_code == expected, name
    menu = client.get("/comune-di-mori/it/operatori/").content.decode()
    assert "Export contabile" in menu and "Rendicontazione" in menu
    assert not ReportingFlow.objects.exists()
