import pytest

from sportello.notifications.io_content import (
    MARKDOWN_MAX,
    MARKDOWN_MIN,
    SUBJECT_MAX,
    SUBJECT_MIN,
    ContentError,
    io_content_render,
    markdown_render,
    markdown_sanitize,
    subject_render,
)

FOOTER = "Messaggio inviato dal Comune di Mori per il servizio «Carta d'identità» tramite Sportello."


@pytest.mark.parametrize("length", [SUBJECT_MIN, SUBJECT_MIN + 1, 60, SUBJECT_MAX - 1, SUBJECT_MAX])
def test_subject_within_limits_is_kept(length):
    subject = "a" * length
    assert subject_render(subject, fallback="Servizio") == subject


@pytest.mark.parametrize("length", [SUBJECT_MAX + 1, 500])
def test_long_subject_is_cut_to_the_maximum_with_an_ellipsis(length):
    rendered = subject_render("parola " * length, fallback="Servizio")
    assert len(rendered) <= SUBJECT_MAX and rendered.endswith("…")
    assert len(subject_render("x" * length, fallback="S")) == SUBJECT_MAX


@pytest.mark.parametrize("subject", ["", "Esito", "a" * (SUBJECT_MIN - 1)])
def test_short_subject_is_completed_with_the_service_name(subject):
    rendered = subject_render(subject, fallback="Carta d'identità elettronica")
    assert SUBJECT_MIN <= len(rendered) <= SUBJECT_MAX
    assert rendered.startswith("Carta d'identità elettronica")


def test_short_subject_with_a_short_fallback_is_padded_to_the_minimum():
    assert len(subject_render("Ok", fallback="CIE")) == SUBJECT_MIN


def test_subject_is_one_line_of_plain_text():
    assert subject_render("**Esito**\n della  <b>domanda</b> #1", fallback="x") == "Esito della domanda 1"


def test_body_at_the_minimum_is_accepted_and_under_it_refused():
    footer = "f" * MARKDOWN_MIN
    assert markdown_render("", footer=footer) == footer
    with pytest.raises(ContentError):
        markdown_render("", footer="f" * (MARKDOWN_MIN - 1))
    assert len(markdown_render("x", footer="f" * (MARKDOWN_MIN - 3))) == MARKDOWN_MIN


@pytest.mark.parametrize("extra", [-1, 0, 1, 5000])
def test_body_around_the_maximum_ends_within_it_with_the_footer(extra):
    room = MARKDOWN_MAX - len(FOOTER) - 2
    body = ("parola " * 3000)[: room + extra].strip()
    rendered = markdown_render(body, footer=FOOTER)
    assert MARKDOWN_MIN <= len(rendered) <= MARKDOWN_MAX
    assert rendered.endswith(FOOTER)
    assert rendered.count("…") == (1 if len(body) > room else 0)


def test_allowed_formatting_is_kept():
    text = "# Titolo\n\n## Sottotitolo\n\n**grassetto** e *corsivo* e _corsivo_\n\n- uno\n- due\n\n1. primo\n2. secondo"
    assert markdown_sanitize(text) == text


def test_disallowed_formatting_becomes_plain_text():
    text = (
        "Vedi [la pratica](https://example.org/p/1) e <https://example.org>\n\n"
        "![stemma](https://example.org/logo.png)\n\n"
        "> una citazione\n\n"
        "---\n\n"
        "```\ncodice\n```\n\n"
        "`inline` <script>alert(1)</script> <b>forte</b>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Titolo\n======"
    )
    assert markdown_sanitize(text) == (
        "Vedi la pratica (https://example.org/p/1) e https://example.org\n\n"
        "stemma\n\n"
        "una citazione\n\n"
        "codice\n\n"
        "inline alert(1) forte\n\n"
        "a - b\n1 - 2\n\n"
        "## Titolo"
    )


def test_content_is_ready_for_io():
    content = io_content_render(
        subject="Esito", markdown="La domanda è **accettata**.", footer=FOOTER, fallback_subject="CIE"
    )
    assert set(content) == {"subject", "markdown"}
    assert SUBJECT_MIN <= len(content["subject"]) <= SUBJECT_MAX
    assert MARKDOWN_MIN <= len(content["markdown"]) <= MARKDOWN_MAX
