"""The form-definition engine: a JSON definition -> a Django form -> validated, JSON-safe data.

Pure code (no models, no views, no ORM). See ``schema`` for the format, ``build`` for forms and data,
``formio`` for importing form.io exports, ``validators`` for fiscal codes, IBANs and phone numbers.
"""

from .build import (
    DefinitionForm,
    StaticBlockField,
    build_form_class,
    display_values,
    initial_values,
    serialize,
)
from .formio import ImportResult, import_formio
from .schema import (
    DEFINITION_SCHEMA,
    FIELD_TYPES,
    DefinitionError,
    empty_definition,
    iter_fields,
    validate_definition,
)
from .validators import (
    phone_is_valid,
    validate_fiscal_code,
    validate_iban,
    validate_phone,
)

__all__ = [
    "DEFINITION_SCHEMA",
    "FIELD_TYPES",
    "DefinitionError",
    "DefinitionForm",
    "ImportResult",
    "StaticBlockField",
    "build_form_class",
    "display_values",
    "empty_definition",
    "import_formio",
    "initial_values",
    "iter_fields",
    "phone_is_valid",
    "serialize",
    "validate_definition",
    "validate_fiscal_code",
    "validate_iban",
    "validate_phone",
]
