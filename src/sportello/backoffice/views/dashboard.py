from django.shortcuts import render

from ..decorators import operator_required


@operator_required
def dashboard(request):
    """The operators' entry ("cruscotto"); applications, statistics and calendars plug in here."""
    return render(request, "backoffice/dashboard.html")
