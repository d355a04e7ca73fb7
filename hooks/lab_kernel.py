"""Run by the kernel that executes a lab during the site build, before the lab's
first cell, in a namespace of its own (hooks/lab_run.py's KERNEL_SETUP_LINE). It is
not part of a lab: the downloaded notebook and script draw with matplotlib's
defaults.

It draws the labs as the snippet runner draws snippets: the site's figure style
(figure.mplstyle), and each figure that `plt.show()` shows becomes a light and a
dark SVG, with alt text from its title, axis labels and legend, and the same two
re-laid for a phone. All go out as one HTML output, two `<picture>`s with data URIs:
`<img>`s ending in `#only-light` / `#only-dark`, their `<source>`s in
`#phone-light` / `#phone-dark`; hooks/lab_html.py moves them into files beside the
page.

A cell that runs longer than LR_SITE_LAB_CELL_TIMEOUT_S seconds (120 by default)
raises TimeoutError, which fails the build with the cell's traceback: a lab that
hangs must not run until CI gives up on the whole job.
"""

import base64
import html
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib.pyplot as plt  # noqa: E402 - after the path: the inline backend loads
from IPython import get_ipython  # noqa: E402
from IPython.display import HTML, display  # noqa: E402

import figure_html  # noqa: E402
import figures  # noqa: E402

CELL_TIMEOUT_S = int(os.environ.get("LR_SITE_LAB_CELL_TIMEOUT_S", "120"))

plt.style.use(figures.STYLE_FILE)
plt.rcParams["svg.hashsalt"] = figures.SVG_SALT


def _data(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _picture(figure: dict, alt: str, scheme: str) -> str:
    """One palette's picture of a figure, its phone variant in a `<source>`, in a
    link to itself (hooks/lab_html.py makes the link open the light file)."""
    wide = f"{_data(figure[scheme])}#only-{scheme}"
    phone = f"{_data(figure[f'phone_{scheme}'])}#phone-{scheme}"
    return (
        f'<a href="{wide}"><picture>'
        f'<source media="{figure_html.PHONE_MEDIA}" srcset="{phone}">'
        f'<img alt="{alt}" src="{wide}" class="off-glb"></picture></a>'
    )


def show(*_args, **_kwargs) -> None:
    """Every open figure as a light and a dark picture, then closed. A figure that
    breaks the figure contract fails its cell, and so the build."""
    for number in plt.get_fignums():
        figure = figures.render_figure(plt.figure(number))
        alt = html.escape(figure["alt"], quote=True)
        pictures = [_picture(figure, alt, scheme) for scheme in ("light", "dark")]
        display(HTML("\n".join(pictures)))
    plt.close("all")


plt.show = show


def _time_out(_signum, _frame) -> None:
    raise TimeoutError(
        f"this cell ran over {CELL_TIMEOUT_S} s, the build's limit for one lab cell"
        " (LR_SITE_LAB_CELL_TIMEOUT_S)"
    )


if (_shell := get_ipython()) is not None:  # in a kernel: time each cell
    signal.signal(signal.SIGALRM, _time_out)
    _shell.events.register("pre_run_cell", lambda _: signal.alarm(CELL_TIMEOUT_S))
    _shell.events.register("post_run_cell", lambda _: signal.alarm(0))
