from django.urls import path

from .views import (
    applications,
    auth,
    calendars,
    content,
    dashboard,
    help_pages,
    integrations,
    io_messages,
    municipality,
    payments,
    protocol,
    room_office,
    rooms,
    service_io,
    services,
    staff,
    subscriptions,
)

app_name = "backoffice"

urlpatterns = [
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change, name="password_change"),
    path("", dashboard.dashboard, name="dashboard"),
    path("sale/", rooms.room_list, name="room_list"),
    path("sale/nuova/", rooms.room_edit, name="room_create"),
    path("sale/richieste/", rooms.room_requests, name="room_requests"),
    path("sale/export.csv", rooms.room_export, name="room_export"),
    path("sale/statistiche/", rooms.room_stats, name="room_stats"),
    path("sale/prenotazioni/<int:pk>/", rooms.room_booking, name="room_booking"),
    path("sale/prenotazioni/<int:pk>/azione", rooms.room_booking_action, name="room_booking_action"),
    path("sale/<int:pk>/", rooms.room_edit, name="room_edit"),
    path("sale/<int:pk>/tariffe/", rooms.room_tariffs, name="room_tariffs"),
    path("sale/<int:pk>/calendario/", rooms.room_calendar, name="room_calendar"),
    path("sale/<int:pk>/prenota/", room_office.room_book, name="room_book"),
    path("sale/<int:pk>/regolamento.pdf", room_office.room_regulation, name="room_regulation"),
    path("sale/<int:pk>/foto/", room_office.room_photos, name="room_photos"),
    path(
        "sale/<int:pk>/foto/<int:photo_pk>/<str:variant>",
        room_office.room_photo_file,
        name="room_photo_file",
    ),
    path("personale/", staff.staff_list, name="staff_list"),
    path("personale/nuovo/", staff.staff_invite, name="staff_invite"),
    path("personale/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("personale/<int:pk>/disattiva", staff.staff_deactivate, name="staff_deactivate"),
    path("personale/<int:pk>/riattiva", staff.staff_reactivate, name="staff_reactivate"),
    path("personale/<int:pk>/reimposta-password", staff.staff_password_reset, name="staff_password_reset"),
    path("ente/", municipality.municipality_settings, name="municipality_settings"),
    path("ente/protocollo/", protocol.protocol_settings, name="protocol_settings"),
    path("faq/", content.faq_list, name="faq_list"),
    path("faq/<int:pk>/", content.faq_edit, name="faq_edit"),
    path("faq/<int:pk>/elimina", content.faq_delete, name="faq_delete"),
    path("servizi/", services.service_list, name="service_list"),
    path("servizi/nuovo/", services.service_create, name="service_create"),
    path("servizi/<int:pk>/", services.service_general, name="service_general"),
    path("servizi/<int:pk>/scheda/", services.service_card, name="service_card"),
    path("aiuto/manuale/", help_pages.manual_index, name="manual"),
    path("aiuto/manuale/manuale-operativo.pdf", help_pages.manual_pdf, name="manual_pdf"),
    path("aiuto/manuale/<slug:key>/", help_pages.manual_chapter, name="manual_chapter"),
    path("aiuto/supporto/", help_pages.support, name="support"),
    path("servizi/<int:pk>/traduzioni/", services.service_translations, name="service_translations"),
    path("servizi/<int:pk>/modulo/", services.service_form, name="service_form"),
    path("servizi/<int:pk>/modulo/campo/", services.service_field_edit, name="service_field_add"),
    path("servizi/<int:pk>/modulo/campo/<slug:key>/", services.service_field_edit, name="service_field_edit"),
    path(
        "servizi/<int:pk>/modulo/campo/<slug:key>/azione",
        services.service_field_action,
        name="service_field_action",
    ),
    path("servizi/<int:pk>/modulo/pagine", services.service_page_action, name="service_page_action"),
    path("servizi/<int:pk>/modulo/importa/", services.service_form_import, name="service_form_import"),
    path("servizi/<int:pk>/modulo/anteprima/", services.service_form_preview, name="service_form_preview"),
    path("servizi/<int:pk>/copia", services.service_copy, name="service_copy"),
    path("servizi/<int:pk>/calendari/", calendars.service_calendars, name="service_calendars"),
    path("servizi/<int:pk>/notifiche/", service_io.service_notifications, name="service_notifications"),
    path("servizi/<int:pk>/notifiche/sincronizza", service_io.service_io_sync, name="service_io_sync"),
    path("servizi/<int:pk>/protocollo/", protocol.service_protocol, name="service_protocol"),
]

urlpatterns += [
    path("pratiche/", applications.application_list, name="application_list"),
    path("pratiche/esporta/", applications.application_export, name="application_export"),
    path("pratiche/<int:pk>/", applications.application_detail, name="application_detail"),
    path("pratiche/<int:pk>/azione", applications.application_action, name="application_action"),
    path(
        "pratiche/<int:pk>/protocollo",
        applications.application_protocol_retry,
        name="application_protocol_retry",
    ),
    path("pratiche/<int:pk>/messaggio", applications.application_message, name="application_message"),
    path(
        "pratiche/<int:pk>/allegati/<int:attachment_pk>",
        applications.application_attachment,
        name="application_attachment",
    ),
    path("statistiche/", applications.statistics, name="statistics"),
    path("app-io/da-verificare/", io_messages.io_uncertain_list, name="io_uncertain_list"),
    path("app-io/<int:pk>/risolvi", io_messages.io_message_resolve, name="io_message_resolve"),
    path("statistiche/valutazioni/", content.rating_list, name="rating_list"),
]

urlpatterns += [
    path("integrazioni/", integrations.integrations, name="integrations"),
    path("integrazioni/token/<int:pk>/revoca", integrations.api_token_revoke, name="api_token_revoke"),
    path(
        "integrazioni/webhook/<int:pk>/disattiva", integrations.webhook_deactivate, name="webhook_deactivate"
    ),
    path(
        "integrazioni/consegne/<uuid:pk>/reinvia",
        integrations.webhook_delivery_replay,
        name="webhook_delivery_replay",
    ),
]

urlpatterns += [
    path("calendari/", calendars.calendar_list, name="calendar_list"),
    path("calendari/nuovo/", calendars.calendar_create, name="calendar_create"),
    path("calendari/<int:pk>/", calendars.calendar_edit, name="calendar_edit"),
    path("calendari/<int:pk>/orari/", calendars.calendar_rules, name="calendar_rules"),
    path("calendari/<int:pk>/agenda/", calendars.calendar_agenda, name="calendar_agenda"),
    path("calendari/<int:pk>/agenda/azione", calendars.calendar_agenda_action, name="calendar_agenda_action"),
    path("calendari/<int:pk>/prenota/", calendars.calendar_book, name="calendar_book"),
    path(
        "calendari/<int:pk>/feed/rigenera",
        calendars.calendar_feed_regenerate,
        name="calendar_feed_regenerate",
    ),
]

urlpatterns += [
    path("pagamenti/", payments.payment_list, name="payment_list"),
    path("pagamenti/contabilita/", payments.accounting_export, name="accounting_export"),
    path("pagamenti/contabilita/<str:day>/", payments.accounting_file, name="accounting_file"),
    path(
        "pagamenti/esportazioni/<int:pk>/", payments.accounting_export_status, name="accounting_export_status"
    ),
    path(
        "pagamenti/esportazioni/<int:pk>/scarica",
        payments.accounting_export_download,
        name="accounting_export_download",
    ),
    path("pagamenti/flussi/", payments.flow_list, name="flow_list"),
    path("pagamenti/flussi/<int:pk>/", payments.flow_detail, name="flow_detail"),
    path("pagamenti/impostazioni/", payments.payment_settings, name="payment_settings"),
    path("pagamenti/tassonomia/", payments.taxonomy_lookup, name="taxonomy_lookup"),
    path("pratiche/<int:pk>/pagamento", payments.payment_action, name="payment_action"),
    path("servizi/<int:pk>/pagamento/", payments.service_payment, name="service_payment"),
    path("sottoscrizioni/", subscriptions.subscription_service_list, name="subscription_service_list"),
    path(
        "sottoscrizioni/nuovo/", subscriptions.subscription_service_create, name="subscription_service_create"
    ),
    path(
        "sottoscrizioni/<int:pk>/modifica/",
        subscriptions.subscription_service_edit,
        name="subscription_service_edit",
    ),
    path("sottoscrizioni/<int:pk>/piano/", subscriptions.subscription_plan, name="subscription_plan"),
    path(
        "sottoscrizioni/<int:pk>/",
        subscriptions.subscription_service_detail,
        name="subscription_service_detail",
    ),
    path(
        "sottoscrizioni/<int:pk>/esporta.csv",
        subscriptions.subscription_service_export,
        name="subscription_service_export",
    ),
    path(
        "sottoscrizioni/<int:pk>/importa/",
        subscriptions.subscription_service_import,
        name="subscription_service_import",
    ),
    path(
        "sottoscrizioni/<int:pk>/solleciti",
        subscriptions.subscription_service_remind,
        name="subscription_service_remind",
    ),
    path(
        "sottoscrizioni/iscrizioni/<int:pk>/", subscriptions.subscription_detail, name="subscription_detail"
    ),
    path(
        "sottoscrizioni/iscrizioni/<int:pk>/azione",
        subscriptions.subscription_action,
        name="subscription_action",
    ),
    path(
        "sottoscrizioni/iscrizioni/<int:pk>/attestazione.pdf",
        subscriptions.subscription_certificate,
        name="subscription_certificate",
    ),
]
