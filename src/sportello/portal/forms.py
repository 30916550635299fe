from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.core.uploads import MultipleFileField


class CitizenMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Messaggio"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    files = MultipleFileField(
        types=["pdf", "p7m", "jpg", "jpeg", "png"],
        max_size_mb=10,
        max_files=5,
        label=_("Allegati"),
        help_text=_("PDF, PDF firmato (.p7m), JPEG o PNG, al massimo 10 MB ciascuno, fino a 5 file."),
    )
