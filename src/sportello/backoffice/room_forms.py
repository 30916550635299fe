from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.catalog.constants import Kind
from sportello.catalog.models import Service
from sportello.formschema.build import FileValidator
from sportello.rooms.models import Room

WEEKDAYS = [
    (0, _("Lunedì")),
    (1, _("Martedì")),
    (2, _("Mercoledì")),
    (3, _("Giovedì")),
    (4, _("Venerdì")),
    (5, _("Sabato")),
    (6, _("Domenica")),
]


class _Linked:
    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class LinkedFileInput(forms.ClearableFileInput):
    """The current file linked to ``url`` (a view that checks who asks), never to its storage path under /media/,
    which is not served."""

    url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _Linked(str(value), self.url)
        return context


class RoomForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Giorni prenotabili"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Room
        fields = [
            "name",
            "slug",
            "place",
            "address",
            "capacity",
            "description",
            "equipment",
            "accessibility",
            "regulation",
            "published",
            "service",
            "coordinators",
            "weekdays",
            "opens_at",
            "closes_at",
            "holidays_closed",
            "unit",
            "min_units",
            "max_units",
            "min_notice_days",
            "max_notice_days",
            "moderated",
            "hold_minutes",
            "payment_grace_hours",
            "reminder_hours",
            "full_refund_days",
            "late_refund_percent",
            "weekend_surcharge_percent",
            "minimum_charge_cents",
            "deposit_cents",
            "fee_capitolo",
            "fee_taxonomy_code",
            "deposit_capitolo",
            "deposit_taxonomy_code",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "equipment": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
            "coordinators": forms.CheckboxSelectMultiple,
            "regulation": LinkedFileInput,
        }
        help_texts = {
            "closes_at": _(
                "Un orario di chiusura precedente a quello di apertura vale per la notte dopo (es. 19:00-01:00)."
            ),
        }

    def __init__(self, *args, operators, regulation_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation"].widget.url = regulation_url
        self.fields["coordinators"].queryset = operators
        self.fields["coordinators"].required = False
        self.fields["service"].queryset = Service.objects.for_municipality(self.instance.municipality).filter(
            kind=Kind.ROOM
        )

    def clean_regulation(self):
        upload = self.cleaned_data.get("regulation")
        if upload and hasattr(upload, "content_type"):
            FileValidator(["pdf"], max_size_mb=10)(upload)
        return upload


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("Dal"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Al"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motivo"), max_length=140, required=False)


class SeasonForm(forms.Form):
    name = forms.CharField(label=_("Nome della stagione"), max_length=60)
    start_day = forms.IntegerField(label=_("Dal giorno"), min_value=1, max_value=31)
    start_month = forms.IntegerField(label=_("del mese"), min_value=1, max_value=12)
    end_day = forms.IntegerField(label=_("Al giorno"), min_value=1, max_value=31)
    end_month = forms.IntegerField(label=_("del mese"), min_value=1, max_value=12)


class ReservedForm(forms.Form):
    day = forms.DateField(label=_("Giorno"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Dalle"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Alle"), widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(label=_("Motivo (es. Consiglio comunale)"), max_length=140)
