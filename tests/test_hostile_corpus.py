"""One ingest of a folder of broken and hostile inputs beside good ones, all generated here:
the run ends normally, every good record is stored, every bad input is a problem saying what
is wrong with it, no local file leaks in through a feed, and memory stays bounded."""

from __future__ import annotations

import gzip
import io
import json
import random
import re
import resource
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyadwatch.cli import app
from dyadwatch.pipeline import warm_up
from dyadwatch.store import Store

SECRET = "SECRET-7f3a9c-do-not-leak"
BOMB_BYTES = 256 * 2**20  # what each gzip bomb expands to (from about 250 kB)
# Generous (the run itself grows by some 60 MB), yet below what one bomb read whole would take.
MAX_RSS_GROWTH = 200 * 2**20
PORTUGUESE = (
    "A negociação começou em São Paulo; a votação não terminou, disse o ministro das "
    "Relações Exteriores, que prevê uma solução até o fim do mês."
)
BODY = (
    "Foreign ministers from both countries met in Geneva on Tuesday to discuss trade, "
    "export controls and the security of shipping lanes. Officials said the talks were "
    "frank and that both sides agreed to meet again before the end of the year. "
)


@dataclass
class Corpus:
    folder: Path
    titles: set[str] = field(default_factory=set)  # of every good record
    # file name (or a record's URL) -> a word its problem's reason must hold
    bad: dict[str, str] = field(default_factory=dict)

    def good(self, title: str) -> str:
        """An article under ``title``; its body differs from the others' (exact copies would be
        linked to the first, though stored all the same)."""
        self.titles.add(title)
        return f"{title}\n\n{title}: {BODY}{BODY}\n"

    def write(self, name: str, data: bytes, bad: str | None = None) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        if bad:
            self.bad[name] = bad
        return path


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def build_binary_junk(corpus: Corpus) -> None:
    junk = random.Random(7).randbytes(64 * 1024)
    corpus.write("random.bin", junk, bad="unsupported")
    noise = random.Random(8).randbytes(64 * 1024)  # other bytes: a copy would be skipped
    corpus.write("noise.txt", noise, bad="unsupported")  # a name that promises text
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + junk[:4096]
    corpus.write("photo.png", png, bad="unsupported")
    corpus.write("empty.txt", b"", bad="empty")
    corpus.write("blank.html", b" \n\t\n", bad="empty")


def build_encodings(corpus: Corpus) -> None:
    corpus.write("utf8.txt", corpus.good("Plain UTF-8 talks in Zürich").encode())
    corpus.write("bom.txt", corpus.good("Byte-order mark talks in Kraków").encode("utf-8-sig"))
    # "utf-16" writes the byte-order mark of the machine's order; these name theirs.
    text = corpus.good("Little-endian talks in São Paulo")
    corpus.write("utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    text = corpus.good("Big-endian talks in Reykjavík")
    corpus.write("utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    text = corpus.good("Latin-1 talks in Besançon")
    corpus.write(
        "latin1.html", page("Latin-1 talks in Besançon", text, "iso-8859-1").encode("latin-1")
    )
    # Undeclared legacy bytes are a guess; one about a whole page of Portuguese holds.
    title = "Negociação em São Paulo: “acordo” à vista"
    corpus.titles.add(title)
    text = f"{title}\n\n" + " ".join([PORTUGUESE] * 6) + "\n"
    corpus.write("cp1252.txt", text.encode("cp1252"))
    # Mostly UTF-8, with a few legacy bytes pasted in: decoded and kept, not refused.
    text = corpus.good("Mixed bytes talks in Genève, Zürich and Kraków")
    data = text.encode() + "Mixed bytes at the Café Müller in Malmö. ".encode() * 3
    corpus.write("mixed.txt", data + b"Pasted: caf\xe9 cr\xe8me, 10 \x80 a head.\n")


def warc_record(writer: WARCWriter, url: str | None, html: bytes) -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
    record = writer.create_warc_record(
        url or "", "response", payload=io.BytesIO(html), http_headers=http
    )
    if url is None:
        record.rec_headers.remove_header("WARC-Target-URI")
    writer.write_record(record)


def warc(corpus: Corpus, pages: list[tuple[str | None, str]], compress: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for url, title in pages:
        body = corpus.good(title).replace("\n", " ") if url else f"{title} {BODY}"
        warc_record(writer, url, page(title, body).encode())
    return out.getvalue()


def build_warcs(corpus: Corpus) -> None:
    good = warc(corpus, [("https://news.example/warc/1", "WARC talks one")], compress=True)
    corpus.write("good.warc.gz", good)
    # A response record without its WARC-Target-URI between two good ones.
    pages = [
        ("https://news.example/warc/2", "WARC talks two"),
        (None, "Nameless record"),
        ("https://news.example/warc/3", "WARC talks three"),
    ]
    corpus.write("no-uri.warc", warc(corpus, pages, compress=False), bad="WARC-Target-URI")
    # A record cut short after a whole one (the cut one's title is not expected: a corpus
    # of its own keeps it out of this one's).
    data = warc(corpus, [("https://news.example/warc/4", "WARC talks four")], compress=False)
    cut = warc(Corpus(corpus.folder), [("https://news.example/x", "Cut")], compress=False)
    corpus.write("cut.warc", data + cut[: len(cut) // 2], bad="truncated")
    # Garbage after a whole record.
    data = warc(corpus, [("https://news.example/warc/5", "WARC talks five")], compress=True)
    garbage = b"this is not a WARC record\r\n\x00\x01\x02" + random.Random(3).randbytes(2000)
    corpus.write("garbage.warc.gz", data + garbage, bad="invalid WARC record")
    # A gzipped archive cut inside its second record's gzip member.
    data = warc(corpus, [("https://news.example/warc/6", "WARC talks six")], compress=True)
    cut = warc(Corpus(corpus.folder), [("https://news.example/y", "Cut " + BODY * 50)], True)
    corpus.write("cut.warc.gz", data + cut[: len(cut) // 2], bad="truncated")


def build_gzip(corpus: Corpus) -> None:
    text = gzip.compress(("Truncated gzip. " + BODY * 200).encode())
    corpus.write("cut.txt.gz", text[: len(text) // 2], bad="unsupported")
    corpus.write("bomb.gz", zero_bomb(b"", BOMB_BYTES), bad="unsupported")
    # A gzipped WARC whose one response record is BOMB_BYTES of spaces behind an HTML head.
    head = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/bomb\r\n"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
    head += b"Content-Length: %d\r\n\r\n" % (len(http) + BOMB_BYTES) + http
    corpus.write("bomb.warc.gz", zero_bomb(head, BOMB_BYTES, fill=b" "))
    corpus.bad["https://news.example/bomb"] = "too large"  # a record's problem: by its URL


def zero_bomb(head: bytes, size: int, fill: bytes = b"\x00") -> bytes:
    """A gzip member: ``head``, then ``size`` bytes of ``fill``, compressed a chunk at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts, chunk = [packer.compress(head)], fill * 2**20
    for _ in range(size // len(chunk)):
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    return b"".join(parts)


FEED = """<?xml version="1.0" encoding="utf-8"?>
{doctype}
<rss version="2.0"><channel><title>Hostile Wire</title>
<item><title>{title}</title><link>https://news.example/{slug}</link>
<description>{body}</description></item>
</channel></rss>
"""


def build_feeds(corpus: Corpus, secret: Path) -> None:
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    doctype = f"<!DOCTYPE rss [{laughs}]>"
    feed = FEED.format(doctype=doctype, title="Laughs &lol9;", slug="laughs", body="&lol9;")
    corpus.write("laughs.rss", feed.encode(), bad="feed")
    doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    feed = FEED.format(doctype=doctype, title="XXE &xxe;", slug="xxe", body="Leak: &xxe;")
    corpus.write("xxe.rss", feed.encode(), bad="feed")
    title = "Feed talks in Nairobi"
    html = "".join(f"<p>{line}</p>" for line in corpus.good(title).splitlines() if line)
    body = f"<![CDATA[{html}]]>"
    corpus.write("good.rss", FEED.format(doctype="", title=title, slug="feed", body=body).encode())


def build_html(corpus: Corpus) -> None:
    depth = 100_000
    deep = "<html><body>" + "<div>" * depth + "Deep text." + "</div>" * depth + "</body></html>"
    corpus.write("deep.html", deep.encode())  # read or refused, but never the end of the run
    title = "Huge page"
    huge = page(title, "<p>Filler sentence for a page no article is this long.</p>" * 500_000)
    corpus.write("huge.html", huge.encode(), bad="too large")
    title = "HTML talks in Lagos"
    corpus.write("good.html", page(title, corpus.good(title)).encode())


def build_jsonl(corpus: Corpus) -> dict[str, int]:
    """Good rows among bad ones; returns how many bad rows of each kind of fault there are."""
    rows: list[str] = []
    for n, city in enumerate(["Lima", "Hanoi", "Oslo"]):
        title = f"JSONL talks in {city}"
        rows.append(json.dumps({"url": f"https://news.example/j{n}", "title": title,
                                "text": corpus.good(title)}))  # fmt: skip
    bad = [
        '{"title": "broken", "text": ',  # malformed JSON
        '["a", "list"]',  # not an object
        '"a string"',
        json.dumps({"title": "no body"}),  # missing text
        json.dumps({"title": "number body", "text": 42}),  # wrong type
        json.dumps({"title": "blank", "text": "   "}),
        "[" * 100_000 + "]" * 100_000,  # nested past any recursion limit
        '{"text": "' + "x" * 50 + '"' + "}" * 3,  # trailing junk
    ]
    lines = [rows[0], *bad[:4], rows[1], *bad[4:], rows[2]]
    title = "JSONL odd types in Quito"
    # Wrong types in the optional fields do not lose the text.
    lines.append(
        json.dumps({"url": 7, "title": ["x"], "published": {}, "text": corpus.good(title)})
    )
    corpus.write("rows.jsonl", "\n".join(lines).encode() + b"\n\xff\xfe\x00junk\n", bad="JSON")
    return {"malformed JSON": 4, "not a JSON object": 2, "no 'text' or 'html' field": 3}


def peak_rss() -> int:
    """The process's peak resident memory, in bytes (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_baseline() -> int:
    """Where memory stands now: on Linux the peak so far is forgotten (so that a test run
    before this one cannot hide the run's), elsewhere the peak so far is the baseline."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        statm = Path("/proc/self/statm").read_text()
    except OSError:
        return peak_rss()
    return int(statm.split()[1]) * resource.getpagesize()


def test_hostile_corpus_is_survived_and_good_records_are_kept(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    corpus = Corpus(folder)
    build_binary_junk(corpus)
    build_encodings(corpus)
    build_warcs(corpus)
    build_gzip(corpus)
    build_feeds(corpus, secret)
    build_html(corpus)
    kinds = build_jsonl(corpus)
    db = str(tmp_path / "hostile.db")

    warm_up()  # the models extraction loads once for good are not the run's growth
    before = rss_baseline()
    result = CliRunner().invoke(
        app,
        ["ingest", str(folder), "--db", db, "--no-events", "--workers", "1"],
        env={"COLUMNS": "400"},
    )
    growth = peak_rss() - before

    assert result.exit_code == 0, (result.output, result.exception)
    with Store(db) as store:
        articles = list(store.iter_articles())
        problems = store.problems()
    stored = {a["title"] for a in articles}
    assert corpus.titles <= stored, sorted(corpus.titles - stored)

    by_file: dict[str, list[str]] = {}
    for problem in problems:
        source = problem["source"]
        name = source if source.startswith("https:") else Path(source).name
        by_file.setdefault(name, []).append(problem["reason"])
    for name, word in corpus.bad.items():
        reasons = by_file.get(name)
        assert reasons, f"{name}: no problem recorded"
        assert any(word.lower() in r.lower() for r in reasons), (name, reasons)

    with Store(db) as store:
        read = store.inputs()
    assert len(read) == len(list(folder.iterdir()))
    assert {row["status"] for row in read} <= {"done", "failed"}  # every input read to its end
    assert any(Path(a["source"]).name == "deep.html" for a in articles) or "deep.html" in by_file

    body = {Path(a["source"]).name: a["body"] for a in articles}
    assert "café crème, 10 € a head" in body["mixed.txt"]
    assert PORTUGUESE in body["cp1252.txt"]
    assert not any("lollol" in a["body"] + (a["title"] or "") for a in articles)
    assert not any(SECRET in (a["body"] + (a["title"] or "")) for a in articles)
    assert not any(SECRET in p["reason"] for p in problems)
    assert growth < MAX_RSS_GROWTH, f"memory grew by {growth / 2**20:.0f} MB"
    for kind, count in kinds.items():  # the summary counts the bad rows by kind of fault
        assert re.search(rf"^ +{count}  {re.escape(kind)}$", result.output, re.M), kind
