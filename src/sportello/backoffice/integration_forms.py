from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sportello.integrations.models import Event, Scope


def _default_expiry():
    return timezone.localdate() + timedelta(days=365)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Nome dell'integrazione"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Permessi"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Scade il"), initial=_default_expiry, widget=forms.DateInput(attrs={"type": "date"})
    )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Indirizzo che riceve gli eventi"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Eventi"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Event.values),
    )
