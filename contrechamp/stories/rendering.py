"""A story's text as HTML: the site's sanitised Markdown, where a paragraph holding only
`[[image N]]` becomes the story's image number N (a figure with its description)."""

import re
from collections.abc import Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from contrechamp.core.markdown import render_markdown
from contrechamp.stories.models import StoryImage

_PLACEHOLDER = re.compile(r"<p>\[\[\s*image\s+(\d{1,3})\s*\]\]</p>", re.IGNORECASE)


def _figure(image: StoryImage) -> str:
    return str(
        format_html(
            '<figure class="story-figure"><img class="item-photo" src="{}" alt="{}" '
            'width="{}" height="{}" loading="lazy"></figure>',
            image.image.url,
            image.alt_text,
            image.width or "",
            image.height or "",
        )
    )


def placed_numbers(body: str) -> set[int]:
    """The image numbers the text places."""
    return {int(number) for number in re.findall(r"\[\[\s*image\s+(\d{1,3})\s*\]\]", body, re.I)}


def render_story(body: str, images: Iterable[StoryImage]) -> SafeString:
    """The sanitised HTML of the text with its placed images; an unknown number stays as
    the text that was typed."""
    by_number = {image.number: image for image in images}
    html = str(render_markdown(body))

    def replace(match: re.Match[str]) -> str:
        image = by_number.get(int(match.group(1)))
        return _figure(image) if image is not None else match.group(0)

    # The figure's attributes are escaped by format_html; the rest was sanitised by nh3.
    return mark_safe(_PLACEHOLDER.sub(replace, html))  # noqa: S308
