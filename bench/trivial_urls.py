"""The installation's URLs plus one trivial view, the baseline of ``bench/public_pages.py`` (same middleware)."""

from django.http import HttpResponse
from django.urls import path

from sportello.urls import urlpatterns as sportello_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *sportello_urlpatterns]
