"""The application drives its appointment through ``application_transitioned``."""

import pytest

from sportello.applications import services as applications
from sportello.applications.tests.factories import submitted_application
from sportello.scheduling import services
from sportello.scheduling.states import State

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(moderated, citizen, mori_admin):
    application = submitted_application(municipality=moderated.municipality, applicant=citizen)
    appointment = services.appointment_hold(
        calendar=moderated, start=at(9, days=3), citizen=citizen, application=application, now=NOW
    )
    services.appointment_confirm(appointment=appointment, user=citizen, now=NOW)
    applications.application_take_charge(application=application, user=mori_admin)
    appointment.refresh_from_db()
    assert appointment.state == State.PENDING
    return application, appointment


def test_accepted_application_approves_its_appointment(booked, mori_admin):
    application, appointment = booked
    applications.application_accept(application=application, user=mori_admin, motivation="Ok")
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED


def test_rejected_application_releases_the_slot(booked, mori_admin):
    application, appointment = booked
    applications.application_reject(application=application, user=mori_admin, motivation="Non residente")
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()


def test_withdrawn_application_cancels_the_appointment(booked, citizen):
    application, appointment = booked
    applications.application_withdraw(application=application, user=citizen)
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED
    assert appointment.events.last().transition == "cancel"


def test_payment_failed_releases_a_held_slot(moderated, citizen):
    from sportello.applications.models import Application
    from sportello.applications.services import _fire, _locked
    from sportello.applications.states import Actor

    application = submitted_application(municipality=moderated.municipality, applicant=citizen)
    Application.objects.filter(pk=application.pk).update(state="payment_pending")
    appointment = services.appointment_hold(
        calendar=moderated, start=at(9, days=3), citizen=citizen, application=application, now=NOW
    )
    from django.db import transaction

    with transaction.atomic():
        _fire(_locked(application), "payment_failed", actor=Actor.SYSTEM)
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()
