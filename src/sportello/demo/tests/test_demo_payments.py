from django.core.management import call_command

from sportello.applications.models import Application
from sportello.payments.models import Payment
from sportello.scheduling.models import Appointment


def test_demo_has_paid_pending_and_failed_cie_payments_in_both_municipalities(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    for slug in ("comune-di-mori", "comune-di-trento"):
        # the CIE payments of applications without an appointment (instalments have no application)
        payments = Payment.objects.filter(
            municipality__slug=slug, application__isnull=False, application__appointment__isnull=True
        )
        assert sorted(payments.values_list("status", flat=True)) == ["failed", "paid", "pending"]
        paid = payments.get(status="paid")
        assert paid.amount_cents == 2221 and paid.receipt_id
        assert [(li.capitolo, li.amount_cents) for li in paid.lines.all()] == [
            ("9100", 1679),
            ("3050", 516),
            ("3060", 26),
        ]
        states = sorted(
            Application.objects.filter(
                municipality__slug=slug, service__slug="carta-identita-elettronica", appointment__isnull=True
            ).values_list("state", flat=True)
        )
        assert states == ["payment_failed", "payment_pending", "registered"]
        # the CIE booked with its fee: paid and confirmed, or held while the notice is pending
        booked = Appointment.objects.filter(municipality__slug=slug, application__isnull=False).order_by(
            "start"
        )
        assert [(a.state, a.application.state) for a in booked] == [
            ("approved", "registered"),
            ("held", "payment_pending"),
        ]
        assert [a.application.payments.get().status for a in booked] == ["paid", "pending"]
    assert Payment.objects.filter(application__isnull=False).count() == 10
