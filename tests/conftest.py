"""Shared fixtures. Every test gets its own DRAFTER_HOME, so no test sees another's index or runs."""

from __future__ import annotations

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


def section_line(body: dict) -> str:
    """The line of a section_chat request that names the section being drafted."""
    content = body["messages"][-1]["content"]
    return next((line for line in content.splitlines() if line.startswith("请为《")), "")
