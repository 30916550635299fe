from django.urls import path

from . import sandbox_views

app_name = "payments_sandbox"

urlpatterns = [
    path("<int:pk>/", sandbox_views.checkout, name="checkout"),
]
