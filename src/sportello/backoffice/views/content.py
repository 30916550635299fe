"""The municipality's FAQ (administrators) and the citizens' ratings (all staff)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sportello.catalog.selectors import rating_summary
from sportello.core.urlutils import tenant_reverse
from sportello.municipalities.models import FaqEntry
from sportello.municipalities.services import faq_entry_delete, faq_entry_save

from ..decorators import admin_required, operator_required
from .staff import add_form_errors


class FaqEntryForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "position"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"position": gettext_lazy("Le domande sono mostrate dalla posizione più bassa.")}


def _entry(request, pk: int) -> FaqEntry:
    entry = FaqEntry.objects.for_municipality(request.municipality).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such FAQ entry in this municipality")
    return entry


def _save(request, form, entry=None):
    try:
        faq_entry_save(municipality=request.municipality, entry=entry, **form.cleaned_data)
    except ValidationError as error:
        add_form_errors(form, error)
        return None
    messages.success(request, _("Domanda frequente salvata."))
    return redirect(tenant_reverse("backoffice:faq_list", request.municipality))


@admin_required
def faq_list(request):
    form = FaqEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (response := _save(request, form)):
        return response
    entries = FaqEntry.objects.for_municipality(request.municipality)
    return render(request, "backoffice/faq_list.html", {"entries": entries, "form": form})


@admin_required
def faq_edit(request, pk: int):
    entry = _entry(request, pk)
    form = FaqEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid() and (response := _save(request, form, entry)):
        return response
    return render(request, "backoffice/faq_edit.html", {"entry": entry, "form": form})


@admin_required
@require_POST
def faq_delete(request, pk: int):
    faq_entry_delete(municipality=request.municipality, entry=_entry(request, pk))
    messages.success(request, _("Domanda frequente eliminata."))
    return redirect(tenant_reverse("backoffice:faq_list", request.municipality))


@operator_required
def rating_list(request):
    return render(
        request, "backoffice/ratings.html", {"rows": rating_summary(municipality=request.municipality)}
    )
