from django.db import transaction

from .models import Municipality


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
