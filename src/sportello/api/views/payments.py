"""Payments and the accounting export, read-only, for the municipality's accounting software.

Who sees what is the back office's rule: the payments of the applications this token's administrator (or this
staff member) handles. The accounting export is the back office's one (``payments.accounting``): one row per
budget line of the payments paid in a date range, with the same column names as its CSV/XLSX/JSON files.
"""

from django.db.models import F, Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from sportello.applications.models import Application, handled_services
from sportello.integrations.models import Scope
from sportello.payments import accounting
from sportello.payments.models import Payment

from ..pagination import Cursor
from ..serializers import (
    AccountingExportFiltersSerializer,
    AccountingRowSerializer,
    PaymentDetailSerializer,
    PaymentFiltersSerializer,
    PaymentSerializer,
)
from .base import ApiView, day_end, day_start

READ = {"*": Scope.PAYMENTS_READ}


def _visible(request):
    """Administrators (and their tokens): every payment of the municipality, rooms' and subscriptions' too;
    operators: those of the applications they handle, as in the back office."""
    municipality = request._request.municipality
    payments = Payment.objects.for_municipality(municipality).select_related("application__service")
    services = handled_services(request.user, municipality)
    if services is None:
        return payments
    # The few services as a literal list rather than a join over the million applications: the newest-first
    # index scan of the payments then stops after one page.
    return payments.filter(application__service_id__in=list(services.values_list("pk", flat=True)))


def _search(municipality, text: str) -> Q:
    """An IUV (17 digits), a notice number (18: aux digit 3 + IUV) or the debtor's fiscal code, each through an
    index: the IUV's, or the applications' fiscal-code index (positions of no application: the few with none)."""
    q = text.strip().upper().replace(" ", "")
    if q.isdigit() and len(q) == 18 and q[0] == "3":
        return Q(iuv=q[1:], notice_number=q)
    if q.isdigit():
        return Q(iuv=q)
    applications = Application.objects.for_municipality(municipality).filter(applicant_fiscal_code=q)
    ids = list(Payment.objects.filter(application__in=applications).values_list("pk", flat=True))
    ids += Payment.objects.filter(
        municipality=municipality, application__isnull=True, debtor_fiscal_code=q
    ).values_list("pk", flat=True)
    return Q(pk__in=ids, debtor_fiscal_code=q)


class PaymentList(ApiView, ListAPIView):
    required_scopes = READ
    serializer_class = PaymentSerializer
    pagination_class = Cursor
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self):
        params = PaymentFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        payments = _visible(self.request)
        if "service" in data:
            payments = payments.filter(application__service_id=data["service"])
        if "application" in data:
            payments = payments.filter(application_id=data["application"])
        if "status" in data:
            payments = payments.filter(status=data["status"])
        for field, prefix in (("created_at", "created"), ("paid_at", "paid")):
            if f"{prefix}_from" in data:
                day = data[f"{prefix}_from"]
                payments = payments.filter(**{f"{field}__gte": day_start(day)})
            if f"{prefix}_to" in data:
                day = data[f"{prefix}_to"]
                payments = payments.filter(**{f"{field}__lt": day_end(day)})
        if "q" in data:
            payments = payments.filter(_search(self.request._request.municipality, data["q"]))
        return payments

    @extend_schema(
        operation_id="payments_list",
        description="Le posizioni debitorie pagoPA delle pratiche che il token (o la persona dello staff) "
        "gestisce, le più recenti prima; paginazione a cursore. Serve il permesso `payments:read`.",
        summary="Pagamenti",
        parameters=[PaymentFiltersSerializer],
        tags=["pagamenti"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PaymentDetail(ApiView):
    required_scopes = READ

    @extend_schema(
        operation_id="payments_retrieve",
        description="Il pagamento con le voci di bilancio (trasferimenti 1-5) e lo storico degli stati.",
        summary="Un pagamento",
        responses={200: PaymentDetailSerializer},
        tags=["pagamenti"],
    )
    def get(self, request, payment_id: int):
        payment = _visible(request).prefetch_related("lines", "events").filter(pk=payment_id).first()
        if payment is None:
            raise Http404
        return Response(PaymentDetailSerializer(payment).data)


class AccountingExport(ApiView, ListAPIView):
    required_scopes = READ
    pagination_class = Cursor
    cursor_ordering = ("paid_at", "payment_id", "transfer_index")

    def get_queryset(self):
        params = AccountingExportFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        lines = accounting.accounting_lines(
            self.request._request.municipality, data["paid_from"], data["paid_to"]
        )
        # The cursor's position is the payment time, annotated on the line so the paginator can read it.
        return lines.annotate(paid_at=F("payment__paid_at"))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # The rows the back office's files carry, column for column (payments.accounting).
        return self.get_paginated_response([accounting._row(line) for line in page])

    @extend_schema(
        operation_id="accounting_export_list",
        description="L'export contabile: una riga per voce di bilancio dei pagamenti pagati tra due giorni "
        "(compresi, ora di Roma), con le colonne dei file CSV/XLSX del back office; paginazione a cursore. "
        "Serve il permesso `payments:read`.",
        summary="Export contabile",
        parameters=[AccountingExportFiltersSerializer],
        responses={200: AccountingRowSerializer(many=True)},
        tags=["pagamenti"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("payments", PaymentList.as_view(), name="payment_list"),
    path("payments/<int:payment_id>", PaymentDetail.as_view(), name="payment_detail"),
    path("accounting-export", AccountingExport.as_view(), name="accounting_export"),
]
