"""Login throttling as an attacker meets it: spraying passwords from one address, sharing an office's address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import TEST_PASSWORD, MembershipFactory
from sportello.accounts.throttling import progressive_delay
from sportello.core.clientip import forwarded_client

LOGIN = "/comune-di-mori/it/operatori/login"
OFFICE = "192.0.2.10"  # the municipality's one public address (NAT)


@pytest.fixture
def accounts(mori):
    return [
        MembershipFactory(municipality=mori, role=Role.OPERATOR, user__username=f"operatore-{n}").user
        for n in range(10)
    ]


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, set by the test (django-axes stamps attempts with the real time): the delays are
    checked at exact moments, however slow the database."""
    from django.utils import timezone

    moment = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])

    def at_last_attempt(seconds_later: float = 0):
        moment[0] = AccessAttempt.objects.latest("attempt_time").attempt_time + timedelta(
            seconds=seconds_later
        )

    return at_last_attempt


def _try(client, username, password="sbagliata", **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def test_one_address_cannot_spray_passwords_over_many_accounts(accounts, clock):
    attacker = Client()
    statuses = [_try(attacker, accounts[i % 10].username, REMOTE_ADDR=OFFICE).status_code for i in range(40)]
    # 4 wrong passwords per account never reach the per-account lock: the per-address delay stops the rest.
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}  # refused unchecked: 30 passwords never tried
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 10
    response = _try(attacker, accounts[0].username, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Troppi tentativi di accesso non riusciti da questa rete" in response.content.decode()


def test_the_delay_doubles_and_then_lets_the_address_try_again(accounts, clock):
    attacker = Client()
    for i in range(10):
        _try(attacker, accounts[i % 10].username, REMOTE_ADDR=OFFICE)
    clock()
    assert int(_try(attacker, accounts[0].username, REMOTE_ADDR=OFFICE)["Retry-After"]) == 1
    clock(seconds_later=1.5)
    assert _try(attacker, accounts[1].username, REMOTE_ADDR=OFFICE).status_code == 200  # waited: checked
    clock()
    response = _try(attacker, accounts[2].username, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429 and int(response["Retry-After"]) == 2  # the delay doubled
    # a different address is not slowed down
    assert _try(Client(), accounts[3].username, TEST_PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_an_attacker_sharing_the_office_address_cannot_keep_the_office_out(mori, accounts, clock):
    office = Client()
    assert _try(office, "operatore-0", TEST_PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302
    office.post("/comune-di-mori/it/operatori/logout", REMOTE_ADDR=OFFICE)

    attacker = Client()  # same address, no cookies of the office's browser
    for i in range(40):
        _try(attacker, "operatore-0" if i % 2 else accounts[i % 10].username, REMOTE_ADDR=OFFICE)
    assert _try(attacker, "operatore-0", TEST_PASSWORD, REMOTE_ADDR=OFFICE).status_code == 429
    # a forged device cookie does not help the attacker
    attacker.cookies["sportello_staff_device"] = "operatore-0"
    assert _try(attacker, "operatore-0", TEST_PASSWORD, REMOTE_ADDR=OFFICE).status_code == 429

    # The office's browser, where operatore-0 logged in before, is neither delayed nor locked out.
    assert _try(office, "operatore-0", TEST_PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(settings, mori, accounts):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client()
    for _ in range(6):
        _try(attacker, "operatore-0", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert (
        _try(attacker, "operatore-0", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy).status_code
        == 429
    )
    # The real operator, through the same proxy from another address (and a new browser), logs in.
    colleague = Client()
    response = _try(colleague, "operatore-0", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(mori, accounts):
    attacker = Client()
    for n in range(6):
        _try(attacker, "operatore-0", REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    assert _try(attacker, "operatore-0", TEST_PASSWORD, REMOTE_ADDR=OFFICE).status_code == 429


@pytest.mark.parametrize(
    "remote, forwarded, trusted, client",
    [
        ("203.0.113.5", "", (), "203.0.113.5"),
        ("203.0.113.5", "1.2.3.4", (), "203.0.113.5"),  # no proxy trusted: the header is anyone's
        ("10.0.0.2", "198.51.100.7", ("10.0.0.0/24",), "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", ("10.0.0.0/24",), "198.51.100.7"),  # forged left part ignored
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", ("10.0.0.0/24",), "198.51.100.7"),  # two trusted hops
        ("10.0.0.2", "garbage, 198.51.100.7", ("10.0.0.0/24",), "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7, garbage", ("10.0.0.0/24",), "10.0.0.2"),
        ("10.0.0.2", "", ("10.0.0.2",), "10.0.0.2"),
        ("2001:db8::1", "2001:db8:1::5", ("2001:db8::/64",), "2001:db8:1::5"),
    ],
)
def test_the_client_address_is_read_from_trusted_proxies_only(remote, forwarded, trusted, client):
    assert forwarded_client(remote, forwarded, trusted) == client


def test_progressive_delay():
    assert [progressive_delay(n, free=10, maximum=300) for n in (0, 9, 10, 11, 12, 18, 19, 100)] == [
        0,
        0,
        1,
        2,
        4,
        256,
        300,
        300,
    ]
