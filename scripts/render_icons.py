"""Render the site's icons and share image from their SVG sources with headless Chromium.

The SVGs in static/img are the sources; the PNGs (and favicon.ico, a PNG in an ICO wrapper)
are what browsers and social networks that do not read SVG receive. Run after editing an SVG:

    .venv/bin/python scripts/render_icons.py
"""

import os
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parents[1] / "static" / "img"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# (source, target, width, height)
RENDERS = [
    ("favicon.svg", "favicon-32.png", 32, 32),
    ("favicon.svg", "apple-touch-icon.png", 180, 180),
    ("share.svg", "share.png", 1200, 630),
]


def render(page, source: Path, target: Path, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(
        '<html><body style="margin:0">'
        f'<img src="data:image/svg+xml;base64,{_base64(source)}" width="{width}" '
        f'height="{height}" style="display:block"></body></html>'
    )
    page.screenshot(path=str(target), omit_background=True)


def _base64(path: Path) -> str:
    import base64

    return base64.b64encode(path.read_bytes()).decode()


def write_ico(png: Path, target: Path, size: int) -> None:
    """An ICO file holding one PNG image (read by every browser since 2007)."""
    data = png.read_bytes()
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(data), 6 + 16)
    target.write_bytes(header + entry + data)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for source, target, width, height in RENDERS:
            render(page, IMG / source, IMG / target, width, height)
        browser.close()
    write_ico(IMG / "favicon-32.png", IMG / "favicon.ico", 32)


if __name__ == "__main__":
    main()
