"""Sportello's settings with ``bench/trivial_urls.py`` as the URLconf (for ``bench/public_pages.py`` only)."""

from sportello.settings import *  # noqa: F403

ROOT_URLCONF = "trivial_urls"
