from django.urls import path

from .views import auth, dashboard, municipality, staff

app_name = "backoffice"

urlpatterns = [
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change, name="password_change"),
    path("", dashboard.dashboard, name="dashboard"),
    path("personale/", staff.staff_list, name="staff_list"),
    path("personale/nuovo/", staff.staff_invite, name="staff_invite"),
    path("personale/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("personale/<int:pk>/disattiva", staff.staff_deactivate, name="staff_deactivate"),
    path("personale/<int:pk>/riattiva", staff.staff_reactivate, name="staff_reactivate"),
    path("personale/<int:pk>/reimposta-password", staff.staff_password_reset, name="staff_password_reset"),
    path("ente/", municipality.municipality_settings, name="municipality_settings"),
]
