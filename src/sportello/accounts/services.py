"""Writes on users and staff roles. Each function owns its transaction; e-mails are tasks enqueued in it."""

import re
from datetime import date, datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.municipalities.models import Municipality

from .models import ConsumedAssertion, LoginEvent, Membership, PrivacyConsent, Role, User
from .tasks import staff_credentials_send


def _active_admins(municipality: Municipality):
    return Membership.objects.for_municipality(municipality).active().filter(role=Role.ADMIN)


@transaction.atomic
def staff_create(
    *,
    municipality: Municipality,
    username: str,
    email: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    language: str = "it",
    actor: User | None = None,
    password: str | None = None,
) -> Membership:
    """Create a staff account of ``municipality``.

    Without ``password`` the account gets a temporary password, generated and e-mailed by a task so that it
    never sits in the database in clear; the user must change it at first access. ``password`` (used by the
    demo and by ``create_staff --password``) sets a definitive password.
    """
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Indica il nome utente.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Il nome utente «%(username)s» è già in uso.") % {"username": username}}
        )
    validate_email(email)
    role = Role(role)
    user = User(
        username=username,
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        language=language,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
        user.must_change_password = True
    user.full_clean()
    user.save()
    membership = Membership.objects.create(user=user, municipality=municipality, role=role, created_by=actor)
    if not password:
        staff_credentials_send.enqueue(membership_id=membership.pk, reason="invite")
    return membership


@transaction.atomic
def staff_password_reset(*, membership: Membership, actor: User | None = None) -> Membership:
    """Replace the user's password with a new temporary one, e-mailed by a task."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    user.set_unusable_password()
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    staff_credentials_send.enqueue(membership_id=membership.pk, reason="reset")
    return membership


def _ensure_not_last_admin(membership: Membership, message: str) -> None:
    if membership.role == Role.ADMIN and membership.is_active:
        others = _active_admins(membership.municipality).exclude(pk=membership.pk)
        if not others.select_for_update().exists():
            raise ValidationError(message)


@transaction.atomic
def staff_deactivate(*, membership: Membership, actor: User) -> Membership:
    """Remove a user's access to this municipality's back office (the account and its history stay)."""
    membership = Membership.objects.select_for_update().select_related("municipality").get(pk=membership.pk)
    if membership.user_id == actor.pk:
        raise ValidationError(_("Non puoi disattivare il tuo stesso account."))
    _ensure_not_last_admin(membership, _("Non puoi disattivare l'unico amministratore dell'ente."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


@transaction.atomic
def staff_reactivate(*, membership: Membership, actor: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


@transaction.atomic
def staff_role_change(*, membership: Membership, role: Role | str, actor: User) -> Membership:
    membership = Membership.objects.select_for_update().select_related("municipality").get(pk=membership.pk)
    role = Role(role)
    if role == membership.role:
        return membership
    if membership.user_id == actor.pk:
        raise ValidationError(_("Non puoi cambiare il tuo stesso ruolo."))
    _ensure_not_last_admin(membership, _("L'ente deve avere almeno un amministratore attivo."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """Set a password chosen by the user (validated), ending any temporary-password state."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


# Citizens (SPID / CIE). The identity of a citizen is their fiscal code: the same person coming from
# two identity providers is one account. Identity data (names, birth) always follow the IdP; contacts
# (e-mail, phone) are filled from the IdP only while empty, since the citizen may edit them.

_FISCAL_CODE = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")
FISCAL_NUMBER_PREFIX = "TINIT-"
# How long a consumed-assertion row outlives the assertion when no expiry is known.
_ASSERTION_DEFAULT_TTL = timedelta(hours=1)


class AssertionReplayedError(ValidationError):
    """The SAML assertion was already used for a login."""


def fiscal_code_from_attribute(value: str | None) -> str:
    """``TINIT-RSSMRA80A01H501U`` -> ``RSSMRA80A01H501U``; ValidationError for anything else."""
    value = (value or "").strip().upper()
    if value.startswith(FISCAL_NUMBER_PREFIX):
        value = value[len(FISCAL_NUMBER_PREFIX) :]
    if not _FISCAL_CODE.match(value):
        raise ValidationError(_("L'identità digitale non contiene un codice fiscale italiano valido."))
    return value


def _parse_birth_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


def _citizen_username(fiscal_code: str) -> str:
    if not User.objects.filter(username__iexact=fiscal_code).exclude(fiscal_code=fiscal_code).exists():
        return fiscal_code
    return f"cf-{fiscal_code}"


@transaction.atomic
def citizen_upsert_from_attributes(*, attributes: dict[str, str]) -> User:
    """Create or update the citizen identified by ``attributes["fiscalNumber"]`` (SPID attribute names)."""
    fiscal_code = fiscal_code_from_attribute(attributes.get("fiscalNumber"))
    first_name = (attributes.get("name") or "").strip()[:150]
    last_name = (attributes.get("familyName") or "").strip()[:150]
    email = (attributes.get("email") or "").strip().lower()
    phone = (attributes.get("mobilePhone") or "").strip()[:40]
    birth_date = _parse_birth_date(attributes.get("dateOfBirth"))
    birth_place = (attributes.get("placeOfBirth") or "").strip()[:120]
    try:
        validate_email(email)
    except ValidationError:
        email = ""

    user = User.objects.select_for_update().filter(fiscal_code=fiscal_code).first()
    if user is None:
        user = User(username=_citizen_username(fiscal_code), fiscal_code=fiscal_code)
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Another login of the same person created the account a moment ago.
            user = User.objects.select_for_update().get(fiscal_code=fiscal_code)
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    if birth_date:
        user.birth_date = birth_date
    if birth_place:
        user.birth_place = birth_place
    if email and not user.email:
        user.email = email
    if phone and not user.phone:
        user.phone = phone
    user.save()
    return user


def _assertion_consume(*, issuer: str, assertion_id: str, expires_at: datetime | None, now: datetime) -> None:
    """Insert the single-use row of an assertion; AssertionReplayedError when it exists already."""
    if not assertion_id:
        raise ValidationError(_("Asserzione SAML senza identificativo."))
    ConsumedAssertion.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    try:
        with transaction.atomic():
            ConsumedAssertion.objects.create(
                issuer=issuer[:255],
                assertion_id=assertion_id[:255],
                expires_at=expires_at or now + _ASSERTION_DEFAULT_TTL,
                consumed_at=now,
            )
    except IntegrityError as error:
        raise AssertionReplayedError(_("Questa risposta di autenticazione è già stata usata.")) from error


@transaction.atomic
def citizen_login_record(
    *,
    attributes: dict[str, str],
    idp: str,
    level: str,
    assertion_id: str,
    assertion_expires_at: datetime | None = None,
    municipality: Municipality | None = None,
) -> LoginEvent:
    """Accept one verified SAML assertion: consume it (once only), upsert the citizen, record the login.

    All in one transaction: a replayed assertion changes nothing.
    """
    now = timezone.now()
    _assertion_consume(issuer=idp, assertion_id=assertion_id, expires_at=assertion_expires_at, now=now)
    user = citizen_upsert_from_attributes(attributes=attributes)
    if not user.is_active:
        raise ValidationError(_("Questo account è disattivato."))
    return LoginEvent.objects.create(
        user=user,
        municipality=municipality,
        at=now,
        idp=idp[:255],
        level=level,
        assertion_id=assertion_id[:255],
    )


@transaction.atomic
def citizen_contacts_update(*, user: User, email: str, phone: str) -> User:
    """The contacts a citizen may change in the personal area (identity data come from SPID/CIE)."""
    email = (email or "").strip().lower()
    if email:
        validate_email(email)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email = email
    user.phone = (phone or "").strip()
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["email", "phone"])
    return user


@transaction.atomic
def privacy_consent_give(*, user: User, municipality: Municipality, version: str) -> PrivacyConsent:
    """Record the acceptance of ``version`` of the municipality's privacy terms (idempotent)."""
    consent, _created = PrivacyConsent.objects.get_or_create(
        user=user, municipality=municipality, version=version, defaults={"accepted_at": timezone.now()}
    )
    return consent
