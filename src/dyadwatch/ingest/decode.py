"""Bytes to text: byte-order mark, then strict UTF-8, then the declared charset, then a guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset a page or feed declares in its first bytes (meta tag, XML declaration)."""
    found = DECLARED.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode without ever raising; wrong declarations lose to bytes that decode cleanly."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in (declared, declared_charset(data)):
        if candidate:
            try:
                return data.decode(candidate)
            except (LookupError, UnicodeDecodeError):
                continue
    best = from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace")
