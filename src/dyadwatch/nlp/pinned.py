"""Files of registry packages pinned by hash: a model or tokenizer swapped for another one
fails loudly instead of reading text differently."""

from __future__ import annotations

import hashlib
from importlib import resources


def pinned_file(package: str, name: str, sha256: str) -> bytes:
    """The bytes of a file of an installed package, which must have this sha256."""
    try:
        found = resources.files(package).joinpath(name).read_bytes()
    except ModuleNotFoundError as error:
        raise RuntimeError(
            f"the package {package} is not installed; run scripts/setup.sh"
        ) from error
    if hashlib.sha256(found).hexdigest() != sha256:
        raise RuntimeError(f"unexpected {name} in {package}")
    return found
