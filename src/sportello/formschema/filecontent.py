"""What is inside an uploaded file: active content in PDFs, the structure of signed ``.p7m`` files. Pure, no ORM.

Staff open citizens' PDFs in desktop readers, so a PDF that can run something by itself (JavaScript, a launch
action) is refused. Names are read after undoing the ``#xx`` escapes and also inside compressed streams (object
streams hide dictionaries there); an encrypted PDF cannot be inspected, so it is refused too.
A ``.p7m`` must be a CAdES envelope: a CMS SignedData with at least one signer and its content attached; the
signed content (often a PDF, sometimes signed again) is checked in turn.
"""

import base64
import binascii
import re
import zlib

from asn1crypto import cms

# Actions that run code or other programs; a plain /OpenAction that only shows a page is allowed.
ACTIVE_PDF_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"RichMedia"})
_NAME = re.compile(rb"/((?:[^\s/<>\[\](){}%#]|#[0-9A-Fa-f]{2})+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
MAX_INFLATED = 64 * 1024 * 1024  # a compression bomb stops here (and is refused)
MAX_NESTING = 3  # file.pdf.p7m.p7m.p7m


class UnreadablePdf(Exception):
    """The PDF cannot be inspected (encrypted, or its streams inflate beyond the limit)."""


def _names(data: bytes):
    for match in _NAME.finditer(data):
        yield _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _inflated_streams(data: bytes):
    budget = MAX_INFLATED
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[start:end], budget + 1)
        except zlib.error:
            continue  # not a Flate stream (images, other filters): no dictionaries inside
        budget -= len(chunk)
        if budget < 0:
            raise UnreadablePdf("streams inflate beyond the limit")
        yield chunk


def pdf_active_content(data: bytes) -> str | None:
    """The first active-content name found in a PDF (e.g. ``"JavaScript"``), else None.

    Raises ``UnreadablePdf`` for an encrypted PDF or a compression bomb.
    """
    parts = [data]
    if b"Encrypt" in set(_names(data)):
        raise UnreadablePdf("encrypted")
    parts.extend(_inflated_streams(data))
    for part in parts:
        for name in _names(part):
            if name in ACTIVE_PDF_NAMES:
                return name.decode()
    return None


def _der(data: bytes) -> bytes:
    """A .p7m as DER: binary as is, or the Base64 / PEM forms some signing tools write."""
    if data.startswith(b"\x30"):
        return data
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        text = b"".join(line for line in text.splitlines() if not line.startswith(b"-----"))
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return b""


def cades_content(data: bytes) -> bytes | None:
    """The signed content of a CAdES (CMS SignedData) envelope with attached content; None if it is not one."""
    try:
        info = cms.ContentInfo.load(_der(data), strict=True)
        if info["content_type"].native != "signed_data":
            return None
        signed = info["content"]
        if not len(signed["signer_infos"]) or not len(signed["certificates"] or []):
            return None
        content = signed["encap_content_info"]["content"]
        if content.native is None:
            return None  # a detached signature: the document itself is missing
        return content.native if isinstance(content.native, bytes) else content.contents
    except (ValueError, TypeError, KeyError):
        return None


def signed_payload(data: bytes) -> bytes | None:
    """The innermost signed document of a (possibly repeatedly) signed .p7m; None if it is not CAdES."""
    content = cades_content(data)
    for _ in range(MAX_NESTING - 1):
        inner = cades_content(content) if content and content.startswith(b"\x30") else None
        if inner is None:
            break
        content = inner
    return content
