"""Markdown-lite: what members type is escaped, whatever it is."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contrechamp.live.text import render_chat


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("**gras** et *italique*", "<strong>gras</strong> et <em>italique</em>"),
        ("`<b>code</b>`", "<code>&lt;b&gt;code&lt;/b&gt;</code>"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("ligne 1\nligne 2", "ligne 1<br>ligne 2"),
        (
            "voir https://fr.wikipedia.org/wiki/Méliès.",
            'voir <a href="https://fr.wikipedia.org/wiki/Méliès" rel="nofollow noopener ugc">'
            "https://fr.wikipedia.org/wiki/Méliès</a>.",
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
        (
            "https://a.fr/?q=1&x=*y*",
            '<a href="https://a.fr/?q=1&amp;x=*y*" rel="nofollow noopener ugc">https://a.fr/?q=1&amp;x=*y*</a>',
        ),
    ],
)
def test_marks_links_and_escaping(text: str, html: str) -> None:
    assert render_chat(text) == html


@given(st.text(max_size=300))
def test_no_tag_but_ours_ever_comes_out(text: str) -> None:
    html = str(render_chat(text))
    stripped = html
    for tag in ("<strong>", "</strong>", "<em>", "</em>", "<code>", "</code>", "<br>", "</a>"):
        stripped = stripped.replace(tag, "")
    while '<a href="' in stripped:
        start = stripped.index('<a href="')
        end = stripped.index('rel="nofollow noopener ugc">', start) + len(
            'rel="nofollow noopener ugc">'
        )
        href = stripped[start + 9 : stripped.index('"', start + 9)]
        assert href.startswith(("http://", "https://"))
        assert "<" not in href and '"' not in href
        stripped = stripped[:start] + stripped[end:]
    assert "<" not in stripped and ">" not in stripped
