"""The citizen's personal area (/<slug>/<lang>/area-personale/): data, contacts, privacy consent.

Later modules add the citizen's applications, appointments, payments and messages here.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sportello.accounts.selectors import login_event_list, privacy_consent_given
from sportello.accounts.services import citizen_contacts_update, privacy_consent_give
from sportello.applications.selectors import application_recent_for_citizen
from sportello.core.urlutils import safe_next, tenant_reverse
from sportello.formschema.validators import cadastral_place_name
from sportello.identity import levels
from sportello.identity.idps import identity_provider_name
from sportello.identity.session import citizen_auth, citizen_required

PHONE = RegexValidator(
    r"^\+?[0-9 ]{6,20}$", gettext_lazy("Indica un numero di telefono valido, ad esempio +39 333 1234567.")
)


LEVEL_LABELS = {
    levels.SPID1: gettext_lazy("SPID livello 1"),
    levels.SPID2: gettext_lazy("SPID livello 2"),
    levels.SPID3: gettext_lazy("SPID livello 3"),
    levels.CIE: gettext_lazy("CIE"),
}


class ContactsForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False, max_length=254)
    phone = forms.CharField(
        label=gettext_lazy("Telefono cellulare"), required=False, max_length=40, validators=[PHONE]
    )


class PrivacyConsentForm(forms.Form):
    accept = forms.BooleanField(
        label=gettext_lazy("Ho letto l'informativa sul trattamento dei dati personali e la accetto"),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept"].privacy_notice = True  # the checkbox links the notice (includes/field.html)


def _consent_needed(request) -> bool:
    return not privacy_consent_given(
        user=request.user, municipality=request.municipality, version=settings.PRIVACY_TERMS_VERSION
    )


@never_cache
@citizen_required(levels.SPID2)
@require_http_methods(["GET", "POST"])
def personal_area(request):
    """Reached only once the privacy notice is accepted (``PrivacyConsentMiddleware``)."""
    auth = citizen_auth(request)
    if request.method == "POST":
        form = ContactsForm(request.POST)
        if form.is_valid():
            try:
                citizen_contacts_update(
                    user=request.user, email=form.cleaned_data["email"], phone=form.cleaned_data["phone"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("I tuoi contatti sono stati aggiornati."))
                return redirect(tenant_reverse("portal:personal_area", request.municipality))
    else:
        form = ContactsForm(initial={"email": request.user.email, "phone": request.user.phone})
    return render(
        request,
        "portal/personal_area.html",
        {
            "form": form,
            "citizen": request.user,
            "auth": auth,
            "provider_name": identity_provider_name(auth["idp"]),
            "level_name": LEVEL_LABELS.get(auth["level"], auth["level"]),
            "birth_place": cadastral_place_name(request.user.birth_place),
            "logins": [
                {
                    "at": event.at,
                    "provider": identity_provider_name(event.idp),
                    "level": LEVEL_LABELS.get(event.level, event.level),
                }
                for event in login_event_list(user=request.user, limit=5)
            ],
            "applications": application_recent_for_citizen(
                user=request.user, municipality=request.municipality, limit=5
            ),
        },
    )


@never_cache
@citizen_required(levels.SPID1)
@require_http_methods(["GET", "POST"])
def personal_area_consent(request):
    """First access, whatever the level of the login: the citizen accepts the municipality's privacy terms
    (version and time stored), then goes on to where they were going (``next``) or to the personal area."""
    next_url = safe_next(request, request.GET.get("next")) or tenant_reverse(
        "portal:personal_area", request.municipality
    )
    if not _consent_needed(request):
        return redirect(next_url)
    form = PrivacyConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy_consent_give(
            user=request.user, municipality=request.municipality, version=settings.PRIVACY_TERMS_VERSION
        )
        messages.success(request, _("Grazie: ora puoi usare i servizi online."))
        return redirect(next_url)
    return render(
        request,
        "portal/personal_area_consent.html",
        {"form": form, "version": settings.PRIVACY_TERMS_VERSION, "next": request.GET.get("next", "")},
    )
