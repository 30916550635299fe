from django.urls import path

from . import applications, content, payments, personal_area, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("servizi/", views.service_list, name="service_list"),
    path("servizi/<slug:service_slug>/", views.service_detail, name="service_detail"),
    path("servizi/<slug:service_slug>/accedi/", views.service_start, name="service_start"),
    path("servizi/<slug:service_slug>/condizioni.pdf", views.service_conditions, name="service_conditions"),
    path("prenota-appuntamento/", views.booking, name="booking"),
    path("pratiche/", applications.application_list, name="application_list"),
    path("pratiche/<int:pk>/", applications.application_detail, name="application_detail"),
    path("pratiche/<int:pk>/compila/", applications.application_fill, name="application_fill"),
    path("pratiche/<int:pk>/riepilogo/", applications.application_summary, name="application_summary"),
    path("pratiche/<int:pk>/inviata/", applications.application_submitted, name="application_submitted"),
    path("pratiche/<int:pk>/ricevuta.pdf", applications.application_receipt, name="application_receipt"),
    path("pratiche/<int:pk>/ritira", applications.application_withdraw, name="application_withdraw"),
    path("pratiche/<int:pk>/messaggi", applications.application_message, name="application_message"),
    path(
        "pratiche/<int:pk>/documenti/<int:attachment_pk>",
        applications.application_document,
        name="application_document",
    ),
    path("pratiche/<int:pk>/pagamento/", payments.payment_choose, name="payment_choose"),
    path("pratiche/<int:pk>/pagamento/online", payments.payment_online, name="payment_online"),
    path("pratiche/<int:pk>/pagamento/esito/", payments.payment_return, name="payment_return"),
    path("pratiche/<int:pk>/pagamento/riprova", payments.payment_retry, name="payment_retry"),
    path(
        "pratiche/<int:pk>/pagamenti/<int:payment_pk>/avviso.pdf",
        payments.payment_notice,
        name="payment_notice",
    ),
    path(
        "pratiche/<int:pk>/pagamenti/<int:payment_pk>/ricevuta.pdf",
        payments.payment_receipt,
        name="payment_receipt",
    ),
    path("area-personale/pagamenti/", payments.payment_list, name="payment_list"),
    path("privacy/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("note-legali/", views.legal_page, {"page": "legal_notes"}, name="legal_notes"),
    path("accessibilita/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
    path("stemma", views.logo, name="logo"),
    path("argomenti/", content.topic_list, name="topic_list"),
    path("argomenti/<slug:topic_slug>/", content.topic_detail, name="topic_detail"),
    path("domande-frequenti/", content.faq, name="faq"),
    path("valutazione", content.rating_submit, name="rating_submit"),
    path("area-personale/", personal_area.personal_area, name="personal_area"),
    path("area-personale/privacy/", personal_area.personal_area_consent, name="personal_area_consent"),
]
