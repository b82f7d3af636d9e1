"""The project's Streamlit settings keep the app private, offline and practitioner-facing."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def config() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_usage_statistics_are_sent() -> None:
    assert config()["browser"]["gatherUsageStats"] is False


def test_no_deploy_button_or_developer_menu() -> None:
    assert config()["client"]["toolbarMode"] == "minimal"


def test_uploads_are_capped() -> None:
    assert 1 <= config()["server"]["maxUploadSize"] <= 10


def test_the_upload_limit_is_the_limit_every_reader_keeps() -> None:
    from ecomap.model import MAX_FILE_BYTES

    assert config()["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_errors_never_show_a_traceback() -> None:
    assert config()["client"]["showErrorDetails"] == "none"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert commands[:2] == ["./scripts/app.sh", "./scripts/test.sh"]
    assert "./scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_taps_are_not_held_back_by_the_framework() -> None:
    # Each measured in bench/README.md: the forced collection after every run, small unchanged
    # elements sent in full, and watching the app's own files.
    assert config()["runner"]["postScriptGC"] is False
    assert config()["global"]["minCachedMessageSize"] <= 500
    assert config()["server"]["fileWatcherType"] == "none"


def test_the_scripts_compile_ecomaps_modules_as_they_set_up(tmp_path: Path) -> None:
    # Where Python writes no bytecode itself, each start would compile every module again.
    for part in ("ecomap", "ui", "pages", "bench", "scripts"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("streamlit_app.py", "ecomap_app.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    subprocess.run(["bash", "-c", "source scripts/common.sh && compile_ecomap"], cwd=tmp_path, check=True)
    sources = [*(tmp_path / "ecomap").rglob("*.py"), *(tmp_path / "ui").rglob("*.py"), tmp_path / "ecomap_app.py"]
    assert sources
    assert [s for s in sources if not Path(importlib.util.cache_from_source(str(s))).is_file()] == []
