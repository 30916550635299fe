"""Citizen pages around the catalogue: topics ("Argomenti"), FAQ and the rating component."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sportello.catalog import ratings
from sportello.catalog.models import Service
from sportello.catalog.selectors import services_for_topic, topics_in_use
from sportello.catalog.services import rating_record
from sportello.catalog.topics import topic_from_slug
from sportello.core.pagecache import public_page
from sportello.core.urlutils import safe_next, tenant_reverse
from sportello.municipalities.models import FaqEntry

from .views import until_next_visibility_change

RATED_SESSION_KEY = "rated_pages"


@require_safe
@public_page(ttl=until_next_visibility_change)
def topic_list(request):
    return render(
        request, "portal/topic_list.html", {"topics": topics_in_use(municipality=request.municipality)}
    )


@require_safe
@public_page(ttl=until_next_visibility_change)
def topic_detail(request, topic_slug: str):
    topic = topic_from_slug(topic_slug)
    if topic is None:
        raise Http404("No such topic")
    services = services_for_topic(municipality=request.municipality, topic=topic)
    return render(request, "portal/topic_detail.html", {"topic": topic, "services": services})


@require_safe
@public_page
def faq(request):
    entries = FaqEntry.objects.for_municipality(request.municipality)
    return render(request, "portal/faq.html", {"entries": entries})


@require_POST
def rating_submit(request):
    """One answer of the rating component. Without JavaScript the follow-up question comes as a second step."""
    municipality = request.municipality
    back = safe_next(request, request.POST.get("next")) or tenant_reverse("portal:home", municipality)
    page = request.POST.get("page", "")
    service = None
    if request.POST.get("service"):
        service = Service.objects.for_municipality(municipality).filter(slug=request.POST["service"]).first()
        if service is None:
            raise Http404("No such service")
    key = f"{page}:{service.pk if service else ''}"
    if key in request.session.get(RATED_SESSION_KEY, []):
        messages.info(request, _("Hai già valutato questa pagina: grazie."))
        return redirect(back)
    stars, answer = request.POST.get("stars", ""), request.POST.get("answer", "")
    if stars.isdigit() and 1 <= int(stars) <= 5 and not answer and "skip" not in request.POST:
        return render(
            request,
            "portal/rating_followup.html",
            {
                "stars": int(stars),
                "positive": ratings.is_positive(int(stars)),
                "answers": ratings.answers_for(int(stars)),
                "page": page,
                "service": service,
                "next": back,
            },
        )
    try:
        rating_record(
            municipality=municipality,
            page=page,
            service=service,
            stars=stars,
            answer=answer,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back + "#valutazione")
    request.session[RATED_SESSION_KEY] = [*request.session.get(RATED_SESSION_KEY, [])[-49:], key]
    messages.success(request, _("Grazie, il tuo giudizio ci aiuterà a migliorare il servizio."))
    return redirect(back + "#valutazione")
