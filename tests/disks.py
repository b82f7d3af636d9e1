"""Small disks for the fault tests: one that is full and one that cannot be written to.

Each is a tmpfs of its own, mounted on a folder for one test and unmounted after it, so a test
meets the system's own errors (ENOSPC, EROFS). Mounting needs root; elsewhere a test that needs a
real small disk is skipped, and the tests that simulate the error (an ``os.fsync`` that says there
is no room) still run.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, *, size: str = "1m", read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (made here) while the block runs; skips the test without root."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("mounting a small disk needs root and mount(8)")
    folder.mkdir()
    options = f"size={size},mode=0700" + (",ro" if read_only else "")
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"tmpfs cannot be mounted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run([umount, "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> Path:
    """Write a file into ``folder`` until its disk has no room left; return the file."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


@contextmanager
def full_disk(folder: Path) -> Iterator[Path]:
    """A small disk on ``folder`` with no room left on it."""
    with small_disk(folder) as disk:
        fill(disk)
        yield disk


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """A folder that cannot be written to: a read-only tmpfs as root, a folder without write permission otherwise."""
    if os.geteuid() == 0:
        with small_disk(folder, read_only=True) as disk:
            yield disk
        return
    folder.mkdir()
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
