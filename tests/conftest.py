"""Shared fixtures. Every test gets its own DRAFTER_HOME, so no test sees another's index or runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def drafter_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "drafter-home"
    home.mkdir()
    monkeypatch.setenv("DRAFTER_HOME", str(home))
    for name in list(__import__("os").environ):
        if name.startswith("DRAFTER_") and name not in ("DRAFTER_HOME",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """A project folder with the sample corpus in corpus/ and its index in home/, built once per
    session by a real `drafter ingest` process (hashing embedder: fast, offline). Tests that only
    read it may use it as it is; tests that write runs or change the corpus take a copy
    (``copy_project``), which costs a copy instead of an ingest."""
    base = tmp_path_factory.mktemp("sample-index")
    shutil.copytree(SAMPLE_CORPUS, base / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env.update(DRAFTER_HOME=str(base / "home"), DRAFTER_EMBED_PROVIDER="hashing")
    subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=base, env=env, check=True,
                   capture_output=True, timeout=300)
    return base


def copy_project(sample: Path, dest: Path, home: str = "home") -> Path:
    """The sample project (corpus/ and the index) copied into ``dest``, the index as ``dest/home``."""
    shutil.copytree(sample / "corpus", dest / "corpus", dirs_exist_ok=True)
    shutil.copytree(sample / "home", dest / home, dirs_exist_ok=True)
    return dest


def section_line(body: dict) -> str:
    """The line of a section_chat request that names the section being drafted."""
    content = body["messages"][-1]["content"]
    return next((line for line in content.splitlines() if line.startswith("当前一节：")), "")
