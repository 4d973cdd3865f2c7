"""Build examples/warc/sample.warc.gz from the pages in examples/warc/.pages/.

The folder is hidden so that ingesting examples/ reads these pages once, from the archive.

    .venv/bin/python examples/build_warc.py

Each page becomes an HTTP response record with a fixed date, so the archive is the same
bytes on every run.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
PAGES = {
    "blinken-xi-reprint.html": (
        "https://coastal-courier.example.com/world/blinken-xi-beijing",
        "2024-04-27T06:05:00Z",
    ),
    "bali-cumbre-es.html": (
        "https://diario-del-pacifico.example.org/mundo/biden-xi-bali",
        "2022-11-14T20:05:00Z",
    ),
}


def build(out: Path) -> None:
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for name, (url, when) in PAGES.items():
            body = (HERE / "warc" / ".pages" / name).read_bytes()
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": when, "WARC-Record-ID": f"<urn:example:{name}>"},
            )
            writer.write_record(record)


if __name__ == "__main__":
    build(HERE / "warc" / "sample.warc.gz")
