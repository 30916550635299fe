"""Contract test of the P.I.Tre. client against the official REST PIS Swagger, served by Prism.

Prism validates every request against ``RestServicesPITRE.yaml`` and answers 4xx on a violation (the client turns
that into ``PitreError``), so these calls pass only if the client speaks the contract. Prism serves the paths at
the root (it ignores ``basePath /Vt-Docs/RESTServices``), hence the configurable base URL. The routing mode
(``RouteRestRequest`` + headers) is not described by the Swagger and is tested against the fake P.I.Tre.
Skips with the reason when the spec or npx is missing; under ``CI=true`` that is a failure.
"""

import pytest

from sportello.applications.protocol.pitre import Correspondent, PitreClient, PitreError, file_pis
from sportello.core.tests.prism import prism as prism_mock

from .pitre_fixtures import PORTS


@pytest.fixture(scope="module")
def prism():
    with prism_mock("pitre/RestServicesPITRE.yaml", ports=PORTS) as base:
        yield base


@pytest.fixture
def client(prism):
    client = PitreClient(
        base_url=prism,
        routing="paths",
        code_adm="c_f728",
        code_application="SPORTELLO",
        username="sportello",
        code_role="PROT",
        timeout=15,
    )
    client.authenticate()
    return client


CITIZEN = Correspondent(
    name="Anna", surname="Bianchi", fiscal_code="BNCNNA80A41L378X", email="anna@example.org"
)
PDF = file_pis("domanda-1.pdf", b"%PDF-1.4 receipt")


def test_get_token_and_registers(client):
    assert client.token
    assert isinstance(client.registers(), list)


def test_create_document_incoming_with_sender_and_main_document(client):
    document = client.create_document(
        document_type="A",
        subject="Contributo famiglie - domanda n. 1 (SPORTELLO-A1)",
        main_document=PDF,
        code_register="RP",
        code_rf="RF1",
        correspondent=CITIZEN,
    )
    assert isinstance(document, dict)


def test_create_document_and_add_in_project_outgoing(client):
    document = client.create_document(
        document_type="P",
        subject="Contributo famiglie - esito della domanda n. 1 (SPORTELLO-E1)",
        main_document=PDF,
        code_register="RP",
        correspondent=CITIZEN,
        code_project="6.3-2026-1",
        classification_scheme="7",
    )
    assert isinstance(document, dict)


def test_upload_search_and_read_back(client):
    client.upload_file(
        document_id="100001", file=file_pis("isee.pdf", b"%PDF-1.4"), description="isee.pdf (A1-1)"
    )
    assert (
        client.find_by_subject("Contributo famiglie - domanda n. 1 (SPORTELLO-A1)") is None
    )  # Prism's sample
    assert isinstance(client.document("100001"), dict)


def test_prism_refuses_a_request_that_breaks_the_contract(client):
    """The contract test can fail: a body of the wrong type is a 4xx, which the client reports."""
    with pytest.raises(PitreError, match="HTTP 4"):
        client.call("CreateDocument", "PUT", {"CodeRegister": "RP", "Document": "not an object"})
