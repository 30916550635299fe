"""The identity providers the service provider trusts, read from their SAML metadata.

Sources, all configured in settings:
- ``SPID_IDP_METADATA_DIR``: a folder of SPID IdP metadata files (the AgID registry in production);
- ``CIE_IDP_METADATA``: the CIE identity provider's metadata file(s);
- ``SPID_EXTRA_IDP_METADATA``: extra files for conformance tests (e.g. spid-sp-test's fake IdP), refused
  in production by the settings;
- the demo IdPs (``sportello.identity.demo_idp``) when ``"demo_idp"`` is in ``SANDBOX_PROVIDERS``.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree
from django.conf import settings

MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
SPID = "spid"
CIE = "cie"


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    name: str
    kind: str  # SPID or CIE
    demo: bool = False


def demo_idp_enabled() -> bool:
    return "demo_idp" in settings.SANDBOX_PROVIDERS


def _entities(xml: str) -> list[tuple[str, str]]:
    """(entityID, display name) of every IdP described in a metadata document."""
    root = ElementTree.fromstring(xml)
    descriptors = (
        [root] if root.tag == f"{{{MD_NS}}}EntityDescriptor" else root.iter(f"{{{MD_NS}}}EntityDescriptor")
    )
    found = []
    for descriptor in descriptors:
        if descriptor.find(f"{{{MD_NS}}}IDPSSODescriptor") is None:
            continue
        entity_id = descriptor.get("entityID")
        names = [e.text for e in descriptor.iter(f"{{{MD_NS}}}OrganizationDisplayName") if e.text]
        found.append((entity_id, (names[0] if names else entity_id).strip()))
    return found


def _files() -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    if settings.SPID_IDP_METADATA_DIR:
        files += [(path, SPID) for path in sorted(Path(settings.SPID_IDP_METADATA_DIR).glob("*.xml"))]
    files += [(Path(path), CIE) for path in settings.CIE_IDP_METADATA]
    if not settings.PRODUCTION:
        files += [(Path(path), SPID) for path in settings.SPID_EXTRA_IDP_METADATA]
    return files


def _cache_key() -> tuple:
    stamps = []
    for path, kind in _files():
        try:
            stamps.append((str(path), kind, path.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(path), kind, None))
    return (tuple(stamps), demo_idp_enabled(), settings.SPID_SP_BASE_URL)


@functools.lru_cache(maxsize=4)
def _load(key: tuple) -> tuple[tuple[IdentityProvider, ...], tuple[str, ...], tuple[str, ...]]:
    providers: list[IdentityProvider] = []
    local: list[str] = []
    inline: list[str] = []
    for path_name, kind, stamp in key[0]:
        if stamp is None:
            continue
        path = Path(path_name)
        local.append(str(path))
        providers += [IdentityProvider(eid, name, kind) for eid, name in _entities(path.read_text())]
    if key[1]:
        from .demo_idp.idp import DEMO_IDPS, demo_idp_metadata

        for kind, demo in DEMO_IDPS.items():
            xml = demo_idp_metadata(kind)
            inline.append(xml)
            providers.append(IdentityProvider(demo.entity_id(), str(demo.name), kind, demo=True))
    return tuple(providers), tuple(local), tuple(inline)


def identity_providers(kind: str | None = None) -> list[IdentityProvider]:
    providers = _load(_cache_key())[0]
    return [p for p in providers if kind is None or p.kind == kind]


def identity_provider_get(entity_id: str) -> IdentityProvider | None:
    return next((p for p in identity_providers() if p.entity_id == entity_id), None)


def identity_provider_name(entity_id: str) -> str:
    """The provider's display name; for one no longer configured, the host of its entity ID."""
    provider = identity_provider_get(entity_id)
    if provider is not None:
        return provider.name
    from urllib.parse import urlsplit

    return urlsplit(entity_id).hostname or entity_id


def metadata_sources() -> dict:
    """The ``metadata`` section of the pysaml2 configuration."""
    _providers, local, inline = _load(_cache_key())
    sources: dict = {}
    if local:
        sources["local"] = list(local)
    if inline:
        sources["inline"] = list(inline)
    return sources
