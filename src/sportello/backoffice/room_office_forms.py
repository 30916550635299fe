"""Forms of the office's own work on rooms: photos and bookings on behalf of an applicant."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Foto (JPEG, PNG o WebP, al massimo 8 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Descrizione della foto (testo alternativo)"),
        max_length=250,
        help_text=_(
            "Cosa si vede nella foto, per chi usa un lettore di schermo (es. «La sala con 80 sedie»)."
        ),
    )
