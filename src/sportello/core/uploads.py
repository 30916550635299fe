"""Attachments to messages: several files in one input, each checked for type, content and size; and photos,
checked by their content and re-encoded."""

import io
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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


# --- images: sniffed, bounded, re-encoded ---

IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded from its pixels only: no EXIF/GPS, no comments, nothing appended."""

    content: bytes
    extension: str
    width: int
    height: int


def _image_kind(head: bytes) -> str | None:
    """The format told by the first bytes, whatever the file's name says."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def image_checked(upload, *, max_bytes: int, max_pixels: int, sizes: tuple[int, ...]) -> list[CleanImage]:
    """Check an uploaded photo and re-encode it once per size in ``sizes`` (the longest side, never enlarged).

    JPEG, PNG and WebP only, told by the content; at most ``max_bytes``; the pixel count declared in the header
    is checked *before* decoding (a decompression bomb is refused without being expanded). Raises
    ``ValidationError`` with an Italian message.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > max_bytes:
        raise ValidationError(
            _("Il file è troppo grande: la dimensione massima è %(size)s."),
            code="file_size",
            params={"size": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    kind = _image_kind(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError(_("Il file non è una foto JPEG, PNG o WebP."), code="image_type")
    too_many = ValidationError(
        _("La foto ha troppi pixel: al massimo %(mp)s milioni."),
        code="image_pixels",
        params={"mp": max_pixels // 1_000_000},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[kind]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_many
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF told, then drop EXIF
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA" if "transparency" in image.info else "RGB")
                if kind == "JPEG" and image.mode != "RGB" and image.mode != "L":
                    image = image.convert("RGB")
                # A new image from the decoded pixels only: nothing of the original file is copied.
                pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("La foto è danneggiata o non è leggibile."), code="image_unreadable"
        ) from None
    out = []
    for side in sizes:
        copy = pixels.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if kind == "JPEG" else {}
        if kind == "WEBP":
            options = {"quality": 85}
        copy.save(buffer, format=kind, **options)
        out.append(CleanImage(buffer.getvalue(), IMAGE_EXTENSIONS[kind], copy.width, copy.height))
    return out
