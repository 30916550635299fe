import pytest
from django.core.exceptions import ValidationError

from sportello.municipalities.models import Municipality
from sportello.municipalities.services import municipality_create


def test_creating_with_a_bad_fiscal_code_writes_nothing(db):
    with pytest.raises(ValidationError) as error:
        municipality_create(
            name="Comune di Mori",
            slug="comune-di-mori",
            fiscal_code="00125390220",
            ipa_code="c_f728",
            email="a@b.it",
        )
    assert "fiscal_code" in error.value.message_dict
    assert not Municipality.objects.exists()


def test_create_enables_all_languages_with_italian_first(db):
    municipality = municipality_create(
        name="Comune di Mori",
        slug="comune-di-mori",
        fiscal_code="00125390229",
        ipa_code="c_f728",
        email="a@b.it",
    )
    assert municipality.languages == ["it", "en", "de"]
    assert municipality.default_language == "it"
