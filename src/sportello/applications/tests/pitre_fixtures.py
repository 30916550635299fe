"""Helpers for the P.I.Tre. tests: a free port of this project's range, a municipality using a fake P.I.Tre."""

import socket

from sportello.applications.models import ProtocolSettings

PORTS = range(8500, 8600)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599")


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
