"""Every change the cached public pages show retires them (``core.pagecache``), inside the change's transaction:
its services and their deadlines, its FAQ, its rooms (bound to a service card); the municipality's own data:
``municipalities/receivers.py``."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sportello.catalog.models import Service, ServiceDeadline
from sportello.core.pagecache import version_bump
from sportello.municipalities.models import FaqEntry
from sportello.rooms.models import Room


@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
@receiver(post_save, sender=FaqEntry)
@receiver(post_delete, sender=FaqEntry)
@receiver(post_save, sender=Room)  # a room bound to a service (or published) changes its "Accedi al servizio"
@receiver(post_delete, sender=Room)
def municipality_content_changed(sender, instance, **kwargs):
    version_bump(instance.municipality_id)


@receiver(post_save, sender=ServiceDeadline)
@receiver(post_delete, sender=ServiceDeadline)
def deadline_changed(sender, instance, **kwargs):
    municipality_id = Service.objects.filter(pk=instance.service_id).values_list("municipality_id", flat=True)
    for pk in municipality_id:  # none when the service itself is being deleted (its own signal covers it)
        version_bump(pk)
