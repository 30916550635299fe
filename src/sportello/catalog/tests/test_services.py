import pytest
from django.core.exceptions import ValidationError

from sportello.catalog.constants import Status
from sportello.catalog.models import FormVersion, Service
from sportello.catalog.services import (
    NameChangeNeedsConfirmation,
    service_copy,
    service_create,
    service_form_save,
    service_update_card,
    service_update_general,
)
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory


def test_create_defaults_to_a_draft_with_a_slug_from_the_name(mori):
    service = service_create(
        municipality=mori,
        name="Richiesta contributo asili nido",
        category="educazione-e-formazione",
        short_description="Contributo alle famiglie.",
    )
    assert service.status == Status.DRAFT
    assert service.slug == "richiesta-contributo-asili-nido"


def test_slug_is_unique_per_municipality_only(mori, trento):
    ServiceFactory(municipality=mori, slug="cie")
    with pytest.raises(ValidationError):
        service_create(
            municipality=mori,
            name="CIE",
            slug="cie",
            category="anagrafe-e-stato-civile",
            short_description="x",
        )
    assert service_create(
        municipality=trento, name="CIE", slug="cie", category="anagrafe-e-stato-civile", short_description="x"
    )


def test_scheduled_needs_a_start_and_an_ordered_window(mori):
    service = ServiceFactory(municipality=mori)
    with pytest.raises(ValidationError):
        service_update_general(service=service, status=Status.SCHEDULED, publish_from=None)
    service.refresh_from_db()
    assert service.status == Status.PUBLISHED


def test_renaming_a_service_bound_to_app_io_needs_confirmation(mori):
    service = ServiceFactory(municipality=mori, name="Carta d'identità", io_service_id="01EXAMPLE")
    with pytest.raises(NameChangeNeedsConfirmation) as error:
        service_update_general(service=service, name="CIE")
    assert "App IO" in error.value.messages[0]
    service.refresh_from_db()
    assert service.name == "Carta d'identità"
    service_update_general(service=service, name="CIE", confirm_name_change=True)
    service.refresh_from_db()
    assert service.name == "CIE"


def test_renaming_without_io_needs_no_confirmation(mori):
    service = ServiceFactory(municipality=mori, name="Vecchio nome")
    service_update_general(service=service, name="Nuovo nome")
    service.refresh_from_db()
    assert service.name == "Nuovo nome"


def test_only_the_municipalitys_staff_can_be_enabled_as_operators(mori, mori_operator, trento_admin):
    service = ServiceFactory(municipality=mori)
    service_update_general(service=service, operators=[mori_operator])
    assert list(service.operators.all()) == [mori_operator]
    with pytest.raises(ValidationError):
        service_update_general(service=service, operators=[trento_admin])
    assert list(service.operators.all()) == [mori_operator]


def test_every_form_change_makes_a_new_immutable_version(mori):
    service = ServiceFactory(municipality=mori)
    first = service_form_save(service=service, definition=SIMPLE_DEFINITION)
    changed = {"pages": [{"fields": [*SIMPLE_DEFINITION["pages"][0]["fields"][:1]]}]}
    second = service_form_save(service=service, definition=changed)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.definition == SIMPLE_DEFINITION
    service.refresh_from_db()
    assert service.form_version == second


def test_an_invalid_definition_is_refused_and_makes_no_version(mori):
    service = ServiceFactory(municipality=mori)
    bad = {"pages": [{"fields": [{"key": "Nome!", "type": "text", "label": {"it": "Nome"}}]}]}
    with pytest.raises(ValidationError):
        service_form_save(service=service, definition=bad)
    assert not FormVersion.objects.exists()


def test_copy_makes_a_draft_with_a_new_slug_and_the_same_content(mori, mori_operator):
    service = ServiceFactory(municipality=mori, slug="cie", io_service_id="01EXAMPLE", featured=True)
    service.operators.set([mori_operator])
    service_form_save(service=service, definition=SIMPLE_DEFINITION)
    service_update_card(service=service, deadlines=[("2027-01-31", "Termine domande")])
    copy = service_copy(service=service)
    second = service_copy(service=service)
    assert copy.slug == "cie-copia" and second.slug == "cie-copia-2"
    assert copy.status == Status.DRAFT and not copy.featured and copy.io_service_id == ""
    assert copy.how_to == service.how_to
    assert list(copy.operators.all()) == [mori_operator]
    assert copy.form_version.definition == SIMPLE_DEFINITION and copy.form_version.number == 1
    assert copy.form_version.service == copy
    assert [d.label for d in copy.deadlines.all()] == ["Termine domande"]
    assert Service.objects.count() == 3


def test_card_update_replaces_deadlines(mori):
    service = ServiceFactory(municipality=mori)
    service_update_card(service=service, deadlines=[("2027-01-31", "A"), ("2027-02-28", "B")], cost="10 euro")
    service_update_card(service=service, deadlines=[("2027-03-31", "C")])
    assert [d.label for d in service.deadlines.all()] == ["C"]
    service.refresh_from_db()
    assert service.cost == "10 euro"
