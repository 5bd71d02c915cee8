"""The guard page: one self-contained HTML file a guard's phone opens to check passes offline.

It holds the verify key(s), the grids' names and colours, the holders of passes in force (name
only: the guard matches the person to the paper), the current revocation bulletin, and the vendored
QR decoder (console/vendor/). Everything goes in as JSON inside a ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, so no name can end the script or be read as HTML; the page sets
every value with ``textContent``. The page's script (guard_page.html) checks passes as db/passes/issuing does.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from importlib import resources

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from console.config import Config
from console.text.passes import grid_colour
from db.passes import field
from db.passes import keys as pass_keys

MAX_BYTES = 2 * 1024 * 1024


def _json_for_script(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _raw(key: Ed25519PublicKey) -> str:
    return base64.b64encode(
        key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()


def _vendored(name: str) -> str:
    try:
        return resources.files("console.vendor").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return ""  # built without it: the page still takes scanners and typed payloads, and shows text


def page_config(
    config: Config,
    key: Ed25519PublicKey,
    bulletin: str,
    *,
    grid: str | None,
    now: int,
    neighbours: Sequence[Ed25519PublicKey] = (),
) -> dict:
    grids, holders = field.guard_page_data(now)
    return {
        "post": config.post_name,
        # Neighbouring posts' keys: their passes verify here, and read CROSS_GRID (not this post's grids).
        "keys": [
            {
                "fp": pass_keys.fingerprint(k),
                "raw": _raw(k),
                "post": "" if home else pass_keys.fingerprint(k),
                "home": home,
            }
            for k, home in ((key, True), *((n, False) for n in neighbours))
        ],
        "grids": [
            {"code": code, "name": name, "colour": grid_colour(code.split("-")[0])} for code, name in grids
        ],
        "holders": {f"{serial}.{version}": name for serial, version, name in holders},
        "bulletins": [bulletin],
        "maxAgeHours": config.bulletin_max_age_hours,
        "grid": grid or "",
    }


def render(page: dict) -> str:
    template = resources.files("console").joinpath("guard_page.html").read_text(encoding="utf-8")
    head, rest = template.split("/*CONFIG*/", 1)
    middle, tail = rest.split("/*DECODER*/", 1)
    # Nothing inserted is searched again for a marker.
    return (
        head
        + _json_for_script(page)
        + middle
        + _vendored("qr_decoder.js")
        + "\n"
        + _vendored("qr_encoder.js")
        + tail
    )


def build_page(
    config: Config,
    key: Ed25519PublicKey,
    bulletin: str,
    *,
    grid: str | None,
    now: int | None = None,
    neighbours: Sequence[Ed25519PublicKey] = (),
) -> tuple[str, int]:
    """The page's HTML and how many grids it knows."""
    import time

    from db.passes.check import check_place

    now = int(time.time()) if now is None else now
    grid = check_place(grid, register=True) or None
    page = page_config(config, key, bulletin, grid=grid, now=now, neighbours=neighbours)
    return render(page), len(page["grids"])
