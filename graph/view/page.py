"""The self-contained HTML page: our template, vis-network from the pyvis package, the data as JSON.

pyvis's own template is not used: in 0.3.2 it loads Bootstrap or vis-network from CDNs, inserts
``heading`` unescaped, switches to ``innerHTML`` popups when a title contains "href", and writes
node ids unescaped into its select menu. Here the page is rendered with Jinja2 (autoescaping on);
the scripts and styles are inlined from files of the installed pyvis package and of this package,
and the data goes into a ``<script type="application/json">`` element with ``<``, ``>`` and ``&``
written as JSON escapes, so no text from a source can end the element or become markup. The
page's own script builds every tooltip and panel from text nodes. A Content-Security-Policy
allowing only the inlined scripts and styles (by hash) and ``data:`` images is the second line
of defence, and means the page cannot make a network request even if something slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from markupsafe import Markup

from graph import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"
PYVIS_LIB = Path(pyvis.__file__).resolve().parent / "templates" / "lib"


class AssetError(RuntimeError):
    """A bundled script or style cannot be inlined safely (or is missing)."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name))


@cache
def vis_assets() -> tuple[str, str, str]:
    """vis-network's script, style sheet and version, from the newest copy the pyvis package ships."""
    candidates = sorted((p for p in PYVIS_LIB.glob("vis-*") if (p / "vis-network.min.js").is_file()), key=_version_key)
    if not candidates:
        raise AssetError(f"vis-network is missing from the pyvis package ({PYVIS_LIB}); reinstall pyvis")
    folder = candidates[-1]
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    return js, css, folder.name.removeprefix("vis-")


def _inline(text: str, tag: str, name: str) -> Markup:
    """Trusted asset text for a raw-text element; refuses anything that could end the element early."""
    lowered = text.lower()
    if f"</{tag}" in lowered or "<!--" in lowered:
        raise AssetError(f"{name} contains '</{tag}' or '<!--' and cannot be inlined safely")
    return Markup(text)  # noqa: S704 - bundled files, checked above; never data


def json_for_script(data: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` at all."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )


def render_page(model: dict[str, Any]) -> str:
    """The complete HTML document for a view model (:func:`graph.view.data.view_model`)."""
    vis_js, vis_css, vis_version = vis_assets()
    app_js = (TEMPLATES / "view.js").read_text(encoding="utf-8")
    app_css = (TEMPLATES / "view.css").read_text(encoding="utf-8")
    scripts = [_inline(vis_js, "script", "vis-network.min.js"), _inline(app_js, "script", "view.js")]
    styles = [_inline(vis_css, "style", "vis-network.css"), _inline(app_css, "style", "view.css")]
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return (
        _environment()
        .get_template("view.html.j2")
        .render(
            lang=model["lang"],
            csp=csp,
            generator=f"quotegraph {__version__}, pyvis {pyvis.__version__}, vis-network {vis_version}",
            title=model["title"],
            heading=model["title"],
            vis_css=styles[0],
            app_css=styles[1],
            vis_js=scripts[0],
            app_js=scripts[1],
            data_json=Markup(json_for_script(model)),  # noqa: S704 - contains no <, > or &: see json_for_script
        )
    )
