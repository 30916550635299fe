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
