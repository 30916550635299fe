from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sportello.municipalities.models import Municipality, TenantQuerySet

from . import content
from .constants import AccessLevel, Category, Kind, Status


def conditions_upload_to(instance: "Service", filename: str) -> str:
    return f"municipalities/{instance.municipality.slug}/services/{instance.slug}/condizioni.pdf"


class ServiceQuerySet(TenantQuerySet):
    def listed(self, now=None):
        """Shown in the public lists: published, suspended, or scheduled and inside its window."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status__in=[Status.PUBLISHED, Status.SUSPENDED])
            | models.Q(status=Status.SCHEDULED, publish_from__lte=now)
            & (models.Q(publish_until__isnull=True) | models.Q(publish_until__gt=now))
        )


class Service(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="services")
    # Dati generali
    name = models.CharField(_("nome del servizio"), max_length=200)
    slug = models.SlugField(_("identificativo nell'indirizzo"), max_length=100)
    category = models.CharField(_("categoria"), max_length=40, choices=Category.choices)
    topics = models.JSONField(_("argomenti"), default=list, blank=True)
    short_description = models.CharField(_("descrizione breve"), max_length=300)
    kind = models.CharField(
        _("tipo di servizio"), max_length=20, choices=Kind.choices, default=Kind.APPLICATION
    )
    access_level = models.CharField(
        _("livello di accesso"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.SPID2
    )
    status = models.CharField(_("stato"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_from = models.DateTimeField(_("pubblicato dal"), null=True, blank=True)
    publish_until = models.DateTimeField(_("pubblicato fino al"), null=True, blank=True)
    featured = models.BooleanField(_("in evidenza nella pagina dell'ente"), default=False)
    # Scheda (Markdown)
    addressed_to = models.TextField(_("a chi è rivolto"), blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    how_to = models.TextField(_("come fare"), blank=True)
    needed = models.TextField(_("cosa serve"), blank=True)
    achieved = models.TextField(_("cosa si ottiene"), blank=True)
    timing = models.TextField(_("tempi e scadenze"), blank=True)
    cost = models.TextField(_("quanto costa"), blank=True)
    more_info = models.TextField(_("ulteriori informazioni"), blank=True)
    conditions_file = models.FileField(
        _("condizioni di servizio (PDF)"),
        upload_to=conditions_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    office_name = models.CharField(_("ufficio responsabile"), max_length=200, blank=True)
    office_address = models.CharField(_("indirizzo dell'ufficio"), max_length=200, blank=True)
    office_phone = models.CharField(_("telefono dell'ufficio"), max_length=40, blank=True)
    office_email = models.EmailField(_("e-mail dell'ufficio"), blank=True)
    office_hours = models.TextField(_("orari di apertura"), blank=True)
    # Opzioni
    max_response_days = models.PositiveIntegerField(
        _("tempo massimo di risposta (giorni)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    allow_withdrawal = models.BooleanField(_("il cittadino può ritirare la domanda"), default=True)
    allow_integration_requests = models.BooleanField(_("l'ufficio può chiedere integrazioni"), default=True)
    io_service_id = models.CharField(_("ID del servizio su App IO"), max_length=64, blank=True)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="operated_services",
        verbose_name=_("operatori abilitati"),
    )
    form_version = models.ForeignKey(
        "FormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modulo"),
    )
    # English and German texts given by the administrator: {"en": {"name": ..., "description": ...}, "de": {...}}
    # (catalog.content.TRANSLATABLE); a text missing there is shown in Italian, marked lang="it".
    translations = models.JSONField(_("traduzioni"), default=dict, blank=True)
    # The sanitised HTML of the Markdown texts per language, computed on save (catalog.content.render_html).
    card_html = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="service_unique_slug"),
            models.CheckConstraint(
                condition=~models.Q(status="scheduled") | models.Q(publish_from__isnull=False),
                name="service_scheduled_has_start",
            ),
            models.CheckConstraint(
                condition=models.Q(publish_until__isnull=True)
                | models.Q(publish_from__isnull=True)
                | models.Q(publish_until__gt=models.F("publish_from")),
                name="service_publish_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """The card's HTML is rendered here, once per change, never on a page view."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & {*content.MARKDOWN_TEXTS, "translations"}:
            self.card_html = content.render_html(
                self._italian_texts(), content.clean_translations(self.translations)
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "card_html"}
        super().save(*args, **kwargs)

    def _italian_texts(self) -> dict[str, str]:
        return {field: getattr(self, field) or "" for field in content.TRANSLATABLE}

    @property
    def local(self) -> content.LocalService:
        """The public texts in the active language, Italian where untranslated (``service.local.name``)."""
        language = translation.get_language() or content.SOURCE_LANGUAGE
        cached = self.__dict__.get("_local")
        if cached is None or cached[0] != language:
            local = content.LocalService(
                self._italian_texts(),
                content.clean_translations(self.translations),
                self.card_html or {},
                language,
            )
            self.__dict__["_local"] = cached = (language, local)
        return cached[1]


class ServiceDeadline(models.Model):
    """A dated item of "Tempi e scadenze" (e.g. the enrolment deadline)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="deadlines")
    date = models.DateField(_("data"))
    label = models.CharField(_("descrizione"), max_length=200)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.label}"


class FormVersion(models.Model):
    """One immutable version of a service's form; data filled in keeps a reference to its version."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="form_versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="form_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"


class Rating(models.Model):
    """An anonymous answer to the rating component of a service page or of a confirmation page."""

    class Page(models.TextChoices):
        SERVICE = "service", _("Scheda del servizio")
        BOOKING = "booking", _("Conferma della prenotazione")
        APPLICATION = "application", _("Conferma dell'invio della domanda")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="ratings", null=True, blank=True
    )
    page = models.CharField(max_length=20, choices=Page.choices)
    stars = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=20, blank=True)
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5")
        ]
        indexes = [models.Index(fields=["municipality", "service", "created_at"], name="rating_service_time")]

    def __str__(self) -> str:
        return f"{self.get_page_display()} {self.stars}/5"
