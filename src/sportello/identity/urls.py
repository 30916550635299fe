"""Citizen login and logout under /<slug>/<lang>/."""

from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("login/avvia/", views.login_start, name="login_start"),
    path("esci/", views.logout_view, name="logout"),
]
