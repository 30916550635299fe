"""Writes on the service catalogue. Each function validates fully and writes nothing on bad input."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sportello.accounts.models import Membership
from sportello.formschema import validate_definition
from sportello.formschema.schema import DefinitionError
from sportello.municipalities.models import Municipality

from . import content, ratings
from .constants import Status
from .models import FormVersion, Rating, Service, ServiceDeadline
from .signals import service_renamed

# The fields of each back-office step, in display order (the forms use these same tuples).
GENERAL_FIELDS = (
    "name",
    "slug",
    "category",
    "topics",
    "short_description",
    "kind",
    "access_level",
    "status",
    "publish_from",
    "publish_until",
    "featured",
    "max_response_days",
    "allow_withdrawal",
    "allow_integration_requests",
)
CARD_TEXTS = ("addressed_to", "description", "how_to", "needed", "achieved", "timing", "cost", "more_info")
CARD_FIELDS = (
    *CARD_TEXTS,
    "conditions_file",
    "office_name",
    "office_address",
    "office_phone",
    "office_email",
    "office_hours",
)


class NameChangeNeedsConfirmation(ValidationError):
    """The service is registered on App IO under its name: renaming needs an explicit confirmation."""


def _save(service: Service) -> Service:
    service.full_clean()
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError as error:
        raise ValidationError({"slug": _("Esiste già un servizio con questo identificativo.")}) from error
    return service


def _set_operators(service: Service, operators) -> None:
    allowed = set(
        Membership.objects.for_municipality(service.municipality).active().values_list("user_id", flat=True)
    )
    ids = {user.pk for user in operators}
    if not ids <= allowed:
        raise ValidationError({"operators": _("Si possono abilitare solo persone del personale dell'ente.")})
    service.operators.set(ids)


@transaction.atomic
def service_create(*, municipality: Municipality, actor=None, operators=(), **fields) -> Service:
    unknown = set(fields) - set(GENERAL_FIELDS) - set(CARD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown service fields: {sorted(unknown)}")
    fields.setdefault("slug", slugify(fields.get("name", ""))[:100])
    service = _save(Service(municipality=municipality, **fields))
    _set_operators(service, operators)
    return service


@transaction.atomic
def service_update_general(
    *, service: Service, actor=None, operators=None, confirm_name_change: bool = False, **fields
) -> Service:
    """Save the "Dati generali" step. Renaming a service bound to App IO needs ``confirm_name_change``."""
    unknown = set(fields) - set(GENERAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown general fields: {sorted(unknown)}")
    current = Service.objects.select_for_update().get(pk=service.pk)
    new_name = fields.get("name", current.name)
    if current.io_service_id and new_name != current.name and not confirm_name_change:
        raise NameChangeNeedsConfirmation(
            _(
                "Questo servizio è collegato ad App IO: i cittadini lo vedono nell'app con il nome «%(name)s». "
                "Se confermi, il nuovo nome viene inviato anche ad App IO, dove va in revisione prima di comparire "
                "nell'app. Conferma per procedere."
            )
            % {"name": current.name},
            code="io_name_change",
        )
    old_name = current.name
    for name, value in fields.items():
        setattr(current, name, value)
    if current.status != Status.SCHEDULED:
        current.publish_from = current.publish_until = None  # a window means something only when scheduled
    _save(current)
    if operators is not None:
        _set_operators(current, operators)
    if current.name != old_name:
        service_renamed.send(sender=Service, service=current, old_name=old_name, actor=actor)
    return current


@transaction.atomic
def service_update_card(*, service: Service, deadlines=None, actor=None, **fields) -> Service:
    """Save the "Scheda" step; ``deadlines`` is the full list of ``(date, label)`` when given."""
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown card fields: {sorted(unknown)}")
    for name, value in fields.items():
        Service._meta.get_field(name).save_form_data(service, value)  # files: False clears, None keeps
    _save(service)
    if deadlines is not None:
        service.deadlines.all().delete()
        ServiceDeadline.objects.bulk_create(
            [ServiceDeadline(service=service, date=date, label=label) for date, label in deadlines]
        )
    return service


@transaction.atomic
def service_update_translations(*, service: Service, translations: dict, actor=None) -> Service:
    """Save the English and German texts of the card (``{"en": {field: text}, "de": {...}}``, the
    ``catalog.content.TRANSLATABLE`` fields); an empty text falls back to the Italian one."""
    clean = content.clean_translations(translations)
    errors = content.translation_errors(clean)
    if errors:
        raise ValidationError(errors)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    locked.translations = clean
    locked.save(update_fields=["translations", "updated_at"])
    service.translations, service.card_html = locked.translations, locked.card_html
    return locked


@transaction.atomic
def service_form_save(*, service: Service, definition: dict, actor=None, note: str = "") -> FormVersion:
    """Store ``definition`` as the service's next form version (versions are never modified)."""
    try:
        validate_definition(definition)
    except DefinitionError as error:
        raise ValidationError(list(error.messages)) from error
    locked = Service.objects.select_for_update().get(pk=service.pk)
    number = (locked.form_versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = FormVersion.objects.create(
        service=locked, number=number, definition=definition, created_by=actor, note=note[:200]
    )
    locked.form_version = version
    locked.save(update_fields=["form_version", "updated_at"])
    service.form_version = version
    return version


def _copy_slug(service: Service) -> str:
    taken = set(Service.objects.for_municipality(service.municipality).values_list("slug", flat=True))
    base = f"{service.slug}-copia"[:94]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def service_copy(*, service: Service, actor=None) -> Service:
    """A draft copy with a new slug, the same card, deadlines, options, operators and form.

    The App IO id is not copied: one IO service belongs to one service.
    """
    copy = Service.objects.get(pk=service.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = _copy_slug(service)
    copy.name = _("%(name)s (copia)") % {"name": service.name}
    copy.name = copy.name[:200]
    copy.status = Status.DRAFT
    copy.publish_from = copy.publish_until = None
    copy.featured = False
    copy.io_service_id = ""
    copy.form_version = None
    _save(copy)
    copy.operators.set(service.operators.all())
    ServiceDeadline.objects.bulk_create(
        [ServiceDeadline(service=copy, date=d.date, label=d.label) for d in service.deadlines.all()]
    )
    if service.form_version is not None:
        service_form_save(
            service=copy,
            definition=service.form_version.definition,
            actor=actor,
            note=_("Copiato da %(name)s v%(number)s")
            % {"name": service.name, "number": service.form_version.number},
        )
    return copy


def rating_record(
    *, municipality: Municipality, page: str, stars, service=None, answer="", comment=""
) -> Rating:
    """Store an anonymous rating; bad input raises ValidationError and stores nothing."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Scegli una valutazione da 1 a 5 stelle.")})
    if page not in Rating.Page.values:
        raise ValidationError({"page": _("Pagina non valida.")})
    if answer and not ratings.answer_allowed(stars, answer):
        raise ValidationError({"answer": _("Scegli una delle risposte proposte.")})
    comment = " ".join((comment or "").split())
    if len(comment) > ratings.COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": _("Il commento può avere al massimo %(n)d caratteri.")
                % {"n": ratings.COMMENT_MAX_LENGTH}
            }
        )
    if service is not None and service.municipality_id != municipality.pk:
        raise ValidationError({"service": _("Servizio non valido.")})
    return Rating.objects.create(
        municipality=municipality, service=service, page=page, stars=stars, answer=answer, comment=comment
    )
