import factory

from sportello.municipalities.models import Municipality


def _valid_fiscal_code(n: int) -> str:
    """An 11-digit numeric fiscal code with a correct check digit, distinct for each ``n``."""
    from sportello.core.identifiers import numeric_fiscal_code_is_valid

    base = f"{n:010d}"
    return next(base + str(d) for d in range(10) if numeric_fiscal_code_is_valid(base + str(d)))


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Comune di Prova {n}")
    slug = factory.Sequence(lambda n: f"comune-di-prova-{n}")
    fiscal_code = factory.Sequence(lambda n: _valid_fiscal_code(100000 + n))
    ipa_code = factory.Sequence(lambda n: f"c_t{n:03d}")
    email = factory.LazyAttribute(lambda m: f"info@{m.slug}.example.org")
    pec = factory.LazyAttribute(lambda m: f"protocollo@pec.{m.slug}.example.org")
    address = "Piazza del Municipio 1, 38100 Trento (TN)"
    phone = "0461 000000"
