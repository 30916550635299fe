"""Key pairs and self-signed certificates for the SAML service provider and the local test IdPs.

Production supplies its own SP key and certificate (``SPID_SP_KEY_PATH``, ``SPID_SP_CERT_PATH``); outside
production they are generated under ``var/saml/`` on first use, and generated again when the subject
they were made for (e.g. the entity ID, which follows the port) has changed. The SP certificate carries the subject
fields and extensions that the SPID rules require of a public-sector SP (AgID "Avviso SPID n.29 v3"):
organizationName, commonName, uri (the entityID), organizationIdentifier ``PA:IT-<IPA code>``, countryName
IT, localityName, the AgID certificate policies, keyUsage digitalSignature + nonRepudiation.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

OID_URI = x509.ObjectIdentifier("2.5.4.83")
OID_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")


@dataclass(frozen=True)
class CertificateSubject:
    common_name: str
    organization_name: str
    entity_id: str
    organization_identifier: str  # "PA:IT-<IPA code>" for a public administration
    locality_name: str
    country_name: str = "IT"


def _spid_policies() -> x509.CertificatePolicies:
    return x509.CertificatePolicies(
        [
            x509.PolicyInformation(x509.ObjectIdentifier("1.3.76.16"), [x509.UserNotice(None, "AgIDroot")]),
            x509.PolicyInformation(x509.ObjectIdentifier("1.3.76.16.6"), [x509.UserNotice(None, "agIDcert")]),
            x509.PolicyInformation(
                x509.ObjectIdentifier("1.3.76.16.4.2.1"), [x509.UserNotice(None, "cert_SP_Pub")]
            ),
        ]
    )


def _name(subject: CertificateSubject) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject.organization_name),
            x509.NameAttribute(NameOID.COMMON_NAME, subject.common_name),
            x509.NameAttribute(OID_URI, subject.entity_id),
            x509.NameAttribute(OID_ORGANIZATION_IDENTIFIER, subject.organization_identifier),
            x509.NameAttribute(NameOID.COUNTRY_NAME, subject.country_name),
            x509.NameAttribute(NameOID.LOCALITY_NAME, subject.locality_name),
        ]
    )


def generate_key_pair(
    key_path: Path, cert_path: Path, *, subject: CertificateSubject, days: int = 730, spid: bool = True
) -> None:
    """Write a new RSA-3072 key (mode 600) and a self-signed SHA-256 certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = _name(subject)
    now = datetime.datetime.now(datetime.UTC)
    serial = x509.random_serial_number()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if spid:
        builder = builder.add_extension(_spid_policies(), critical=False)
    certificate = builder.sign(key, hashes.SHA256())

    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_key = key_path.with_suffix(key_path.suffix + ".tmp")
    fd = os.open(tmp_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )
    tmp_cert = cert_path.with_suffix(cert_path.suffix + ".tmp")
    tmp_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp_key, key_path)
    os.replace(tmp_cert, cert_path)


def subject_matches(cert_path: Path, subject: CertificateSubject) -> bool:
    """Whether the certificate at ``cert_path`` was issued for exactly ``subject`` (entity ID included)."""
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except ValueError:
        return False
    return certificate.subject == _name(subject)


def ensure_key_pair(
    key_path: Path, cert_path: Path, *, subject: CertificateSubject, spid: bool = True
) -> bool:
    """Generate the pair if either file is missing or the certificate names another subject (e.g. the
    entity ID of another port); True when new files were written. Only used outside production."""
    if key_path.exists() and cert_path.exists() and subject_matches(cert_path, subject):
        return False
    generate_key_pair(key_path, cert_path, subject=subject, spid=spid)
    return True


def certificate_body(cert_path: Path) -> str:
    """The base64 body of a PEM certificate, as it appears in metadata ``X509Certificate``."""
    lines = cert_path.read_text().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))
