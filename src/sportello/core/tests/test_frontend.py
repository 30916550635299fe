"""The front end stays small: trimmed stylesheet and sprite cover every template, and pages keep byte budgets.

The budgets are deterministic (gzip of what each page loads), unlike Lighthouse; `make lighthouse` measures
the browser side. Numbers were set from the measurement in December 2026 with some headroom.
"""

import gzip
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders

SRC = Path(__file__).resolve().parents[2]
STATIC = SRC / "core" / "static" / "sportello"
CLASS_ATTR = re.compile(r'class="([^"]*)"')
PY_CLASSES = re.compile(r'["\']class["\']\s*:\s*f?["\']([^"\']*)["\']')
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")

RENDER_BLOCKING_CSS_GZ = 36_000
PAGE_TOTAL_GZ = 100_000


def _bootstrap_italia_css() -> str:
    return Path(finders.find("css/bootstrap-italia.min.css")).read_text(encoding="utf-8")


def _classes_used() -> set[str]:
    used = set()
    for path in SRC.rglob("*.html"):
        for value in CLASS_ATTR.findall(path.read_text(encoding="utf-8")):
            used |= {token for token in value.split() if not set(token) & set("{}%")}
    for path in SRC.rglob("*.py"):
        for value in PY_CLASSES.findall(path.read_text(encoding="utf-8")):
            used |= set(value.split())
    return used


def test_the_trimmed_stylesheet_has_every_bootstrap_italia_class_the_templates_use():
    full = set(CSS_CLASS.findall(_bootstrap_italia_css()))
    trimmed = set(CSS_CLASS.findall((STATIC / "bootstrap-italia.purged.css").read_text(encoding="utf-8")))
    missing = sorted((_classes_used() & full) - trimmed)
    assert missing == [], f"run `make css` to rebuild the trimmed stylesheet: {missing}"


def test_the_trimmed_stylesheet_declares_bootstrap_italias_version_as_agids_validator_reads_it():
    """C.SI.1.2: the validator strips double quotes only; '2.18.0' in single quotes is "not valid semver"."""
    css = (STATIC / "bootstrap-italia.purged.css").read_text(encoding="utf-8")
    assert re.search(r'--bootstrap-italia-version: *"2\.\d+\.\d+"', css)


def test_the_icon_sprite_has_every_icon_the_templates_use():
    sprite = (STATIC / "sprites.svg").read_text(encoding="utf-8")
    names = set()
    for path in SRC.rglob("*.html"):
        names |= set(re.findall(r"sprites\.svg[^#\n]{0,8}#(it-[a-z0-9-]+)", path.read_text(encoding="utf-8")))
    assert names
    assert sorted(name for name in names if f'id="{name}"' not in sprite) == [], "run `make css`"
    for path in SRC.rglob("*.html"):
        assert "svg/sprites.svg" not in path.read_text(encoding="utf-8"), f"{path}: use sportello/sprites.svg"


def test_ui_script_handles_every_bootstrap_toggle_the_templates_use():
    script = (STATIC / "ui.js").read_text(encoding="utf-8")
    toggles = set()
    for path in SRC.rglob("*.html"):
        toggles |= set(re.findall(r'data-bs-toggle="([a-z]+)"', path.read_text(encoding="utf-8")))
    assert toggles
    assert sorted(t for t in toggles if f'data-bs-toggle="{t}"' not in script) == []


def _asset_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("#")[0])
    assert path, url
    return Path(path).read_bytes()


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def page_weight(html: bytes) -> dict:
    """Compressed bytes of the page and of what it loads from our static files (fonts are already compressed)."""
    page = BeautifulSoup(html, "html.parser")
    css = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    scripts = [script["src"] for script in page.select("script[src]")]
    fonts = [link["href"] for link in page.select('link[rel="preload"][as="font"]')]
    sprites = {use["href"].split("#")[0] for use in page.select("use[href]")}
    blocking = sum(_gz(_asset_bytes(url)) for url in css)
    total = (
        _gz(html)
        + blocking
        + sum(_gz(_asset_bytes(url)) for url in [*scripts, *sprites])
        + sum(len(_asset_bytes(url)) for url in fonts)
    )
    return {"render_blocking_css": blocking, "total": total, "scripts": scripts}


@pytest.fixture
def public_pages(mori):
    from sportello.catalog.tests.factories import ServiceFactory

    ServiceFactory(municipality=mori, slug="cie", featured=True, topics=["Anagrafe"])
    return ["/comune-di-mori/it/", "/comune-di-mori/it/servizi/", "/comune-di-mori/it/servizi/cie/"]


def test_public_pages_keep_their_byte_budgets(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200
        weight = page_weight(response.content)
        assert weight["render_blocking_css"] <= RENDER_BLOCKING_CSS_GZ, (url, weight)
        assert weight["total"] <= PAGE_TOTAL_GZ, (url, weight)
        assert not any("bootstrap-italia.bundle" in src for src in weight["scripts"]), url


def test_scripts_never_block_rendering(client, public_pages):
    for url in public_pages:
        page = BeautifulSoup(client.get(url).content, "html.parser")
        for script in page.select("script[src]"):
            assert script.has_attr("defer") or script.has_attr("async"), (url, script["src"])
