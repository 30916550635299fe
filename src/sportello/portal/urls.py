from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("note-legali/", views.legal_page, {"page": "legal_notes"}, name="legal_notes"),
    path("accessibilita/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
    path("stemma", views.logo, name="logo"),
]
