"""Small real files for upload tests: PDFs with and without active content, CAdES (.p7m) envelopes."""

import datetime
import zlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID


def pdf(*objects: bytes, trailer: bytes = b"<< /Root 1 0 R >>") -> bytes:
    """A minimal PDF whose catalog and further objects are given as dictionaries (offsets are not needed)."""
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (number, obj) for number, obj in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer\n" + trailer + b"\n%%EOF\n"


PLAIN_PDF = pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", b"<< /Type /Pages >>")
JAVASCRIPT_PDF = pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"<< /S /JavaScript /JS (app.alert('x')) >>")
LAUNCH_PDF = pdf(b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>")
ESCAPED_JAVASCRIPT_PDF = pdf(b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (x) >> >>")
_hidden = zlib.compress(b"1 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj")
COMPRESSED_JAVASCRIPT_PDF = pdf(
    b"<< /Type /Catalog /OpenAction 2 0 R >>",
    b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(_hidden), _hidden),
)
ENCRYPTED_PDF = pdf(b"<< /Type /Catalog >>", trailer=b"<< /Root 1 0 R /Encrypt 2 0 R >>")


def _signer():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mario Rossi")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def p7m(content: bytes, *, detached: bool = False, encoding=serialization.Encoding.DER) -> bytes:
    """A CAdES-style SignedData over ``content`` (attached unless ``detached``), as signing tools write it."""
    cert, key = _signer()
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(encoding, options)
    )
