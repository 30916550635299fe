"""Attachments to messages: several files in one input, each checked for type, content and size."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.formschema.build import FileValidator

FILE_ERRORS = {
    "empty": _("Il file inviato è vuoto."),
    "invalid": _("Nessun file inviato: controlla il modulo."),
    "max_length": _("Il nome del file è troppo lungo (al massimo %(max)d caratteri)."),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one is validated, the list is the cleaned value."""

    def __init__(self, *, types: list[str], max_size_mb: int, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{t}" for t in types)}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("validators", [FileValidator(types, max_size_mb)])
        kwargs.setdefault("error_messages", FILE_ERRORS)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [single(item, initial) for item in items if item]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Puoi allegare al massimo %(count)d file."), params={"count": self.max_files}
            )
        return files
