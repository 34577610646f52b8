"""Rendering in screenplay layout: classes per element, emphasis, and nothing unescaped."""

import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from contrechamp.feedback.fountain import Element, Screenplay, parse
from contrechamp.feedback.rendering import COMMENTABLE, inline, render
from contrechamp.feedback.tests.conftest import sample


def test_each_element_gets_its_layout_class_and_line_anchor() -> None:
    html = render(parse(sample("la_calanque_v1.fountain")))
    for css in (
        "sp-scene-heading",
        "sp-action",
        "sp-character",
        "sp-parenthetical",
        "sp-dialogue",
        "sp-transition",
        "sp-centered",
        "sp-lyrics",
        "sp-dual",
        "sp-page-break",
        "sp-title-page",
    ):
        assert f'class="{css}' in html, css
    assert 'id="line-17"' in html
    assert '<span class="sp-scene-number">1</span>' in html


def test_emphasis_becomes_tags_and_escaped_marks_stay() -> None:
    assert inline("**gras** *italique* _souligné_ \\*pas\\*") == (
        "<strong>gras</strong> <em>italique</em> <u>souligné</u> *pas*"
    )


def test_markup_typed_by_the_author_is_escaped() -> None:
    html = render(
        parse('Title: <script>alert(1)</script>\n\nLINA\n<img src=x onerror="alert(1)">\n')
    )
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_comment_links_show_counts_on_commentable_lines_only() -> None:
    screenplay = parse("# Acte\n\nINT. A - JOUR\n\nLina entre.\n")
    html = render(screenplay, comment_counts={5: 2}, comment_link=lambda e: f"?line={e.line}")
    assert 'href="?line=3"' in html and 'href="?line=5"' in html
    assert 'href="?line=1"' not in html
    assert "2 comments" in html


ALLOWED_TAGS = {
    "p",
    "/p",
    "div",
    "/div",
    "h3",
    "/h3",
    "span",
    "/span",
    "strong",
    "/strong",
    "em",
    "/em",
    "u",
    "/u",
    "br",
    "hr",
    "a",
    "/a",
}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_renders_escaped(source: str) -> None:
    html = render(parse(source), comment_link=lambda e: f"?line={e.line}")
    tags = {match.split()[0] for match in re.findall(r"<(/?[a-z0-9]+)[\s>]", html)}
    assert tags <= ALLOWED_TAGS
    assert "<script" not in html.lower()
    for attribute in re.findall(r"\s([a-z-]+)=", html):
        assert attribute in {"class", "id", "href", "aria-label"}


@given(st.dictionaries(st.integers(min_value=1, max_value=12), st.integers(0, 40)))
@settings(max_examples=30)
def test_counts_swapped_into_a_layout_equal_a_full_rendering(counts: dict[int, int]) -> None:
    from contrechamp.feedback.rendering import render_layout, with_counts

    screenplay = parse(
        "INT. A - JOUR\n\nLina *entre*.\n\nLINA\n(bas)\nBonjour <toi>.\n\n> FIN\n\nBOB ^\nNon.\n"
    )

    def link(element: Element) -> str:
        return f"?line={element.line}&x=<>"

    layout = render_layout(screenplay, comment_link=link)
    assert with_counts(layout, counts) == _reference(screenplay, counts, link)


def _reference(
    screenplay: Screenplay, counts: dict[int, int], link: Callable[[Element], str]
) -> str:
    """Each commentable line with its link built directly from the count."""
    from django.utils.html import escape
    from django.utils.translation import ngettext

    from contrechamp.feedback.rendering import render_layout

    html = render_layout(screenplay).html
    for element in screenplay.elements:
        if element.kind not in COMMENTABLE:
            continue
        count = counts.get(element.line, 0)
        label = (
            ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}
            if count
            else "Comment"
        )
        css = "sp-comment-link has-comments" if count else "sp-comment-link"
        anchor = (
            f'<a class="{css}" href="{escape(link(element))}" '
            f'aria-label="{escape(f"{label} on line {element.line}")}">{escape(label)}</a>'
        )
        opening = f'<div class="sp-line" id="line-{element.line}">'
        start = html.index(opening)
        end = html.index("</div>", start)
        html = html[:end] + anchor + html[end:]
    return html
