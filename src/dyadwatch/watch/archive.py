"""The watcher's WARC files: every response of a round, as fetched, for archiving and for
``dyadwatch ingest`` to read again."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyadwatch.watch.fetch import Response

# The body is stored decoded, so the headers that describe its transfer no longer hold.
TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """``DIR/dyadwatch-<UTC time>.warc.gz``, made on the first response. Each record is its
    own gzip member, appended and closed at once: a kill loses at most the one being written
    (and ``ingest`` reads a WARC cut short up to the cut)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"dyadwatch-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.warc.gz"

    def write(self, response: Response) -> None:
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in TRANSFER_HEADERS
        ]
        headers.append(("Content-Length", str(len(response.body))))
        status = f"{response.status} {response.reason}".strip()
        http = StatusAndHeaders(status, headers, protocol=response.http_version)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as stream:
            writer = WARCWriter(stream, gzip=True)
            record = writer.create_warc_record(
                response.url, "response", payload=BytesIO(response.body), http_headers=http
            )
            writer.write_record(record)
