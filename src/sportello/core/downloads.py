from django.http import FileResponse, Http404


def file_download(field_file, filename: str) -> FileResponse:
    """A stored file sent as a download (never rendered inline by the browser), streamed from storage."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("File missing") from error
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/octet-stream"
    )


IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def image_response(field_file) -> FileResponse:
    """A stored photo (re-encoded at upload, so its extension is its format) sent as an image, never sniffed."""
    content_type = IMAGE_TYPES.get((field_file.name or "").rsplit(".", 1)[-1])
    if content_type is None:
        raise Http404("Not a photo")
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("Photo missing") from error
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(field_file, filename: str) -> FileResponse:
    """A stored PDF (checked at upload) shown inline under ``filename``, never sniffed; 404 when the stored file is
    missing or does not start as a PDF."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("File missing") from error
    if handle.read(5) != b"%PDF-":
        handle.close()
        raise Http404("Not a PDF")
    handle.seek(0)
    response = FileResponse(handle, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
