"""The demo IdPs (/demo-idp/spid/, /demo-idp/cie/): mounted only with the "demo_idp" sandbox provider."""

from django.urls import path

from . import views

app_name = "demo_idp"

urlpatterns = [
    path("<str:kind>/sso/", views.sso, name="sso"),
    path("<str:kind>/sso/conferma/", views.sso_confirm, name="sso_confirm"),
    path("<str:kind>/slo/", views.slo, name="slo"),
]
