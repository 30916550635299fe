from django.shortcuts import render

from sportello.applications.selectors import open_application_count, protocol_failures_for_staff
from sportello.notifications.selectors import io_uncertain_count

from ..decorators import operator_required


@operator_required
def dashboard(request):
    """The operators' entry ("cruscotto"); applications, statistics and calendars plug in here."""
    open_applications = open_application_count(user=request.user, municipality=request.municipality)
    failures = protocol_failures_for_staff(user=request.user, municipality=request.municipality)
    io_uncertain = io_uncertain_count(user=request.user, municipality=request.municipality)
    return render(
        request,
        "backoffice/dashboard.html",
        {"open_applications": open_applications, "protocol_failures": failures, "io_uncertain": io_uncertain},
    )
