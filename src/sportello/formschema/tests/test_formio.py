import json
from pathlib import Path

import pytest

from sportello.formschema import build_form_class, import_formio, iter_fields, validate_definition
from sportello.formschema.formio import html_to_text, sanitize_key

FIXTURE = Path(__file__).parent / "fixtures" / "formio_cie.json"


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def fields_by_key(definition: dict) -> dict:
    return {field["key"]: field for _page, field in iter_fields(definition)}


def import_components(*components, display="form"):
    return import_formio({"display": display, "components": list(components)})


# --- The CIE fixture ---------------------------------------------------------------------------------------


def test_the_cie_wizard_imports_into_a_valid_three_page_definition():
    result = import_formio(load_fixture())
    validate_definition(result.definition)
    pages = result.definition["pages"]
    assert [page["title"]["it"] for page in pages] == [
        "Dati del richiedente",
        "Dettagli della richiesta",
        "Dichiarazioni",
    ]
    assert [field["key"] for field in pages[0]["fields"]] == [
        "applicant_data_nome",
        "cognome",
        "fiscal_code",
        "datanascita",
        "email",
        "telefono",
        "indirizzo",
        "comune_nascita",
    ]
    assert [field["key"] for field in pages[1]["fields"]] == [
        "infocosti",
        "motivo",
        "donazioneorgani",
        "denuncia",
    ]
    assert [field["key"] for field in pages[2]["fields"]] == ["html", "privacy"]


def test_the_cie_wizard_maps_types_and_settings():
    fields = fields_by_key(import_formio(load_fixture()).definition)
    assert fields["applicant_data_nome"] == {
        "key": "applicant_data_nome",
        "type": "text",
        "label": {"it": "Nome"},
        "required": True,
        "prefill": "name",
        "validation": {"max_length": 100},
    }
    assert fields["cognome"]["prefill"] == "family_name"
    assert fields["fiscal_code"]["type"] == "fiscal_code"
    assert fields["fiscal_code"]["prefill"] == "fiscal_code"
    assert fields["fiscal_code"]["help"] == {
        "it": "Il codice fiscale di 16 caratteri riportato sulla tessera sanitaria."
    }
    assert fields["datanascita"]["type"] == "date"
    assert fields["datanascita"]["validation"] == {"min": "1900-01-01"}
    assert fields["email"]["prefill"] == "email"
    assert fields["telefono"]["type"] == "phone"
    assert fields["telefono"]["help"] == {"it": "Ti chiameremo solo in caso di necessità."}
    assert fields["indirizzo"]["type"] == "address"
    assert fields["motivo"]["type"] == "select"
    assert fields["motivo"]["default"] == "rinnovo"
    assert [o["value"] for o in fields["motivo"]["options"]][:2] == ["primo_rilascio", "rinnovo"]
    assert fields["donazioneorgani"]["type"] == "radio"
    assert fields["denuncia"]["type"] == "file"
    assert fields["denuncia"]["file"] == {"types": ["pdf", "p7m"], "max_size_mb": 10}
    assert fields["privacy"] == {
        "key": "privacy",
        "type": "checkbox",
        "label": {"it": "Accetto il trattamento dei dati personali"},
        "required": True,
        "default": False,
    }


def test_the_cie_content_blocks_become_plain_text():
    fields = fields_by_key(import_formio(load_fixture()).definition)
    assert fields["infocosti"]["type"] == "static"
    assert fields["infocosti"]["content"]["it"] == (
        "Costo: 22,21 € da pagare con pagoPA.\n\n"
        "Porta una fototessera recente.\nIl documento arriva per posta in 6 giorni lavorativi."
    )
    assert fields["html"]["content"]["it"] == "Dichiaro di aver letto l'informativa sulla privacy."


def test_the_cie_report_lists_what_was_not_imported():
    report = import_formio(load_fixture()).report
    assert report == [
        "Componente «Codice fiscale»: importato come codice fiscale.",
        "Componente «Comune di nascita»: le proprietà personalizzate (anagrafica) non sono state importate.",
        "Componente «Denuncia di smarrimento o furto»: i tipi di file application/msword non sono ammessi "
        "e sono stati ignorati.",
        "Componente «Denuncia di smarrimento o furto»: le condizioni di visibilità non sono state importate.",
        "Componente «Figli minori da iscrivere sul documento» (tipo datagrid) non importato: tipo non supportato.",
        "Componente «Firma» (tipo signature) non importato: tipo non supportato.",
    ]


def test_the_imported_cie_form_builds_and_validates():
    definition = import_formio(load_fixture()).definition
    for page in range(3):
        build_form_class(definition, language="it", page=page)()
    form = build_form_class(definition, language="it", page=2)({"privacy": "on"})
    assert form.is_valid(), form.errors


# --- Plain forms and layout --------------------------------------------------------------------------------


def test_layout_components_are_flattened_in_a_plain_form():
    result = import_formio(
        {
            "display": "form",
            "components": [
                {
                    "type": "panel",
                    "title": "Sezione",
                    "input": False,
                    "components": [
                        {"type": "textfield", "key": "a", "label": "A", "input": True},
                        {
                            "type": "fieldset",
                            "legend": "Gruppo",
                            "input": False,
                            "components": [{"type": "textarea", "key": "b", "label": "B", "input": True}],
                        },
                    ],
                },
                {
                    "type": "columns",
                    "input": False,
                    "columns": [
                        {"components": [{"type": "email", "key": "c", "label": "C", "input": True}]},
                        {"components": [{"type": "number", "key": "d", "label": "D", "input": True}]},
                    ],
                },
                {
                    "type": "well",
                    "input": False,
                    "components": [
                        {
                            "type": "container",
                            "key": "cont",
                            "input": True,
                            "components": [{"type": "checkbox", "key": "e", "label": "E", "input": True}],
                        }
                    ],
                },
                {
                    "type": "table",
                    "input": False,
                    "rows": [
                        [{"components": [{"type": "phoneNumber", "key": "f", "label": "F", "input": True}]}]
                    ],
                },
                {"type": "button", "key": "submit", "label": "Invia", "input": True},
            ],
        }
    )
    assert len(result.definition["pages"]) == 1
    assert "title" not in result.definition["pages"][0]
    assert [(f["key"], f["type"]) for f in result.definition["pages"][0]["fields"]] == [
        ("a", "text"),
        ("b", "textarea"),
        ("c", "email"),
        ("d", "number"),
        ("e", "checkbox"),
        ("f", "phone"),
    ]
    assert result.report == []


def test_wizard_components_outside_panels_go_to_an_untitled_page():
    result = import_components(
        {"type": "panel", "title": "Uno", "components": [{"type": "textfield", "key": "a", "label": "A"}]},
        {"type": "textfield", "key": "b", "label": "B"},
        display="wizard",
    )
    assert result.definition["pages"] == [
        {"title": {"it": "Uno"}, "fields": [{"key": "a", "type": "text", "label": {"it": "A"}}]},
        {"fields": [{"key": "b", "type": "text", "label": {"it": "B"}}]},
    ]


@pytest.mark.parametrize("data", [{}, {"display": "wizard", "components": []}, {"components": []}])
def test_empty_exports_give_an_empty_valid_definition(data):
    result = import_formio(data)
    assert result.definition == {"pages": [{"fields": []}]}
    validate_definition(result.definition)


@pytest.mark.parametrize("data", [[], "x", {"components": "nope"}])
def test_non_formio_data_is_reported(data):
    result = import_formio(data)
    assert result.definition == {"pages": [{"fields": []}]}
    assert result.report == ["Il file non è un modulo form.io: manca l'elenco dei componenti."]


# --- Keys --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Cognome", "cognome"),
        ("applicant.data.name", "applicant_data_name"),
        ("data-di nascita", "data_di_nascita"),
        ("1campo", "campo_1campo"),
        ("_x", "x"),
        ("città", "citt"),
        ("", "campo"),
        ("!!!", "campo"),
        ("a" * 80, "a" * 50),
    ],
)
def test_sanitize_key(raw, key):
    assert sanitize_key(raw) == key


def test_duplicate_keys_are_numbered():
    result = import_components(
        {"type": "textfield", "key": "nomeCampo", "label": "A"},
        {"type": "textfield", "key": "NOMECAMPO", "label": "B"},
        {"type": "textfield", "key": "nome.campo", "label": "C"},
        {"type": "textfield", "key": "nomecampo_2", "label": "D"},
    )
    keys = [f["key"] for f in result.definition["pages"][0]["fields"]]
    assert keys == ["nomecampo", "nomecampo_2", "nome_campo", "nomecampo_2_2"]
    validate_definition(result.definition)


def test_long_duplicate_keys_stay_within_fifty_characters():
    result = import_components(*({"type": "textfield", "key": "k" * 60, "label": str(n)} for n in range(12)))
    keys = [f["key"] for f in result.definition["pages"][0]["fields"]]
    assert len(set(keys)) == 12
    assert all(len(key) <= 50 for key in keys)
    assert keys[-1].endswith("_12")


def test_missing_key_and_label():
    result = import_components({"type": "textfield", "label": "Nome del padre"}, {"type": "textfield"})
    fields = result.definition["pages"][0]["fields"]
    assert fields[0]["key"] == "nome_del_padre"
    assert fields[1] == {"key": "campo", "type": "text", "label": {"it": "campo"}}


# --- Field mapping -----------------------------------------------------------------------------------------


def test_text_validation_and_help():
    result = import_components(
        {
            "type": "textfield",
            "key": "targa",
            "label": "Targa",
            "description": "<em>Es.</em> AB123CD",
            "tooltip": "ignorato perché c'è description",
            "defaultValue": "AA000AA",
            "validate": {
                "required": True,
                "minLength": 7,
                "maxLength": "7",
                "pattern": "[A-Z]{2}[0-9]{3}[A-Z]{2}",
                "customMessage": "Formato targa non valido",
            },
        }
    )
    assert result.definition["pages"][0]["fields"][0] == {
        "key": "targa",
        "type": "text",
        "label": {"it": "Targa"},
        "help": {"it": "Es. AB123CD"},
        "required": True,
        "validation": {
            "min_length": 7,
            "max_length": 7,
            "pattern": "[A-Z]{2}[0-9]{3}[A-Z]{2}",
            "pattern_message": {"it": "Formato targa non valido"},
        },
        "default": "AA000AA",
    }


def test_a_pattern_that_python_cannot_compile_is_dropped_and_reported():
    result = import_components(
        {"type": "textfield", "key": "x", "label": "X", "validate": {"pattern": "(?<name>a)"}}
    )
    assert "validation" not in result.definition["pages"][0]["fields"][0]
    assert result.report == ["Componente «X»: l'espressione regolare non è valida ed è stata ignorata."]


def test_inconsistent_values_are_dropped_and_reported():
    result = import_components(
        {
            "type": "textfield",
            "key": "x",
            "label": "X",
            "defaultValue": "troppo lungo",
            "validate": {"minLength": 5, "maxLength": 2},
        }
    )
    assert result.definition["pages"][0]["fields"][0] == {"key": "x", "type": "text", "label": {"it": "X"}}
    assert result.report == ["Componente «X»: ignorati i valori non validi (default, validation)."]


def test_number_limits_and_default():
    result = import_components(
        {"type": "number", "key": "n", "label": "N", "defaultValue": 3, "validate": {"min": 1, "max": 10.5}},
        {"type": "currency", "key": "euro", "label": "Euro", "defaultValue": "abc"},
    )
    fields = result.definition["pages"][0]["fields"]
    assert fields[0] == {
        "key": "n",
        "type": "number",
        "label": {"it": "N"},
        "validation": {"min": 1, "max": 10.5},
        "default": 3,
    }
    assert fields[1] == {"key": "euro", "type": "number", "label": {"it": "Euro"}}


def test_date_components():
    result = import_components(
        {"type": "datetime", "key": "quando", "label": "Quando", "enableTime": True},
        {"type": "day", "key": "giorno", "label": "Giorno"},
        {
            "type": "datetime",
            "key": "data",
            "label": "Data",
            "enableTime": False,
            "defaultValue": "2024-03-01",
        },
    )
    fields = result.definition["pages"][0]["fields"]
    assert [f["type"] for f in fields] == ["date", "date", "date"]
    assert fields[2]["default"] == "2024-03-01"
    assert result.report == ["Componente «Quando»: l'ora non viene importata, resta solo la data."]


def test_choice_components():
    values = [{"label": "Uno", "value": "1"}, {"label": "Due", "value": 2}, {"label": "Ancora", "value": "1"}]
    result = import_components(
        {"type": "select", "key": "s", "label": "S", "data": {"values": values}},
        {"type": "select", "key": "sm", "label": "SM", "multiple": True, "data": {"values": values}},
        {"type": "radio", "key": "r", "label": "R", "values": values, "defaultValue": "9"},
        {
            "type": "selectboxes",
            "key": "sb",
            "label": "SB",
            "values": values,
            "defaultValue": {"1": True, "2": False},
        },
    )
    fields = fields_by_key(result.definition)
    assert fields["s"]["options"] == [
        {"value": "1", "label": {"it": "Uno"}},
        {"value": "2", "label": {"it": "Due"}},
    ]
    assert fields["sm"]["type"] == "multiselect"
    assert fields["r"]["type"] == "radio"
    assert "default" not in fields["r"]
    assert fields["sb"]["type"] == "multiselect"
    assert fields["sb"]["default"] == ["1"]
    assert "Componente «R»: ignorati i valori non validi (default)." in result.report
    assert result.report.count("Componente «S»: l'opzione ripetuta «1» è stata ignorata.") == 1


def test_choices_from_an_external_source_or_without_options_are_skipped():
    result = import_components(
        {
            "type": "select",
            "key": "comune",
            "label": "Comune",
            "dataSrc": "url",
            "data": {"url": "https://x"},
        },
        {"type": "radio", "key": "vuoto", "label": "Vuoto", "values": []},
    )
    assert result.definition["pages"][0]["fields"] == []
    assert result.report == [
        "Componente «Comune» (tipo select) non importato: le opzioni provengono da una fonte esterna (url).",
        "Componente «Vuoto» (tipo radio) non importato: nessuna opzione definita.",
    ]


@pytest.mark.parametrize(
    ("pattern", "size", "expected"),
    [
        (".pdf,.p7m", "10MB", {"types": ["pdf", "p7m"], "max_size_mb": 10}),
        ("application/pdf,image/*", "500KB", {"types": ["pdf", "jpg", "jpeg", "png"], "max_size_mb": 0.488}),
        ("*", "1GB", {"types": ["pdf", "jpg", "jpeg", "png", "p7m"], "max_size_mb": 100}),
        ("", "", {"types": ["pdf", "jpg", "jpeg", "png", "p7m"], "max_size_mb": 10}),
        (".PDF, .Docx ,.odt", "2.5 mb", {"types": ["pdf", "docx", "odt"], "max_size_mb": 2.5}),
        (".exe", "abc", {"types": ["pdf", "jpg", "jpeg", "png", "p7m"], "max_size_mb": 10}),
    ],
)
def test_file_components(pattern, size, expected):
    result = import_components(
        {"type": "file", "key": "doc", "label": "Doc", "filePattern": pattern, "fileMaxSize": size}
    )
    assert result.definition["pages"][0]["fields"][0]["file"] == expected


def test_sdcfile_is_a_file_and_multiple_uploads_are_reported():
    result = import_components({"type": "sdcfile", "key": "doc", "label": "Doc", "multiple": True})
    assert result.definition["pages"][0]["fields"][0]["type"] == "file"
    assert result.report == ["Componente «Doc»: è ammesso un solo file invece di più file."]


def test_oversized_limits_are_reduced_and_reported():
    result = import_components({"type": "file", "key": "doc", "label": "Doc", "fileMaxSize": "1GB"})
    assert result.report == ["Componente «Doc»: dimensione massima ridotta a 100 MB."]


def test_non_input_and_unknown_components():
    result = import_components(
        {"type": "button", "key": "annulla", "label": "Annulla", "input": True},
        {"type": "textfield", "key": "submit", "label": "Invia"},
        {"type": "hidden", "key": "segreto", "label": "", "input": True},
        {"type": "editgrid", "key": "righe", "label": "Righe", "input": True},
        {"type": "horizontalRule", "key": "hr", "input": False},
        {"type": "content", "key": "vuoto", "html": "<p> </p>", "input": False},
    )
    assert result.definition["pages"][0]["fields"] == []
    assert result.report == [
        "Componente «segreto» (tipo hidden) non importato: tipo non supportato.",
        "Componente «Righe» (tipo editgrid) non importato: tipo non supportato.",
    ]


def test_custom_logic_is_reported():
    result = import_components(
        {"type": "textfield", "key": "a", "label": "A", "customConditional": "show = data.b == 1"},
        {"type": "number", "key": "b", "label": "B", "calculateValue": "value = 1"},
        {"type": "number", "key": "c", "label": "C", "validate": {"custom": "valid = true"}},
        {"type": "textfield", "key": "d", "label": "D", "conditional": {"show": None, "when": None}},
    )
    assert result.report == [
        "Componente «A»: le condizioni di visibilità non sono state importate.",
        "Componente «B»: i calcoli e le validazioni personalizzate non sono stati importati.",
        "Componente «C»: i calcoli e le validazioni personalizzate non sono stati importati.",
    ]


def test_identity_fields_are_recognised_by_the_last_key_segment():
    result = import_components(
        {"type": "textfield", "key": "applicant.data.surname", "label": "Cognome"},
        {"type": "textfield", "key": "codice_fiscale", "label": "CF"},
        {"type": "phoneNumber", "key": "cellulare", "label": "Cellulare"},
        {"type": "textfield", "key": "email", "label": "Email come testo"},
    )
    fields = result.definition["pages"][0]["fields"]
    assert fields[0]["prefill"] == "family_name"
    assert fields[1]["type"] == "fiscal_code"
    assert fields[2]["prefill"] == "phone"
    assert "prefill" not in fields[3]


def test_html_to_text():
    assert html_to_text("<h2>Titolo</h2><ul><li>uno</li><li>due &amp; tre</li></ul>") == (
        "Titolo\n\n- uno\n\n- due & tre"
    )
    assert html_to_text("<style>p{}</style><p>a<br/>b</p><script>evil()</script>") == "a\nb"
    assert html_to_text("<img src=x onerror=alert(1)>") == ""


def test_every_import_passes_validation_even_with_hostile_input():
    hostile = {
        "display": "wizard",
        "components": [
            {"type": "panel", "title": "<b>P</b>", "components": [None, 3, {"type": None}]},
            {"type": "textfield", "key": None, "label": None, "validate": "x", "defaultValue": {"a": 1}},
            {"type": "select", "key": "s", "label": "S", "data": None},
            {
                "type": "radio",
                "key": "r",
                "label": "R",
                "values": [None, {"value": ""}, {"value": "x" * 200}],
            },
            {"type": "number", "key": "n", "label": "N", "validate": {"min": "abc", "max": True}},
            {"type": "checkbox", "key": "c", "label": "C", "defaultValue": "yes"},
            {"type": "file", "key": "f", "label": "F", "fileMaxSize": "0KB"},
            {"type": "address", "key": "a", "label": "A", "defaultValue": "Via Roma"},
        ],
    }
    result = import_formio(hostile)
    validate_definition(result.definition)
