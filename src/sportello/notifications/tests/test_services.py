import pytest
from django.core.exceptions import ValidationError

from sportello.accounts.tests.factories import UserFactory
from sportello.applications.models import ApplicationEvent
from sportello.applications.services import application_request_integration, application_take_charge
from sportello.applications.tasks import application_notify
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.services import NameChangeNeedsConfirmation, service_update_general
from sportello.notifications.models import EmailDelivery, IOBinding, IOMessage, SandboxIOService
from sportello.notifications.models import ServiceIOLogEntry as Log
from sportello.notifications.services import (
    channels_for,
    io_binding_save,
    io_message_enqueue,
    io_service_sync,
    notification_preference_set,
)
from sportello.notifications.tasks import io_service_sync_run

from .factories import IOBindingFactory


@pytest.fixture
def binding(mori):
    return IOBindingFactory(service__municipality=mori, service__name="Carta d'identità elettronica")


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", fiscal_code="BNCNNA80A41L378X")


def _enqueue(binding, user, **kwargs):
    return io_message_enqueue(
        user=user,
        service=binding.service,
        event_key="e:1",
        subject="Promemoria",
        markdown="Domani.",
        **kwargs,
    )


def test_preferences_default_to_both_and_are_per_municipality(anna, mori, trento):
    assert channels_for(user=anna, municipality=mori) == {"email", "io"}
    notification_preference_set(user=anna, municipality=mori, channels="io")
    assert channels_for(user=anna, municipality=mori) == {"io"}
    assert channels_for(user=anna, municipality=trento) == {"email", "io"}
    with pytest.raises(ValidationError):
        notification_preference_set(user=anna, municipality=mori, channels="sms")


def test_no_message_when_the_citizen_wants_email_only_or_the_service_is_not_bound(binding, anna, mori):
    notification_preference_set(user=anna, municipality=mori, channels="email")
    assert _enqueue(binding, anna) is None
    notification_preference_set(user=anna, municipality=mori, channels="both")
    binding.enabled = False
    binding.save()
    assert _enqueue(binding, anna) is None
    assert not IOMessage.objects.exists()


def test_content_is_rendered_within_limits_in_each_language(binding, anna):
    message = _enqueue(binding, anna)
    content = message.contents["it"]
    assert 10 <= len(content["subject"]) <= 120 and 80 <= len(content["markdown"]) <= 10000
    assert "Comune di Mori" in content["markdown"]


@pytest.mark.parametrize(
    "payment",
    [
        {"amount": 0, "notice_number": "302000000000000123", "payee_fiscal_code": "00123450220"},
        {"amount": 100, "notice_number": "402000000000000123", "payee_fiscal_code": "00123450220"},
        {"amount": 100, "notice_number": "302000000000000123", "payee_fiscal_code": "ABC"},
        {"amount": "1.00", "notice_number": "302000000000000123", "payee_fiscal_code": "00123450220"},
    ],
)
def test_bad_payment_data_is_refused(binding, anna, payment):
    with pytest.raises(ValidationError):
        _enqueue(binding, anna, payment_data=payment)
    assert not IOMessage.objects.exists()


def _save(service, actor, **fields):
    defaults = {"io_service_id": "01X", "provider": "io", "api_key": "", "manage_key": "", "enabled": True}
    return io_binding_save(service=service, actor=actor, **(defaults | fields))


def test_binding_keeps_the_key_when_left_empty_and_never_shows_it(mori, mori_admin):
    from sportello.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(municipality=mori)
    with pytest.raises(ValidationError):
        _save(service, mori_admin)
    binding = _save(service, mori_admin, api_key="segreto-1")
    _save(service, mori_admin)
    binding.refresh_from_db()
    service.refresh_from_db()
    assert binding.api_key == "segreto-1" and service.io_service_id == "01X"
    assert "segreto" not in str(binding) and "segreto" not in repr(binding)
    assert "segreto" not in " ".join(Log.objects.values_list("detail", flat=True))
    _save(service, mori_admin, io_service_id="")
    service.refresh_from_db()
    assert service.io_service_id == "" and not IOBinding.objects.exists()


def test_sandbox_provider_refused_where_not_enabled(mori, mori_admin, settings):
    from sportello.catalog.tests.factories import ServiceFactory

    settings.SANDBOX_PROVIDERS = []
    with pytest.raises(ValidationError):
        _save(ServiceFactory(municipality=mori), mori_admin, provider="io_sandbox", api_key="k")


def _run_sync_tasks():
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.filter(task_path="sportello.notifications.tasks.io_service_sync_run"):
        io_service_sync_run.call(**result.args_kwargs["kwargs"])
        result.delete()


def test_sync_publishes_name_description_and_contacts(binding, mori_admin):
    service = binding.service
    service.office_email = "anagrafe@comune.mori.tn.it"
    service.save()
    io_service_sync(service=service, actor=mori_admin)
    _run_sync_tasks()
    registered = SandboxIOService.objects.get(io_service_id=service.io_service_id)
    assert registered.data["name"] == "Carta d'identità elettronica"
    assert registered.data["description"] == service.short_description
    assert registered.data["metadata"]["email"] == "anagrafe@comune.mori.tn.it"
    assert [e.kind for e in Log.objects.filter(service=service)] == [Log.Kind.SYNC_DONE, Log.Kind.SYNC_QUEUED]


def test_rename_updates_io_in_the_same_step_and_is_recorded(binding, mori_admin):
    service = binding.service
    with pytest.raises(NameChangeNeedsConfirmation):
        service_update_general(service=service, actor=mori_admin, name="CIE")
    assert not Log.objects.exists()
    service_update_general(service=service, actor=mori_admin, name="CIE", confirm_name_change=True)
    _run_sync_tasks()
    assert SandboxIOService.objects.get(io_service_id=service.io_service_id).data["name"] == "CIE"
    kinds = list(Log.objects.filter(service=service).order_by("pk").values_list("kind", "actor"))
    assert kinds == [
        (Log.Kind.RENAME_WARNING, mori_admin.pk),
        (Log.Kind.SYNC_QUEUED, mori_admin.pk),
        (Log.Kind.SYNC_DONE, mori_admin.pk),
    ]


def test_rename_of_an_unbound_service_calls_nobody(mori, mori_admin):
    from sportello.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(municipality=mori)
    service_update_general(service=service, actor=mori_admin, name="Altro nome")
    assert not Log.objects.exists()


def _notify_last_event(application):
    event = ApplicationEvent.objects.filter(application=application).last()
    application_notify.call(event_id=event.pk)
    return event


def test_citizen_facing_events_go_to_io_and_email_as_preferred(
    binding, anna, mori, mori_operator, mailoutbox
):
    binding.service.operators.set([mori_operator])
    application = submitted_application(municipality=mori, applicant=anna, service=binding.service)
    application_take_charge(application=application, user=mori_operator)
    event = _notify_last_event(application)
    message = IOMessage.objects.get(event_key=f"application-event:{event.pk}")
    assert application.number in message.contents["it"]["subject"]
    assert EmailDelivery.objects.get(event_key=message.event_key).status == EmailDelivery.Status.SENT
    assert len(mailoutbox) == 1

    notification_preference_set(user=anna, municipality=mori, channels="io")
    application_request_integration(application=application, user=mori_operator, body="Manca la foto.")
    event = _notify_last_event(application)
    assert (
        "Manca la foto."
        in IOMessage.objects.get(event_key=f"application-event:{event.pk}").contents["it"]["markdown"]
    )
    assert (
        EmailDelivery.objects.get(event_key=f"application-event:{event.pk}").status
        == EmailDelivery.Status.NOT_WANTED
    )
    assert len(mailoutbox) == 1
    _notify_last_event(application)  # the notify task run twice: still one IO message
    assert IOMessage.objects.filter(event_key=f"application-event:{event.pk}").count() == 1
