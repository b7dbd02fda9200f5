"""The white-label brand printed on cards: name, colours and logo from a small JSON file.

`resources/brand/brand.json` is the default; a retailer points `WALLETPOS_BRAND` (or the
`--brand` option) at its own file. Paths inside the file are relative to it. No Qt here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import InvalidInput

DEFAULT_BRAND = Path(__file__).resolve().parents[2] / "resources" / "brand" / "brand.json"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Brand:
    name: str
    primary: str = "#1f4e8c"  # the card's header band
    accent: str = "#f2a900"  # a thin stripe under the band
    on_primary: str = "#ffffff"  # text on the band
    text: str = "#1b1b1b"  # text on the white body
    logo: Path | None = None  # SVG or any image Qt reads


def load_brand(path: Path | str | None = None) -> Brand:
    """The brand at `path`, else `$WALLETPOS_BRAND`, else the bundled default."""
    source = Path(path or os.environ.get("WALLETPOS_BRAND") or DEFAULT_BRAND)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"brand file {source}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InvalidInput(f"brand file {source}: needs at least a \"name\"")
    colours = {}
    for key in ("primary", "accent", "on_primary", "text"):
        if key in data:
            if not isinstance(data[key], str) or not _COLOUR.match(data[key]):
                raise InvalidInput(f"brand file {source}: {key} must look like #1f4e8c")
            colours[key] = data[key]
    logo = source.parent / data["logo"] if isinstance(data.get("logo"), str) else None
    return Brand(name=data["name"], logo=logo if logo and logo.exists() else None, **colours)
