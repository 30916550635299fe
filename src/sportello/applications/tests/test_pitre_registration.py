"""Registration in P.I.Tre. out of band, against the fake P.I.Tre. (a real HTTP server): numbers, retries,
refusals, the no-duplicate rule after a timeout or a crash, filing."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sportello.accounts.tests.factories import UserFactory
from sportello.applications import registration
from sportello.applications import services as s
from sportello.applications.models import Application, Attachment, ProtocolEntry, ServiceProtocolSettings
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory

from .pitre_fixtures import use_pitre


@pytest.fixture
def applicant(db):
    return UserFactory(
        username="anna",
        first_name="Anna",
        last_name="Bianchi",
        fiscal_code="BNCNNA80A41L378X",
        email="anna@example.org",
    )


@pytest.fixture
def service(mori, mori_operator):
    service = ServiceFactory(municipality=mori, slug="contributo", name="Contributo famiglie")
    service.operators.set([mori_operator])
    return service


def _submit(mori, applicant, service) -> Application:
    return submitted_application(municipality=mori, applicant=applicant, service=service)


def _run(application, attempt=0):
    entry = application.protocol_entries.get(kind=ProtocolEntry.Kind.APPLICATION)
    registration.entry_run(entry_id=entry.pk, attempt=attempt)
    entry.refresh_from_db()
    application.refresh_from_db()
    return entry


def _queued(entry) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(task_path__endswith="protocol_entry_register").order_by(
            "enqueued_at"
        )
        if row.args_kwargs["kwargs"].get("entry_id") == entry.pk
    ]


def test_submission_records_the_application_and_enqueues_registration_in_the_same_transaction(
    mori, applicant, service, fake_pitre
):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    assert application.state == State.SUBMITTED and application.protocol_number is None
    assert application.submitted_at and application.receipt_sha256
    entry = application.protocol_entries.get()
    assert entry.status == ProtocolEntry.Status.PENDING and entry.direction == "A"
    assert len(_queued(entry)) == 1
    assert fake_pitre.calls == []  # submission did not wait for P.I.Tre.


@pytest.mark.parametrize("routing", ["router", "paths"])
def test_registration_stores_the_pitre_number_and_segnatura(mori, applicant, service, fake_pitre, routing):
    use_pitre(mori, fake_pitre, routing=routing)
    application = _submit(mori, applicant, service)
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.REGISTERED
    assert application.state == State.REGISTERED
    [document] = fake_pitre.entries()
    assert application.protocol_number == int(document["ProtocolNumber"])
    assert application.protocol_year == int(document["ProtocolYear"])
    assert application.protocol_segnatura == document["Signature"] != ""
    assert application.protocol_document_id == document["Id"]
    assert application.protocol_register == "RP"
    assert document["DocumentType"] == "A"
    assert document["Object"].startswith("Contributo famiglie - domanda n. ")
    assert document["Sender"] == {
        "Description": "Bianchi Anna",
        "Type": "O",
        "Name": "Anna",
        "Surname": "Bianchi",
        "NationalIdentificationNumber": "BNCNNA80A41L378X",
        "Email": "anna@example.org",
    }
    assert application.events.filter(transition="register").count() == 1
    # The receipt (with the P.I.Tre. number now) is rendered and e-mailed by its task
    assert DBTaskResult.objects.filter(task_path__endswith="application_receipt_send").exists()


def test_the_main_document_is_the_receipt_pdf_and_each_attachment_is_uploaded(
    mori, applicant, service, fake_pitre, monkeypatch, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    use_pitre(mori, fake_pitre)
    sent = []
    original = registration.PitreClient.call

    def spy(self, method, http_method, body=None, query=None):
        sent.append((method, body))
        return original(self, method, http_method, body, query)

    monkeypatch.setattr(registration.PitreClient, "call", spy)
    application = _submit(mori, applicant, service)
    attachment = Attachment(
        application=application, kind=Attachment.Kind.FORM, name="isee.pdf", size=8, sha256="0"
    )
    attachment.file.save("isee.pdf", ContentFile(b"%PDF-1.4"), save=True)
    _run(application)
    create = next(body for method, body in sent if method == "CreateDocument")
    main = create["Document"]["MainDocument"]
    assert main["MimeType"] == "application/pdf" and base64.b64decode(main["Content"]).startswith(b"%PDF")
    upload = next(body for method, body in sent if method == "UploadFileToDocument")
    assert upload["CreateAttachment"] is True and upload["IdDocument"] == application.protocol_document_id
    assert base64.b64decode(upload["File"]["Content"]) == b"%PDF-1.4"
    assert fake_pitre.entries()[0]["Attachments"] == [
        {"Name": "isee.pdf", "Description": upload["Description"]}
    ]


def test_a_timeout_after_pitre_accepted_never_gives_a_second_entry(mori, applicant, service, fake_pitre):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    fake_pitre.hang_next("CreateDocument")  # P.I.Tre. creates the entry, the answer never arrives
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.PENDING and "non raggiungibile" in entry.last_error
    assert application.state == State.SUBMITTED
    assert len(fake_pitre.entries()) == 1
    entry = _run(application, attempt=1)  # the retry searches first and adopts the entry
    assert entry.status == ProtocolEntry.Status.REGISTERED
    [document] = fake_pitre.entries()
    assert application.protocol_number == int(document["ProtocolNumber"])
    assert fake_pitre.calls.count("CreateDocument") == 1 and "SearchDocuments" in fake_pitre.calls


def test_a_worker_killed_after_creating_leaves_exactly_one_entry(
    mori, applicant, service, fake_pitre, monkeypatch
):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(registration, "receipt_from_document", killed)
        with pytest.raises(SystemExit):
            _run(application)
    entry = application.protocol_entries.get()
    assert entry.claimed_until is not None and entry.document_id == ""  # the dead run's claim
    registration.entry_run(entry_id=entry.pk)  # while claimed: deferred, no call
    assert fake_pitre.calls.count("CreateDocument") == 1
    ProtocolEntry.objects.filter(pk=entry.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    entry = _run(application, attempt=1)
    assert entry.status == ProtocolEntry.Status.REGISTERED
    assert len(fake_pitre.entries()) == 1 and fake_pitre.calls.count("CreateDocument") == 1
    assert application.state == State.REGISTERED


def test_network_errors_and_5xx_retry_with_backoff(mori, applicant, service, fake_pitre):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    fake_pitre.fail_next(times=2, status=503)
    before = timezone.now()
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.PENDING and "HTTP 503" in entry.last_error
    retry = _queued(entry)[-1]
    assert retry.args_kwargs["kwargs"]["attempt"] == 1
    assert retry.run_after >= before + timedelta(seconds=60)
    entry = _run(application, attempt=1)
    retry = _queued(entry)[-1]
    assert retry.args_kwargs["kwargs"]["attempt"] == 2 and retry.run_after >= before + timedelta(seconds=300)
    entry = _run(application, attempt=2)
    assert entry.status == ProtocolEntry.Status.REGISTERED and len(fake_pitre.entries()) == 1


def test_p_i_tre_down_for_good_ends_in_failed_for_the_operator(mori, applicant, service, fake_pitre):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    fake_pitre.stop()  # connection refused
    entry = _run(application, attempt=5)  # the last attempt
    assert entry.status == ProtocolEntry.Status.FAILED and "non raggiungibile" in entry.last_error


def test_a_refusal_is_shown_to_the_operator_who_retries_by_hand(
    client, mori, applicant, service, mori_operator, fake_pitre
):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    fake_pitre.refuse_next("CreateDocument", message="Registro RP chiuso")
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.FAILED
    assert entry.last_error == "P.I.Tre. ha rifiutato il documento: Registro RP chiuso"
    assert _queued(entry) == _queued(entry)[:1]  # no automatic retry of a refusal

    client.force_login(mori_operator)
    url = f"/comune-di-mori/it/operatori/pratiche/{application.pk}/"
    page = client.get(url).content.decode()
    assert "In attesa di protocollo" in page and "Registro RP chiuso" in page
    dashboard = client.get("/comune-di-mori/it/operatori/").content.decode()
    assert "Pratiche non protocollate" in dashboard and f"/pratiche/{application.pk}/" in dashboard
    response = client.post(f"{url}protocollo", {"voce": entry.pk})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ProtocolEntry.Status.PENDING and len(_queued(entry)) == 2
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.REGISTERED
    page = client.get(url).content.decode()
    assert application.protocol_segnatura in page and "In attesa di protocollo" not in page


def test_fasc_rapida_required_names_the_missing_setting_then_files_in_the_fascicolo(
    mori, applicant, service, fake_pitre
):
    use_pitre(mori, fake_pitre)
    fake_pitre.require_filing = True
    application = _submit(mori, applicant, service)
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.FAILED
    assert "FASC_RAPIDA_REQUIRED" in entry.last_error and "codice del fascicolo" in entry.last_error
    assert "Contributo famiglie" in entry.last_error
    ServiceProtocolSettings.objects.create(
        service=service, classification_scheme="7", project_code="6.3-2026-1"
    )
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.REGISTERED
    [document] = fake_pitre.entries()
    assert document["CodeProject"] == "6.3-2026-1"
    assert "CreateDocumentAndAddInProject" in fake_pitre.calls


def test_messages_answers_and_outcomes_are_registered_in_and_out_in_the_same_fascicolo(
    mori, applicant, service, mori_operator, fake_pitre
):
    use_pitre(mori, fake_pitre, register_correspondence=True)
    ServiceProtocolSettings.objects.create(service=service, project_code="F-1")
    application = _submit(mori, applicant, service)
    _run(application)
    s.application_take_charge(application=application, user=mori_operator)
    s.application_request_integration(application=application, user=mori_operator, body="Manca l'ISEE")
    s.application_answer_integration(application=application, user=applicant, body="Eccolo")
    s.application_accept(application=application, user=mori_operator, motivation="Concesso")
    entries = list(application.protocol_entries.order_by("pk"))
    assert [(e.kind, e.direction) for e in entries] == [
        ("application", "A"),
        ("message", "P"),
        ("message", "A"),
        ("outcome", "P"),
    ]
    for entry in entries[1:]:
        registration.entry_run(entry_id=entry.pk)
    documents = fake_pitre.entries()
    assert [d["DocumentType"] for d in documents] == ["A", "P", "A", "P"]
    assert {d["CodeProject"] for d in documents} == {"F-1"}
    assert documents[1]["Recipients"][0]["NationalIdentificationNumber"] == "BNCNNA80A41L378X"
    assert all(e.status == ProtocolEntry.Status.REGISTERED for e in application.protocol_entries.all())
    application.refresh_from_db()
    assert application.protocol_number == int(documents[0]["ProtocolNumber"])  # the application's own


def test_correspondence_is_not_registered_unless_enabled(mori, applicant, service, mori_operator, fake_pitre):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    _run(application)
    s.application_take_charge(application=application, user=mori_operator)
    s.application_message_post(application=application, user=mori_operator, body="Ciao")
    assert application.protocol_entries.count() == 1


def test_the_built_in_register_still_numbers_synchronously(mori, applicant, service):
    application = _submit(mori, applicant, service)
    assert application.state == State.REGISTERED and application.protocol_number == 1
    assert not application.protocol_entries.exists()


def test_the_sandbox_pitre_is_refused_unless_enabled(settings):
    from django.core.management import CommandError, call_command

    settings.SANDBOX_PROVIDERS = ["demo_idp"]
    with pytest.raises(CommandError, match="pitre_sandbox provider is not enabled"):
        call_command("pitre_sandbox", "--port", "8599")


def test_a_submission_that_fails_after_enqueueing_leaves_neither_entry_nor_task(
    mori, applicant, service, fake_pitre, monkeypatch
):
    use_pitre(mori, fake_pitre)
    original = registration.entry_create

    def enqueue_then_crash(**kwargs):
        original(**kwargs)  # the entry and its task are written...
        raise RuntimeError("crash after enqueueing")  # ...then the submitting transaction dies

    monkeypatch.setattr(registration, "entry_create", enqueue_then_crash)
    with pytest.raises(RuntimeError):
        _submit(mori, applicant, service)
    application = Application.objects.get(service=service)
    assert application.state == State.DRAFT and not ProtocolEntry.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="protocol_entry_register").exists()


def test_a_second_run_while_the_first_holds_the_entry_does_not_call_pitre(
    mori, applicant, service, fake_pitre
):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    entry = application.protocol_entries.get()
    held_until = timezone.now() + timedelta(minutes=5)
    ProtocolEntry.objects.filter(pk=entry.pk).update(claimed_until=held_until)  # another worker is calling
    registration.entry_run(entry_id=entry.pk)
    assert fake_pitre.calls == []
    assert _queued(entry)[-1].run_after == held_until  # looked at again when the claim expires


def test_an_upload_whose_answer_is_lost_is_not_sent_twice(
    mori, applicant, service, fake_pitre, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)
    attachment = Attachment(
        application=application, kind=Attachment.Kind.FORM, name="isee.pdf", size=8, sha256="0"
    )
    attachment.file.save("isee.pdf", ContentFile(b"%PDF-1.4"), save=True)
    fake_pitre.hang_next("UploadFileToDocument")  # stored by P.I.Tre., the answer never arrives
    entry = _run(application)
    assert entry.status == ProtocolEntry.Status.PENDING and entry.document_id
    entry = _run(application, attempt=1)
    assert entry.status == ProtocolEntry.Status.REGISTERED
    [document] = fake_pitre.entries()
    assert len(document["Attachments"]) == 1 and fake_pitre.calls.count("UploadFileToDocument") == 1


def test_mutual_tls_loads_the_client_certificate_without_leaving_it_on_disk(monkeypatch, tmp_path):
    import ssl
    import tempfile
    from pathlib import Path

    from sportello.applications.protocol.pitre import PitreClient

    from .pitre_fixtures import key_pair

    certificate, key = key_pair()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    loaded = []
    original = ssl.SSLContext.load_cert_chain

    def spy(self, certfile, keyfile=None, password=None):
        loaded.append((Path(certfile).read_text(), Path(keyfile).read_text()))
        return original(self, certfile, keyfile, password)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    client = PitreClient(
        base_url="https://ws-t.pitre.tn.it/RestServices",
        code_adm="c_f728",
        username="sportello",
        client_certificate=certificate,
        client_key=key,
    )
    assert isinstance(client._ssl_context(), ssl.SSLContext)
    assert loaded == [(certificate, key)]
    assert list(tmp_path.iterdir()) == []  # the PEM files lived only while the context was built
    assert key.splitlines()[1] not in repr(client)


def test_an_unexpected_error_releases_the_entry_and_retries_later(
    mori, applicant, service, fake_pitre, monkeypatch
):
    use_pitre(mori, fake_pitre)
    application = _submit(mori, applicant, service)

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    with monkeypatch.context() as patch:
        patch.setattr(registration, "receipt_from_document", broken)
        entry = _run(application)
    assert entry.status == ProtocolEntry.Status.PENDING and entry.claimed_until is None
    assert (
        entry.last_error.startswith("Errore imprevisto")
        and _queued(entry)[-1].args_kwargs["kwargs"]["attempt"] == 1
    )
    entry = _run(application, attempt=1)  # adopts the document created by the broken run
    assert entry.status == ProtocolEntry.Status.REGISTERED and len(fake_pitre.entries()) == 1


def test_an_anonymous_application_is_registered_with_the_sender_from_the_form(mori, service, fake_pitre):
    from sportello.catalog.constants import AccessLevel

    use_pitre(mori, fake_pitre)
    service.access_level = AccessLevel.ANONYMOUS
    service.save()
    values = {"nome": "Carla", "cognome": "Neri", "email": "carla@example.org"}
    application = submitted_application(municipality=mori, applicant=None, service=service, data=values)
    _run(application)
    assert application.state == State.REGISTERED
    sender = fake_pitre.entries()[0]["Sender"]
    assert (sender["Name"], sender["Surname"], sender["Email"]) == ("Carla", "Neri", "carla@example.org")
