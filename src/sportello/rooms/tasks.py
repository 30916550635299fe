from django_tasks import task

from . import services


@task()
def room_holds_release_expired() -> int:
    """Periodic: holds past their time free their ranges."""
    return services.room_holds_release_expired()
