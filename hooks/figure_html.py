"""The HTML that shows a figure the site drew (a snippet's, a drill's, a lab's):
for each of Material's palettes, a `<picture>` whose `<source>` gives a phone its
narrow variant (panels stacked, text drawn for its column) and whose `<img>` gives
every wider screen the wide one. A reader's browser fetches one file of the four:
the other palette's picture is hidden (Material hides an `<img>` whose address ends
in `#only-light` or `#only-dark`, and a hidden lazy image is never fetched), and
a picture fetches only the source its media query picks. Width and height on both
keep the room of whichever loads, so the page does not move.

Each picture is its own lightbox link (mkdocs-glightbox would wrap the `<img>`
alone, inside the `<picture>`, where the media query no longer picks it): it opens
the wide figure, also on a phone, where the column already shows the narrow one
at the screen's width and the lightbox adds the figure as drawn for a page, to
zoom into or to read with the phone turned.
"""

from __future__ import annotations

import html
import posixpath

# Up to here the column is under 600 px, and the wide figure's 10 px text would
# shrink under 9 px: the phone variant reads better. (The column on a 390 px
# phone is 358 px; the CSS caps the phone variant's width at 30rem above that.)
PHONE_MEDIA = "(max-width: 40em)"
SCHEMES = ("light", "dark")
VARIANTS = ("light", "dark", "phone_light", "phone_dark")  # a figure's four files


def relative_to_page(uris: dict[str, str], page_url: str) -> dict[str, str]:
    """A figure's files' site paths (by VARIANTS key) as addresses from the page
    at `page_url` ("too-high/", "" for the home page): MkDocs does not rewrite the
    links of raw HTML as it does a Markdown image's."""
    folder = posixpath.dirname(page_url) or "."
    return {key: posixpath.relpath(uri, folder) for key, uri in uris.items()}


def picture(
    urls: dict[str, str], alt: str, size: tuple[int, int], phone_size: tuple[int, int]
) -> str:
    """Both palettes' pictures of a figure: `urls` maps "light", "dark",
    "phone_light" and "phone_dark" to its files' addresses from the page, `size`
    and `phone_size` are the wide and the phone SVG's width and height in px."""
    e = html.escape
    (width, height), (phone_width, phone_height) = size, phone_size
    parts = []
    for scheme in SCHEMES:
        wide, phone = e(urls[scheme]), e(urls[f"phone_{scheme}"])
        parts.append(
            f'<a class="glightbox" href="{wide}#only-{scheme}" data-type="image"'
            ' data-width="auto"'
            f' data-height="auto" data-desc-position="bottom" data-gallery="{scheme}">'
            f'<picture><source media="{PHONE_MEDIA}" srcset="{phone}"'
            f' width="{phone_width}" height="{phone_height}">'
            f'<img class="off-glb" src="{wide}#only-{scheme}" alt="{e(alt)}"'
            f' loading="lazy" width="{width}" height="{height}"></picture></a>'
        )
    return "".join(parts)
