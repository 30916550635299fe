from sportello.applications.models import Application
from sportello.applications.services import application_save_page, application_start, application_submit
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory


def submitted_application(*, municipality, applicant, service=None, data=None) -> Application:
    """A submitted (and so protocolled) application, through the real services."""
    if service is None:
        service = ServiceFactory(municipality=municipality)
    if service.form_version is None:
        service_form_save(service=service, definition=SIMPLE_DEFINITION)
    application = application_start(service=service, applicant=applicant)
    values = data or {"nome": "Mario", "note": "Nessuna"}
    application = application_save_page(
        application=application, user=applicant, page=0, cleaned_data=values, serialized=dict(values)
    )
    return application_submit(application=application, user=applicant)
