from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from sportello.core import views as core_views
from sportello.core.converters import LanguageConverter
from sportello.portal import views as portal_views

register_converter(LanguageConverter, "lang")

handler403 = "sportello.core.views.error_403"
handler404 = "sportello.core.views.error_404"
handler500 = "sportello.core.views.error_500"

# Everything a municipality offers lives under /<slug>/<lang>/; TenantMiddleware resolves both.
municipality_patterns = [
    path("operatori/", include("sportello.backoffice.urls")),
    path("", include("sportello.identity.urls")),
    # The pagoPA sandbox's checkout page: demo and test settings only, refused in production.
    *(
        [path("pagopa-sandbox/", include("sportello.payments.sandbox_urls"))]
        if "pagopa_sandbox" in settings.SANDBOX_PROVIDERS
        else []
    ),
    path("", include("sportello.portal.urls")),
]

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("healthz", core_views.healthz, name="healthz"),
    path("piattaforma/admin/", admin.site.urls),
    path("api/v1/", include("sportello.api.urls")),
    path("spid/", include("sportello.identity.spid_urls")),
    # The demo SAML IdPs (SPID and CIE stand-ins): demo and test settings only, refused in production.
    *(
        [path("demo-idp/", include("sportello.identity.demo_idp.urls"))]
        if "demo_idp" in settings.SANDBOX_PROVIDERS
        else []
    ),
    path("<slug:municipality_slug>/", portal_views.municipality_root, name="municipality_root"),
    path("<slug:municipality_slug>/<lang:lang>/", include(municipality_patterns)),
]
