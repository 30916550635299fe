import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.applications import selectors as sel
from sportello.applications import services as s
from sportello.applications.models import Application
from sportello.applications.states import State
from sportello.applications.tests.factories import submitted_application
from sportello.catalog.tests.factories import ServiceFactory

ROME = timezone.get_default_timezone()


def rome(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), ROME)


@pytest.fixture
def nido(mori, mori_operator):
    service = ServiceFactory(municipality=mori, name="Asilo nido", slug="nido", max_response_days=30)
    service.operators.set([mori_operator])
    return service


@pytest.fixture
def mensa(mori):
    return ServiceFactory(municipality=mori, name="Mensa scolastica", slug="mensa", max_response_days=10)


def citizen_named(last, first, code):
    return UserFactory(
        username=f"{last.lower()}-{first.lower()}", last_name=last, first_name=first, fiscal_code=code
    )


@pytest.fixture
def apps(mori, nido, mensa):
    """Five submitted applications with controlled dates (oldest first) and states."""
    bianchi = citizen_named("Bianchi", "Anna", "BNCNNA80A41L378X")
    verdi = citizen_named("Verdi", "Luca", "VRDLCU75C10H612K")
    rows = [
        submitted_application(municipality=mori, applicant=bianchi, service=nido),
        submitted_application(municipality=mori, applicant=verdi, service=nido),
        submitted_application(municipality=mori, applicant=bianchi, service=mensa),
        submitted_application(municipality=mori, applicant=verdi, service=mensa),
        submitted_application(municipality=mori, applicant=bianchi, service=nido),
    ]
    dates = [
        rome(2026, 1, 10, 9),
        rome(2026, 3, 1, 23, 30),
        rome(2026, 3, 2, 0, 30),
        rome(2026, 6, 5),
        rome(2026, 6, 5),
    ]
    for application, when in zip(rows, dates, strict=True):
        Application.objects.filter(pk=application.pk).update(submitted_at=when)
    return [Application.objects.get(pk=a.pk) for a in rows]


def listed(user, municipality, **filters):
    return list(sel.application_list_for_staff(user=user, municipality=municipality, filters=filters))


def test_admins_see_every_submitted_application_newest_first_never_drafts(mori, mori_admin, apps, nido):
    draft = s.application_start(service=nido, applicant=UserFactory())
    result = listed(mori_admin, mori)
    assert draft not in result
    # newest first; the two of 5 June tie on the date and are ordered by id descending
    assert result == [apps[4], apps[3], apps[2], apps[1], apps[0]]
    assert listed(mori_admin, mori, sort="submitted_at") == [apps[0], apps[1], apps[2], apps[3], apps[4]]


def test_operators_see_only_the_services_enabled_for_them(mori, mori_operator, apps, nido):
    assert set(listed(mori_operator, mori)) == {a for a in apps if a.service_id == nido.pk}
    other = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    assert listed(other, mori) == []
    hidden = next(a for a in apps if a.service_id != nido.pk)
    assert sel.application_get_for_staff(user=mori_operator, municipality=mori, pk=hidden.pk) is None
    assert sel.application_get_for_staff(user=mori_operator, municipality=mori, pk=apps[0].pk) == apps[0]


def test_other_municipalities_staff_see_nothing(mori, trento, trento_admin, apps):
    assert listed(trento_admin, trento) == []
    assert listed(trento_admin, mori) == []
    assert sel.application_get_for_staff(user=trento_admin, municipality=trento, pk=apps[0].pk) is None


def test_filters_by_service_state_and_assignee(mori, mori_admin, mori_operator, apps, nido, mensa):
    assert set(listed(mori_admin, mori, service=mensa.pk)) == {apps[2], apps[3]}
    s.application_take_charge(application=apps[0], user=mori_operator)
    assert listed(mori_admin, mori, state=State.IN_PROGRESS) == [apps[0]]
    assert listed(mori_admin, mori, assigned=str(mori_operator.pk)) == [apps[0]]
    assert apps[0] not in listed(mori_admin, mori, assigned=sel.UNASSIGNED)
    assert len(listed(mori_admin, mori, assigned=sel.UNASSIGNED)) == 4
    assert listed(mori_admin, mori, service=nido.pk, state=State.REGISTERED) == [apps[4], apps[1]]


def test_date_range_is_in_rome_time(mori, mori_admin, apps):
    # apps[2] was submitted at 00:30 of 2 March in Rome (23:30 UTC on 1 March)
    march_2 = listed(
        mori_admin, mori, submitted_from=datetime.date(2026, 3, 2), submitted_to=datetime.date(2026, 3, 2)
    )
    assert march_2 == [apps[2]]
    assert listed(mori_admin, mori, submitted_to=datetime.date(2026, 3, 1)) == [apps[1], apps[0]]
    assert set(listed(mori_admin, mori, submitted_from=datetime.date(2026, 6, 5))) == {apps[3], apps[4]}


def test_text_search_protocol_fiscal_code_and_name_prefix(mori, mori_admin, apps):
    first = apps[0]
    assert listed(mori_admin, mori, q=first.number) == [first]
    assert listed(mori_admin, mori, q=f"{first.protocol_year}/{first.protocol_number}") == [first]
    assert listed(mori_admin, mori, q=str(first.protocol_number)) == [first]
    assert listed(mori_admin, mori, q="1999/000001") == []
    assert set(listed(mori_admin, mori, q="vrdlcu75c10h612k")) == {apps[1], apps[3]}
    assert set(listed(mori_admin, mori, q="bian")) == {apps[0], apps[2], apps[4]}
    assert set(listed(mori_admin, mori, q="  VERDI  luca ")) == {apps[1], apps[3]}
    assert listed(mori_admin, mori, q="anna") == []  # the name starts with the surname
    assert listed(mori_admin, mori, q="bian%") == []  # LIKE wildcards are taken literally


def test_sorting_whitelist_with_id_tie_breaker(mori, mori_admin, apps, mori_operator):
    by_name = listed(mori_admin, mori, sort="applicant_name")
    assert by_name == [apps[0], apps[2], apps[4], apps[1], apps[3]]
    by_service = listed(mori_admin, mori, sort="service")
    assert by_service == [apps[4], apps[1], apps[0], apps[3], apps[2]]
    s.application_take_charge(application=apps[3], user=mori_admin)
    by_state = listed(mori_admin, mori, sort="state")
    assert by_state[0] == apps[3]  # "in_progress" < "registered"
    assert listed(mori_admin, mori, sort="DROP TABLE") == listed(mori_admin, mori)


def test_state_counts_ignore_the_state_filter(mori, mori_admin, apps, nido):
    s.application_take_charge(application=apps[0], user=mori_admin)
    s.application_cancel(application=apps[1], user=mori_admin, motivation="Doppia")
    counts = sel.application_counts_for_staff(
        user=mori_admin, municipality=mori, filters={"state": State.CANCELLED, "service": nido.pk}
    )
    assert dict(counts) == {State.IN_PROGRESS: 1, State.CANCELLED: 1, State.REGISTERED: 1}
    assert counts.total == 3 and counts.for_state(State.CANCELLED) == 1 and not counts.approximate


def test_page_of_paginates_over_ids_with_the_given_count(mori, mori_admin, apps):
    queryset = sel.application_list_for_staff(user=mori_admin, municipality=mori, filters={})
    page = sel.page_of(queryset, 2, count=5, per_page=2)
    assert page.object_list == [apps[2], apps[1]]
    assert page.paginator.num_pages == 3
    assert sel.page_of(queryset, "999", count=5, per_page=2).object_list == [apps[0]]
    assert sel.page_of(queryset, "abc", count=5, per_page=2).number == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_big_sets_use_the_planners_estimates(mori, mori_admin, apps, monkeypatch):
    monkeypatch.setattr(sel, "EXACT_COUNT_LIMIT", 0)
    counts = sel.application_counts_for_staff(user=mori_admin, municipality=mori, filters={})
    assert counts.approximate
    assert all(isinstance(n, int) and n > 0 for n in counts.values())


def test_statistics(mori, mori_admin, mori_operator, apps, nido, mensa):
    now = rome(2026, 7, 15, 12)
    # closed after 2 and 4 days: 3 days on average
    s.application_take_charge(application=apps[0], user=mori_admin)
    s.application_accept(application=apps[0], user=mori_admin, motivation="Ok")
    s.application_cancel(application=apps[3], user=mori_admin, motivation="Doppia")
    Application.objects.filter(pk=apps[0].pk).update(closed_at=apps[0].submitted_at + timedelta(days=2))
    Application.objects.filter(pk=apps[3].pk).update(closed_at=apps[3].submitted_at + timedelta(days=4))
    snapshot = s.statistics_refresh(municipality=mori)  # what the scheduler runs every five minutes
    assert sel.average_handling_days(user=mori_admin, municipality=mori, snapshot=snapshot) == pytest.approx(
        3.0
    )

    by_service = sel.applications_by_service_and_state(user=mori_admin, municipality=mori, snapshot=snapshot)
    assert [row["service"] for row in by_service] == ["Asilo nido", "Mensa scolastica"]
    assert by_service[0]["counts"] == {State.ACCEPTED: 1, State.REGISTERED: 2} and by_service[0]["total"] == 3
    assert by_service[1]["counts"] == {State.REGISTERED: 1, State.CANCELLED: 1}

    months = sel.applications_per_month(user=mori_admin, municipality=mori, snapshot=snapshot, now=now)
    assert (
        len(months) == 12
        and months[0][0] == datetime.date(2025, 8, 1)
        and months[-1][0] == datetime.date(2026, 7, 1)
    )
    counts = dict(months)
    assert counts[datetime.date(2026, 1, 1)] == 1
    assert counts[datetime.date(2026, 3, 1)] == 2  # 1 March 23:30 and 2 March 00:30, Rome time
    assert counts[datetime.date(2026, 6, 1)] == 2
    assert sum(counts.values()) == 5

    # nido: 30 days, mensa: 10 days; open ones only (apps[0] accepted, apps[3] cancelled)
    overdue = list(sel.overdue_applications(user=mori_admin, municipality=mori, now=now))
    assert overdue == [apps[1], apps[2], apps[4]]
    early = rome(2026, 6, 20)
    assert list(sel.overdue_applications(user=mori_admin, municipality=mori, now=early)) == [apps[1], apps[2]]
    assert sel.overdue_applications(user=mori_admin, municipality=mori, now=now, limit=2) == [
        apps[1],
        apps[2],
    ]
    assert sel.overdue_applications(user=mori_admin, municipality=mori, now=early, limit=1) == [apps[1]]
    # the count is the summary's, as of its refresh (today, long after all three fell due)
    assert sel.overdue_count(user=mori_admin, municipality=mori, snapshot=snapshot) == 3
    assert sel.overdue_count(user=mori_operator, municipality=mori, snapshot=snapshot) == 2
    # operators' statistics cover their services only
    assert [
        r["service"]
        for r in sel.applications_by_service_and_state(
            user=mori_operator, municipality=mori, snapshot=snapshot
        )
    ] == ["Asilo nido"]
    assert sel.open_application_count(user=mori_operator, municipality=mori) == 2
    assert sel.open_application_count(user=mori_admin, municipality=mori) == 3


def test_no_closed_applications_means_no_average(mori, mori_admin, apps):
    snapshot = sel.statistics_snapshot(municipality=mori)
    assert sel.average_handling_days(user=mori_admin, municipality=mori, snapshot=snapshot) is None


def test_assignable_staff_are_admins_and_the_services_operators(mori, mori_admin, mori_operator, apps, mensa):
    other_operator = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    inactive = MembershipFactory(municipality=mori, role=Role.ADMIN, is_active=False).user
    assert set(sel.application_assignable_staff(application=apps[0])) == {mori_admin, mori_operator}
    mensa_app = apps[2]
    assert set(sel.application_assignable_staff(application=mensa_app)) == {mori_admin}
    assert other_operator not in sel.application_assignable_staff(application=apps[0])
    assert inactive not in sel.application_assignable_staff(application=apps[0])
