from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.mail, deploy=True)
def check_emails_are_sent(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Our readable console backend escapes Django's own check (mail.E001): repeat it."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend == "contrechamp.core.mail.ReadableConsoleBackend":
        return [
            Error(
                "Emails are printed to the console instead of being sent.",
                hint="Set EMAIL_URL, for example smtp://user:password@mail.example.org:587?tls=1",
                id="contrechamp.E001",
            )
        ]
    return []
