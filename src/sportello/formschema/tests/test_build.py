import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sportello.formschema import (
    DefinitionError,
    StaticBlockField,
    build_form_class,
    display_values,
    initial_values,
    serialize,
)
from sportello.formschema.build import normalize_number

from .samples import OPTIONS, full, one_field

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def bind(definition, data=None, files=None, language="it", page=None):
    form_class = build_form_class(definition, language=language, page=page)
    return form_class(data or {}, files or {})


def clean_one(value, **field):
    """Bind ``value`` to a one-field form; return (is_valid, cleaned value or error list)."""
    form = bind(one_field(**field), {"campo": value})
    if form.is_valid():
        return True, form.cleaned_data["campo"]
    return False, form.errors["campo"]


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- The form class ----------------------------------------------------------------------------------------


def test_one_form_field_per_definition_field_in_order():
    form = build_form_class(full(), language="it")()
    assert list(form.fields)[:7] == [
        "nome",
        "cognome",
        "codice_fiscale",
        "email",
        "telefono",
        "residenza",
        "nota",
    ]
    assert len(form.fields) == 16
    assert form.fields["cognome"].required
    assert not form.fields["nome"].required


def test_page_restricts_the_form_to_that_page():
    form_class = build_form_class(full(), language="it", page=1)
    assert list(form_class.base_fields)[0] == "motivo"
    assert "nome" not in form_class.base_fields
    assert form_class.page_title == "Richiesta"
    assert form_class.page_index == 1
    assert form_class.page_count == 2


@pytest.mark.parametrize("page", [-1, 2, 99])
def test_a_missing_page_is_an_error(page):
    with pytest.raises(ValueError, match="does not exist"):
        build_form_class(full(), language="it", page=page)


def test_an_invalid_definition_is_refused():
    with pytest.raises(DefinitionError):
        build_form_class({"pages": []}, language="it")


def test_keys_that_shadow_form_attributes_still_work():
    definition = {
        "pages": [
            {
                "fields": [
                    {"key": "data", "type": "text", "label": {"it": "Dati"}},
                    {"key": "clean", "type": "text", "label": {"it": "Pulito"}},
                    {"key": "errors", "type": "text", "label": {"it": "Errori"}},
                ]
            }
        ]
    }
    form = bind(definition, {"data": "x", "clean": "y", "errors": "z"})
    assert form.is_valid()
    assert form.cleaned_data == {"data": "x", "clean": "y", "errors": "z"}


# --- Languages ---------------------------------------------------------------------------------------------


def test_labels_and_help_follow_the_language_with_italian_fallback():
    form = build_form_class(full(), language="en", page=0)()
    assert form.fields["cognome"].label == "Surname"
    assert form.fields["nome"].label == "Name"
    assert form.fields["codice_fiscale"].label == "Codice fiscale"  # no English: Italian
    assert form.fields["cognome"].help_text == "Come sul documento"
    assert form.page_title == "Applicant"
    german = build_form_class(full(), language="de", page=0)()
    assert german.fields["cognome"].label == "Nachname"
    assert german.fields["cognome"].help_text == "Wie im Ausweis"
    assert german.fields["nome"].label == "Nome"


def test_regional_language_codes_use_the_base_language():
    form = build_form_class(full(), language="en-us", page=0)()
    assert form.fields["cognome"].label == "Surname"


def test_unknown_language_falls_back_to_italian():
    form = build_form_class(full(), language="fr", page=0)()
    assert form.fields["cognome"].label == "Cognome"


def test_option_labels_follow_the_language():
    form = build_form_class(full(), language="en", page=1)()
    assert list(form.fields["canale"].choices) == [("a", "First"), ("b", "Seconda"), ("c", "Terza")]


def test_help_text_is_escaped():
    form = bind(one_field(help={"it": "<script>alert(1)</script>"}))
    assert "<script>" not in form.as_div()
    assert "&lt;script&gt;" in form.as_div()


# --- Static blocks -----------------------------------------------------------------------------------------


def test_static_block_is_a_field_in_order_that_templates_can_recognise():
    form = build_form_class(full(), language="it", page=0)()
    bound = form["nota"]
    assert isinstance(bound.field, StaticBlockField)
    assert bound.field.is_static
    assert bound.widget_type == "staticblock"
    assert [b.name for b in form][-1] == "nota"
    assert form.static_keys == ("nota",)
    assert "nota" not in [b.name for b in form.input_fields()]


def test_static_block_renders_escaped_paragraphs():
    form = build_form_class(full(), language="it", page=0)()
    html = str(form["nota"])
    assert html.startswith('<div class="form-static-block"')
    assert "<p>Leggi &lt;b&gt;bene&lt;/b&gt;.</p>" in html
    assert "<p>Grazie.</p>" in html
    assert "Read." in str(build_form_class(full(), language="en", page=0)()["nota"])


def test_static_block_ignores_posted_data_and_stays_out_of_cleaned_data():
    static = {"key": "info", "type": "static", "content": {"it": "x"}, "required": True}
    form = bind({"pages": [{"fields": [static]}]}, {"info": "attack"})
    assert form.is_valid()
    assert form.cleaned_data == {}
    assert "required" not in str(form["info"])


def test_the_whole_form_renders():
    html = build_form_class(full(), language="it")().as_div()
    assert 'class="form-static-block"' in html
    assert 'name="residenza_postcode"' in html


# --- Widgets -----------------------------------------------------------------------------------------------


def test_widget_attributes():
    form = build_form_class(full(), language="it")()
    assert form.fields["nome"].widget.attrs["autocomplete"] == "given-name"
    assert form.fields["cognome"].widget.attrs["autocomplete"] == "family-name"
    assert form.fields["cognome"].widget.attrs["maxlength"] == "50"
    assert form.fields["email"].widget.input_type == "email"
    assert form.fields["email"].widget.attrs["autocomplete"] == "email"
    assert form.fields["telefono"].widget.input_type == "tel"
    assert form.fields["telefono"].widget.attrs["autocomplete"] == "tel"
    assert form.fields["importo"].widget.attrs["inputmode"] == "decimal"
    date_widget = form.fields["data_evento"].widget
    assert date_widget.input_type == "date"
    assert date_widget.attrs["min"] == "2020-01-01"
    assert date_widget.attrs["max"] == "2030-12-31"
    assert form.fields["allegato"].widget.attrs["accept"] == ".pdf,.png,.jpg"
    assert "autocomplete" not in form.fields["descrizione"].widget.attrs


# --- Text --------------------------------------------------------------------------------------------------


def test_html_in_text_is_kept_as_text():
    ok, value = clean_one("<b>Rossi</b><script>alert(1)</script>")
    assert ok
    assert value == "<b>Rossi</b><script>alert(1)</script>"
    form = bind(one_field(), {"campo": "<script>alert(1)</script>"})
    assert "<script>alert" not in str(form["campo"])


def test_text_is_stripped_and_optional_by_default():
    assert clean_one("  Rossi  ") == (True, "Rossi")
    assert clean_one("") == (True, "")


def test_required_text_must_be_given():
    assert clean_one("   ", required=True) == (False, ["Questo campo è obbligatorio."])


def test_text_length_limits():
    assert clean_one("abcdef", validation={"max_length": 5}) == (
        False,
        ["Il testo può contenere al massimo 5 caratteri."],
    )
    assert clean_one("ab", validation={"min_length": 3}) == (
        False,
        ["Il testo deve contenere almeno 3 caratteri."],
    )
    assert clean_one("x" * 501)[0] is False  # the default cap
    assert clean_one("x" * 500)[0] is True


def test_textarea_has_a_larger_default_cap():
    assert clean_one("riga\n" * 900, type="textarea")[0] is True
    assert clean_one("x" * 5001, type="textarea")[0] is False


def test_pattern_must_match_the_whole_value():
    rules = {
        "pattern": "[A-Z]{2}[0-9]{3}",
        "pattern_message": {"it": "Formato: AB123", "en": "Format: AB123"},
    }
    assert clean_one("AB123", validation=rules) == (True, "AB123")
    assert clean_one("xAB123x", validation=rules) == (False, ["Formato: AB123"])
    assert clean_one("AB123\n", validation=rules)[0] is True  # stripped first
    assert clean_one("AB1234", validation=rules)[0] is False


def test_pattern_message_in_the_form_language_and_default_message():
    rules = {"pattern": "[0-9]+", "pattern_message": {"it": "Solo cifre", "en": "Digits only"}}
    form = bind(one_field(validation=rules), {"campo": "abc"}, language="en")
    assert form.errors["campo"] == ["Digits only"]
    assert clean_one("abc", validation={"pattern": "[0-9]+"}) == (
        False,
        ["Il valore non è nel formato richiesto."],
    )


# --- Email, phone, fiscal code, IBAN -----------------------------------------------------------------------


def test_email():
    assert clean_one("mario.rossi@example.it", type="email") == (True, "mario.rossi@example.it")
    assert clean_one("mario.rossi@", type="email") == (False, ["Inserisci un indirizzo email valido."])
    assert clean_one("<a>@example.it", type="email")[0] is False


def test_phone():
    assert clean_one(" +39  333 1234567 ", type="phone") == (True, "+39 333 1234567")
    ok, errors = clean_one("333-1234567", type="phone")
    assert not ok
    assert "numero di telefono non è valido" in errors[0]
    assert clean_one("1" * 40, type="phone")[0] is False


def test_fiscal_code_is_normalised():
    assert clean_one(" rssmra 85t10 a562s ", type="fiscal_code") == (True, "RSSMRA85T10A562S")
    assert clean_one("00355870221", type="fiscal_code") == (True, "00355870221")


def test_bad_fiscal_codes_are_refused():
    ok, errors = clean_one("RSSMRA85T10A562T", type="fiscal_code")
    assert not ok
    assert "codice fiscale non è valido" in errors[0]
    assert clean_one("RSSMRA85T10A562SXXXX", type="fiscal_code")[0] is False


def test_iban_is_normalised_and_checked():
    assert clean_one("it60 x054 2811 1010 0000 0123 456", type="iban") == (
        True,
        "IT60X0542811101000000123456",
    )
    ok, errors = clean_one("IT60X0542811101000000123457", type="iban")
    assert not ok
    assert "IBAN non è valido" in errors[0]


# --- Numbers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", Decimal("12")),
        ("12,50", Decimal("12.50")),
        ("12.50", Decimal("12.50")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1 234,5", Decimal("1234.5")),
        ("-3", Decimal("-3")),
        ("0,1", Decimal("0.1")),
    ],
)
def test_numbers_are_decimals_with_comma_or_dot(typed, expected):
    ok, value = clean_one(typed, type="number")
    assert ok
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize(
    "typed", ["abc", "NaN", "Infinity", "1e5", "12,5,3.1", "1.23,4", "1,2.3", "--1", "1" * 25, "0x10"]
)
def test_non_numbers_are_refused(typed):
    ok, errors = clean_one(typed, type="number")
    assert not ok, typed
    assert errors[0] in ("Inserisci un numero.", "Il numero è troppo lungo.")


def test_number_range():
    rules = {"min": 1, "max": 99.5}
    assert clean_one("99,5", type="number", validation=rules)[0] is True
    assert clean_one("99,51", type="number", validation=rules) == (
        False,
        ["Il valore deve essere al massimo 99.5."],
    )
    assert clean_one("0", type="number", validation=rules) == (False, ["Il valore deve essere almeno 1."])


def test_normalize_number():
    assert normalize_number("1.234.567") == "1234567"
    assert normalize_number("1,234,567") == "1234567"
    assert normalize_number("3'000,5") == "3000.5"
    assert normalize_number("1.234") == "1.234"
    assert normalize_number("12,5,3.1") == "12,5,3.1"
    assert normalize_number("1.23,4") == "1.23,4"


# --- Dates -------------------------------------------------------------------------------------------------


def test_dates_in_iso_and_italian_format():
    assert clean_one("2024-05-01", type="date") == (True, datetime.date(2024, 5, 1))
    assert clean_one("01/05/2024", type="date") == (True, datetime.date(2024, 5, 1))


@pytest.mark.parametrize("typed", ["2024-02-30", "31/02/2024", "domani", "2024/05/01", "<b>1</b>"])
def test_invalid_dates_are_refused(typed):
    assert clean_one(typed, type="date") == (False, ["Inserisci una data valida (gg/mm/aaaa)."])


def test_date_range_messages_use_italian_dates():
    rules = {"min": "2020-01-01", "max": "2030-12-31"}
    assert clean_one("2019-12-31", type="date", validation=rules) == (
        False,
        ["La data non può essere precedente al 01/01/2020."],
    )
    assert clean_one("2031-01-01", type="date", validation=rules) == (
        False,
        ["La data non può essere successiva al 31/12/2030."],
    )
    assert clean_one("2030-12-31", type="date", validation=rules)[0] is True


# --- Choices -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["select", "radio"])
def test_single_choice(kind):
    assert clean_one("b", type=kind, options=OPTIONS) == (True, "b")
    assert clean_one("z", type=kind, options=OPTIONS) == (
        False,
        ["La scelta «z» non è tra le opzioni disponibili."],
    )
    assert clean_one("", type=kind, options=OPTIONS, required=True) == (
        False,
        ["Questo campo è obbligatorio."],
    )
    assert clean_one("", type=kind, options=OPTIONS) == (True, "")


def test_select_offers_an_empty_choice_first():
    form = bind(one_field(type="select", options=OPTIONS))
    assert list(form.fields["campo"].choices)[0] == ("", "Seleziona un'opzione")


def test_multiselect():
    form = bind(one_field(type="multiselect", options=OPTIONS), {"campo": ["a", "c"]})
    assert form.is_valid()
    assert form.cleaned_data["campo"] == ["a", "c"]
    form = bind(one_field(type="multiselect", options=OPTIONS), {"campo": ["a", "<script>"]})
    assert not form.is_valid()
    assert form.errors["campo"] == ["La scelta «<script>» non è tra le opzioni disponibili."]
    assert "<script>" not in form.as_div().replace("&lt;script&gt;", "")
    form = bind(one_field(type="multiselect", options=OPTIONS, required=True), {})
    assert form.errors["campo"] == ["Questo campo è obbligatorio."]


def test_checkbox():
    assert clean_one("on", type="checkbox") == (True, True)
    assert clean_one("", type="checkbox") == (True, False)
    assert clean_one("", type="checkbox", required=True) == (False, ["Seleziona la casella per proseguire."])


# --- Address -----------------------------------------------------------------------------------------------

ADDRESS = {
    "campo_street": "Via Roma 1",
    "campo_postcode": "38122",
    "campo_town": "Trento",
    "campo_province": "tn",
}


def bind_address(data, **field):
    return bind(one_field(type="address", **field), data)


def test_address_cleans_to_a_dict():
    form = bind_address(ADDRESS)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["campo"] == {
        "street": "Via Roma 1",
        "postcode": "38122",
        "town": "Trento",
        "province": "TN",
    }


def test_partial_or_malformed_address_is_refused():
    form = bind_address({**ADDRESS, "campo_town": ""})
    assert form.errors["campo"] == ["Completa tutti i dati dell'indirizzo."]
    form = bind_address({**ADDRESS, "campo_postcode": "3812"})
    assert form.errors["campo"] == ["Il CAP è formato da 5 cifre."]
    form = bind_address({**ADDRESS, "campo_province": "Trento"})
    assert form.errors["campo"] == ["La provincia si indica con la sigla di 2 lettere."]
    form = bind_address({**ADDRESS, "campo_street": "x" * 201})
    assert not form.is_valid()


def test_empty_address_is_none_unless_required():
    form = bind_address({})
    assert form.is_valid()
    assert form.cleaned_data["campo"] is None
    form = bind_address({}, required=True)
    assert form.errors["campo"] == ["Questo campo è obbligatorio."]


def test_address_default_fills_the_widgets():
    definition = one_field(type="address", default={"town": "Trento", "province": "TN"})
    form_class = build_form_class(definition, language="it")
    html = str(form_class(initial=initial_values(definition, {}))["campo"])
    assert 'value="Trento"' in html
    assert 'value="TN"' in html


# --- Files -------------------------------------------------------------------------------------------------

FILE_FIELD = {"type": "file", "file": {"types": ["pdf", "png", "jpg", "jpeg", "txt"], "max_size_mb": 1}}


def clean_file(name, content, **extra):
    form = bind(one_field(**{**FILE_FIELD, **extra}), files={"campo": upload(name, content)})
    if form.is_valid():
        return True, form.cleaned_data["campo"]
    return False, form.errors["campo"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("domanda.pdf", PDF), ("foto.PNG", PNG), ("foto.jpg", JPEG), ("foto.jpeg", JPEG), ("nota.txt", b"ciao")],
)
def test_good_files_are_accepted(name, content):
    ok, value = clean_file(name, content)
    assert ok, value
    assert value.name == name


def test_wrong_extension_is_refused():
    assert clean_file("virus.exe", PDF) == (
        False,
        ["Il tipo di file non è ammesso: sono accettati pdf, png, jpg, jpeg, txt."],
    )
    assert clean_file("senza_estensione", PDF)[0] is False
    assert clean_file("domanda.pdf.exe", PDF)[0] is False


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("domanda.pdf", PNG),
        ("domanda.pdf", b"<html><script>alert(1)</script></html>"),
        ("foto.png", JPEG),
        ("foto.jpg", PDF),
        ("nota.txt", b"MZ\x90\x00\x03\x00"),
    ],
)
def test_content_not_matching_the_extension_is_refused(name, content):
    ok, errors = clean_file(name, content)
    assert not ok
    assert errors[0].startswith("Il contenuto del file non corrisponde alla sua estensione")


def test_too_large_files_are_refused():
    big = PDF + b"0" * (1024 * 1024)
    assert clean_file("domanda.pdf", big) == (
        False,
        ["Il file è troppo grande: la dimensione massima è 1,0\xa0MB."],
    )
    exact = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert clean_file("domanda.pdf", exact)[0] is True


def test_fractional_size_limits():
    field = {"file": {"types": ["pdf"], "max_size_mb": 0.5}}
    assert clean_file("domanda.pdf", PDF + b"0" * 600_000, **field)[0] is False
    assert clean_file("domanda.pdf", PDF + b"0" * 400_000, **field)[0] is True


def test_empty_and_missing_files():
    assert clean_file("domanda.pdf", b"") == (False, ["Il file inviato è vuoto."])
    form = bind(one_field(**FILE_FIELD, required=True))
    assert form.errors["campo"] == ["Questo campo è obbligatorio."]
    form = bind(one_field(**FILE_FIELD))
    assert form.is_valid()
    assert form.cleaned_data["campo"] is None


def test_the_file_is_rewound_after_the_check():
    ok, value = clean_file("domanda.pdf", PDF)
    assert ok
    assert value.read() == PDF


# --- Initial values ----------------------------------------------------------------------------------------

IDENTITY = {
    "name": "Mario",
    "family_name": "Rossi",
    "fiscal_code": "RSSMRA85T10A562S",
    "email": "mario@example.it",
    "phone": "",
}


def test_initial_values_combine_defaults_and_prefill():
    values = initial_values(full(), IDENTITY)
    assert values == {
        "nome": "Mario",
        "cognome": "Rossi",
        "codice_fiscale": "RSSMRA85T10A562S",
        "email": "mario@example.it",
        "motivo": "b",
        "servizi": ["a", "c"],
        "importo": Decimal("10"),
        "data_evento": datetime.date(2024, 5, 1),
    }


def test_prefill_overrides_the_default_but_blank_identity_values_do_not():
    definition = one_field(default="Anonimo", prefill="name")
    assert initial_values(definition, {"name": "Giulia"}) == {"campo": "Giulia"}
    assert initial_values(definition, {"name": "  "}) == {"campo": "Anonimo"}
    assert initial_values(definition, {}) == {"campo": "Anonimo"}


def test_spid_fiscal_number_prefix_is_removed():
    definition = one_field(type="fiscal_code", prefill="fiscal_code")
    assert initial_values(definition, {"fiscal_code": "TINIT-rssmra85t10a562s"}) == {
        "campo": "RSSMRA85T10A562S"
    }


def test_initial_values_render_in_the_form():
    definition = full()
    form = build_form_class(definition, language="it")(initial=initial_values(definition, IDENTITY))
    assert 'value="Rossi"' in str(form["cognome"])
    assert 'value="2024-05-01"' in str(form["data_evento"])
    assert "selected" in str(form["motivo"]).split('value="b"')[1][:20]


def test_initial_values_do_not_share_mutable_defaults():
    definition = full()
    values = initial_values(definition, {})
    values["servizi"].append("b")
    assert definition["pages"][1]["fields"][2]["default"] == ["a", "c"]


# --- Serialize and display ---------------------------------------------------------------------------------

GOOD_DATA = {
    "nome": "Mario",
    "cognome": "<b>Rossi</b>",
    "codice_fiscale": "rssmra85t10a562s",
    "email": "mario@example.it",
    "telefono": "+39 333 1234567",
    "residenza_street": "Via Roma 1",
    "residenza_postcode": "38122",
    "residenza_town": "Trento",
    "residenza_province": "TN",
    "motivo": "a",
    "canale": "c",
    "servizi": ["a", "b"],
    "importo": "12,50",
    "data_evento": "2024-05-01",
    "descrizione": "",
    "iban": "IT60 X054 2811 1010 0000 0123 456",
    "privacy": "on",
}


def valid_full_form():
    form = bind(full(), GOOD_DATA, {"allegato": upload("domanda.pdf", PDF)})
    assert form.is_valid(), form.errors
    return form


def test_serialize_produces_json_safe_data_without_floats():
    data = serialize(full(), valid_full_form().cleaned_data)
    assert data == {
        "nome": "Mario",
        "cognome": "<b>Rossi</b>",
        "codice_fiscale": "RSSMRA85T10A562S",
        "email": "mario@example.it",
        "telefono": "+39 333 1234567",
        "residenza": {"street": "Via Roma 1", "postcode": "38122", "town": "Trento", "province": "TN"},
        "motivo": "a",
        "canale": "c",
        "servizi": ["a", "b"],
        "importo": "12.50",
        "data_evento": "2024-05-01",
        "descrizione": "",
        "iban": "IT60X0542811101000000123456",
        "allegato": {"name": "domanda.pdf", "size": len(PDF)},
        "privacy": True,
    }
    assert json.loads(json.dumps(data)) == data
    assert "nota" not in data


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12"), 12),
        (Decimal("12.00"), 12),
        (Decimal("12.5"), "12.5"),
        (Decimal("-0.25"), "-0.25"),
        (None, None),
    ],
)
def test_numbers_serialise_as_int_or_decimal_string(value, expected):
    assert serialize(one_field(type="number"), {"campo": value}) == {"campo": expected}


def test_serialize_empty_values_and_partial_forms():
    definition = full()
    form = bind(definition, {"privacy": "on"}, page=1)
    assert form.is_valid(), form.errors
    data = serialize(definition, form.cleaned_data)
    assert "nome" not in data
    assert data["importo"] is None
    assert data["data_evento"] is None
    assert data["allegato"] is None
    assert data["servizi"] == []
    assert data["motivo"] == ""


def test_display_values_for_a_summary():
    data = serialize(full(), valid_full_form().cleaned_data)
    rows = display_values(full(), data, "it")
    assert rows == [
        ("Nome", "Mario"),
        ("Cognome", "<b>Rossi</b>"),
        ("Codice fiscale", "RSSMRA85T10A562S"),
        ("Email", "mario@example.it"),
        ("Telefono", "+39 333 1234567"),
        ("Residenza", "Via Roma 1, 38122 Trento (TN)"),
        ("Motivo", "Prima"),
        ("Canale", "Terza"),
        ("Servizi", "Prima, Seconda"),
        ("Importo", "12,50"),
        ("Data dell'evento", "01/05/2024"),
        ("Descrizione", "—"),
        ("IBAN", "IT60X0542811101000000123456"),
        ("Allegato", f"domanda.pdf ({len(PDF)}\xa0bytes)"),
        ("Accetto", "Sì"),
    ]


def test_display_values_in_english_and_booleans():
    data = {"cognome": "Rossi", "canale": "a", "importo": "3.5", "privacy": False}
    rows = dict(display_values(full(), data, "en"))
    assert rows == {"Surname": "Rossi", "Canale": "First", "Importo": "3.5", "Accetto": "No"}


def test_display_values_tolerate_python_values_and_unknown_options():
    data = {"data_evento": datetime.date(2024, 12, 25), "motivo": "zzz", "importo": 7, "sconosciuto": "x"}
    assert display_values(full(), data, "it") == [
        ("Motivo", "zzz"),
        ("Importo", "7"),
        ("Data dell'evento", "25/12/2024"),
    ]


def test_display_values_do_not_leak_the_language():
    with translation.override("it"):
        display_values(full(), {"privacy": True}, "en")
        assert translation.get_language() == "it"


@pytest.mark.parametrize(
    "typed, ok", [("3", True), ("12", True), ("3,0", True), ("3.5", False), ("3,5", False)]
)
def test_integer_numbers_refuse_decimals(typed, ok):
    rules = {"integer": True, "min": 1, "max": 120}
    result = clean_one(typed, type="number", validation=rules)
    assert result[0] is ok
    if not ok:
        assert result[1] == ["Inserisci un numero intero, senza decimali."]
    form = build_form_class(one_field(type="number", validation=rules), language="it")()
    assert form.fields["campo"].widget.attrs["inputmode"] == "numeric"


def test_demo_expected_attendance_is_an_integer():
    from sportello.demo.catalog import ROOMS
    from sportello.formschema import iter_fields

    definition = ROOMS["form"]
    [(page, spec)] = [(p, f) for p, f in iter_fields(definition) if f["key"] == "partecipanti"]
    assert spec["validation"]["integer"] is True
    field = build_form_class(definition, language="it", page=page).base_fields["partecipanti"]
    with pytest.raises(Exception, match="numero intero"):
        field.clean("3.5")
    assert field.clean("35") == 35


def test_a_privacy_checkbox_links_the_notice_and_only_checkboxes_may():
    from sportello.formschema import validate_definition

    form_class = build_form_class(one_field(type="checkbox", privacy_notice=True), language="it")
    assert form_class.base_fields["campo"].privacy_notice is True
    assert (
        build_form_class(one_field(type="checkbox"), language="it").base_fields["campo"].privacy_notice
        is False
    )
    with pytest.raises(DefinitionError, match="caselle di spunta"):
        validate_definition(one_field(type="text", privacy_notice=True))
