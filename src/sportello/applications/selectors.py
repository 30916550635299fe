"""Reads on applications for the back office: the operators' list, one application, the statistics.

Everything starts from ``Application.objects.for_operator(user, municipality)``: administrators see every
submitted application of their municipality, operators those of the services enabled for them, nobody sees
drafts.

Counting on a million rows. The list needs a count per state (the badges) and a total (the pager). Both
come from one ``GROUP BY state`` over the current filters minus the state filter: the total is the sum, or
the count of the chosen state. When PostgreSQL's planner estimates that more than ``EXACT_COUNT_LIMIT`` rows
match, the counts are the planner's own estimates (``EXPLAIN``, one per state: about a millisecond in all)
and are flagged ``approximate``, so the page shows "circa"; counting them exactly would read the whole
index on every page view. Below the limit (and always on SQLite) the counts are exact.

Deep pages. ``page_of`` paginates over the ids only (an index-ordered ``SELECT id ... OFFSET n LIMIT 25``,
then the 25 rows by primary key): the skipped rows are never fetched whole.
"""

import datetime
import re
from dataclasses import dataclass, fields, replace
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Upper
from django.utils import timezone

from sportello.accounts.models import Membership, Role, User
from sportello.accounts.roles import staff_role
from sportello.municipalities.models import Municipality

from .models import Application, ProtocolEntry, StatisticsRow, StatisticsSnapshot
from .states import OPEN_STATES, State

EXACT_COUNT_LIMIT = 50_000
PER_PAGE = 25

# Sort keys offered to the operators -> ORDER BY, always ending with the id so pages never overlap.
# Each is backed by an index: app_list_idx (date), app_name_idx (name), app_state_idx (state); the
# service sort orders by service name (a join on the ~20 services of a municipality, sorted in memory).
SORTS = {
    "-submitted_at": ("-submitted_at", "-id"),
    "submitted_at": ("submitted_at", "id"),
    "applicant_name": (Upper("applicant_name").asc(), "id"),
    "state": ("state", "-submitted_at", "-id"),
    "service": ("service__name", "-submitted_at", "-id"),
}
DEFAULT_SORT = "-submitted_at"
UNASSIGNED = "none"

_PROTOCOL = re.compile(r"^(?:(\d{4})\s*/\s*)?(\d{1,9})$")
_DRAFT_NUMBER = re.compile(r"^B-(\d{1,12})$", re.IGNORECASE)
_FISCAL_CODE = re.compile(
    r"^(?:[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|\d{11})$"
)
# A bare protocol number ("123") is looked up in every year of this window: an IN list on the year keeps
# the unique (municipality, protocol_year, protocol_number) index usable.
PROTOCOL_YEARS_BACK = 30


@dataclass(frozen=True)
class ApplicationFilters:
    service: int | None = None
    state: str = ""
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    assigned: str = ""  # "" anyone, "none" unassigned, or a user id
    q: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def coerce(cls, filters) -> "ApplicationFilters":
        if filters is None:
            return cls()
        if isinstance(filters, cls):
            return filters
        names = {f.name for f in fields(cls)}
        return cls(
            **{key: value for key, value in dict(filters).items() if key in names and value is not None}
        )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )


def _text_filter(q: str) -> Q:
    """An exact protocol number, an exact fiscal code, or the start of the applicant's name."""
    q = " ".join(q.split())
    match = _PROTOCOL.match(q)
    if match:
        year, number = match.groups()
        if year:
            return Q(protocol_year=int(year), protocol_number=int(number))
        this_year = timezone.localdate().year
        years = list(range(this_year - PROTOCOL_YEARS_BACK, this_year + 1))
        return Q(protocol_year__in=years, protocol_number=int(number))
    match = _DRAFT_NUMBER.match(q)
    if match:
        return Q(pk=int(match.group(1)), protocol_number__isnull=True)
    if _FISCAL_CODE.match(q.upper()):
        return Q(applicant_fiscal_code=q.upper())
    # UPPER(applicant_name) LIKE 'ROSSI%': served by the app_name_prefix_idx (text_pattern_ops) index.
    return Q(applicant_name__istartswith=q)


def application_list_for_staff(
    *, user: User, municipality: Municipality, filters=None
) -> QuerySet[Application]:
    """The applications ``user`` may see in ``municipality``, filtered and sorted."""
    filters = ApplicationFilters.coerce(filters)
    # Submitted applications always have a date; saying so lets the date-ordered index skip the drafts,
    # which sort first in it (NULLs first in descending order).
    applications = Application.objects.for_operator(user, municipality).filter(submitted_at__isnull=False)
    if filters.service:
        applications = applications.filter(service_id=filters.service)
    if filters.state:
        applications = applications.filter(state=filters.state)
    if filters.submitted_from:
        applications = applications.filter(submitted_at__gte=_local_midnight(filters.submitted_from))
    if filters.submitted_to:
        applications = applications.filter(
            submitted_at__lt=_local_midnight(filters.submitted_to + timedelta(days=1))
        )
    if filters.assigned == UNASSIGNED:
        applications = applications.filter(assigned_to__isnull=True)
    elif str(filters.assigned).isdigit():
        applications = applications.filter(assigned_to_id=int(filters.assigned))
    if filters.q.strip():
        applications = applications.filter(_text_filter(filters.q))
    return applications.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def application_counts_for_staff(*, user: User, municipality: Municipality, filters=None) -> "StateCounts":
    """The per-state counts for ``filters`` without their state filter (what the state badges show)."""
    filters = replace(ApplicationFilters.coerce(filters), state="")
    return state_counts(application_list_for_staff(user=user, municipality=municipality, filters=filters))


class StateCounts(dict):
    """``{state: count}``; ``approximate`` when the numbers are the planner's estimates."""

    approximate = False

    @property
    def total(self) -> int:
        return sum(self.values())

    def for_state(self, state: str) -> int:
        return self.total if not state else self.get(state, 0)


def _planner_rows(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (no rows are read)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def state_counts(queryset: QuerySet[Application]) -> StateCounts:
    """How many applications of ``queryset`` are in each state: exact, or estimated on big PostgreSQL sets."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql" and _planner_rows(queryset) > EXACT_COUNT_LIMIT:
        counts = StateCounts()
        for state in State.values:
            if state == State.DRAFT:
                continue
            estimate = _planner_rows(queryset.filter(state=state))
            if estimate > 1:  # the planner never estimates 0 rows: 1 means "none or nearly none"
                counts[state] = estimate
        counts.approximate = True
        return counts
    rows = queryset.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    return StateCounts({state: n for state, n in rows if n})


def page_of(queryset: QuerySet[Application], number, *, count: int, per_page: int = PER_PAGE) -> Page:
    """Page ``number`` of ``queryset`` given its (possibly estimated) ``count``, fetching only the ids skipped.

    ``page.object_list`` holds the applications with service and assignee loaded.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    paginator.count = count  # overrides the cached property: no COUNT(*) here
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = Application.objects.select_related("service", "assigned_to").in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def application_get_for_staff(*, user: User, municipality: Municipality, pk: int) -> Application | None:
    """One application ``user`` may handle, or ``None`` (another municipality's, a draft, a service not theirs)."""
    return (
        Application.objects.for_operator(user, municipality)
        .select_related("service", "form_version", "applicant", "assigned_to", "municipality")
        .filter(pk=pk)
        .first()
    )


def application_available_transitions(*, application: Application) -> list[str]:
    """The operator transitions the application allows now, in table order (the service's options apply)."""
    from .states import DRIVEN_BY_PAYMENTS, Actor, available

    names = [n for n in available(application.state, Actor.OPERATOR) if n not in DRIVEN_BY_PAYMENTS]
    if not application.service.allow_integration_requests:
        names = [name for name in names if name != "request_integration"]
    return names


def application_assignable_staff(*, application: Application) -> QuerySet[User]:
    """Who can be handed the application: the municipality's active administrators and its service's operators."""
    memberships = Membership.objects.active().filter(municipality_id=application.municipality_id)
    admins = memberships.filter(role=Role.ADMIN).values("user_id")
    operators = memberships.filter(role=Role.OPERATOR, user__operated_services=application.service_id)
    return User.objects.filter(Q(pk__in=admins) | Q(pk__in=operators.values("user_id"))).order_by(
        "last_name", "first_name", "username"
    )


def application_services_for_staff(*, user: User, municipality: Municipality):
    """The services whose applications ``user`` may see (for the filter)."""
    from sportello.catalog.models import Service

    services = Service.objects.for_municipality(municipality)
    if staff_role(user, municipality) != Role.ADMIN:
        services = services.filter(operators=user)
    return services.order_by("name")


def open_application_count(*, user: User, municipality: Municipality) -> int:
    return Application.objects.for_operator(user, municipality).filter(state__in=OPEN_STATES).count()


# --- Statistics ---------------------------------------------------------------------------------------------


def statistics_snapshot(*, municipality: Municipality) -> StatisticsSnapshot:
    """The municipality's statistics as last computed by the scheduler (computed now the first time)."""
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality).first()
    if snapshot is None:
        from .services import statistics_refresh

        snapshot = statistics_refresh(municipality=municipality)
    return snapshot


def _statistics_rows(*, user: User, municipality: Municipality, snapshot: StatisticsSnapshot):
    """The snapshot's rows of the services ``user`` handles (the rule of ``for_operator``)."""
    rows = StatisticsRow.objects.filter(snapshot=snapshot).order_by()
    if staff_role(user, municipality) == Role.ADMIN:
        return rows
    return rows.filter(service__in=application_services_for_staff(user=user, municipality=municipality))


def applications_by_service_and_state(*, user: User, municipality: Municipality, snapshot) -> list[dict]:
    """``[{"service": name, "counts": {state: n}, "total": n}]`` by service name."""
    rows = (
        _statistics_rows(user=user, municipality=municipality, snapshot=snapshot)
        .values("service_id", "service__name", "state")
        .annotate(n=Sum("count"))
    )
    by_service: dict[int, dict] = {}
    for row in rows:
        entry = by_service.setdefault(
            row["service_id"], {"service": row["service__name"], "counts": {}, "total": 0}
        )
        entry["counts"][row["state"]] = row["n"]
        entry["total"] += row["n"]
    return sorted(by_service.values(), key=lambda entry: entry["service"].lower())


def _month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def applications_per_month(
    *, user: User, municipality: Municipality, snapshot, now=None
) -> list[tuple[datetime.date, int]]:
    """Applications submitted in each of the last 12 months (Europe/Rome), oldest first, this month included."""
    today = timezone.localdate(now or snapshot.refreshed_at)
    months = [_month_start(today, back) for back in range(11, -1, -1)]
    rows = (
        _statistics_rows(user=user, municipality=municipality, snapshot=snapshot)
        .filter(month__gte=months[0])
        .values("month")
        .annotate(n=Sum("count"))
        .values_list("month", "n")
    )
    counts = dict(rows)
    return [(month, counts.get(month, 0)) for month in months]


def average_handling_days(*, user: User, municipality: Municipality, snapshot) -> float | None:
    """Mean days from submission to closure of the closed applications (``None`` when none is closed)."""
    totals = _statistics_rows(user=user, municipality=municipality, snapshot=snapshot).aggregate(
        closed=Sum("closed_count"), seconds=Sum("handling_seconds")
    )
    if not totals["closed"]:
        return None
    return totals["seconds"] / totals["closed"] / 86400


def overdue_count(*, user: User, municipality: Municipality, snapshot) -> int:
    """Open applications past their service's response time, as of the snapshot."""
    rows = _statistics_rows(user=user, municipality=municipality, snapshot=snapshot)
    return rows.aggregate(n=Sum("overdue_count"))["n"] or 0


def overdue_applications(
    *, user: User, municipality: Municipality, now=None, limit: int = 50
) -> list[Application]:
    """The ``limit`` oldest open applications submitted more than their service's ``max_response_days`` ago.

    Walks the open applications from the oldest (partial index ``app_open_age_idx``, a few percent of the rows)
    and keeps those past their own service's limit: the oldest open ones are nearly all late, so one batch of
    ``2 * limit`` rows is almost always enough.
    """
    from sportello.catalog.models import Service

    now = now or timezone.now()
    limits = Service.objects.for_municipality(municipality).filter(max_response_days__isnull=False)
    cutoffs = {pk: now - timedelta(days=days) for pk, days in limits.values_list("pk", "max_response_days")}
    if not cutoffs:
        return []
    candidates = (
        Application.objects.for_operator(user, municipality)
        .filter(state__in=OPEN_STATES, service_id__in=cutoffs, submitted_at__lt=max(cutoffs.values()))
        .select_related("service", "assigned_to")
        .only(*OVERDUE_FIELDS)
        .order_by("submitted_at", "id")
    )
    found: list[Application] = []
    batch, offset = 2 * limit, 0
    while len(found) < limit:
        rows = list(candidates[offset : offset + batch])
        found += [row for row in rows if row.submitted_at < cutoffs[row.service_id]]
        if len(rows) < batch:
            break
        offset += batch
    return found[:limit]


# What the statistics page shows of an overdue application (not its form data).
OVERDUE_FIELDS = (
    "service_id",
    "service__name",
    "service__max_response_days",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "applicant_name",
    "state",
    "submitted_at",
    "protocol_number",
    "protocol_year",
)


def application_recent_for_citizen(*, user, municipality, limit: int = 5) -> list[Application]:
    """The citizen's latest applications in this municipality, drafts included (they can be resumed)."""
    return list(
        Application.objects.for_municipality(municipality)
        .for_citizen(user)
        .select_related("service")
        .order_by("-updated_at", "-pk")[:limit]
    )


def application_draft_get(*, service, applicant) -> Application | None:
    """The citizen's open draft of ``service`` for its current form version, if any."""
    return (
        Application.objects.filter(
            service=service, applicant=applicant, state=State.DRAFT, form_version=service.form_version
        )
        .order_by("-created_at")
        .first()
    )


def protocol_failures_for_staff(
    *, user: User, municipality: Municipality, limit: int = 10
) -> list[Application]:
    """Applications the user handles with a document P.I.Tre. could not register (they need a hand)."""
    failing = ProtocolEntry.objects.for_municipality(municipality).filter(status=ProtocolEntry.Status.FAILED)
    return list(
        Application.objects.for_operator(user, municipality)
        .filter(pk__in=failing.values("application_id"))
        .select_related("service")
        .order_by("-submitted_at")[:limit]
    )
