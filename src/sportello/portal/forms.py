from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_FILE_TYPES = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}
MESSAGE_FILE_MAX_BYTES = 10 * 1024 * 1024
MESSAGE_FILES_MAX = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > MESSAGE_FILES_MAX:
            raise ValidationError(_("Puoi allegare al massimo %(n)s documenti.") % {"n": MESSAGE_FILES_MAX})
        for upload in uploads:
            check_upload(upload)
        return uploads


def check_upload(upload) -> None:
    """PDF, JPEG or PNG only (by extension and content), at most 10 MB."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    magic = MESSAGE_FILE_TYPES.get(extension)
    if magic is None:
        raise ValidationError(
            _("«%(name)s»: sono ammessi solo file PDF, JPEG o PNG.") % {"name": upload.name}, code="type"
        )
    if upload.size > MESSAGE_FILE_MAX_BYTES:
        raise ValidationError(_("«%(name)s» supera 10 MB.") % {"name": upload.name}, code="size")
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("«%(name)s» non è un file %(type)s valido.") % {"name": upload.name, "type": extension.upper()},
            code="content",
        )


class CitizenMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Messaggio"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    files = MultipleFileField(
        label=_("Allegati"),
        required=False,
        help_text=_("PDF, JPEG o PNG, al massimo 10 MB ciascuno, fino a 5 file."),
    )
