"""Stage 1, ingest: find inputs and read raw article candidates out of them.

``discover(paths)`` walks files, folders and ``-`` (stdin) and yields one
``InputFile`` per file (or a ``Problem``); ``read_documents(input_file)`` yields the
``Document`` records inside it (one for a page, many for a feed, JSONL or WARC).
"""

from dyadwatch.ingest.discover import InputFile, detect_format, discover
from dyadwatch.ingest.readers import read_documents

__all__ = ["InputFile", "detect_format", "discover", "read_documents"]
