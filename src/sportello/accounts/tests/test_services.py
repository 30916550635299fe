import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sportello.accounts.models import Membership, Role, User
from sportello.accounts.passwords import temporary_password_generate
from sportello.accounts.services import (
    staff_create,
    staff_deactivate,
    staff_password_reset,
    staff_reactivate,
    staff_role_change,
    user_password_change,
)
from sportello.accounts.tests.factories import MembershipFactory


def invite(municipality, **kwargs):
    fields = {"username": "mario-rossi", "email": "mario.rossi@example.org", "role": Role.OPERATOR}
    return staff_create(
        municipality=municipality, first_name="Mario", last_name="Rossi", **{**fields, **kwargs}
    )


def test_invite_creates_a_staff_account_that_cannot_log_in_until_the_email_is_sent(mori):
    membership = invite(mori)
    user = membership.user
    assert membership.municipality == mori and membership.role == Role.OPERATOR
    assert user.must_change_password
    assert not user.has_usable_password()
    assert DBTaskResult.objects.filter(task_path__endswith="staff_credentials_send").count() == 1
    assert mail.outbox == []


def test_the_credentials_email_carries_login_link_temporary_password_and_first_steps(mori, run_tasks):
    user = invite(mori).user
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mario.rossi@example.org"]
    assert "Comune di Mori" in message.subject
    assert "Comune di Mori" in message.from_email
    assert "http://127.0.0.1:8000/comune-di-mori/it/operatori/login" in message.body
    assert "mario-rossi" in message.body
    password = next(
        line.split(": ", 1)[1] for line in message.body.splitlines() if "Password temporanea" in line
    )
    user.refresh_from_db()
    assert user.check_password(password)
    assert user.must_change_password
    # The password exists in clear only in the e-mail: not in the task's stored arguments.
    assert password not in str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))


def test_the_email_is_written_in_the_language_of_the_recipient(mori, run_tasks):
    invite(mori, language="de")
    run_tasks()
    assert "/comune-di-mori/de/operatori/login" in mail.outbox[0].body


def test_no_task_survives_a_rolled_back_invite(mori):
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(mori)
        raise RuntimeError("the business write fails after enqueueing")
    assert not User.objects.filter(username="mario-rossi").exists()
    assert not DBTaskResult.objects.exists()


def test_a_failed_send_keeps_the_task_for_a_retry_and_changes_no_password(mori, run_tasks, settings):
    user = invite(mori).user
    settings.EMAIL_BACKEND = "sportello.accounts.tests.test_services.FailingBackend"
    run_tasks()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "FAILED",
        "READY",
    ]  # a retry waits


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP server unreachable")


def test_duplicate_username_is_refused_with_a_clear_message(mori, mori_operator):
    with pytest.raises(ValidationError) as error:
        invite(mori, username="OPERATORE-MORI")
    assert "già in uso" in error.value.message_dict["username"][0]


def test_invalid_email_is_refused_and_nothing_is_written(mori):
    with pytest.raises(ValidationError):
        invite(mori, email="non-una-mail")
    assert not User.objects.filter(username="mario-rossi").exists()
    assert not DBTaskResult.objects.exists()


def test_a_given_password_must_pass_the_validators(mori):
    with pytest.raises(ValidationError) as error:
        invite(mori, password="corta")
    assert any("12" in message for message in error.value.messages)


def test_password_reset_sends_a_new_temporary_password(mori, run_tasks, mori_admin, mori_operator):
    membership = mori_operator.memberships.get()
    staff_password_reset(membership=membership, actor=mori_admin)
    mori_operator.refresh_from_db()
    assert mori_operator.must_change_password and not mori_operator.has_usable_password()
    run_tasks()
    assert "nuova password temporanea" in mail.outbox[0].subject


def test_a_stale_credentials_task_does_nothing_once_the_user_chose_a_password(mori, run_tasks):
    user = invite(mori).user
    user_password_change(user=user, new_password="Una-Nuova-Password-Lunga")
    run_tasks()
    user.refresh_from_db()
    assert user.check_password("Una-Nuova-Password-Lunga")
    assert mail.outbox == []


def test_password_change_ends_the_temporary_state_and_enforces_length(mori):
    user = invite(mori).user
    with pytest.raises(ValidationError):
        user_password_change(user=user, new_password="Breve-1")
    user_password_change(user=user, new_password="Una-Nuova-Password-Lunga")
    user.refresh_from_db()
    assert not user.must_change_password


def test_admin_cannot_deactivate_or_demote_themselves(mori, mori_admin):
    membership = mori_admin.memberships.get()
    with pytest.raises(ValidationError):
        staff_deactivate(membership=membership, actor=mori_admin)
    with pytest.raises(ValidationError):
        staff_role_change(membership=membership, role=Role.OPERATOR, actor=mori_admin)
    membership.refresh_from_db()
    assert membership.is_active and membership.role == Role.ADMIN


def test_the_last_active_admin_cannot_be_removed(mori, mori_admin, mori_operator):
    other_admin = MembershipFactory(municipality=mori, role=Role.ADMIN)
    staff_deactivate(membership=mori_admin.memberships.get(), actor=other_admin.user)
    # other_admin is now the only active one: an operator-turned-admin cannot remove them either way
    promoted = staff_role_change(
        membership=mori_operator.memberships.get(), role=Role.ADMIN, actor=other_admin.user
    )
    staff_role_change(membership=other_admin, role=Role.OPERATOR, actor=promoted.user)
    with pytest.raises(ValidationError):
        staff_deactivate(membership=promoted, actor=other_admin.user)
    assert Membership.objects.for_municipality(mori).active().filter(role=Role.ADMIN).count() == 1


def test_deactivate_and_reactivate(mori, mori_admin, mori_operator):
    membership = mori_operator.memberships.get()
    staff_deactivate(membership=membership, actor=mori_admin)
    membership.refresh_from_db()
    assert not membership.is_active and membership.deactivated_at
    staff_reactivate(membership=membership, actor=mori_admin)
    membership.refresh_from_db()
    assert membership.is_active and membership.deactivated_at is None


def test_temporary_passwords_are_random_long_and_unambiguous():
    passwords = {temporary_password_generate() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 19
        assert not set(password) & set("0O1lI")
        assert any(c.isdigit() for c in password) and any(c.isupper() for c in password)
