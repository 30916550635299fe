"""The service provider's SAML endpoints, one set for the whole installation (/spid/...)."""

from django.urls import path

from . import views

app_name = "spid"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("acs/", views.acs, name="acs"),
    path("ls/", views.single_logout, name="slo"),
]
