import copy

import jsonschema
import pytest

from sportello.formschema import (
    DEFINITION_SCHEMA,
    FIELD_TYPES,
    DefinitionError,
    empty_definition,
    iter_fields,
    validate_definition,
)

from .samples import OPTIONS, full, one_field


def errors_of(definition) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        validate_definition(definition)
    return error.value.messages


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(DEFINITION_SCHEMA)


def test_the_full_sample_and_the_empty_definition_are_valid():
    validate_definition(full())
    validate_definition(empty_definition())
    assert empty_definition() == {"pages": [{"fields": []}]}


def test_iter_fields_yields_page_index_and_field_in_order():
    pairs = [(page, field["key"]) for page, field in iter_fields(full())]
    assert pairs[0] == (0, "nome")
    assert pairs[-1] == (1, "privacy")
    assert len(pairs) == 16


def test_definition_error_is_a_value_error_with_messages():
    error = DefinitionError(["uno", "due"])
    assert isinstance(error, ValueError)
    assert error.messages == ["uno", "due"]
    assert str(error) == "uno\ndue"


def test_a_minimal_field_of_every_type_is_valid():
    extra = {
        "select": {"options": OPTIONS},
        "radio": {"options": OPTIONS},
        "multiselect": {"options": OPTIONS},
        "file": {"file": {"types": ["pdf"], "max_size_mb": 5}},
    }
    for kind in FIELD_TYPES:
        if kind == "static":
            validate_definition(
                {"pages": [{"fields": [{"key": "t", "type": "static", "content": {"it": "x"}}]}]}
            )
        else:
            validate_definition(one_field(type=kind, **extra.get(kind, {})))


@pytest.mark.parametrize("definition", [None, [], "pages", 3])
def test_a_definition_must_be_an_object(definition):
    assert errors_of(definition) == ["La definizione deve essere un oggetto JSON."]


def test_pages_are_required_and_not_empty():
    assert errors_of({}) == ["La definizione non contiene l'elenco delle pagine."]
    assert errors_of({"pages": []}) == ["Il modulo deve avere almeno una pagina."]


def test_missing_italian_label_names_the_field():
    assert errors_of(one_field(key="cognome", label={"en": "Surname"})) == [
        "Campo «cognome»: manca l'etichetta in italiano."
    ]


def test_missing_label_and_empty_italian_label():
    definition = one_field(key="cognome")
    del definition["pages"][0]["fields"][0]["label"]
    assert errors_of(definition) == ["Campo «cognome»: manca l'etichetta."]
    assert errors_of(one_field(key="cognome", label={"it": ""})) == [
        "Campo «cognome»: manca l'etichetta in italiano."
    ]


def test_invalid_key_is_reported_by_position():
    messages = errors_of(one_field(key="Cognome"))
    assert len(messages) == 1
    assert messages[0].startswith("Pagina 1, campo 1: la chiave «Cognome» non è valida")


@pytest.mark.parametrize("key", ["1abc", "_abc", "a-b", "a b", "à", "a" * 51, ""])
def test_keys_must_match_the_key_regex(key):
    assert errors_of(one_field(key=key))


def test_keys_of_fifty_characters_are_fine():
    validate_definition(one_field(key="a" * 50))


def test_unknown_type_and_unknown_property_are_reported():
    assert errors_of(one_field(type="signature")) == ["Campo «campo»: il tipo «signature» non è supportato."]
    assert errors_of(one_field(colour="red")) == ["Campo «campo»: proprietà non prevista «colour»."]


def test_unknown_top_level_and_page_properties_are_reported():
    definition = full()
    definition["version"] = 2
    definition["pages"][1]["extra"] = True
    assert errors_of(definition) == [
        "proprietà non prevista «version».",
        "Pagina 2: proprietà non prevista «extra».",
    ]


def test_wrong_json_types_are_reported_in_italian():
    assert errors_of(one_field(required="yes")) == ["Campo «campo»: «required» deve essere vero o falso."]
    assert errors_of(one_field(validation={"max_length": "10"})) == [
        "Campo «campo»: «max_length» deve essere un numero intero."
    ]


def test_all_problems_are_listed_together():
    definition = {
        "pages": [{"fields": [{"key": "a", "type": "text"}, {"key": "b", "type": "nope", "label": {}}]}]
    }
    messages = errors_of(definition)
    assert "Campo «a»: manca l'etichetta." in messages
    assert "Campo «b»: il tipo «nope» non è supportato." in messages
    assert "Campo «b»: manca l'etichetta in italiano." in messages


def test_page_title_needs_italian():
    definition = full()
    definition["pages"][1]["title"] = {"en": "Request"}
    assert errors_of(definition) == ["Pagina 2: manca il titolo in italiano."]


def test_language_codes_must_look_like_languages():
    assert errors_of(one_field(label={"it": "x", "english": "y"})) == [
        "Campo «campo»: «label» contiene il codice lingua non valido «english»."
    ]


def test_keys_must_be_unique_across_pages():
    definition = full()
    definition["pages"][1]["fields"][0]["key"] = "nome"
    assert errors_of(definition) == ["Campo «nome»: la chiave è già usata da un altro campo."]


@pytest.mark.parametrize("kind", ["select", "radio", "multiselect"])
def test_choice_fields_need_options(kind):
    assert errors_of(one_field(type=kind)) == ["Campo «campo»: mancano le opzioni."]
    assert errors_of(one_field(type=kind, options=[])) == ["Campo «campo»: mancano le opzioni."]


def test_option_values_must_be_unique():
    options = [*OPTIONS, {"value": "a", "label": {"it": "Ancora A"}}]
    assert errors_of(one_field(type="select", options=options)) == [
        "Campo «campo»: le opzioni hanno valori ripetuti: «a»."
    ]


def test_option_needs_value_and_italian_label():
    messages = errors_of(one_field(type="radio", options=[{"value": "", "label": {"en": "x"}}]))
    assert messages == ["Campo «campo»: manca l'etichetta in italiano.", "Campo «campo»: manca il valore."]


def test_options_are_refused_on_non_choice_types():
    assert errors_of(one_field(options=OPTIONS)) == [
        "Campo «campo»: le opzioni non si applicano ai campi di tipo «text»."
    ]


def test_pattern_must_compile():
    messages = errors_of(one_field(validation={"pattern": "([a-z"}))
    assert len(messages) == 1
    assert messages[0].startswith("Campo «campo»: l'espressione regolare non è valida")


def test_pattern_message_needs_a_pattern():
    assert errors_of(one_field(validation={"pattern_message": {"it": "Formato errato"}})) == [
        "Campo «campo»: il messaggio per il formato richiede un'espressione regolare («pattern»)."
    ]


def test_min_length_may_not_exceed_max_length():
    assert errors_of(one_field(validation={"min_length": 10, "max_length": 5})) == [
        "Campo «campo»: la lunghezza minima supera la lunghezza massima."
    ]


def test_number_min_may_not_exceed_max_and_must_be_numbers():
    assert errors_of(one_field(type="number", validation={"min": 10, "max": 5})) == [
        "Campo «campo»: il valore minimo supera il valore massimo."
    ]
    assert errors_of(one_field(type="number", validation={"min": "10"})) == [
        "Campo «campo»: «min» deve essere un numero."
    ]


def test_date_limits_must_be_iso_dates_in_order():
    assert errors_of(one_field(type="date", validation={"min": "2024-12-31", "max": "2024-01-01"})) == [
        "Campo «campo»: la data minima è successiva alla data massima."
    ]
    assert errors_of(one_field(type="date", validation={"min": "31/12/2024"})) == [
        "Campo «campo»: «min» deve essere una data nel formato AAAA-MM-GG."
    ]
    assert errors_of(one_field(type="date", validation={"max": "2024-02-30"}))
    assert errors_of(one_field(type="date", validation={"max": 2024}))


@pytest.mark.parametrize(
    ("kind", "rule"),
    [("text", "min"), ("number", "max_length"), ("date", "pattern"), ("select", "min"), ("email", "pattern")],
)
def test_validation_rules_must_suit_the_type(kind, rule):
    value = {"min": 1, "max_length": 3, "pattern": "x"}[rule]
    extra = {"options": OPTIONS} if kind == "select" else {}
    assert errors_of(one_field(type=kind, validation={rule: value}, **extra)) == [
        f"Campo «campo»: la regola «{rule}» non si applica ai campi di tipo «{kind}»."
    ]


def test_prefill_must_suit_the_type():
    validate_definition(one_field(type="text", prefill="fiscal_code"))
    validate_definition(one_field(type="email", prefill="email"))
    assert errors_of(one_field(type="phone", prefill="email")) == [
        "Campo «campo»: la precompilazione «email» non è ammessa per un campo di tipo «phone»."
    ]
    assert errors_of(one_field(type="date", prefill="name"))
    assert errors_of(one_field(prefill="birth_date")) == [
        "Campo «campo»: la precompilazione «birth_date» non è supportata."
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"default": 3}, "il valore predefinito non è del tipo giusto."),
        ({"default": "troppo lungo", "validation": {"max_length": 3}}, "supera la lunghezza massima"),
        ({"type": "number", "default": "abc"}, "non è del tipo giusto"),
        ({"type": "number", "default": True}, "non è del tipo giusto"),
        ({"type": "number", "default": 11, "validation": {"max": 10}}, "fuori dall'intervallo"),
        ({"type": "date", "default": "01/01/2024"}, "formato AAAA-MM-GG"),
        (
            {"type": "date", "default": "2019-01-01", "validation": {"min": "2020-01-01"}},
            "fuori dall'intervallo",
        ),
        ({"type": "checkbox", "default": "true"}, "non è del tipo giusto"),
        ({"type": "select", "options": OPTIONS, "default": "z"}, "«z» non è tra le opzioni"),
        ({"type": "radio", "options": OPTIONS, "default": ["a"]}, "non è del tipo giusto"),
        ({"type": "multiselect", "options": OPTIONS, "default": ["a", "z"]}, "«z» non è tra le opzioni"),
        ({"type": "multiselect", "options": OPTIONS, "default": "a"}, "non è del tipo giusto"),
        ({"type": "address", "default": {"via": "Roma"}}, "non è del tipo giusto"),
        (
            {"type": "file", "file": {"types": ["pdf"], "max_size_mb": 1}, "default": "x"},
            "non può avere un valore",
        ),
    ],
)
def test_defaults_must_have_the_right_type(field, message):
    messages = errors_of(one_field(**field))
    assert len(messages) == 1
    assert message in messages[0]


def test_good_defaults_are_accepted():
    validate_definition(one_field(type="number", default="12.50"))
    validate_definition(one_field(type="number", default=1.5))
    validate_definition(one_field(type="address", default={"town": "Trento", "province": "TN"}))
    validate_definition(one_field(type="checkbox", default=False))


def test_file_settings_are_checked():
    assert errors_of(one_field(type="file")) == ["Campo «campo»: mancano le impostazioni del file."]
    assert errors_of(one_field(type="file", file={"types": ["exe"], "max_size_mb": 5})) == [
        "Campo «campo»: il tipo di file «exe» non è ammesso."
    ]
    assert errors_of(one_field(type="file", file={"types": ["pdf"], "max_size_mb": 0})) == [
        "Campo «campo»: la dimensione massima deve essere maggiore di 0 e al massimo 100 MB."
    ]
    assert errors_of(one_field(type="file", file={"types": [], "max_size_mb": 1})) == [
        "Campo «campo»: mancano i tipi di file ammessi."
    ]
    assert errors_of(one_field(type="file", file={"types": ["pdf", "pdf"], "max_size_mb": 1})) == [
        "Campo «campo»: «types» contiene valori ripetuti."
    ]
    assert errors_of(one_field(file={"types": ["pdf"], "max_size_mb": 1})) == [
        "Campo «campo»: le impostazioni del file si applicano solo ai campi di tipo «file»."
    ]


def test_static_blocks_need_content_and_take_no_input_settings():
    static = {"key": "info", "type": "static"}
    assert errors_of({"pages": [{"fields": [static]}]}) == ["Campo «info»: manca il contenuto."]
    static = {"key": "info", "type": "static", "content": {"it": "x"}, "default": "y", "validation": {}}
    assert errors_of({"pages": [{"fields": [static]}]}) == [
        "Campo «info»: un blocco di testo non può avere «default».",
        "Campo «info»: un blocco di testo non può avere «validation».",
    ]
    assert errors_of(one_field(content={"it": "x"})) == [
        "Campo «campo»: il contenuto si applica solo ai blocchi di testo (tipo «static»)."
    ]


def test_static_blocks_may_have_a_label_and_required_is_ignored():
    static = {
        "key": "info",
        "type": "static",
        "content": {"it": "x"},
        "label": {"it": "Nota"},
        "required": True,
    }
    validate_definition({"pages": [{"fields": [static]}]})


def test_validation_does_not_modify_the_definition():
    definition = full()
    snapshot = copy.deepcopy(definition)
    validate_definition(definition)
    assert definition == snapshot
