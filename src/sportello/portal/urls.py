from django.urls import path

from . import applications, booking, content, notification_settings, payments, personal_area, rooms, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("servizi/", views.service_list, name="service_list"),
    path("servizi/<slug:service_slug>/", views.service_detail, name="service_detail"),
    path("servizi/<slug:service_slug>/accedi/", views.service_start, name="service_start"),
    path("servizi/<slug:service_slug>/condizioni.pdf", views.service_conditions, name="service_conditions"),
    path("prenota-appuntamento/", views.booking, name="booking"),
    path("prenota-appuntamento/<slug:service_slug>/", booking.booking_place, name="booking_place"),
    path(
        "prenota-appuntamento/<slug:service_slug>/<int:calendar_id>/",
        booking.booking_time,
        name="booking_time",
    ),
    path("appuntamenti/", booking.appointment_list, name="appointment_list"),
    path("appuntamenti/gestisci/<str:token>/", booking.appointment_manage, name="appointment_manage"),
    path("appuntamenti/<uuid:uid>/", booking.appointment_detail, name="appointment_detail"),
    path("appuntamenti/<uuid:uid>/dettagli/", booking.booking_details, name="booking_details"),
    path("appuntamenti/<uuid:uid>/richiedente/", booking.booking_applicant, name="booking_applicant"),
    path("appuntamenti/<uuid:uid>/riepilogo/", booking.booking_summary, name="booking_summary"),
    path("appuntamenti/<uuid:uid>/annulla", booking.appointment_cancel, name="appointment_cancel"),
    path("appuntamenti/<uuid:uid>/lista-attesa", booking.appointment_waiting, name="appointment_waiting"),
    path("appuntamenti/posto-libero/<str:token>/", booking.waiting_offer, name="waiting_offer"),
    path(
        "appuntamenti/<uuid:uid>/appuntamento.ics", booking.appointment_calendar_file, name="appointment_ics"
    ),
    path("spazi/", rooms.room_list, name="room_list"),
    path("spazi/gestisci/<str:token>/", rooms.room_booking_manage, name="room_booking_manage"),
    path("spazi/prenotazioni/<uuid:uid>/", rooms.room_booking_detail, name="room_booking_detail"),
    path("spazi/prenotazioni/<uuid:uid>/dettagli/", rooms.room_booking_details, name="room_booking_details"),
    path("spazi/prenotazioni/<uuid:uid>/riepilogo/", rooms.room_booking_summary, name="room_booking_summary"),
    path(
        "spazi/prenotazioni/<uuid:uid>/paga/<int:payment_pk>", rooms.room_booking_pay, name="room_booking_pay"
    ),
    path("spazi/prenotazioni/<uuid:uid>/esito/", rooms.room_booking_return, name="room_booking_return"),
    path("spazi/prenotazioni/<uuid:uid>/annulla", rooms.room_booking_cancel, name="room_booking_cancel"),
    path("spazi/prenotazioni/<uuid:uid>/prenotazione.ics", rooms.room_booking_ics, name="room_booking_ics"),
    path("spazi/<slug:room_slug>/", rooms.room_detail, name="room_detail"),
    path("area-personale/spazi/", rooms.room_booking_list, name="room_booking_list"),
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
    path(
        "area-personale/notifiche/",
        notification_settings.notification_preferences,
        name="notification_preferences",
    ),
    path("area-personale/app-io-demo/", notification_settings.io_demo_inbox, name="io_demo_inbox"),
]
