import base64

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sportello.formschema.build import FileValidator
from sportello.formschema.filecontent import UnreadablePdf, cades_content, pdf_active_content, signed_payload

from . import files


@pytest.mark.parametrize(
    "data, found",
    [
        (files.PLAIN_PDF, None),
        (files.JAVASCRIPT_PDF, "JavaScript"),
        (files.LAUNCH_PDF, "Launch"),
        (files.ESCAPED_JAVASCRIPT_PDF, "JavaScript"),
        (files.COMPRESSED_JAVASCRIPT_PDF, "JavaScript"),
    ],
)
def test_active_content_is_found_however_it_is_written(data, found):
    assert pdf_active_content(data) == found


def test_an_encrypted_pdf_cannot_be_inspected():
    with pytest.raises(UnreadablePdf):
        pdf_active_content(files.ENCRYPTED_PDF)


def test_a_compression_bomb_is_not_inflated(monkeypatch):
    import zlib

    from sportello.formschema import filecontent

    monkeypatch.setattr(filecontent, "MAX_INFLATED", 1000)
    bomb = zlib.compress(b"0" * 10_000)
    with pytest.raises(UnreadablePdf):
        pdf_active_content(files.pdf(b"<< /Length 1 >>\nstream\n" + bomb + b"\nendstream"))


def test_a_cades_envelope_gives_back_its_signed_content():
    envelope = files.p7m(files.PLAIN_PDF)
    assert cades_content(envelope) == files.PLAIN_PDF
    pem = files.p7m(files.PLAIN_PDF, encoding=serialization.Encoding.PEM)
    assert cades_content(pem) == files.PLAIN_PDF
    assert cades_content(base64.b64encode(envelope)) == files.PLAIN_PDF
    # signed twice (countersigned offices' documents are .pdf.p7m.p7m)
    assert signed_payload(files.p7m(envelope)) == files.PLAIN_PDF


@pytest.mark.parametrize(
    "data",
    [
        b"\x30\x03\x02\x01\x00",  # a DER SEQUENCE, not a CMS ContentInfo
        b"\x30\x82\xff\xff" + b"\x00" * 20,  # truncated
        b"MIInot base64!",
        b"-----BEGIN PKCS7-----\n-----END PKCS7-----\n",
    ],
)
def test_what_only_looks_like_a_p7m_is_not_one(data):
    assert cades_content(data) is None


def test_a_detached_signature_is_not_a_signed_document():
    assert cades_content(files.p7m(b"documento", detached=True)) is None


def _validate(name, data, types=("pdf", "p7m")):
    FileValidator(list(types), 10)(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("a.pdf", files.JAVASCRIPT_PDF, "file_active_content"),
        ("a.pdf", files.LAUNCH_PDF, "file_active_content"),
        ("a.pdf", files.COMPRESSED_JAVASCRIPT_PDF, "file_active_content"),
        ("a.pdf", files.ENCRYPTED_PDF, "file_unreadable"),
        ("a.pdf.p7m", files.p7m(files.JAVASCRIPT_PDF), "file_active_content"),
        ("a.p7m", b"\x30\x03\x02\x01\x00", "file_signature"),
        ("a.p7m", files.p7m(b"x", detached=True), "file_signature"),
    ],
)
def test_the_upload_validator_refuses_active_or_fake_documents(name, data, code):
    with pytest.raises(ValidationError) as error:
        _validate(name, data)
    assert error.value.code == code


@pytest.mark.parametrize(
    "name, data",
    [("a.pdf", files.PLAIN_PDF), ("a.pdf.p7m", files.p7m(files.PLAIN_PDF)), ("a.p7m", files.p7m(b"testo"))],
)
def test_the_upload_validator_accepts_plain_and_signed_documents(name, data):
    _validate(name, data)
