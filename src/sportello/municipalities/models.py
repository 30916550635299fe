from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sportello.core import markdown

from .validators import validate_ipa_code, validate_numeric_fiscal_code

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def default_languages() -> list[str]:
    return list(LANGUAGE_CODES)


def logo_upload_to(instance: "Municipality", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"municipalities/{instance.slug}/logo.{extension}"


class MunicipalityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Municipality(models.Model):
    """A municipality ("ente"): the tenant. Every tenant-owned row points to one."""

    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("identificativo nell'indirizzo"), max_length=60, unique=True)
    fiscal_code = models.CharField(
        _("codice fiscale"), max_length=11, unique=True, validators=[validate_numeric_fiscal_code]
    )
    ipa_code = models.CharField(_("codice IPA"), max_length=20, unique=True, validators=[validate_ipa_code])
    email = models.EmailField(_("e-mail"))
    pec = models.EmailField(_("PEC"), blank=True)
    site_url = models.URLField(_("sito istituzionale"), blank=True)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    logo = models.ImageField(
        _("stemma"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    languages = models.JSONField(_("lingue attive"), default=default_languages)
    privacy_url = models.URLField(_("informativa privacy (URL)"), blank=True)
    legal_notes_url = models.URLField(_("note legali (URL)"), blank=True)
    accessibility_url = models.URLField(_("dichiarazione di accessibilità (URL)"), blank=True)
    # The sections of the institutional site that the services portal's header links to (Modello Comuni menu).
    administration_url = models.URLField(
        _("sezione Amministrazione del sito istituzionale (URL)"), blank=True
    )
    news_url = models.URLField(_("sezione Novità del sito istituzionale (URL)"), blank=True)
    living_url = models.URLField(_("sezione Vivere il comune del sito istituzionale (URL)"), blank=True)
    report_url = models.URLField(_("segnalazione di un disservizio (URL)"), blank=True)
    is_active = models.BooleanField(_("attivo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="municipality_lower_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE

    def has_language(self, code: str) -> bool:
        return code in (self.languages or [])

    @property
    def short_name(self) -> str:
        """ "Mori" for "Comune di Mori": the name the model's menu uses in "Vivere Mori"."""
        for prefix in ("Comune di ", "Comune della ", "Comune dell'", "Città di ", "Comune "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    def institutional_links(self) -> dict[str, str]:
        """The institutional site's sections for the header menu: the configured URLs, else the paths of the
        Designers Italia municipal site model under ``site_url``; empty without either."""
        base = self.site_url.rstrip("/")
        links = {}
        for key, field, path in (
            ("management", "administration_url", "/amministrazione"),
            ("news", "news_url", "/novita"),
            ("live", "living_url", "/vivere-il-comune"),
        ):
            url = getattr(self, field) or (base + path if base else "")
            if url:
                links[key] = url
        return links


class TenantQuerySet(models.QuerySet):
    """Base queryset of tenant-owned models: staff code always goes through ``for_municipality``."""

    def for_municipality(self, municipality: Municipality):
        return self.filter(municipality=municipality)


class FaqEntry(models.Model):
    """A question and answer of the municipality's FAQ page ("Domande frequenti"), edited by administrators."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField(_("domanda"), max_length=300)
    answer = models.TextField(_("risposta"), help_text=_("Testo in Markdown."))
    answer_html = models.TextField(blank=True, default="", editable=False)  # rendered at save, never per view
    position = models.PositiveIntegerField(_("posizione"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("domanda frequente")
        verbose_name_plural = _("domande frequenti")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        """The answer's sanitised HTML is rendered here, once per change, never on a page view."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "answer" in update_fields:
            self.answer_html = str(markdown.render_markdown(self.answer))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "answer_html"}
        super().save(*args, **kwargs)

    @property
    def answer_as_html(self) -> SafeString:
        return mark_safe(self.answer_html)  # noqa: S308 - sanitised by nh3 (core.markdown) when saved
