"""Fetches axe-core (the accessibility engine the browser tests inject) from the npm registry, once.

The version is pinned and the tarball is checked against the registry's sha512 integrity before
anything is unpacked; only ``axe.min.js`` is kept, in ``.cache/axe-core-VERSION/`` (not committed).
Nothing is loaded from a CDN. Run ``.venv/bin/python scripts/fetch_axe.py``: it prints the file's path.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

#: The axe-core release the tests use, and its integrity as the npm registry's metadata gives it.
AXE_VERSION = "4.14.1"
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / ".cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
#: The tarball is a few megabytes; anything much larger is not it.
MAX_BYTES = 20_000_000


def verified(tarball: bytes, integrity: str = AXE_INTEGRITY) -> bool:
    """Whether ``tarball`` has the registry's Subresource Integrity value (``sha512-BASE64``)."""
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, tarball).digest()
    return base64.b64encode(digest).decode("ascii") == expected


def axe_from(tarball: bytes) -> bytes:
    """``package/axe.min.js`` out of the npm tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.getmember("package/axe.min.js")
        extracted = archive.extractfile(member)
        if extracted is None:
            raise ValueError("axe.min.js is not a file in the tarball")
        return extracted.read()


def ensure_axe() -> Path:
    """The path of ``axe.min.js``, fetched and verified first if it is not there yet."""
    if AXE_JS.exists():
        return AXE_JS
    with urllib.request.urlopen(AXE_TARBALL, timeout=60) as response:
        tarball = response.read(MAX_BYTES + 1)
    if len(tarball) > MAX_BYTES or not verified(tarball):
        raise RuntimeError(f"axe-core {AXE_VERSION} from the npm registry does not match its pinned integrity")
    AXE_JS.parent.mkdir(parents=True, exist_ok=True)
    partial = AXE_JS.with_name(f"axe.min.js.{os.getpid()}.part")
    partial.write_bytes(axe_from(tarball))
    partial.replace(AXE_JS)
    return AXE_JS


if __name__ == "__main__":
    try:
        print(ensure_axe())
    except (OSError, RuntimeError, KeyError, ValueError, tarfile.TarError) as exc:
        print(f"ecomap: axe-core could not be fetched: {exc}", file=sys.stderr)
        sys.exit(1)
