import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.applications import services as s
from sportello.applications.models import Application, Attachment, Message
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory
from sportello.formschema.tests import files

BASE = "/comune-di-mori/it/operatori/pratiche"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def errors(response) -> str:
    return " ".join(
        e.get_text(" ", strip=True) for e in soup(response).select(".invalid-feedback, .alert-danger")
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def applicant(db):
    return UserFactory(
        username="anna",
        first_name="Anna",
        last_name="Bianchi",
        fiscal_code="BNCNNA80A41L378X",
        email="anna@example.org",
        phone="+39 0464 123456",
    )


@pytest.fixture
def nido(mori, mori_operator):
    service = ServiceFactory(municipality=mori, name="Asilo nido", slug="nido", max_response_days=30)
    service.operators.set([mori_operator])
    return service


@pytest.fixture
def mensa(mori):
    return ServiceFactory(municipality=mori, name="Mensa scolastica", slug="mensa")


@pytest.fixture
def application(mori, applicant, nido):
    return submitted_application(municipality=mori, applicant=applicant, service=nido)


@pytest.fixture
def mensa_application(mori, applicant, mensa):
    return submitted_application(municipality=mori, applicant=applicant, service=mensa)


@pytest.fixture
def operator_client(client, mori_operator):
    client.force_login(mori_operator)
    return client


@pytest.fixture
def admin_client(client, mori_admin):
    client.force_login(mori_admin)
    return client


def snapshot(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.state,
        application.assigned_to_id,
        application.events.count(),
        Message.objects.filter(application=application).count(),
        Attachment.objects.filter(application=application).count(),
    )


# --- List ---


def test_operator_lists_only_the_applications_of_their_services(
    operator_client, application, mensa_application
):
    response = operator_client.get(f"{BASE}/")
    assert response.status_code == 200
    numbers = [a.get_text(strip=True) for a in soup(response).select("tbody th a")]
    assert numbers == [application.number]
    headers = [th.get_text(" ", strip=True) for th in soup(response).select("thead th")]
    assert [h.split(" (")[0].rstrip(" ▲▼") for h in headers] == [
        "Numero",
        "Servizio",
        "Richiedente",
        "Stato",
        "Data di invio",
        "Assegnata a",
    ]
    options = [o.get_text() for o in soup(response).select("#id_servizio option")]
    assert options == ["Tutti i servizi", "Asilo nido"]


def test_list_filters_counts_and_sorting(admin_client, mori, mori_admin, applicant, nido, mensa):
    first = submitted_application(municipality=mori, applicant=applicant, service=nido)
    second = submitted_application(municipality=mori, applicant=applicant, service=mensa)
    third = submitted_application(municipality=mori, applicant=applicant, service=nido)
    s.application_take_charge(application=third, user=mori_admin)

    response = admin_client.get(f"{BASE}/", {"servizio": nido.pk, "stato": "registered"})
    rows = [a.get_text(strip=True) for a in soup(response).select("tbody th a")]
    assert rows == [first.number]
    badges = {
        " ".join(a.get_text(" ", strip=True).split()): a.get("aria-current")
        for a in soup(response).select(".sportello-state-counts a")
    }
    # counts for the service filter, whatever the state filter
    assert badges == {"Tutte 2": None, "Protocollata 1": "true", "In carico 1": None}
    state_link = soup(response).find("a", string=lambda t: t and "In carico" in t) or next(
        a for a in soup(response).select(".sportello-state-counts a") if "In carico" in a.get_text()
    )
    assert f"servizio={nido.pk}" in state_link["href"] and "stato=in_progress" in state_link["href"]

    response = admin_client.get(f"{BASE}/", {"ordine": "submitted_at"})
    assert [a.get_text(strip=True) for a in soup(response).select("tbody th a")] == [
        first.number,
        second.number,
        third.number,
    ]
    date_header = soup(response).find("th", attrs={"aria-sort": True})
    assert date_header["aria-sort"] == "ascending" and "ordine=-submitted_at" in date_header.a["href"]
    response = admin_client.get(f"{BASE}/", {"ordine": "service"})
    services = [td.get_text(strip=True) for td in soup(response).select("tbody tr td:nth-of-type(1)")]
    assert services == ["Asilo nido", "Asilo nido", "Mensa scolastica"]
    response = admin_client.get(f"{BASE}/", {"q": first.number})
    assert [a.get_text(strip=True) for a in soup(response).select("tbody th a")] == [first.number]
    response = admin_client.get(f"{BASE}/", {"assegnatario": "none"})
    assert third.number not in response.content.decode()


def test_list_invalid_filters_are_reported_in_italian(admin_client, application):
    response = admin_client.get(f"{BASE}/", {"dal": "2026-05-10", "al": "2026-05-01", "stato": "bozza"})
    assert response.status_code == 200
    text = errors(response)
    assert "La data finale precede quella iniziale." in text
    assert "Scegli un'opzione valida" in text


def test_list_pagination_25_per_page(admin_client, mori, applicant, nido):
    created = [submitted_application(municipality=mori, applicant=applicant, service=nido) for _ in range(27)]
    response = admin_client.get(f"{BASE}/", {"servizio": nido.pk})
    assert len(soup(response).select("tbody tr")) == 25
    assert "Pagina 1 di 2" in response.content.decode()
    next_link = soup(response).find("a", rel="next")
    assert next_link["href"] == f"?servizio={nido.pk}&page=2"
    response = admin_client.get(f"{BASE}/", {"servizio": nido.pk, "page": 2})
    assert [a.get_text(strip=True) for a in soup(response).select("tbody th a")] == [
        created[1].number,
        created[0].number,
    ]


def test_hostile_text_is_rendered_escaped(operator_client, mori, nido):
    hostile = UserFactory(username="hostile", last_name="<script>alert(1)</script>", first_name="X")
    application = submitted_application(
        municipality=mori,
        applicant=hostile,
        service=nido,
        data={"nome": "<script>alert(2)</script>", "note": "x"},
    )
    s.application_message_post(
        application=application, user=hostile, body="<script>alert(3)</script>\nriga 2"
    )
    for url in (f"{BASE}/", f"{BASE}/{application.pk}/"):
        html = operator_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
    html = operator_client.get(f"{BASE}/{application.pk}/").content.decode()
    assert "&lt;script&gt;alert(3)&lt;/script&gt;<br>riga 2" in html


# --- Detail ---


def test_detail_shows_applicant_data_attachments_history_and_payment_box(
    operator_client, application, applicant
):
    response = operator_client.get(f"{BASE}/{application.pk}/")
    assert response.status_code == 200
    page = soup(response)
    text = page.get_text(" ", strip=True)
    for expected in (
        "Anna Bianchi",
        "BNCNNA80A41L378X",
        "anna@example.org",
        "+39 0464 123456",
        "Mario",
        "Nessuna",
    ):
        assert expected in text
    assert "Nessun pagamento richiesto per questa pratica." in text
    history = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("#cronologia ~ div tbody tr")
    ]
    assert [row[2:4] for row in history] == [["Bozza", "Inviata"], ["Inviata", "Protocollata"]]
    actions = [i["value"] for i in page.select("input[name=azione]")]
    assert actions == ["take_charge", "assign", "cancel"]  # registered: no outcome before taking charge
    assert page.find("button", string="Scrivi al cittadino") and page.find("button", string="Nota interna")


def test_detail_sidebar_links(operator_client, application):
    page = soup(operator_client.get(f"{BASE}/{application.pk}/"))
    links = {a.get_text(strip=True): a["href"] for a in page.select(".sportello-sidebar a")}
    assert links["Elenco pratiche"] == f"{BASE}/"
    assert links["Statistiche"] == "/comune-di-mori/it/operatori/statistiche/"


def test_operator_not_enabled_on_the_service_gets_404(operator_client, mensa_application, application):
    attachment = Attachment.objects.create(
        application=mensa_application, kind=Attachment.Kind.FORM, name="a.pdf", size=3, sha256="x"
    )
    before = snapshot(mensa_application)
    assert operator_client.get(f"{BASE}/{mensa_application.pk}/").status_code == 404
    assert operator_client.get(f"{BASE}/{mensa_application.pk}/allegati/{attachment.pk}").status_code == 404
    assert (
        operator_client.post(f"{BASE}/{mensa_application.pk}/azione", {"azione": "take_charge"}).status_code
        == 404
    )
    assert (
        operator_client.post(
            f"{BASE}/{mensa_application.pk}/messaggio", {"messaggio-body": "x", "tipo": "nota"}
        ).status_code
        == 404
    )
    assert (
        operator_client.get(f"{BASE}/esporta/", {"servizio": mensa_application.service_id}).status_code == 404
    )
    export = operator_client.get(f"{BASE}/esporta/", {"formato": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert application.number in body and mensa_application.number not in body
    assert snapshot(mensa_application) == before


def test_other_municipality_staff_are_refused(client, trento, trento_admin, application):
    client.force_login(trento_admin)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/{application.pk}/").status_code == 403
    assert client.post(f"{BASE}/{application.pk}/azione", {"azione": "take_charge"}).status_code == 403
    # their own municipality's URL with Mori's id: not found
    assert client.get(f"/comune-di-trento/it/operatori/pratiche/{application.pk}/").status_code == 404
    assert (
        client.post(
            f"/comune-di-trento/it/operatori/pratiche/{application.pk}/azione", {"azione": "take_charge"}
        ).status_code
        == 404
    )
    assert Application.objects.get(pk=application.pk).state == State.REGISTERED


# --- Actions ---


def post_action(client, application, action, data=None, **files):
    return client.post(f"{BASE}/{application.pk}/azione", {"azione": action, **(data or {}), **files})


def test_take_charge_then_assign(operator_client, application, mori_operator, mori_admin):
    response = post_action(operator_client, application, "take_charge")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/{application.pk}/"
    application.refresh_from_db()
    assert application.state == State.IN_PROGRESS and application.assigned_to == mori_operator
    page = soup(operator_client.get(f"{BASE}/{application.pk}/"))
    assert "Hai preso in carico la pratica." in page.get_text()
    assert [i["value"] for i in page.select("input[name=azione]")] == [
        "assign",
        "request_integration",
        "accept",
        "reject",
        "cancel",
    ]
    options = [o.get_text() for o in page.select("#id_assegna-assignee option")]
    assert mori_admin.get_full_name() in options and mori_operator.get_full_name() in options

    response = post_action(operator_client, application, "assign", {"assegna-assignee": mori_admin.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to == mori_admin
    assert application.events.last().transition == "assign"


def test_assign_to_someone_not_enabled_is_refused(operator_client, mori, application):
    stranger = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    before = snapshot(application)
    response = post_action(operator_client, application, "assign", {"assegna-assignee": stranger.pk})
    assert response.status_code == 400
    assert "La persona scelta non è abilitata su questo servizio." in errors(response)
    assert snapshot(application) == before


def test_request_integration_with_deadline_and_attachment(operator_client, application, mori_operator):
    s.application_take_charge(application=application, user=mori_operator)
    due = timezone.localdate() + datetime.timedelta(days=15)
    response = post_action(
        operator_client,
        application,
        "request_integration",
        {
            "integrazione-body": "Manca l'ISEE.",
            "integrazione-due": due.isoformat(),
            "integrazione-files": [
                SimpleUploadedFile("modulo.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("foto.png", PNG, "image/png"),
            ],
        },
    )
    assert response.status_code == 302, errors(response)
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_REQUESTED and application.integration_due == due
    message = application.messages.get()
    assert message.body == "Manca l'ISEE." and message.from_office and not message.internal
    assert sorted(a.name for a in message.attachments.all()) == ["foto.png", "modulo.pdf"]


def test_integration_deadline_in_the_past_is_refused(operator_client, application, mori_operator):
    s.application_take_charge(application=application, user=mori_operator)
    before = snapshot(application)
    response = post_action(
        operator_client,
        application,
        "request_integration",
        {"integrazione-body": "Manca l'ISEE.", "integrazione-due": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "Il termine deve essere una data futura." in errors(response)
    assert snapshot(application) == before


def test_accept_with_a_signed_document_and_download_it(operator_client, application, mori_operator):
    s.application_take_charge(application=application, user=mori_operator)
    response = post_action(
        operator_client,
        application,
        "accept",
        {
            "accetta-motivation": "Requisiti verificati.",
            "accetta-document": SimpleUploadedFile("esito.pdf", PDF),
        },
    )
    assert response.status_code == 302, errors(response)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED and application.outcome_motivation == "Requisiti verificati."
    document = application.attachments.get(kind=Attachment.Kind.OUTCOME)
    download = operator_client.get(f"{BASE}/{application.pk}/allegati/{document.pk}")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="esito.pdf"'
    assert b"".join(download.streaming_content) == PDF
    page = soup(operator_client.get(f"{BASE}/{application.pk}/"))
    assert not page.select("input[name=azione]")  # closed: nothing left to do
    assert page.find("a", string="esito.pdf")["href"] == f"{BASE}/{application.pk}/allegati/{document.pk}"


def test_reject_and_cancel(operator_client, mori, applicant, nido, mori_operator):
    rejected = submitted_application(municipality=mori, applicant=applicant, service=nido)
    s.application_take_charge(application=rejected, user=mori_operator)
    response = post_action(operator_client, rejected, "reject", {"rifiuta-motivation": "Fuori termine."})
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.state == State.REJECTED and rejected.closed_at
    assert rejected.events.last().motivation == "Fuori termine."

    cancelled = submitted_application(municipality=mori, applicant=applicant, service=nido)
    response = post_action(operator_client, cancelled, "cancel", {"annulla-motivation": "Domanda doppia."})
    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert cancelled.state == State.CANCELLED


def test_missing_motivation_is_refused(operator_client, application, mori_operator):
    s.application_take_charge(application=application, user=mori_operator)
    before = snapshot(application)
    response = post_action(operator_client, application, "reject", {"rifiuta-motivation": "  "})
    assert response.status_code == 400
    assert "Questo campo è obbligatorio." in errors(response)
    assert soup(response).select_one("details[open] input[name=azione]")["value"] == "reject"
    assert snapshot(application) == before


def test_disallowed_transition_changes_nothing(operator_client, application):
    before = snapshot(application)
    response = post_action(operator_client, application, "accept", {"accetta-motivation": "Ok"})
    assert response.status_code == 302
    page = operator_client.get(response["Location"]).content.decode()
    assert "Operazione non consentita: la pratica è nello stato «Protocollata»." in page
    assert snapshot(application) == before
    assert post_action(operator_client, application, "delete").status_code == 400


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "Il tipo di file non è ammesso"),
        (SimpleUploadedFile("finto.pdf", b"<html>not a pdf</html>"), "Il contenuto del file non corrisponde"),
        (SimpleUploadedFile("grande.pdf", PDF + b"0" * (10 * 1024 * 1024)), "Il file è troppo grande"),
        (SimpleUploadedFile("script.pdf", files.JAVASCRIPT_PDF), "Il PDF contiene contenuti attivi"),
        (SimpleUploadedFile("avvia.pdf", files.LAUNCH_PDF), "Il PDF contiene contenuti attivi"),
        (SimpleUploadedFile("falso.p7m", b"\x30\x03\x02\x01\x00"), "non è un documento firmato"),
    ],
    ids=["wrong-type", "fake-pdf", "too-big", "javascript-pdf", "launch-pdf", "fake-p7m"],
)
def test_bad_uploads_are_refused_and_nothing_changes(
    operator_client, application, mori_operator, upload, message
):
    s.application_take_charge(application=application, user=mori_operator)
    before = snapshot(application)
    response = post_action(
        operator_client, application, "accept", {"accetta-motivation": "Ok", "accetta-document": upload}
    )
    assert response.status_code == 400
    assert message in errors(response)
    upload.seek(0)
    response = operator_client.post(
        f"{BASE}/{application.pk}/messaggio",
        {"messaggio-body": "Ecco", "messaggio-files": [upload], "tipo": "cittadino"},
    )
    assert response.status_code == 400
    assert message in errors(response)
    assert snapshot(application) == before
    assert not Attachment.objects.filter(kind=Attachment.Kind.OUTCOME).exists()


# --- Messages ---


def test_message_to_the_citizen_and_internal_note(operator_client, application, mori_operator):
    response = operator_client.post(
        f"{BASE}/{application.pk}/messaggio",
        {
            "messaggio-body": "Buongiorno,\nla pratica è in lavorazione.",
            "messaggio-files": [SimpleUploadedFile("info.pdf", PDF)],
            "tipo": "cittadino",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#messaggi")
    response = operator_client.post(
        f"{BASE}/{application.pk}/messaggio", {"messaggio-body": "Verificare l'ISEE.", "tipo": "nota"}
    )
    assert response.status_code == 302
    to_citizen, note = application.messages.all()
    assert (
        to_citizen.from_office and not to_citizen.internal and to_citizen.attachments.get().name == "info.pdf"
    )
    assert note.internal and note.author == mori_operator
    page = soup(operator_client.get(f"{BASE}/{application.pk}/"))
    notes = page.select(".sportello-internal-note")
    assert (
        len(notes) == 1
        and "Verificare l'ISEE." in notes[0].get_text()
        and "Nota interna" in notes[0].get_text()
    )
    assert len(page.select(".sportello-message")) == 2
    body = page.select(".sportello-message-body")[0]
    assert "Buongiorno,<br/>la pratica" in str(body) or "Buongiorno,<br>la pratica" in str(body)


def test_message_needs_text_and_a_kind(operator_client, application):
    before = snapshot(application)
    response = operator_client.post(
        f"{BASE}/{application.pk}/messaggio", {"messaggio-body": "", "tipo": "nota"}
    )
    assert response.status_code == 400 and "Questo campo è obbligatorio." in errors(response)
    response = operator_client.post(f"{BASE}/{application.pk}/messaggio", {"messaggio-body": "Ciao"})
    assert response.status_code == 400
    assert "Scegli se scrivere al cittadino o aggiungere una nota interna." in errors(response)
    assert snapshot(application) == before


# --- Export ---


def hostile_application(mori, nido):
    citizen = UserFactory(username="formula", last_name='=HYPERLINK("http://x")', first_name="Eva")
    application = submitted_application(municipality=mori, applicant=citizen, service=nido)
    Application.objects.filter(pk=application.pk).update(
        applicant_name='=HYPERLINK("http://x")', applicant_fiscal_code="+39"
    )
    return application


def test_csv_export_with_filters_and_formula_neutralisation(
    admin_client, mori, application, mensa_application, nido
):
    hostile = hostile_application(mori, nido)
    response = admin_client.get(
        f"{BASE}/esporta/", {"formato": "csv", "servizio": nido.pk, "ordine": "submitted_at"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pratiche-comune-di-mori-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Numero",
        "Servizio",
        "Richiedente",
        "Codice fiscale",
        "Stato",
        "Data di invio",
        "Assegnata a",
        "Data di chiusura",
    ]
    assert [row[0] for row in rows[1:]] == [application.number, hostile.number]
    assert rows[1][1:5] == ["Asilo nido", "Bianchi Anna", "BNCNNA80A41L378X", "Protocollata"]
    assert rows[1][5] == timezone.localtime(application.submitted_at).strftime("%d/%m/%Y %H:%M")
    assert rows[2][2] == '\'=HYPERLINK("http://x")' and rows[2][3] == "'+39"


def test_xlsx_export(admin_client, mori, application, nido):
    from openpyxl import load_workbook

    hostile = hostile_application(mori, nido)
    response = admin_client.get(f"{BASE}/esporta/", {"formato": "xlsx", "ordine": "submitted_at"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Numero", "Servizio", "Richiedente")
    assert rows[1][0] == application.number and rows[1][2] == "Bianchi Anna"
    assert isinstance(rows[1][5], datetime.datetime)
    assert rows[2][0] == hostile.number and rows[2][2] == '\'=HYPERLINK("http://x")'
    assert sheet.cell(row=3, column=3).data_type == "s"
    assert admin_client.get(f"{BASE}/esporta/", {"formato": "pdf"}).status_code == 400


def test_xlsx_export_is_capped(admin_client, application, monkeypatch):
    from sportello.backoffice.views import applications as views

    monkeypatch.setattr(views, "XLSX_MAX_ROWS", 0)
    response = admin_client.get(f"{BASE}/esporta/", {"formato": "xlsx"})
    assert response.status_code == 400 and "scarica il CSV" in response.content.decode()


# --- Statistics and dashboard ---


def test_statistics_page(admin_client, mori, mori_admin, applicant, nido, mensa):
    closed = submitted_application(municipality=mori, applicant=applicant, service=nido)
    late = submitted_application(municipality=mori, applicant=applicant, service=nido)
    submitted_application(municipality=mori, applicant=applicant, service=mensa)
    s.application_cancel(application=closed, user=mori_admin, motivation="Doppia")
    Application.objects.filter(pk=closed.pk).update(
        closed_at=closed.submitted_at + datetime.timedelta(days=3)
    )
    Application.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=45))

    response = admin_client.get("/comune-di-mori/it/operatori/statistiche/")
    assert response.status_code == 200
    page = soup(response)
    table = page.select_one("#tabella-servizi")
    assert table.caption and all(th.get("scope") for th in table.select("th"))
    cells = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert cells == [["Asilo nido", "1", "1", "2"], ["Mensa scolastica", "1", "0", "1"]]
    assert [th.get_text(strip=True) for th in table.select("thead th")] == [
        "Servizio",
        "Protocollata",
        "Annullata",
        "Totale",
    ]
    months = page.select_one("#tabella-mesi")
    assert months.caption and len(months.select("tbody tr")) == 12
    assert sum(int(td.get_text()) for td in months.select("tbody td")) == 3
    svg = page.select_one("svg.sportello-chart")
    assert svg["role"] == "img" and svg.title and len(svg.select("rect")) == 12
    # SVG coordinates are plain numbers whatever the locale (Italian would write "20,5")
    for element in svg.select("rect, text"):
        for attribute in ("x", "y", "width", "height"):
            if element.has_attr(attribute):
                float(element[attribute])
    assert sorted(float(r["height"]) for r in svg.select("rect"))[-1] > 0
    assert page.select_one("[data-element=average-handling-days]").get_text(strip=True) == "3,0 giorni"
    assert page.select_one("[data-element=overdue-count]").get_text(strip=True) == "1"
    assert [a.get_text() for a in page.select("#tabella-ritardi tbody th a")] == [late.number]


def test_dashboard_links_the_list_with_the_open_count(operator_client, application, mensa_application):
    page = soup(operator_client.get("/comune-di-mori/it/operatori/"))
    assert page.select_one("[data-element=open-applications]").get_text(strip=True) == "1 pratica aperta."
    assert page.find("a", string="Vai all'elenco pratiche")["href"] == f"{BASE}/"


@pytest.mark.parametrize("params", [{"al": "9999-12-31"}, {"dal": "0001-01-01"}, {"dal": "31/12/9999"}])
def test_out_of_range_dates_are_reported_not_a_500(admin_client, application, params):
    listing = admin_client.get(f"{BASE}/", params)
    assert listing.status_code == 200
    assert "Indica una data tra il 1900 e il 2100." in errors(listing)
    for export_format in ("csv", "xlsx"):
        export = admin_client.get(f"{BASE}/esporta/", {"formato": export_format, **params})
        assert export.status_code == 400
        assert "I filtri non sono validi" in export.content.decode()


def test_export_fails_before_streaming_when_the_query_fails(admin_client, application):
    """A failing query is an error response, never a 200 download cut short half-way."""
    from django.db import DatabaseError, connection

    def database_gone(execute, sql, params, many, context):
        if "applications_application" in sql:
            raise DatabaseError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_gone), pytest.raises(DatabaseError):
        admin_client.get(f"{BASE}/esporta/", {"formato": "csv"})
    export = admin_client.get(f"{BASE}/esporta/", {"formato": "csv"})
    assert application.number in b"".join(export.streaming_content).decode("utf-8-sig")


def test_integrations_received_do_not_offer_taking_charge_again(
    operator_client, application, mori_operator, applicant
):
    s.application_take_charge(application=application, user=mori_operator)
    s.application_request_integration(application=application, user=mori_operator, body="Manca l'ISEE.")
    s.application_answer_integration(application=application, user=applicant, body="Eccolo.")
    application.refresh_from_db()
    assert application.state == State.INTEGRATION_RECEIVED and application.assigned_to == mori_operator
    page = soup(operator_client.get(f"{BASE}/{application.pk}/"))
    actions = [i["value"] for i in page.select("input[name=azione]")]
    assert "take_charge" not in actions and "Prendi in carico" not in page.get_text()
    assert actions == ["assign", "request_integration", "accept", "reject", "cancel"]
    before = snapshot(application)
    post_action(operator_client, application, "take_charge")
    assert snapshot(application) == before


def test_statistics_are_read_from_the_snapshot_the_scheduler_refreshes(
    client, mori, mori_operator, mori_admin, applicant, nido, mensa, settings
):
    """The page sums a precomputed summary (fast on a million rows); the periodic task brings it up to date."""
    from django.utils.module_loading import import_string

    submitted_application(municipality=mori, applicant=applicant, service=nido)
    submitted_application(municipality=mori, applicant=applicant, service=mensa)
    url = "/comune-di-mori/it/operatori/statistiche/"

    def per_service(user):
        client.force_login(user)
        table = soup(client.get(url)).select_one("#tabella-servizi")
        return {
            tr.th.get_text(strip=True): tr.select("td")[-1].get_text(strip=True)
            for tr in table.select("tbody tr")
        }

    assert per_service(mori_admin) == {"Asilo nido": "1", "Mensa scolastica": "1"}
    assert per_service(mori_operator) == {"Asilo nido": "1"}  # only the services enabled for them
    submitted_application(municipality=mori, applicant=applicant, service=nido)
    assert per_service(mori_admin) == {"Asilo nido": "1", "Mensa scolastica": "1"}  # as of the snapshot

    path, interval = settings.PERIODIC_TASKS["applications.statistics_refresh"]
    assert interval <= 600
    import_string(path).call()
    assert per_service(mori_admin) == {"Asilo nido": "2", "Mensa scolastica": "1"}
    assert per_service(mori_operator) == {"Asilo nido": "2"}
    assert (
        "Dati aggiornati al"
        in soup(client.get(url)).select_one("[data-element=statistics-refreshed-at]").text
    )


def test_counts_agree_with_their_number(admin_client, application, mori, applicant, nido, mori_admin):
    one = soup(admin_client.get(f"{BASE}/")).select_one("p[role=status]").get_text(strip=True)
    assert one == "1 pratica trovata."
    closed = submitted_application(municipality=mori, applicant=applicant, service=nido)
    assert (
        soup(admin_client.get(f"{BASE}/")).select_one("p[role=status]").get_text(strip=True)
        == "2 pratiche trovate."
    )
    s.application_cancel(application=closed, user=mori_admin, motivation="Doppia")
    Application.objects.filter(pk=closed.pk).update(
        closed_at=closed.submitted_at + datetime.timedelta(days=1)
    )
    page = soup(admin_client.get("/comune-di-mori/it/operatori/statistiche/"))
    assert page.select_one("[data-element=average-handling-days]").get_text(strip=True) == "1,0 giorno"
