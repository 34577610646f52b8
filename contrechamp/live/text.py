"""Markdown-lite for chat: **bold**, *italic*, `code` and bare https links, nothing else.

Everything is escaped first, then the few marks are turned into tags, so no text a member
types can become markup of its own.
"""

import re
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from contrechamp.live import conf

_CODE = re.compile(r"`([^`\n]{1,300})`")
_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*(?![*\w])")
# Applied to escaped text: `&` appears as `&amp;`, quotes as `&quot;`/`&#x27;`.
_LINK = re.compile(r"https?://[^\s<>\"']{1,400}")


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in ".,;:!?)":
        trailing = url[-1] + trailing
        url = url[:-1]
    if not urlsplit(url.replace("&amp;", "&")).netloc:
        return match.group(0)
    return f'<a href="{url}" rel="nofollow noopener ugc">{url}</a>{trailing}'


def render_chat(text: str) -> SafeString:
    """One message as safe HTML: escaped, marks turned into tags, line breaks kept."""
    pieces = []
    # Code spans first, so that marks and links inside them stay literal.
    position = 0
    escaped = escape(text)
    for match in _CODE.finditer(escaped):
        pieces.append(_marks(escaped[position : match.start()]))
        pieces.append(f"<code>{match.group(1)}</code>")
        position = match.end()
    pieces.append(_marks(escaped[position:]))
    html = "".join(pieces).replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every character a member typed was escaped above


def _marks(escaped: str) -> str:
    escaped = _LINK.sub(_link, escaped)
    # Links hold no `*` replacement risk: a `*` inside a URL is left alone by requiring the
    # marks to sit outside tags.
    parts = re.split(r"(<a [^>]*>.*?</a>)", escaped)
    for index in range(0, len(parts), 2):
        parts[index] = _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", parts[index]))
    return "".join(parts)


def is_allowed_video(url: str) -> bool:
    """A direct video file (.mp4, .webm, .ogv) over https on a host of the allow-list."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        return False
    if port not in (None, 443):
        return False
    if not parts.path.lower().endswith(conf.VIDEO_EXTENSIONS):
        return False
    for allowed in conf.video_hosts():
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]):
                return True
        elif host == allowed:
            return True
    return False


def video_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"https://{parts.hostname}"
