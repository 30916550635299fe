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
    birth_date = models.DateField(_("data di nascita"), null=True, blank=True)
    birth_place = models.CharField(_("luogo di nascita"), max_length=120, blank=True)
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


class LoginEvent(models.Model):
    """One SPID or CIE login of a citizen: when, from which identity provider, at which level."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_events")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("data e ora"), db_index=True)
    idp = models.CharField(_("gestore dell'identità"), max_length=255)
    level = models.CharField(_("livello"), max_length=16)
    assertion_id = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("accesso con SPID o CIE")
        verbose_name_plural = _("accessi con SPID o CIE")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.idp} ({self.level}) {self.at:%Y-%m-%d %H:%M}"


class PrivacyConsent(models.Model):
    """A citizen's acceptance of one version of a municipality's privacy terms."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="privacy_consents")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    version = models.CharField(_("versione"), max_length=32)
    accepted_at = models.DateTimeField(_("accettata il"))

    class Meta:
        verbose_name = _("consenso all'informativa privacy")
        verbose_name_plural = _("consensi all'informativa privacy")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "version"], name="privacy_consent_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality} v{self.version}"


class ConsumedAssertion(models.Model):
    """A SAML assertion already used to log in: the unique row makes every assertion single-use.

    Rows are kept until the assertion expires (after that, the validity checks reject it anyway).
    """

    issuer = models.CharField(max_length=255)
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)
    consumed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("asserzione SAML usata")
        verbose_name_plural = _("asserzioni SAML usate")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "assertion_id"], name="consumed_assertion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.assertion_id}"
