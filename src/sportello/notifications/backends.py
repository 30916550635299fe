from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    """Demo and development: keep each message whole under ``EMAIL_FILE_PATH`` and print one line about it.

    A whole message on the console (a PDF receipt is ~1,400 lines of base64) would bury the demo's own output.
    """

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.stream = kwargs.pop("stream", None)
        self.file = FileBackend(fail_silently=fail_silently, **kwargs)

    def send_messages(self, email_messages):
        sent = self.file.send_messages(email_messages)
        if sent:
            import sys

            stream = self.stream or sys.stdout
            for message in email_messages:
                stream.write(summary(message, self.file._fname) + "\n")
            stream.flush()
        return sent


def summary(message, path) -> str:
    """``E-mail to a@b.it: «Subject» (1 attachment) -> var/mail/x.log`` on one line."""
    attachments = len(message.attachments)
    extra = f" (+{attachments} attachment{'s' if attachments != 1 else ''})" if attachments else ""
    subject = " ".join(str(message.subject).split())
    return f"E-mail to {', '.join(message.recipients())}: «{subject}»{extra} -> {path}"
