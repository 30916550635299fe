import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from sportello.accounts.models import Membership, Role
from sportello.municipalities.models import Municipality


def test_create_municipality_with_its_first_administrator(run_tasks):
    call_command(
        "create_municipality",
        "--name", "Comune di Rovereto",
        "--slug", "comune-di-rovereto",
        "--fiscal-code", "00125390229",
        "--ipa-code", "c_h612",
        "--email", "info@comune.rovereto.tn.it",
        "--admin-username", "admin-rovereto",
        "--admin-email", "admin@comune.rovereto.tn.it",
    )  # fmt: skip
    municipality = Municipality.objects.get(slug="comune-di-rovereto")
    membership = Membership.objects.get(municipality=municipality)
    assert membership.role == Role.ADMIN and membership.user.must_change_password
    run_tasks()
    assert mail.outbox[0].to == ["admin@comune.rovereto.tn.it"]
    assert "/comune-di-rovereto/it/operatori/login" in mail.outbox[0].body


def test_create_municipality_refuses_bad_data_and_writes_nothing(db):
    with pytest.raises(CommandError, match="cifra di controllo"):
        call_command(
            "create_municipality",
            "--name", "Comune X", "--slug", "comune-x", "--fiscal-code", "00125390220", "--ipa-code", "c_x000",
            "--email", "x@example.org", "--admin-username", "admin-x", "--admin-email", "a@example.org",
        )  # fmt: skip
    assert not Municipality.objects.exists()


def test_create_staff(mori):
    call_command(
        "create_staff",
        "--municipality",
        "comune-di-mori",
        "--username",
        "anna",
        "--email",
        "anna@example.org",
    )
    assert Membership.objects.get(user__username="anna").role == Role.OPERATOR
    with pytest.raises(CommandError, match="già in uso"):
        call_command(
            "create_staff",
            "--municipality",
            "comune-di-mori",
            "--username",
            "anna",
            "--email",
            "b@example.org",
        )
    with pytest.raises(CommandError):
        call_command(
            "create_staff", "--municipality", "nessuno", "--username", "x", "--email", "x@example.org"
        )
