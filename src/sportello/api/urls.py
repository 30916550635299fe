from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path(
        "calendars/<int:calendar_id>/availability",
        views.calendar_availability,
        name="calendar_availability",
    ),
    path("calendars/feed/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
]
