import pytest
from django.forms.models import model_to_dict

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory
from sportello.catalog.constants import AccessLevel, Kind, Status
from sportello.catalog.models import FormVersion, Service, ServiceDeadline
from sportello.catalog.services import service_form_save, service_update_card, service_update_general
from sportello.catalog.topics import canonical_topic
from sportello.demo.catalog import CARD_KEYS, DEMO_SERVICES, OFFICE_KEYS, load_demo_services
from sportello.formschema import FIELD_TYPES, build_form_class, iter_fields, validate_definition


@pytest.fixture
def staff(mori):
    """Two active operators, one inactive operator and an administrator of Mori."""
    operators = [MembershipFactory(municipality=mori, role=Role.OPERATOR).user for _ in range(2)]
    inactive = MembershipFactory(municipality=mori, role=Role.OPERATOR, is_active=False).user
    admin = MembershipFactory(municipality=mori, role=Role.ADMIN).user
    return {"operators": operators, "inactive": inactive, "admin": admin}


def _snapshot(municipality):
    services = Service.objects.filter(municipality=municipality).order_by("slug")
    rows = [
        (model_to_dict(s, exclude=["conditions_file"]), s.updated_at, s.form_version.number) for s in services
    ]
    deadlines = list(ServiceDeadline.objects.filter(service__in=services).values_list("pk", "date", "label"))
    versions = list(
        FormVersion.objects.filter(service__in=services).values_list("pk", "service_id", "number")
    )
    return rows, deadlines, versions


def test_loading_twice_changes_nothing(mori, staff):
    first = load_demo_services(mori, town="mori")
    before = _snapshot(mori)
    second = load_demo_services(mori, town="mori")

    assert _snapshot(mori) == before
    assert Service.objects.filter(municipality=mori).count() == len(DEMO_SERVICES)
    assert FormVersion.objects.filter(service__municipality=mori).count() == len(DEMO_SERVICES)
    assert f"{len(DEMO_SERVICES)} services created" in first[1]
    assert f"0 services created, 0 updated, {len(DEMO_SERVICES)} unchanged; 0 new form versions" in second[1]


def test_loading_again_restores_edited_services(mori, staff):
    load_demo_services(mori, town="mori")
    service = Service.objects.get(municipality=mori, slug="carta-identita-elettronica")
    service_update_general(service=service, name="Carta d'identità", featured=False, operators=[])
    service_update_card(service=service, cost="Gratis", deadlines=[])
    service_form_save(service=service, definition={"pages": [{"fields": []}]})

    lines = load_demo_services(mori, town="mori")

    service.refresh_from_db()
    assert service.name.startswith("Prenotazione appuntamento e pagamento")
    assert service.featured and "22,21 euro" in service.cost
    assert set(service.operators.all()) == set(staff["operators"])
    assert service.form_version.number == 3
    assert "1 updated" in lines[1] and "1 new form versions" in lines[1]


def test_operators_are_enabled_on_every_service(mori, staff):
    load_demo_services(mori, town="mori")
    for service in Service.objects.filter(municipality=mori):
        assert set(service.operators.all()) == set(staff["operators"]), service.slug


@pytest.mark.parametrize("spec", DEMO_SERVICES, ids=lambda spec: spec["slug"])
def test_every_demo_definition_is_valid_and_builds_a_form(spec):
    validate_definition(spec["form"])
    for language in ("it", "en", "de"):
        form = build_form_class(spec["form"], language=language)()
        assert len(form.fields) == sum(1 for _ in iter_fields(spec["form"]))


def test_the_catalogue_uses_every_field_type_and_translates_the_mandatory_forms():
    used = {field["type"] for spec in DEMO_SERVICES for _page, field in iter_fields(spec["form"])}
    assert used == set(FIELD_TYPES)
    for slug in ("carta-identita-elettronica", "prenotazione-spazi-comunali"):
        spec = next(spec for spec in DEMO_SERVICES if spec["slug"] == slug)
        for _page, field in iter_fields(spec["form"]):
            text = field.get("label") or field["content"]
            assert {"it", "en", "de"} <= set(text), (slug, field["key"])


def test_catalogue_content(mori, staff):
    load_demo_services(mori, town="mori")
    services = Service.objects.filter(municipality=mori)
    published = services.filter(status=Status.PUBLISHED)
    assert published.count() >= 12
    assert len({s.category for s in published}) >= 6
    assert services.filter(status=Status.PRIVATE).count() == 1
    assert services.filter(status=Status.DRAFT).count() == 1
    assert 4 <= services.filter(featured=True).count() <= 6

    cie = services.get(slug="carta-identita-elettronica")
    assert (cie.kind, cie.access_level, cie.status) == (Kind.APPOINTMENT, AccessLevel.SPID2, Status.PUBLISHED)
    assert "22,21" in cie.cost and "27,37" in cie.cost
    rooms = services.get(slug="prenotazione-spazi-comunali")
    assert (rooms.kind, rooms.access_level, rooms.status) == (Kind.ROOM, AccessLevel.SPID2, Status.PUBLISHED)
    report = services.get(slug="segnalazione-disservizio")
    assert report.access_level == AccessLevel.ANONYMOUS

    for service in published:
        for name in ("short_description", *CARD_KEYS, *OFFICE_KEYS):
            assert getattr(service, name).strip(), (service.slug, name)
        assert "{comune}" not in service.addressed_to + service.description
        assert 2 <= len(service.topics) <= 4 and service.max_response_days
        assert all(canonical_topic(topic) == topic for topic in service.topics), service.topics
        assert all(d.date.year == 2027 for d in service.deadlines.all())
    assert "Via Scuole 2, 38065 Mori" in cie.office_address
    assert "Comune di Mori" in cie.addressed_to


def test_each_town_gets_its_offices_and_the_same_slugs(mori, trento):
    load_demo_services(mori, town="mori")
    load_demo_services(trento, town="trento")
    slugs = {
        town: set(Service.objects.filter(municipality=town).values_list("slug", flat=True))
        for town in (mori, trento)
    }
    assert slugs[mori] == slugs[trento]
    cie = Service.objects.get(municipality=trento, slug="carta-identita-elettronica")
    assert "Via Maccani 148" in cie.office_address and cie.office_email.endswith("@comune.trento.it")
    assert "Comune di Trento" in cie.addressed_to


def test_an_unknown_town_uses_the_municipality_contacts(mori):
    mori.address, mori.phone = "Piazza Municipio 1, 38000 Altrove (TN)", "0461 000000"
    mori.save()
    load_demo_services(mori, town="altrove")
    service = Service.objects.get(municipality=mori, slug="cambio-residenza")
    assert service.office_address == mori.address and service.office_email == mori.email


@pytest.mark.parametrize(
    ("slug", "english", "german"),
    [
        ("prenotazione-spazi-comunali", "Booking municipal rooms", "Buchung von Gemeinderäumen"),
        ("iscrizione-refezione-scolastica", "Enrolment in the school canteen", "Anmeldung zur Schulmensa"),
    ],
)
def test_the_rooms_and_canteen_services_show_english_and_german_content(
    client, mori, staff, slug, english, german
):
    from bs4 import BeautifulSoup

    load_demo_services(mori, town="mori")

    def page(lang):
        return BeautifulSoup(client.get(f"/comune-di-mori/{lang}/servizi/{slug}/").content, "html.parser")

    for lang, name in (("en", english), ("de", german)):
        translated = page(lang)
        title = translated.select_one('[data-element="service-title"]')
        assert (title.get_text(), title["lang"]) == (name, lang)
        assert "Comune di Mori" in translated.get_text() and "{comune}" not in translated.get_text()
    italian = page("it").select_one('[data-element="service-title"]')
    assert italian.get_text() == Service.objects.get(municipality=mori, slug=slug).name
