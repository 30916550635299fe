"""Aiuto: the staff manual ("Manuale operativo", pages and PDF) and the help desk's contacts ("Supporto")."""

import io

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import manual
from ..decorators import operator_required


@operator_required
@require_safe
def manual_index(request):
    return render(request, "backoffice/help/manual_index.html", {"chapters": manual.chapters()})


@operator_required
@require_safe
def manual_chapter(request, key: str):
    chapters = manual.chapters()
    current = next((c for c in chapters if c.slug == key), None)
    if current is None:
        raise Http404("No such chapter")
    position = chapters.index(current)
    return render(
        request,
        "backoffice/help/manual_chapter.html",
        {
            "chapter": current,
            "number": position + 1,
            "body": manual.chapter_html(current, lambda file: static(manual.SCREENSHOTS_STATIC + file)),
            "previous": chapters[position - 1] if position else None,
            "next": chapters[position + 1] if position + 1 < len(chapters) else None,
        },
    )


@operator_required
@require_safe
def manual_pdf(request):
    buffer = io.BytesIO()
    manual.manual_pdf(
        buffer,
        title=_("Manuale operativo"),
        subtitle=f"{settings.PLATFORM_NAME} – {request.municipality.name}",
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="manuale-operativo.pdf"'
    return response


@operator_required
@require_safe
def support(request):
    contacts = {key: value for key, value in settings.SUPPORT.items() if value}
    return render(request, "backoffice/help/support.html", {"support": contacts})
