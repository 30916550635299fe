"""Servizi: the administrators' catalogue ("Dati generali" -> "Scheda" -> "Dati del form")."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sportello.catalog import services as catalog
from sportello.catalog.constants import Category, Kind, Status
from sportello.catalog.selectors import service_admin_list, service_get_for_staff
from sportello.core.urlutils import absolute_url, tenant_reverse
from sportello.formschema import build_form_class, empty_definition, import_formio

from ..decorators import admin_required
from ..form_editor import (
    FieldEditForm,
    definition_with_field,
    definition_with_field_moved,
    definition_without_field,
    find_field,
    page_titles,
)
from ..service_forms import DeadlineFormSet, ServiceCardForm, ServiceGeneralForm, ServiceTranslationsForm
from .staff import add_form_errors

STEPS = [
    ("general", _("Dati generali"), "backoffice:service_general"),
    ("card", _("Scheda"), "backoffice:service_card"),
    ("form", _("Dati del form"), "backoffice:service_form"),
    ("notifications", _("Notifiche"), "backoffice:service_notifications"),
    ("calendars", _("Calendari"), "backoffice:service_calendars"),
    ("payment", _("Pagamento"), "backoffice:service_payment"),
]


def _steps_for(service) -> list:
    """The editor's steps; "Calendari" only for appointment services."""
    return [
        step for step in STEPS if step[0] != "calendars" or (service and service.kind == Kind.APPOINTMENT)
    ]


def _service(request, pk: int):
    service = service_get_for_staff(municipality=request.municipality, pk=pk)
    if service is None:
        raise Http404("No such service in this municipality")
    return service


def _step_context(request, service, current: str) -> dict:
    steps = []
    service_steps = _steps_for(service)
    for index, (key, label, view) in enumerate(service_steps):
        url = tenant_reverse(view, request.municipality, pk=service.pk) if service else None
        steps.append({"key": key, "label": label, "url": url, "number": index + 1, "current": key == current})
    keys = [key for key, _label, _view in service_steps]
    position = keys.index(current)
    previous_url = steps[position - 1]["url"] if position > 0 else None
    public_url = (
        tenant_reverse("portal:service_detail", request.municipality, lang="it", service_slug=service.slug)
        if service
        else None
    )
    return {
        "service": service,
        "steps": steps,
        "step": current,
        "previous_url": previous_url,
        "public_url": public_url,
        "last_step": position == len(service_steps) - 1,
    }


def _next_step(request, service, current: str):
    service_steps = _steps_for(service)
    keys = [key for key, _label, _view in service_steps]
    position = keys.index(current)
    if position + 1 < len(service_steps):
        return redirect(tenant_reverse(service_steps[position + 1][2], request.municipality, pk=service.pk))
    return redirect(tenant_reverse("backoffice:service_list", request.municipality))


@admin_required
def service_list(request):
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("stato", "")
    category = request.GET.get("categoria", "")
    status = status if status in Status.values else ""
    category = category if category in Category.values else ""
    services = service_admin_list(
        municipality=request.municipality, query=query, status=status, category=category
    )
    rows = [
        {
            "service": service,
            "public_url": absolute_url(
                tenant_reverse(
                    "portal:service_detail", request.municipality, lang="it", service_slug=service.slug
                )
            ),
        }
        for service in services
    ]
    return render(
        request,
        "backoffice/services/list.html",
        {
            "rows": rows,
            "query": query,
            "status": status,
            "category": category,
            "statuses": Status.choices,
            "categories": Category.choices,
        },
    )


def _general_view(request, service):
    form = ServiceGeneralForm(request.POST or None, instance=service, municipality=request.municipality)
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        operators = data.pop("operators")
        confirm = data.pop("confirm_name_change", False)
        try:
            if service is None:
                service = catalog.service_create(
                    municipality=request.municipality, actor=request.user, operators=operators, **data
                )
            else:
                service = catalog.service_update_general(
                    service=service,
                    actor=request.user,
                    operators=operators,
                    confirm_name_change=confirm,
                    **data,
                )
        except catalog.NameChangeNeedsConfirmation as error:
            needs_confirmation = True
            form.add_error(
                "confirm_name_change" if "confirm_name_change" in form.fields else None, error.messages
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Dati generali salvati."))
            return _next_step(request, service, "general")
    context = _step_context(request, service, "general") | {
        "form": form,
        "needs_confirmation": needs_confirmation,
    }
    return render(request, "backoffice/services/general.html", context)


@admin_required
def service_create(request):
    return _general_view(request, None)


@admin_required
def service_general(request, pk: int):
    return _general_view(request, _service(request, pk))


@admin_required
def service_card(request, pk: int):
    service = _service(request, pk)
    form = ServiceCardForm(request.POST or None, request.FILES or None, instance=service)
    initial = [{"date": d.date, "label": d.label} for d in service.deadlines.all()]
    deadlines = DeadlineFormSet(request.POST or None, initial=initial, prefix="scadenze")
    if request.method == "POST" and form.is_valid() and deadlines.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name != "conditions_file"}
        if "conditions_file" in form.changed_data:
            data["conditions_file"] = form.cleaned_data["conditions_file"]
        items = [(d["date"], d["label"]) for d in deadlines.cleaned_data if d.get("date")]
        try:
            catalog.service_update_card(service=service, deadlines=items, actor=request.user, **data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Scheda salvata."))
            return _next_step(request, service, "card")
    context = _step_context(request, service, "card") | {"form": form, "deadlines": deadlines}
    return render(request, "backoffice/services/card.html", context)


@admin_required
def service_translations(request, pk: int):
    """The card's texts in English and German (the municipality's enabled languages), Italian as the fallback."""
    service = _service(request, pk)
    form = ServiceTranslationsForm(
        request.POST or None, service=service, languages=request.municipality.languages
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalog.service_update_translations(
                service=service, translations=form.translations(), actor=request.user
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Traduzioni salvate."))
            return redirect(
                tenant_reverse("backoffice:service_translations", request.municipality, pk=service.pk)
            )
    context = _step_context(request, service, "card") | {
        "form": form,
        "public_urls": [
            (
                lang,
                tenant_reverse(
                    "portal:service_detail", request.municipality, lang=lang, service_slug=service.slug
                ),
            )
            for lang in form.languages
        ],
    }
    return render(request, "backoffice/services/translations.html", context)


def _definition(service) -> dict:
    return service.form_version.definition if service.form_version else empty_definition()


def _save_definition(request, service, definition: dict, note: str) -> bool:
    try:
        version = catalog.service_form_save(
            service=service, definition=definition, actor=request.user, note=note
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, _("Modulo salvato (versione %(number)s).") % {"number": version.number})
    return True


@admin_required
def service_form(request, pk: int):
    service = _service(request, pk)
    definition = _definition(service)
    if request.method == "POST":  # "Avanti": the form is saved field by field, nothing left to save
        return _next_step(request, service, "form")
    pages = [
        {"index": i, "title": title, "fields": definition["pages"][i]["fields"]}
        for i, title in enumerate(page_titles(definition))
    ]
    context = _step_context(request, service, "form") | {
        "definition": definition,
        "pages": pages,
        "versions": service.form_versions.all()[:10],
        "type_labels": dict(FieldEditForm.base_fields["type"].choices),
    }
    return render(request, "backoffice/services/form.html", context)


@admin_required
def service_field_edit(request, pk: int, key: str | None = None):
    service = _service(request, pk)
    definition = _definition(service)
    titles = page_titles(definition)
    position = find_field(definition, key) if key else None
    if key and position is None:
        raise Http404("No such field")
    initial = (
        FieldEditForm.initial_for(definition["pages"][position[0]]["fields"][position[1]], position[0])
        if key
        else {
            "type": request.GET.get("tipo", "text"),
            "page": int(request.GET.get("pagina", 0) or 0)
            if (request.GET.get("pagina", "0") or "0").isdigit()
            else 0,
        }
    )
    form = FieldEditForm(request.POST or None, initial=initial, pages=titles)
    if request.method == "POST" and form.is_valid():
        field = form.to_field()
        clash = find_field(definition, field["key"])
        if clash is not None and field["key"] != key:
            form.add_error("key", _("Un altro campo usa già questo nome tecnico."))
        else:
            updated = definition_with_field(
                definition, field=field, page=form.cleaned_data["page"], replace_key=key
            )
            note = _("Campo «%(key)s» modificato") if key else _("Campo «%(key)s» aggiunto")
            if _save_definition(request, service, updated, note % {"key": field["key"]}):
                return redirect(
                    tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk)
                )
    context = _step_context(request, service, "form") | {"form": form, "field_key": key}
    return render(request, "backoffice/services/field_edit.html", context)


@require_POST
@admin_required
def service_field_action(request, pk: int, key: str):
    service = _service(request, pk)
    definition = _definition(service)
    if find_field(definition, key) is None:
        raise Http404("No such field")
    action = request.POST.get("azione")
    if action == "elimina":
        updated, note = definition_without_field(definition, key), _("Campo «%(key)s» eliminato")
    elif action in ("su", "giu"):
        updated = definition_with_field_moved(definition, key, -1 if action == "su" else 1)
        note = _("Campo «%(key)s» spostato")
    else:
        raise Http404("Unknown action")
    if updated != definition:
        _save_definition(request, service, updated, note % {"key": key})
    return redirect(tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk))


@require_POST
@admin_required
def service_page_action(request, pk: int):
    """Add a page, rename one, or remove an empty one."""
    service = _service(request, pk)
    definition = json.loads(json.dumps(_definition(service)))
    action = request.POST.get("azione")
    title = " ".join(request.POST.get("titolo", "").split())[:200]
    try:
        index = int(request.POST.get("pagina", "-1"))
    except ValueError:
        index = -1
    if action == "aggiungi":
        definition["pages"].append({"title": {"it": title}, "fields": []} if title else {"fields": []})
        note = _("Pagina aggiunta")
    elif action == "rinomina" and 0 <= index < len(definition["pages"]):
        if title:
            definition["pages"][index]["title"] = {**definition["pages"][index].get("title", {}), "it": title}
        else:
            definition["pages"][index].pop("title", None)
        note = _("Pagina rinominata")
    elif action == "elimina" and 0 <= index < len(definition["pages"]) and len(definition["pages"]) > 1:
        if definition["pages"][index]["fields"]:
            messages.error(
                request, _("Puoi eliminare solo una pagina vuota: sposta o elimina prima i suoi campi.")
            )
            return redirect(tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk))
        del definition["pages"][index]
        note = _("Pagina eliminata")
    else:
        messages.error(request, _("Operazione non valida."))
        return redirect(tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk))
    _save_definition(request, service, definition, note)
    return redirect(tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk))


IMPORT_MAX_BYTES = 2 * 1024 * 1024


@admin_required
def service_form_import(request, pk: int):
    """Import a form.io definition (as exported by Stanza del Cittadino), with a report of what was left out."""
    service = _service(request, pk)
    report = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("json", "")
        if upload is not None:
            if upload.size > IMPORT_MAX_BYTES:
                error = _("Il file non può superare 2 MB.")
            else:
                text = upload.read().decode("utf-8", errors="replace")
        if not error:
            try:
                data = json.loads(text)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                error = _("Il contenuto non è un JSON valido di form.io.")
        if not error:
            result = import_formio(data)
            report = result.report
            if _save_definition(request, service, result.definition, _("Importato da form.io")):
                if not report:
                    return redirect(
                        tenant_reverse("backoffice:service_form", request.municipality, pk=service.pk)
                    )
            else:
                report = None
    context = _step_context(request, service, "form") | {"report": report, "error": error}
    return render(request, "backoffice/services/import.html", context)


@admin_required
def service_form_preview(request, pk: int):
    """The form as a citizen sees it, page by page, validated on the server like the real one."""
    service = _service(request, pk)
    definition = _definition(service)
    pages = len(definition["pages"])
    try:
        page = min(max(int(request.GET.get("pagina", 0)), 0), pages - 1)
    except ValueError:
        page = 0
    form_class = build_form_class(definition, language=request.LANGUAGE_CODE, page=page)
    form = form_class(request.POST or None, request.FILES or None)
    valid = request.method == "POST" and form.is_valid()
    context = _step_context(request, service, "form") | {
        "form": form,
        "page": page,
        "pages": pages,
        "page_title": page_titles(definition, request.LANGUAGE_CODE)[page],
        "valid": valid,
    }
    return render(request, "backoffice/services/preview.html", context)


@require_POST
@admin_required
def service_copy(request, pk: int):
    service = _service(request, pk)
    copy = catalog.service_copy(service=service, actor=request.user)
    messages.success(request, _("Creata la bozza «%(name)s».") % {"name": copy.name})
    return redirect(tenant_reverse("backoffice:service_general", request.municipality, pk=copy.pk))
