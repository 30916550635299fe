"""The API's views, one module per resource. Each module has its ``urlpatterns`` (relative to
``/api/v1/<municipality_slug>/``), listed in ``sportello/api/urls.py``."""
