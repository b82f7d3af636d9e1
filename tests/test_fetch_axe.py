"""scripts/fetch_axe.py: axe-core is unpacked only from a tarball with the pinned integrity."""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile

import pytest

from tests.e2e.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from fetch_axe import AXE_INTEGRITY, AXE_TARBALL, AXE_VERSION, axe_from, verified


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return out.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_the_pin_names_one_version_from_the_npm_registry_and_its_sha512() -> None:
    assert f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz" == AXE_TARBALL
    assert AXE_INTEGRITY.startswith("sha512-") and len(base64.b64decode(AXE_INTEGRITY[7:])) == 64


def test_a_tarball_is_verified_by_its_integrity_and_one_changed_byte_is_refused() -> None:
    data = tarball({"package/axe.min.js": b"window.axe = {};"})
    assert verified(data, integrity(data))
    changed = data[:-1] + bytes([data[-1] ^ 1])
    assert not verified(changed, integrity(data))
    assert not verified(data)  # not the pinned release


def test_only_axe_min_js_is_taken_from_the_package() -> None:
    data = tarball({"package/axe.min.js": b"window.axe = {};", "package/README.md": b"hello"})
    assert axe_from(data) == b"window.axe = {};"
    with pytest.raises(KeyError):
        axe_from(tarball({"package/axe.js": b""}))
