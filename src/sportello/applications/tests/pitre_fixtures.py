"""Helpers for the P.I.Tre. tests: a free port of this project's range, a municipality using a fake P.I.Tre."""

import datetime

from sportello.applications.models import ProtocolSettings
from sportello.core.tests import prism

PORTS = range(8500, 8600)


def free_port(ports: range = PORTS) -> int:
    return prism.free_port(ports)


def use_pitre(municipality, fake, *, routing="router", **extra) -> ProtocolSettings:
    return ProtocolSettings.objects.update_or_create(
        municipality=municipality,
        defaults={
            "provider": ProtocolSettings.Provider.PITRE,
            "base_url": fake.url,
            "routing": routing,
            "code_adm": fake.code_adm,
            "code_application": "SPORTELLO",
            "username": "sportello",
            "code_role": "PROT",
            "code_register": "RP",
            **extra,
        },
    )[0]


def key_pair(cn="sportello.example.org"):
    """A self-signed client certificate and its private key (PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), key_pem
