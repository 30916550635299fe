from django.db import models


class PeriodicTick(models.Model):
    """One row per periodic job and tick: whoever inserts it enqueues the job's task, so with schedulers on many
    machines each tick runs once (the unique constraint decides, inside the enqueueing transaction)."""

    job = models.CharField(max_length=100)
    tick = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "tick"], name="core_periodictick_once_per_tick")
        ]
        indexes = [models.Index(fields=["tick"], name="core_periodictick_tick")]

    def __str__(self):
        return f"{self.job} @ {self.tick:%Y-%m-%d %H:%M:%S}"


class PageCacheVersion(models.Model):
    """The current version of a municipality's cached public pages (``core.pagecache``): a random token replaced,
    inside the writing transaction, by every change those pages show. Pages cached under an older token are never
    served again. It lives in the database so that every web process and node sees a change at once."""

    municipality_id = models.PositiveBigIntegerField(primary_key=True)
    version = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.municipality_id}: {self.version}"
