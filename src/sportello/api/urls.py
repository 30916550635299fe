"""``/api/v1/``: the platform's paths, then each municipality's under ``/api/v1/<municipality_slug>/``.

A new resource adds its module in ``views/`` with its ``urlpatterns`` and one line to ``municipality_patterns``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import applications, appointments, calendars, payments, rooms, services
from .views.status import StatusView

app_name = "api"

municipality_patterns = [
    *services.urlpatterns,
    *applications.urlpatterns,
    *calendars.urlpatterns,  # public calendars and availability, the private ICS feed
    *appointments.urlpatterns,
    *payments.urlpatterns,  # payments and the accounting export
    *rooms.urlpatterns,  # public rooms and availability, the office's room bookings
]

urlpatterns = [
    path("status", StatusView.as_view(), name="status"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("<slug:municipality_slug>/", include(municipality_patterns)),
]
