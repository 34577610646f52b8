"""A parsed screenplay as HTML in screenplay layout (styles in static/feedback/screenplay.css).

Every piece of the author's text is escaped before the Fountain emphasis marks (*italic*,
**bold**, _underline_) become tags, so nothing the author types can become markup. Each
element carries `id="line-N"` so a comment can link to it; the caller may add, per line,
a link to comment on it.

A version's text never changes, so its HTML is built once (`render_layout`) with every
line's link as it reads without comments, and kept in the cache framework (`cached_layout`,
keyed by version, text digest, language and `RENDERER_VERSION`); each page view only swaps
in the links of the lines that have comments (`with_counts`).
"""

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from contrechamp.feedback.fountain import Element, Kind, Screenplay

# Bump when the HTML below changes, so cached renderings of older code are not reused.
RENDERER_VERSION = 2
# A rendering is a pure function of the text, which never changes: keep it a week.
CACHE_SECONDS = 7 * 24 * 3600

_EMPHASIS = (
    (re.compile(r"\*\*\*(\S(?:.*?\S)?)\*\*\*"), r"<strong><em>\1</em></strong>"),
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"\*(\S(?:.*?\S)?)\*"), r"<em>\1</em>"),
    (re.compile(r"_(\S(?:.*?\S)?)_"), r"<u>\1</u>"),
)
_ESCAPED_MARK = re.compile(r"\\([*_])")
_PLACEHOLDERS = {"*": "\x01", "_": "\x02"}

# Elements a reader may comment on.
COMMENTABLE = frozenset(
    {
        Kind.SCENE_HEADING,
        Kind.ACTION,
        Kind.CHARACTER,
        Kind.DIALOGUE,
        Kind.PARENTHETICAL,
        Kind.TRANSITION,
        Kind.CENTERED,
        Kind.LYRICS,
    }
)


def inline(text: str) -> str:
    """Escaped text with Fountain emphasis as tags and line breaks as <br>."""
    protected = _ESCAPED_MARK.sub(lambda m: _PLACEHOLDERS[m.group(1)], text)
    html = str(escape(protected))
    for pattern, replacement in _EMPHASIS:
        html = pattern.sub(replacement, html)
    html = html.replace("\x01", "*").replace("\x02", "_")
    return html.replace("\n", "<br>")


class _Labels:
    """The link texts, translated once per rendering rather than once per line."""

    def __init__(self) -> None:
        self.comment = _("Comment")
        self.on_line = _("%(label)s on line %(line)s")

    def link(self, line: int, count: int, href: str) -> str:
        label = (
            ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}
            if count
            else self.comment
        )
        described = self.on_line % {"label": label, "line": line}
        css = "sp-comment-link has-comments" if count else "sp-comment-link"
        return (
            f'<a class="{css}" href="{escape(href)}" '
            f'aria-label="{escape(described)}">{escape(label)}</a>'
        )


def _element(element: Element, body: str) -> str:
    kind = element.kind
    if kind is Kind.SCENE_HEADING:
        number = (
            f'<span class="sp-scene-number">{escape(element.label)}</span>' if element.label else ""
        )
        return f'<h3 class="sp-scene-heading">{number}{body}</h3>'
    if kind is Kind.SECTION:
        return f'<p class="sp-section sp-section-{element.depth}">{body}</p>'
    if kind is Kind.PAGE_BREAK:
        return '<hr class="sp-page-break">'
    return f'<p class="sp-{kind.value.replace("_", "-")}">{body}</p>'


@dataclass(frozen=True)
class Layout:
    """A screenplay's HTML with each commentable line's link as it reads without comments.

    `links` holds, in the order of the text, (line, start, end, href) of each such link:
    its place in `html`, so that `with_counts` can swap in the links of commented lines."""

    html: str
    links: tuple[tuple[int, int, int, str], ...]
    scene_headings: dict[int, str]


def render_layout(
    screenplay: Screenplay, *, comment_link: Callable[[Element], str] | None = None
) -> Layout:
    """The screenplay's HTML; with `comment_link`, each commentable element gets a link to
    comment on it (showing no count: see `with_counts`)."""
    labels = _Labels()
    parts: list[str] = []
    links: list[tuple[int, int, int, str]] = []
    length = 0

    def add(html: str) -> None:
        nonlocal length
        parts.append(html)
        length += len(html)

    if screenplay.title_page:
        add('<div class="sp-title-page">')
        for key, value in screenplay.title_page:
            css = "sp-title" if key.lower() == "title" else "sp-title-entry"
            add(
                f'<p class="{css}"><span class="visually-hidden">{escape(key)}: </span>'
                f"{inline(value)}</p>"
            )
        add("</div>")
    dual_open = False
    for element in screenplay.elements:
        if element.kind is Kind.CHARACTER:
            if dual_open and not element.dual:
                add("</div></div>")
                dual_open = False
            if element.dual and not dual_open:
                add('<div class="sp-dual"><div class="sp-dual-side">')
                dual_open = True
            elif element.dual:
                add('</div><div class="sp-dual-side">')
        elif dual_open and element.kind not in (Kind.DIALOGUE, Kind.PARENTHETICAL, Kind.NOTE):
            add("</div></div>")
            dual_open = False
        body = inline(element.text)
        if element.notes:
            body += "".join(
                f' <span class="sp-note">[{escape(note)}]</span>' for note in element.notes
            )
        add(f'<div class="sp-line" id="line-{element.line}">{_element(element, body)}')
        if comment_link is not None and element.kind in COMMENTABLE:
            href = comment_link(element)
            link = labels.link(element.line, 0, href)
            links.append((element.line, length, length + len(link), href))
            add(link)
        add("</div>")
    if dual_open:
        add("</div></div>")
    return Layout("".join(parts), tuple(links), dict(screenplay.scene_headings))


def with_counts(layout: Layout, comment_counts: Mapping[int, int]) -> SafeString:
    """The layout's HTML where each line's link shows `comment_counts[line]`."""
    if not comment_counts:
        return mark_safe(layout.html)  # noqa: S308  built from escaped text by render_layout
    labels = _Labels()
    pieces: list[str] = []
    done = 0
    for line, start, end, href in layout.links:
        count = comment_counts.get(line, 0)
        if count:
            pieces.append(layout.html[done:start])
            pieces.append(labels.link(line, count, href))
            done = end
    pieces.append(layout.html[done:])
    return mark_safe("".join(pieces))  # noqa: S308  every piece went through escape()


def render(
    screenplay: Screenplay,
    *,
    comment_counts: Mapping[int, int] | None = None,
    comment_link: Callable[[Element], str] | None = None,
) -> SafeString:
    """The screenplay's HTML; with `comment_link`, each commentable element gets a link
    to comment on it, showing `comment_counts[line]`."""
    return with_counts(render_layout(screenplay, comment_link=comment_link), comment_counts or {})


def cached_layout(
    *, key: str, source: str, parse: Callable[[str], Screenplay], link_base: str | None
) -> Layout:
    """The layout of the text `source` (the version `key`), from the cache or built and
    cached; with `link_base` (the page's URL), each line links to `?line=N#comment-form`.

    The key holds a digest of the text, so a version id reused (tests rolling back on
    SQLite) never serves another text, and the language of the link labels."""
    digest = hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
    links = (
        "read"
        if link_base is None
        else hashlib.blake2b(link_base.encode(), digest_size=8).hexdigest()
    )
    cache_key = f"feedback:layout:{RENDERER_VERSION}:{key}:{digest}:{get_language()}:{links}"
    layout = cache.get(cache_key)
    if isinstance(layout, Layout):
        return layout
    layout = render_layout(
        parse(source),
        comment_link=None
        if link_base is None
        else (lambda element: f"{link_base}?line={element.line}#comment-form"),
    )
    cache.set(cache_key, layout, CACHE_SECONDS)
    return layout
