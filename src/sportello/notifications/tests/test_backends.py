import io

from django.core.mail import EmailMessage

from sportello.notifications.backends import ConsoleAndFileBackend


def test_demo_console_prints_one_line_per_email_and_keeps_it_whole_in_var_mail(tmp_path):
    stream = io.StringIO()
    backend = ConsoleAndFileBackend(file_path=str(tmp_path), stream=stream)
    receipt = EmailMessage(
        "Ricevuta della domanda 2026/000001", "Gentile Anna,\nin allegato.", to=["anna@example.org"]
    )
    receipt.attach("ricevuta.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 200, "application/pdf")
    welcome = EmailMessage("Credenziali", "Password temporanea: Xy7-abc", to=["admin@example.org"])
    assert backend.send_messages([receipt, welcome]) == 2

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "E-mail to anna@example.org: «Ricevuta della domanda 2026/000001» (+1 attachment) -> "
    )
    assert lines[1].startswith("E-mail to admin@example.org: «Credenziali» -> ")
    [kept] = tmp_path.iterdir()
    assert str(kept) in lines[0]
    text = kept.read_text()
    assert "Password temporanea: Xy7-abc" in text and "ricevuta.pdf" in text and len(text.splitlines()) > 100
