"""Language of an article body: ISO 639-1 code, or None when there is too little text."""

from __future__ import annotations

import pytest
from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.extract import extract
from dyadwatch.extract.language import detect_language
from dyadwatch.ingest import InputFile, discover, read_documents
from dyadwatch.models import Document


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The two governments said on Friday that talks on trade would resume next month.", "en"),
        (
            "Les deux gouvernements ont annoncé vendredi la reprise des négociations.",
            "fr",
        ),
        (
            "Die beiden Regierungen kündigten am Freitag neue Handelsgespräche an.",
            "de",
        ),
        (
            "Los dos gobiernos anunciaron el viernes que las negociaciones seguirán.",
            "es",
        ),
        (
            "Os dois governos anunciaram na sexta-feira que as negociações continuam.",
            "pt",
        ),
    ],
)
def test_languages_are_recognised(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_too_little_text_has_no_language() -> None:
    assert detect_language("") is None
    assert detect_language("Talks resume.") is None
    assert detect_language("12 345 678 -- 2021/03/04 ... !!!" * 5) is None


@given(st.text(max_size=500))
def test_any_text_gives_a_two_letter_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or (len(code) == 2 and code.isalpha() and code.islower())


def test_languages_of_the_warc_pages() -> None:
    (archive,) = discover([str(shared_path("testdata/warc/ccnews-2022-09-sample.warc.gz"))])
    assert isinstance(archive, InputFile)
    pages = [d for d in read_documents(archive) if isinstance(d, Document)]
    languages = [extract(page).language for page in pages]
    assert len(languages) == 39 and languages.count("en") == 17
    assert len({code for code in languages if code}) > 3
