from django.db import transaction
from django_tasks import task

from sportello.core.tasks import retrying
from sportello.core.urlutils import absolute_url, tenant_reverse
from sportello.notifications.email import send_templated_email

from .passwords import temporary_password_generate


@task()
@retrying
def staff_credentials_send(*, membership_id: int, reason: str) -> None:
    """Generate a temporary password and e-mail it with the login link and the first steps.

    The password is made here, not by the caller, so it exists in clear only in the e-mail. If sending
    fails the transaction rolls back, the old state stays, and the task is marked failed for a retry.
    """
    from .models import Membership, User

    with transaction.atomic():
        membership = Membership.objects.select_related("municipality").get(pk=membership_id)
        user = User.objects.select_for_update().get(pk=membership.user_id)
        if not user.must_change_password:
            return  # the user already chose a password since this was asked: nothing to send
        password = temporary_password_generate()
        user.set_password(password)
        user.save(update_fields=["password"])
        municipality = membership.municipality
        send_templated_email(
            to=[user.email],
            template="emails/staff_credentials",
            language=user.language,
            municipality=municipality,
            context={
                "user": user,
                "role": membership.get_role_display,
                "municipality": municipality,
                "password": password,
                "reason": reason,
                "login_url": absolute_url(
                    tenant_reverse("backoffice:login", municipality, lang=user.language)
                ),
            },
        )
