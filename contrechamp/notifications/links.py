"""Where a notification may send a member: a path on this site, never another site.

A notification's `url` comes from code, but often carries what people typed (a title in a
slug, a search); the inbox redirects to it, so anything that a browser could read as
another origin (`//evil.example`, `/\\evil.example`, `https://…`, `javascript:`) is refused.
"""

from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 500


def safe_local_path(url: str) -> str | None:
    """`url` when it is a path on this site ("/…"), else None."""
    if not url or len(url) > MAX_LENGTH or not url.startswith("/") or url.startswith("//"):
        return None
    if any(character in url for character in "\\\x00\r\n\t") or not url.isprintable():
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url
