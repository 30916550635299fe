from django import forms
from django.utils.translation import gettext_lazy as _

from sportello.accounts.models import User
from sportello.scheduling.models import Calendar

WEEKDAYS = [
    (0, _("Lunedì")),
    (1, _("Martedì")),
    (2, _("Mercoledì")),
    (3, _("Giovedì")),
    (4, _("Venerdì")),
    (5, _("Sabato")),
    (6, _("Domenica")),
]


class CalendarForm(forms.ModelForm):
    class Meta:
        model = Calendar
        fields = [
            "title",
            "owner",
            "office_name",
            "address",
            "contact_email",
            "what_to_bring",
            "moderated",
            "min_notice_hours",
            "horizon_days",
            "cancel_until_hours",
            "hold_minutes",
            "reminder_hours",
            "patron_month",
            "patron_day",
            "coordinators",
        ]
        widgets = {
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
            "coordinators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(
            memberships__municipality=municipality, memberships__is_active=True
        ).distinct()
        self.fields["owner"].queryset = staff
        self.fields["coordinators"].queryset = staff
        self.fields["coordinators"].required = False
        if not can_assign:  # coordinators manage hours and bookings, administrators decide who coordinates
            del self.fields["coordinators"]
            del self.fields["owner"]


class OpeningRuleForm(forms.Form):
    valid_from = forms.DateField(label=_("Valido dal"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valido fino al"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Giorni della settimana"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start = forms.TimeField(label=_("Dalle"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Alle"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(
        label=_("Durata dell'appuntamento (minuti)"), min_value=5, max_value=480
    )
    pause_minutes = forms.IntegerField(
        label=_("Pausa tra appuntamenti (minuti)"), min_value=0, max_value=240, initial=0
    )
    capacity = forms.IntegerField(label=_("Sportelli in parallelo"), min_value=1, max_value=100, initial=1)


class ClosureForm(forms.Form):
    start = forms.DateField(label=_("Dal"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Al"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motivo"), max_length=200)


class BookOnBehalfForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput)
    first_name = forms.CharField(label=_("Nome"), max_length=150)
    last_name = forms.CharField(label=_("Cognome"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    reason = forms.CharField(label=_("Motivo"), max_length=200, required=False)
