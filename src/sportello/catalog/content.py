"""A service's public texts per language: the Italian fields, the administrator's English and German translations,
and the sanitised HTML of the Markdown ones, computed when the service is saved (pure: no ORM)."""

from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sportello.core.markdown import render_markdown

SOURCE_LANGUAGE = "it"
TRANSLATION_LANGUAGES = ("en", "de")
# Plain texts and their maximum lengths (the model's for the Italian ones).
PLAIN_TEXTS = {"name": 200, "short_description": 300}
MARKDOWN_TEXTS = (
    "addressed_to",
    "description",
    "how_to",
    "needed",
    "achieved",
    "timing",
    "cost",
    "more_info",
    "office_hours",
)
TRANSLATABLE = (*PLAIN_TEXTS, *MARKDOWN_TEXTS)
MARKDOWN_MAX_LENGTH = 20000


def clean_translations(translations: dict | None) -> dict:
    """``{lang: {field: text}}`` keeping only known languages and fields with text, stripped."""
    clean: dict[str, dict[str, str]] = {}
    for lang, texts in (translations or {}).items():
        if lang not in TRANSLATION_LANGUAGES or not isinstance(texts, dict):
            continue
        kept = {
            field: str(value).strip()
            for field, value in texts.items()
            if field in TRANSLATABLE and str(value or "").strip()
        }
        if kept:
            clean[lang] = kept
    return clean


def translation_errors(translations: dict) -> dict[str, str]:
    """``{"<lang>_<field>": message}`` for texts over their limit (Italian messages)."""
    errors = {}
    for lang, texts in translations.items():
        for field, value in texts.items():
            limit = PLAIN_TEXTS.get(field, MARKDOWN_MAX_LENGTH)
            if len(value) > limit:
                errors[f"{lang}_{field}"] = _("Al massimo %(limit)d caratteri (ora %(n)d).") % {
                    "limit": limit,
                    "n": len(value),
                }
    return errors


def render_html(italian: dict[str, str], translations: dict) -> dict[str, dict[str, str]]:
    """The sanitised HTML of every Markdown text, per language: ``{"it": {field: html}, "en": {...}, ...}``."""
    html = {SOURCE_LANGUAGE: {f: str(render_markdown(italian[f])) for f in MARKDOWN_TEXTS if italian.get(f)}}
    for lang, texts in translations.items():
        rendered = {f: str(render_markdown(texts[f])) for f in MARKDOWN_TEXTS if texts.get(f)}
        if rendered:
            html[lang] = rendered
    return html


@dataclass(frozen=True)
class LocalText:
    """A text in the language it is actually written in (``lang``), for ``lang="..."`` on its element."""

    value: str
    lang: str

    def __str__(self) -> str:
        return str(self.value)

    def __html__(self) -> str:
        return conditional_escape(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)


class LocalService:
    """``service.local.<field>`` in templates: the text in ``language`` or, untranslated, the Italian one."""

    def __init__(self, italian: dict[str, str], translations: dict, html: dict, language: str):
        self._italian, self._translations, self._html, self._language = italian, translations, html, language

    def text(self, field: str) -> LocalText:
        if field not in TRANSLATABLE:
            raise AttributeError(field)
        translated = (self._translations.get(self._language) or {}).get(field)
        lang = self._language if translated else SOURCE_LANGUAGE
        if field in PLAIN_TEXTS:
            return LocalText(translated or self._italian.get(field, ""), lang)
        stored = (self._html.get(lang) or {}).get(field)
        if stored is None:  # not stored yet (older row): rendered now
            source = translated or self._italian.get(field, "")
            stored = str(render_markdown(source)) if source else ""
        return LocalText(mark_safe(stored), lang)  # noqa: S308 - sanitised by nh3 in render_markdown

    def __getattr__(self, field: str) -> LocalText:
        if field.startswith("_"):
            raise AttributeError(field)
        return self.text(field)
