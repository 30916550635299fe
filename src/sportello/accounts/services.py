"""Writes on users and staff roles. Each function owns its transaction; e-mails are tasks enqueued in it."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.municipalities.models import Municipality

from .models import Membership, Role, User
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
