"""A change to a municipality's row replaces its page version token inside the change's transaction: it retires
the cached public pages (``core.pagecache``) and every process's remembered copy of the row
(``selectors.municipality_resolve``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sportello.core.pagecache import version_bump

from .models import Municipality


@receiver(post_save, sender=Municipality)
@receiver(post_delete, sender=Municipality)
def municipality_changed(sender, instance, **kwargs):
    version_bump(instance.pk)
