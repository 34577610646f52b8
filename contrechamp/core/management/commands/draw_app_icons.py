"""Draw the installable app's icons: a serif "C" on the velvet accent.

The icons are committed as static files; run this again only when the mark or the accent
colour changes. The letter is drawn from ellipses rather than from a font, so that every
machine draws the same pixels.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from PIL import Image, ImageDraw

from contrechamp.core import pwa

# Drawn this many times larger, then reduced: smooth edges without anti-aliasing support.
SUPERSAMPLING = 4


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    """A square icon of `size` pixels.

    A maskable icon is full bleed with the letter inside the central safe circle (radius
    40 % of the side), for launchers that cut it to their own shape; the other icons are a
    rounded square on transparency, for desktops and browsers that show them as they are.
    """
    side = size * SUPERSAMPLING
    centre = side / 2
    # Outer radius of the letter; a maskable icon keeps it well inside the safe circle.
    radius = side * (0.28 if maskable else 0.34)

    letter = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(letter)
    draw.ellipse((centre - radius, centre - radius, centre + radius, centre + radius), fill=255)
    # The counter sits right of centre: the stroke is heavy on the left and thin at the top
    # and bottom, like the contrast of a serif capital.
    counter_x, counter_y, shift = radius * 0.66, radius * 0.78, radius * 0.12
    draw.ellipse(
        (
            centre - counter_x + shift,
            centre - counter_y,
            centre + counter_x + shift,
            centre + counter_y,
        ),
        fill=0,
    )
    # The aperture, cut vertically so that the terminals read as serifs.
    draw.rectangle(
        (centre + radius * 0.3, centre - radius * 0.46, side, centre + radius * 0.46), fill=0
    )

    background = Image.new("L", (side, side), 0)
    if maskable:
        background.paste(255, (0, 0, side, side))
    else:
        ImageDraw.Draw(background).rounded_rectangle(
            (0, 0, side - 1, side - 1), radius=side * 0.2, fill=255
        )

    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    image.paste((*_rgb(pwa.THEME_COLOUR), 255), mask=background)
    image.paste((*_rgb(pwa.BACKGROUND_COLOUR), 255), mask=letter)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    return image.convert("RGB") if maskable else image


class Command(BaseCommand):
    help = "Draw the app icons (PNG files) into contrechamp/core/static/pwa/icons/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=pwa.STATIC_DIR,
            help="Folder holding the static files (the icons go under its pwa/icons/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        for icon in pwa.ICONS:
            path = output / icon.path
            path.parent.mkdir(parents=True, exist_ok=True)
            draw_icon(icon.size, maskable=icon.purpose == "maskable").save(path, optimize=True)
            self.stdout.write(f"{path} ({icon.size}x{icon.size}, {icon.purpose})")
