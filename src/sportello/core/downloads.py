from django.http import FileResponse, Http404


def _open(field_file):
    """The stored file opened for reading; 404 when it is missing from storage (or was never stored)."""
    try:
        return field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("File missing") from error


def file_download(field_file, filename: str) -> FileResponse:
    """A stored file sent as a download (never rendered inline by the browser), streamed from storage."""
    handle = _open(field_file)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/octet-stream"
    )


IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def image_response(field_file) -> FileResponse:
    """A stored photo (re-encoded at upload, so its extension is its format) sent as an image, never sniffed."""
    content_type = IMAGE_TYPES.get((field_file.name or "").rsplit(".", 1)[-1])
    if content_type is None:
        raise Http404("Not a photo")
    response = FileResponse(_open(field_file), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(field_file, filename: str) -> FileResponse:
    """A stored PDF (checked at upload) shown inline under ``filename``, never sniffed; 404 when the stored file is
    missing or does not start as a PDF."""
    handle = _open(field_file)
    if handle.read(5) != b"%PDF-":
        handle.close()
        raise Http404("Not a PDF")
    handle.seek(0)
    response = FileResponse(handle, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
