"""Bytes to text: byte-order mark, then strict UTF-8, then the declared charset, then a guess.

Strict UTF-8 comes before the declaration because a wrong label (a UTF-8 page labelled
windows-1252) is common, while legacy bytes with accents are almost never valid UTF-8.
"""

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
# Browsers read pages labelled Latin-1 or ASCII as windows-1252 (WHATWG Encoding standard):
# such pages often hold its curly quotes and dashes.
WHATWG_CODECS = {"iso8859-1": "cp1252", "ascii": "cp1252"}
WEB_DEFAULT = "cp1252"
GUESS_BYTES = 1_000_000
STRAY_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape marks undecodable bytes


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
    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None:
        return mixed
    for label in (declared, declared_charset(data)):
        codec = _codec(label)
        if codec:
            try:
                return data.decode(codec)
            except (LookupError, UnicodeDecodeError):  # LookupError: not a text codec ("zlib")
                continue
    return data.decode(_guess_encoding(data), errors="replace")


def _guess_encoding(data: bytes) -> str:
    matches = from_bytes(data[:GUESS_BYTES])
    best = matches.best()
    if best is None:
        return WEB_DEFAULT
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    # Accents shared by Western and Central European code pages tie; the web's most common
    # legacy encoding breaks the tie.
    return WEB_DEFAULT if WEB_DEFAULT in tied else best.encoding


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """Mostly UTF-8 with a few legacy bytes pasted in: each stray byte is read as cp1252."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(STRAY_BYTE.findall(text))
    if sum(ord(ch) > 0x7F for ch in text) - stray <= stray:
        return None  # more stray bytes than UTF-8 characters: a legacy encoding throughout
    return STRAY_BYTE.sub(_stray_as_cp1252, text)


def _stray_as_cp1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode(WEB_DEFAULT, errors="replace")


def _codec(label: str | None) -> str | None:
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return WHATWG_CODECS.get(name, name) if name else None
