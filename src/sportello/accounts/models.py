from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sportello.municipalities.models import Municipality, TenantQuerySet


class Role(models.TextChoices):
    ADMIN = "admin", _("Amministratore")
    OPERATOR = "operator", _("Operatore")


class User(AbstractUser):
    """Citizens and staff alike. Staff rights come from ``Membership`` rows, one per municipality."""

    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, unique=True, null=True, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    language = models.CharField(
        _("lingua preferita"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    must_change_password = models.BooleanField(
        _("deve cambiare la password"),
        default=False,
        help_text=_("Vero finché l'utente usa una password temporanea."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class MembershipQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A staff role of a user in one municipality."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("ruolo"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("attivo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("ruolo del personale")
        verbose_name_plural = _("ruoli del personale")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="membership_unique_user_municipality"
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"
