"""Staff login throttling, on top of django-axes' lock of one username from one address.

- Password spraying: past ``LOGIN_ADDRESS_FREE_FAILURES`` failures from one address (across usernames, within the
  cool-off), each further attempt from it must wait twice as long as the previous one, up to
  ``LOGIN_ADDRESS_MAX_DELAY_SECONDS``. An attempt that comes too early is refused unchecked, so it costs nothing.
- An office behind one address: a browser where an account logged in before carries a signed "known device"
  cookie for it. From that browser, that account is neither delayed nor locked, so an attacker sharing the
  office's address (or guessing its usernames) cannot keep its staff out.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Max, Sum
from django.utils import timezone

DEVICE_COOKIE = "sportello_staff_device"
DEVICE_SALT = "sportello.accounts.throttling.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 90
DEVICE_MAX_ACCOUNTS = 5


def progressive_delay(failures: int, *, free: int, maximum: int) -> int:
    """Seconds to wait after the last failure: none for the first ``free``, then 1, 2, 4... up to ``maximum``."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 30), maximum)


def _normal(username: str) -> str:
    return (username or "").strip().lower()


def _device_accounts(request) -> list[str]:
    """The usernames (Django's never contain commas) this browser logged in as, from the signed cookie."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, KeyError):
        return []
    return [a for a in value.split(",") if a]


def known_device(request, credentials=None) -> bool:
    """True when this browser logged in before as the username being tried (django-axes' whitelist)."""
    username = _normal((credentials or {}).get("username") or request.POST.get("username", ""))
    return bool(username) and username in _device_accounts(request)


def device_remember(request, response, username: str) -> None:
    """After a successful login: this browser is a known device for ``username`` (a few accounts at most)."""
    accounts = [_normal(username)] + [a for a in _device_accounts(request) if a != _normal(username)]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        ",".join(accounts[:DEVICE_MAX_ACCOUNTS]),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def address_wait(ip_address: str) -> int:
    """Seconds before this address may try another password (0: now)."""
    from axes.models import AccessAttempt

    now = timezone.now()
    recent = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    delay = progressive_delay(
        recent["failures"] or 0,
        free=settings.LOGIN_ADDRESS_FREE_FAILURES,
        maximum=settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS,
    )
    if not delay:
        return 0
    remaining = recent["last"] + timedelta(seconds=delay) - now
    return max(0, int(remaining.total_seconds() + 0.999))
