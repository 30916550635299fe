"""The citizen's side of applications: fill the form page by page, check, submit, follow, answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.applications import services as applications
from sportello.applications.models import Application, Attachment
from sportello.applications.receipts import render_receipt_pdf
from sportello.applications.states import Actor, State, available
from sportello.core.downloads import file_download
from sportello.core.urlutils import tenant_reverse
from sportello.formschema import build_form_class, display_values, initial_values, serialize
from sportello.identity import levels
from sportello.identity.session import login_url
from sportello.payments.selectors import application_payments, paid_at_submission
from sportello.payments.services import payment_request_at_submission

from .forms import CitizenMessageForm

SESSION_KEY = "anonymous_applications"


def remember_anonymous(request, application: Application) -> None:
    """Anonymous drafts belong to the browser session that started them."""
    owned = set(request.session.get(SESSION_KEY, []))
    owned.add(application.pk)
    request.session[SESSION_KEY] = sorted(owned)[-50:]


def _citizen(request):
    return request.user if request.user.is_authenticated else None


def get_citizen_application(request, pk: int) -> Application:
    """The application if it is this citizen's (or this session's, when anonymous); 404 otherwise."""
    application = (
        Application.objects.for_municipality(request.municipality)
        .select_related("service", "form_version", "applicant", "municipality")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application")
    if application.applicant_id is None:
        if pk not in request.session.get(SESSION_KEY, []):
            raise Http404("Not this session's application")
    elif application.applicant_id != getattr(_citizen(request), "pk", None):
        raise Http404("Not this citizen's application")
    return application


def _identity(user) -> dict:
    if user is None:
        return {}
    return {
        "name": user.first_name,
        "family_name": user.last_name,
        "fiscal_code": user.fiscal_code or "",
        "email": user.email,
        "phone": user.phone,
    }


def _url(request, name: str, application: Application, **query) -> str:
    url = tenant_reverse(name, request.municipality, pk=application.pk)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@never_cache
def application_fill(request, pk: int):
    application = get_citizen_application(request, pk)
    if application.state != State.DRAFT:
        return redirect(_url(request, "portal:application_detail", application))
    definition = application.form_version.definition
    pages = len(definition["pages"])
    try:
        page = int(request.GET.get("pagina", 0))
    except ValueError:
        page = 0
    page = max(0, min(page, pages - 1, len(application.pages_done)))  # no skipping unfilled pages
    form_class = build_form_class(definition, language=request.LANGUAGE_CODE, page=page)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                applications.application_save_page(
                    application=application,
                    user=_citizen(request),
                    page=page,
                    cleaned_data=form.cleaned_data,
                    serialized=serialize(definition, form.cleaned_data),
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                if page + 1 < pages:
                    return redirect(_url(request, "portal:application_fill", application, pagina=page + 1))
                return redirect(_url(request, "portal:application_summary", application))
    else:
        initial = initial_values(definition, _identity(application.applicant)) | application.data
        form = form_class(initial=initial)
    files = {a.field_key: a for a in application.attachments.filter(kind=Attachment.Kind.FORM)}
    context = {
        "application": application,
        "service": application.service,
        "form": form,
        "page": page,
        "pages": pages,
        "page_title": form.page_title,
        "files": files,
    }
    return render(request, "portal/applications/fill.html", context)


@never_cache
def application_summary(request, pk: int):
    application = get_citizen_application(request, pk)
    if application.state != State.DRAFT:
        return redirect(_url(request, "portal:application_detail", application))
    needs_payment = paid_at_submission(application.service)
    if request.method == "POST" and needs_payment:
        try:
            payment_request_at_submission(application=application, user=_citizen(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (applications.TransitionNotAllowed, PermissionDenied):
            raise Http404("Cannot confirm") from None
        else:
            return redirect(_url(request, "portal:payment_choose", application))
    elif request.method == "POST":
        try:
            applications.application_submit(application=application, user=_citizen(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (applications.TransitionNotAllowed, PermissionDenied):
            raise Http404("Cannot submit") from None
        else:
            return redirect(_url(request, "portal:application_submitted", application))
    summary = display_values(application.form_version.definition, application.data, request.LANGUAGE_CODE)
    pages = len(application.form_version.definition["pages"])
    complete = set(application.pages_done) == set(range(pages))
    return render(
        request,
        "portal/applications/summary.html",
        {
            "application": application,
            "service": application.service,
            "summary": summary,
            "complete": complete,
            "needs_payment": needs_payment,
        },
    )


def application_submitted(request, pk: int):
    application = get_citizen_application(request, pk)
    if application.state == State.DRAFT:
        return redirect(_url(request, "portal:application_summary", application))
    return render(
        request,
        "portal/applications/submitted.html",
        {"application": application, "service": application.service},
    )


def application_receipt(request, pk: int):
    """The PDF receipt: the one kept at submission, or the same document rendered again from the stored data."""
    application = get_citizen_application(request, pk)
    if application.submitted_at is None:
        raise Http404("Not submitted")
    stored = application.attachments.filter(kind=Attachment.Kind.RECEIPT).first()
    pdf = stored.file.read() if stored else render_receipt_pdf(application, language=request.LANGUAGE_CODE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ricevuta-{application.number.replace("/", "-")}.pdf"'
    )
    return response


def application_list(request):
    user = _citizen(request)
    if user is None:
        return redirect(login_url(request, next_url=request.path, level=levels.SPID1))
    queryset = (
        Application.objects.for_municipality(request.municipality)
        .for_citizen(user)
        .select_related("service")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "portal/applications/list.html", {"page": page})


def application_detail(request, pk: int):
    application = get_citizen_application(request, pk)
    if application.state == State.DRAFT:
        return redirect(_url(request, "portal:application_fill", application))
    actions = available(application.state, Actor.CITIZEN)
    context = {
        "application": application,
        "service": application.service,
        "summary": display_values(
            application.form_version.definition, application.data, request.LANGUAGE_CODE
        ),
        "events": application.events.all(),
        "thread": application.messages.filter(internal=False).prefetch_related("attachments"),
        "documents": application.attachments.filter(
            kind__in=[Attachment.Kind.FORM, Attachment.Kind.OUTCOME, Attachment.Kind.RECEIPT]
        ),
        "can_withdraw": "withdraw" in actions and application.service.allow_withdrawal,
        "can_answer": "answer_integration" in actions,
        "can_write": application.applicant_id is not None and application.state != State.DRAFT,
        "payments": application_payments(application),
        "message_form": CitizenMessageForm(),
    }
    return render(request, "portal/applications/detail.html", context)


@require_POST
def application_withdraw(request, pk: int):
    application = get_citizen_application(request, pk)
    try:
        applications.application_withdraw(application=application, user=_citizen(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hai ritirato la domanda."))
    return redirect(_url(request, "portal:application_detail", application))


@require_POST
def application_message(request, pk: int):
    """A message to the office; while integrations are requested it is the answer that sends them."""
    application = get_citizen_application(request, pk)
    form = CitizenMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_url(request, "portal:application_detail", application) + "#messaggi")
    body, files = form.cleaned_data["body"], form.cleaned_data["files"]
    try:
        if application.state == State.INTEGRATION_REQUESTED:
            applications.application_answer_integration(
                application=application, user=_citizen(request), body=body, files=files
            )
            messages.success(request, _("Integrazioni inviate all'ufficio."))
        else:
            applications.application_message_post(
                application=application, user=_citizen(request), body=body, files=files
            )
            messages.success(request, _("Messaggio inviato all'ufficio."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404("Cannot write here") from None
    return redirect(_url(request, "portal:application_detail", application) + "#messaggi")


def application_document(request, pk: int, attachment_pk: int):
    application = get_citizen_application(request, pk)
    attachment = application.attachments.exclude(message__internal=True).filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No such document")
    return file_download(attachment.file, attachment.name)
