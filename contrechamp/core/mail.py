"""A console email backend for people: the decoded text, so that links can be clicked.

Django's console backend prints the raw MIME message, where quoted-printable encoding
breaks long lines (and so confirmation links) with soft line breaks. A local run prints
emails for the person trying the site: they need to read them and open their links.
"""

from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class ReadableConsoleBackend(DjangoConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        mime = message.message()
        self.stream.write(f"Subject: {mime['Subject']}\n")
        self.stream.write(f"From: {mime['From']}\nTo: {mime['To']}\n\n")
        self.stream.write(f"{_plain_text(message)}\n")
        self.stream.write("-" * 79 + "\n")


def _plain_text(message: Any) -> str:
    body = str(message.body)
    if message.content_subtype == "plain":
        return body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/plain":
            return str(content)
    return body
