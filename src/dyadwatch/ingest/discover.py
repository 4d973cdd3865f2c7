"""Find inputs: files, folders (recursive), lists of paths and stdin; hash them and detect
their format."""

from __future__ import annotations

import atexit
import gzip
import hashlib
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.ingest.decode import BOMS
from dyadwatch.models import Problem

HEAD_BYTES = 8192
FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")
TEXT_SUFFIXES = {"", ".txt", ".text"}
JSONL_NAMES = (".jsonl", ".ndjson", ".json")
HTML_MARKS = ("<!doctype html", "<html", "<head", "<body", "<article", "<p>", "<div")
# A list of inputs, one a line, plain or gzipped: CC-NEWS publishes its WARC files so
# (warc.paths.gz, entries relative to the archive's root).
PATH_LISTS = (".paths", ".paths.gz")


@dataclass(frozen=True)
class InputFile:
    source: str  # the path as given (a file found in a folder: its path), "-" for stdin
    path: Path  # a readable file on disk (stdin is spooled to a temporary file)
    sha256: str
    size: int
    format: str  # html, text, jsonl, feed, warc; or empty / unsupported / other-text (a Problem)
    url: str | None = None  # the address it was fetched from (the watcher's pages)


def discover(paths: Sequence[str]) -> Iterator[InputFile | Problem]:
    """Every input under ``paths``, in a stable order; hidden files and folders are skipped,
    and a ``.paths`` or ``.paths.gz`` file stands for the inputs it lists."""
    for given in paths:
        if given == "-":
            yield _input("-", _spool_stdin())
            continue
        path = Path(given).expanduser()
        if path.is_file() and path.name.endswith(PATH_LISTS):
            yield from _listed(path)
        else:
            yield from _found(given, path)


def _found(given: str, path: Path) -> Iterator[InputFile | Problem]:
    if path.is_dir():
        yield from (_input(str(f), f) for f in _files_under(path))
    elif path.is_file():
        yield _input(given, path)
    else:
        yield Problem(given, "no such file or folder")


def _listed(listing: Path) -> Iterator[InputFile | Problem]:
    """The inputs a paths file lists, one a line (blank lines and # comments aside). A
    relative entry is under the list's folder, as in a local copy of CC-NEWS's layout; an
    address is not fetched (ingest reads local files only)."""
    try:
        entries = _lines(listing)
    except (OSError, EOFError, UnicodeDecodeError) as error:  # a bad gzip is an OSError
        yield Problem(str(listing), f"unreadable list of paths: {error}")
        return
    for entry in entries:
        if "://" in entry:
            yield Problem(entry, "an address, not fetched: ingest reads local files; download it")
        else:
            path = listing.parent / Path(entry).expanduser()  # an absolute entry stays so
            yield from _found(str(path), path)


def _lines(listing: Path) -> list[str]:
    data = listing.read_bytes()
    if data.startswith(b"\x1f\x8b"):
        data = gzip.decompress(data)
    lines = (line.strip() for line in data.decode("utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _files_under(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _spool_stdin() -> Path:
    handle, name = tempfile.mkstemp(prefix="dyadwatch-stdin-")
    with os.fdopen(handle, "wb") as spool:
        while chunk := sys.stdin.buffer.read(1 << 20):
            spool.write(chunk)
    atexit.register(os.unlink, name)
    return Path(name)


def _input(source: str, path: Path) -> InputFile | Problem:
    try:
        digest, size, head = _hash(path)
    except OSError as error:
        return Problem(source, f"cannot read: {error.strerror or error}")
    return InputFile(source, path, digest, size, detect_format(head, path.name))


def _hash(path: Path) -> tuple[str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            head = head or chunk[:HEAD_BYTES]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


def detect_format(head: bytes, name: str) -> str:
    """The format from the first bytes; the file name only breaks ties."""
    if not head.strip():
        return "empty"
    if head.startswith(b"\x1f\x8b"):
        return "warc" if _gunzip_head(head).startswith(b"WARC/") else "unsupported"
    if head.startswith(b"WARC/"):
        return "warc"
    wide = _wide_text(head)
    if wide is None and _looks_binary(head):
        return "unsupported"
    text = wide if wide is not None else head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n").lower()
    if any(root in text[:2000] for root in FEED_ROOTS) and not text.startswith("<!doctype html"):
        return "feed"
    if text.startswith("<") and any(mark in text for mark in HTML_MARKS):
        return "html"
    if text.startswith("{") and (_first_line_is_json(text) or name.endswith(JSONL_NAMES)):
        return "jsonl"
    if name.lower().endswith((".html", ".htm")) and "<" in text:
        return "html"
    # Text is read as a scrape only from .txt (or extensionless) files: a folder of news also
    # holds READMEs, notes and scripts, which are not articles.
    suffix = Path(name).suffix.lower()
    return "text" if suffix in TEXT_SUFFIXES else "other-text"


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def _wide_text(head: bytes) -> str | None:
    """The head of a UTF-16 or UTF-32 text that opens with its byte-order mark (whose NUL
    bytes would otherwise look binary), decoded; None for any other file."""
    for bom, encoding in BOMS:
        if encoding != "utf-8-sig" and head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return None


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\x1b")
    return controls > len(head) * 0.05


def _first_line_is_json(text: str) -> bool:
    try:
        return isinstance(json.loads(text.splitlines()[0]), dict)
    except (ValueError, IndexError):
        return False
