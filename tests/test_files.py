"""Files written whole or not at all, readable by their owner only, and nothing left behind when one cannot be."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

import ecomap.files
from ecomap.files import FILE_MODE, FileNotWritten, check_writable, new_file, write_file
from tests.disks import full_disk, read_only_folder

DATA = b"Alys Pritchard, Mam, Cor Meibion\n" * 100


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_file_is_written_whole_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        write_file(tmp_path / "map.json", DATA)
    finally:
        os.umask(old_umask)
    written = tmp_path / "map.json"
    assert written.read_bytes() == DATA
    assert stat.S_IMODE(written.stat().st_mode) == FILE_MODE == 0o600
    assert leftovers(tmp_path) == ["map.json"]


def test_a_replaced_file_is_replaced_whole_and_made_private(tmp_path: Path) -> None:
    target = tmp_path / "map.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_file(target, DATA)
    assert target.read_bytes() == DATA
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_existing_file_is_kept_when_it_may_not_be_replaced(tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    target.write_bytes(b"kept")
    with pytest.raises(FileNotWritten, match="it already exists; nothing was written"):
        write_file(target, DATA, replace=False)
    assert target.read_bytes() == b"kept"
    assert leftovers(tmp_path) == ["map.json"]


def test_a_file_that_appears_while_writing_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    with pytest.raises(FileNotWritten, match="already exists"), new_file(target, replace=False) as temporary:
        temporary.write_bytes(DATA)
        target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert leftovers(tmp_path) == ["map.json"]


def test_a_link_is_followed_to_the_file_it_names(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_bytes(b"old")
    (tmp_path / "link.json").symlink_to("real.json")
    write_file(tmp_path / "link.json", DATA)
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_bytes() == DATA


@contextmanager
def nothing(folder: Path) -> Iterator[Path]:
    folder.mkdir()
    yield folder


# (how to make the place, the name written in it, the reason given)
PLACES: list[tuple[Callable[[Path], AbstractContextManager[Path]], str, str]] = [
    (nothing, "missing/map.json", "the folder {folder}/missing does not exist"),
    (nothing, "", "it is a folder"),
    (full_disk, "map.json", "there is no room left on the disk"),
    (read_only_folder, "map.json", "the folder {folder} "),
]


@pytest.mark.parametrize(("place", "name", "reason"), PLACES, ids=["missing folder", "a folder", "full", "read-only"])
def test_a_place_that_cannot_be_written_gives_a_reason_and_leaves_nothing(
    tmp_path: Path, place: Callable[[Path], AbstractContextManager[Path]], name: str, reason: str
) -> None:
    with place(tmp_path / "place") as folder:
        before = leftovers(folder)
        target = folder / name if name else folder
        with pytest.raises(FileNotWritten) as caught:
            write_file(target, DATA)
        assert str(caught.value).startswith(f"{target}: {reason.format(folder=folder)}")
        assert str(caught.value).endswith("; nothing was written")
        assert leftovers(folder) == before


def test_a_device_is_never_replaced() -> None:
    with pytest.raises(FileNotWritten, match="not an ordinary file"):
        write_file("/dev/null", DATA)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes").write_bytes(b"")
    with pytest.raises(FileNotWritten, match=r"notes is not a folder"):
        check_writable(tmp_path / "notes" / "map.json")


def test_a_disk_that_fills_while_syncing_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk's refusal simulated (an fsync that finds no room, as on a disk whose space is taken late), so it
    runs without root too; the test above meets a real full tmpfs."""

    def no_room(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (tmp_path / "map.json").write_bytes(b"the last good one")
    monkeypatch.setattr(ecomap.files.os, "fsync", no_room)
    with pytest.raises(FileNotWritten, match="there is no room left on the disk"):
        write_file(tmp_path / "map.json", DATA)
    assert leftovers(tmp_path) == ["map.json"]
    assert (tmp_path / "map.json").read_bytes() == b"the last good one"


def test_a_failure_while_making_the_file_leaves_no_temporary_one(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="drawing failed"), new_file(tmp_path / "map.pdf") as temporary:
        temporary.write_bytes(b"%PDF-half")
        raise RuntimeError("drawing failed")
    assert leftovers(tmp_path) == []
