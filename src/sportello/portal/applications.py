"""The citizen's side of applications: fill the form page by page, check, submit, follow, answer."""

import functools

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
from sportello.core.clientip import client_fingerprint
from sportello.core.downloads import file_download
from sportello.core.middleware import ANONYMOUS_APPLICATIONS_SESSION_KEY
from sportello.core.urlutils import tenant_reverse
from sportello.formschema import build_form_class, display_values, initial_values, serialize
from sportello.identity import levels
from sportello.identity.session import citizen_level, login_url
from sportello.payments.selectors import application_payments, paid_at_submission
from sportello.payments.services import payment_request_at_submission

from .forms import CitizenMessageForm

SESSION_KEY = ANONYMOUS_APPLICATIONS_SESSION_KEY


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


def citizen_application(view):
    """Citizen views of one application: it must be this citizen's, and the session must have the SPID level
    its service needs (a lower one is sent to authenticate again, as when starting the service)."""

    @functools.wraps(view)
    def wrapper(request, pk: int, **kwargs):
        application = get_citizen_application(request, pk)
        needed = application.service.access_level
        if not levels.level_satisfies(citizen_level(request), needed):
            # After a POST the citizen comes back to the application's page, not to a form to resubmit.
            next_url = (
                request.get_full_path()
                if request.method in ("GET", "HEAD")
                else _url(request, "portal:application_detail", application)
            )
            return redirect(login_url(request, next_url=next_url, level=needed))
        return view(request, application, **kwargs)

    return wrapper


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


def form_page(request, application: Application):
    """One page (``?pagina=``) of the application's form: built, bound and saved on a valid POST.

    Returns (form, page, pages, saved). Used by the application steps and by the booking's Dettagli step.
    """
    definition = application.form_version.definition
    pages = len(definition["pages"])
    try:
        page = int(request.GET.get("pagina", 0))
    except ValueError:
        page = 0
    page = max(0, min(page, pages - 1, len(application.pages_done)))  # no skipping unfilled pages
    form_class = build_form_class(definition, language=request.LANGUAGE_CODE, page=page)
    if request.method != "POST":
        initial = initial_values(definition, _identity(application.applicant)) | application.data
        return form_class(initial=initial), page, pages, False
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, page, pages, False
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
        return form, page, pages, False
    return form, page, pages, True


@never_cache
@citizen_application
def application_fill(request, application: Application):
    if application.state != State.DRAFT:
        return redirect(_url(request, "portal:application_detail", application))
    form, page, pages, saved = form_page(request, application)
    if saved:
        return _after_page(request, application, page, pages)
    files = {a.field_key: a for a in application.attachments.filter(kind=Attachment.Kind.FORM)}
    return _render_page(request, application.service, form, page, pages, files=files)


def _after_page(request, application: Application, page: int, pages: int):
    if page + 1 < pages:
        return redirect(_url(request, "portal:application_fill", application, pagina=page + 1))
    return redirect(_url(request, "portal:application_summary", application))


def _render_page(request, service, form, page: int, pages: int, *, files=None, status: int = 200):
    context = {
        "service": service,
        "form": form,
        "page": page,
        "pages": pages,
        "page_title": form.page_title,
        "page_title_lang": form.page_title_lang,
        "files": files or {},
    }
    return render(request, "portal/applications/fill.html", context, status=status)


def application_first_page(request, service):
    """The first page of a new application, at the service's start URL: the draft is created only when this page
    is sent valid, so crawlers and link prefetchers (GET) create nothing."""
    definition = service.form_version.definition
    pages = len(definition["pages"])
    form_class = build_form_class(definition, language=request.LANGUAGE_CODE, page=0)
    citizen = _citizen(request)
    if request.method != "POST":
        form = form_class(initial=initial_values(definition, _identity(citizen)))
        return _render_page(request, service, form, 0, pages)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            application = applications.application_start(
                service=service,
                applicant=citizen,
                origin=client_fingerprint(request) if citizen is None else "",
                cleaned_data=form.cleaned_data,
                serialized=serialize(definition, form.cleaned_data),
            )
        except applications.RateLimited as error:
            messages.error(request, " ".join(error.messages))
            return _render_page(request, service, form, 0, pages, status=429)
        if citizen is None:
            remember_anonymous(request, application)
        return _after_page(request, application, 0, pages)
    return _render_page(request, service, form, 0, pages)


@never_cache
@citizen_application
def application_summary(request, application: Application):
    if application.state != State.DRAFT:
        return redirect(_url(request, "portal:application_detail", application))
    status = 200
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
        except applications.RateLimited as error:
            messages.error(request, " ".join(error.messages))
            status = 429
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
        status=status,
    )


@citizen_application
def application_submitted(request, application: Application):
    if application.state == State.DRAFT:
        return redirect(_url(request, "portal:application_summary", application))
    return render(
        request,
        "portal/applications/submitted.html",
        {"application": application, "service": application.service},
    )


@citizen_application
def application_receipt(request, application: Application):
    """The PDF receipt: the one kept at submission, or the same document rendered again from the stored data."""
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


@citizen_application
def application_detail(request, application: Application):
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
        # every document of the file the citizen may see: the form's, the messages' (integrations included),
        # the outcome and the receipt; never an internal note's
        "documents": application.attachments.exclude(message__internal=True),
        "can_withdraw": "withdraw" in actions and application.service.allow_withdrawal,
        "can_answer": "answer_integration" in actions,
        "can_write": application.applicant_id is not None and application.state != State.DRAFT,
        "payments": application_payments(application),
        "message_form": CitizenMessageForm(),
    }
    return render(request, "portal/applications/detail.html", context)


@require_POST
@citizen_application
def application_withdraw(request, application: Application):
    try:
        applications.application_withdraw(application=application, user=_citizen(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hai ritirato la domanda."))
    return redirect(_url(request, "portal:application_detail", application))


@require_POST
@citizen_application
def application_message(request, application: Application):
    """A message to the office; while integrations are requested it is the answer that sends them."""
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


@citizen_application
def application_document(request, application: Application, attachment_pk: int):
    attachment = application.attachments.exclude(message__internal=True).filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No such document")
    return file_download(attachment.file, attachment.name)
