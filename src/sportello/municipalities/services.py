from django.db import transaction

from .models import FaqEntry, Municipality


@transaction.atomic
def municipality_create(
    *,
    name: str,
    slug: str,
    fiscal_code: str,
    ipa_code: str,
    email: str,
    **fields,
) -> Municipality:
    """Create a municipality after full validation (bad data raises ``ValidationError``, writes nothing)."""
    municipality = Municipality(
        name=name, slug=slug, fiscal_code=fiscal_code, ipa_code=ipa_code, email=email, **fields
    )
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def municipality_update(*, municipality: Municipality, **fields) -> Municipality:
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def faq_entry_save(*, municipality: Municipality, entry: FaqEntry | None = None, **fields) -> FaqEntry:
    """Create (``entry`` None) or update one of the municipality's FAQ entries after full validation."""
    if entry is None:
        entry = FaqEntry(municipality=municipality)
    elif entry.municipality_id != municipality.pk:
        raise FaqEntry.DoesNotExist
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def faq_entry_delete(*, municipality: Municipality, entry: FaqEntry) -> None:
    FaqEntry.objects.for_municipality(municipality).filter(pk=entry.pk).delete()
