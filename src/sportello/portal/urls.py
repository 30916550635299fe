from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("servizi/", views.service_list, name="service_list"),
    path("servizi/<slug:service_slug>/", views.service_detail, name="service_detail"),
    path("servizi/<slug:service_slug>/accedi/", views.service_start, name="service_start"),
    path("servizi/<slug:service_slug>/condizioni.pdf", views.service_conditions, name="service_conditions"),
    path("prenota-appuntamento/", views.booking, name="booking"),
    path("privacy/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("note-legali/", views.legal_page, {"page": "legal_notes"}, name="legal_notes"),
    path("accessibilita/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
    path("stemma", views.logo, name="logo"),
]
