"""Bytes to text: BOMs, declarations that hold, wrong declarations, undeclared legacy bytes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.ingest.decode import declared_charset, decode

PORTUGUESE = "A negociação começou em São Paulo; a votação não terminou."


def test_byte_order_marks_win() -> None:
    assert decode("\ufeffcafé".encode("utf-16-le")) == "café"
    assert decode("café".encode("utf-8-sig")) == "café"


def test_declared_charset_is_used_when_it_decodes() -> None:
    page = '<meta charset="ISO-8859-1"><p>Ação</p>'.encode("latin-1")
    assert declared_charset(page) == "ISO-8859-1"
    assert "Ação" in decode(page)


def test_latin1_label_reads_windows_1252_punctuation() -> None:
    page = '<meta charset="iso-8859-1"><p>“Quoted” – dash</p>'.encode("cp1252")
    assert "“Quoted” – dash" in decode(page)


def test_wrong_declaration_loses_to_clean_utf8() -> None:
    page = f'<meta charset="windows-1252"><p>{PORTUGUESE}</p>'.encode()
    assert PORTUGUESE in decode(page)


def test_header_charset_is_tried() -> None:
    assert decode(PORTUGUESE.encode("cp1252"), "windows-1252") == PORTUGUESE


def test_undeclared_legacy_bytes_are_guessed() -> None:
    text = " ".join([PORTUGUESE] * 5)
    assert decode(text.encode("cp1252")) == text


def test_bogus_declarations_do_not_raise() -> None:
    for label in ("zlib", "no-such-codec", "base64"):
        page = f'<meta charset="{label}">'.encode() + b"\xe9\x93\xff"
        assert decode(page).startswith("<meta")


@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "latin-1", "utf-16", "rot13"]))
def test_any_bytes_decode(data: bytes, declared: str | None) -> None:
    assert isinstance(decode(data, declared), str)


def test_utf8_with_a_few_legacy_bytes_keeps_both() -> None:
    mixed = f"<p>{PORTUGUESE}</p>".encode() + "<p>“pasted” – text é</p>".encode("cp1252")
    assert decode(mixed) == f"<p>{PORTUGUESE}</p><p>“pasted” – text é</p>"
