"""The pair coder's model: the shipped file is the pinned one, and it reads marked pairs."""

from __future__ import annotations

import hashlib
import shutil
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.events.ontology import ROOTS
from dyadwatch.events.pair_model import (
    FIRST_CLOSE,
    FIRST_OPEN,
    SECOND_CLOSE,
    SECOND_OPEN,
    SHIPPED_SHA256,
    PairModel,
    encode,
    likely,
    mark,
    pair_model,
)
from dyadwatch.nlp.wordpieces import TOKENIZER_PACKAGE, TOKENIZER_SHA256

SHIPPED = Path(str(resources.files("dyadwatch").joinpath("data")))


def test_the_shipped_model_is_the_pinned_one() -> None:
    digest = hashlib.sha256((SHIPPED / "pairs.onnx").read_bytes()).hexdigest()
    assert digest == SHIPPED_SHA256
    assert set(pair_model().labels) == set(ROOTS)


def test_the_tokenizer_is_the_pinned_package_s() -> None:
    stored = resources.files(TOKENIZER_PACKAGE).joinpath("model/tokenizer.json").read_bytes()
    assert hashlib.sha256(stored).hexdigest() == TOKENIZER_SHA256
    marked = mark("Blinken met Xi.", (0, 7), (12, 14))
    ids, mask, at_first, at_second = encode([marked])
    assert ids.shape == mask.shape and mask.all()
    # [CLS] < a > blink ##en < / a > met < b > xi ...: the two opening "<"
    assert (at_first[0], at_second[0]) == (1, 11)


def test_a_swapped_model_file_is_refused(tmp_path: Path) -> None:
    for name in ("pairs.onnx", "pairs.json"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    with (tmp_path / "pairs.onnx").open("r+b") as model:
        model.seek(1000)
        model.write(b"\x00\x01\x02\x03")
    with pytest.raises(RuntimeError, match="not the expected"):
        PairModel.load(tmp_path, SHIPPED_SHA256)


@given(st.text(alphabet="abc XYZ.,", min_size=2, max_size=80), st.data())
def test_marks_wrap_the_two_spans_and_point_at_their_openings(
    text: str, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=4, max_size=4)))
    first, second = (cuts[0], cuts[1]), (cuts[2], cuts[3])
    marked = mark(text, first, second)
    opened = FIRST_OPEN + text[first[0] : first[1]] + FIRST_CLOSE
    assert marked.text.startswith(opened, marked.first_at)
    assert marked.text.startswith(SECOND_OPEN + text[second[0] : second[1]], marked.second_at)
    plain = marked.text
    for marker in (FIRST_OPEN, FIRST_CLOSE, SECOND_OPEN, SECOND_CLOSE):
        plain = plain.replace(marker, "", 1)
    assert plain == text


def test_readings_are_probabilities_of_every_root_each_way_and_a_status() -> None:
    sentences = [
        "Antony Blinken met Xi Jinping in Beijing on Monday.",
        "China imposed sanctions on Lockheed Martin over arms sales to Taiwan.",
    ]
    marked = [mark(sentences[0], (0, 14), (19, 29)), mark(sentences[1], (0, 5), (29, 44))]
    for reading in pair_model().read(marked):
        for types in (reading.forward, reading.backward):
            assert set(types) == set(ROOTS)
            assert all(0.0 <= p <= 1.0 for p in types.values())
        assert reading.status in pair_model().statuses
    assert pair_model().read([]) == []


def test_readings_come_back_in_the_order_asked_whatever_the_lengths() -> None:
    short = mark("Biden met Xi.", (0, 5), (10, 12))
    long = mark("Biden, after a long and winding week of talks, finally met Xi.", (0, 5), (59, 61))
    one, two = pair_model().read([long, short]), pair_model().read([short, long])
    assert one == two[::-1]


def test_clear_acts_are_read_as_their_type_and_direction() -> None:
    # a smoke test that the model, its tokenizer and its markers fit together (a wrong
    # marker position or word-piece table reads nothing); accuracy is benchmarks/' job
    said = {
        "Antony Blinken met Xi Jinping in Beijing on Monday.": ("CONSULT", True),
        "China accused the United States of bullying its companies.": ("ACCUSE", True),
    }
    for sentence, (root, forward) in said.items():
        (reading,) = pair_model().read([mark(sentence, *_two_actors(sentence))])
        types = reading.forward if forward else reading.backward
        assert likely(types, 0.5)[:1] == [(root, types[root])], (sentence, likely(types, 0.1))


def _two_actors(sentence: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from dyadwatch.actors.resolve import default_matcher

    mentions = default_matcher().find(sentence)
    assert len(mentions) == 2, mentions
    return (mentions[0].start, mentions[0].end), (mentions[1].start, mentions[1].end)
