from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView

from sportello.catalog.selectors import service_get_public, service_public_list
from sportello.catalog.visibility import page_visible

from ..pagination import Cursor
from ..serializers import ServiceDetailSerializer, ServiceSerializer
from .base import PublicView


class ServiceList(PublicView, ListAPIView):
    """The services the municipality lists publicly (as on its website)."""

    serializer_class = ServiceSerializer
    pagination_class = Cursor
    cursor_ordering = ("slug",)

    def get_queryset(self):
        return service_public_list(municipality=self.request._request.municipality)

    @extend_schema(
        operation_id="services_list",
        description="I servizi pubblicati dall'ente (pubblico, senza token).",
        summary="Servizi dell'ente",
        tags=["servizi"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceDetail(PublicView, RetrieveAPIView):
    """One service's card; drafts do not exist for the API."""

    serializer_class = ServiceDetailSerializer

    def get_object(self):
        service, status = service_get_public(
            municipality=self.request._request.municipality, slug=self.kwargs["service_slug"]
        )
        if service is None or not page_visible(status, is_admin=False):
            raise Http404
        return service

    @extend_schema(
        operation_id="services_retrieve",
        description="La scheda del servizio (pubblico, senza token).",
        summary="Scheda di un servizio",
        tags=["servizi"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("services", ServiceList.as_view(), name="service_list"),
    path("services/<slug:service_slug>", ServiceDetail.as_view(), name="service_detail"),
]
