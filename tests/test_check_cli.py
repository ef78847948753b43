"""`drafter check`: report, JSON, exit codes, one-line errors; and the real console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app

FACTS = """\
title: 2024年市教育局党委书记抓基层党建工作述职
period: 2024年
facts:
  - name: 公办园覆盖面
    value: 62.55%
    previous: 12.4%
  - name: 新增学位
    value: 7620个
"""
GOOD = "2024年，公办园覆盖面从12.4%提升到62.55%，提高50.15个百分点，新增学位7620个。增强“四个意识”。\n"
BAD = "2024年，新增学位8000个。\n"
PLACEHOLDER = "新增学位7620个，开展学习X次。\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("facts.yaml", FACTS), ("good.md", GOOD), ("bad.md", BAD), ("ph.md", PLACEHOLDER),
                       ("empty.md", "  \n\n"), ("broken.yaml", "facts:\n  - name: a\n    value: [1\n")):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        out[name] = p
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, ["check", *map(str, args)])


def test_grounded_draft_exits_0(runner, files):
    r = run(runner, files["good.md"], "--facts", files["facts.yaml"])
    assert r.exit_code == 0, r.output
    assert "4 grounded · 1 derived · 1 formula · 0 placeholder · 0 ungrounded" in r.stdout
    assert "62.55% − 12.4% = 50.15个百分点" in r.stdout
    assert "新增学位: 7620个" in r.stdout


def test_ungrounded_exits_1_after_the_report(runner, files):
    r = run(runner, files["bad.md"], "--facts", files["facts.yaml"])
    assert r.exit_code == 1
    assert "ungrounded" in r.stdout and "8000个" in r.stdout
    assert "1 ungrounded" in r.stdout


def test_placeholder_passes_unless_strict(runner, files):
    assert run(runner, files["ph.md"], "--facts", files["facts.yaml"]).exit_code == 0
    assert run(runner, files["ph.md"], "--facts", files["facts.yaml"], "--strict").exit_code == 1


def test_json_output(runner, files):
    r = run(runner, files["good.md"], "--facts", files["facts.yaml"], "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["summary"]["grounded"] == 4 and data["summary"]["derived"] == 1
    first = data["findings"][0]
    assert {"text", "value", "unit", "status", "source", "line", "column", "severity"} <= set(first)
    derived = [f for f in data["findings"] if f["status"] == "derived"][0]
    assert derived["formula"] == "62.55% − 12.4% = 50.15个百分点"
    assert derived["text"] == "50.15个百分点" and derived["value"] == pytest.approx(50.15)
    assert "formula" not in first


def test_json_with_errors_still_exits_1(runner, files):
    r = run(runner, files["bad.md"], "--facts", files["facts.yaml"], "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(f["text"], f["status"], f["severity"]) for f in data["findings"]] == [
        ("2024年", "grounded", "info"), ("8000个", "ungrounded", "error")]


@pytest.mark.parametrize("draft, facts, message", [
    ("missing.md", "facts.yaml", "no such draft file"),
    ("empty.md", "facts.yaml", "the draft is empty"),
    ("good.md", "broken.yaml", "YAML syntax error"),
    ("good.md", "nope.yaml", "no such facts file"),
])
def test_errors_raise_drafter_errors(runner, files, tmp_path, draft, facts, message):
    from drafter.errors import InputFileError

    r = run(runner, tmp_path / draft, "--facts", tmp_path / facts)
    assert isinstance(r.exception, InputFileError)
    assert message in str(r.exception)


def _drafter_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("drafter")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("drafter")
    return [found] if found else [sys.executable, "-m", "drafter"]


def test_console_script_end_to_end(files):
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    ok = subprocess.run([*_drafter_cmd(), "check", str(files["good.md"]), "--facts", str(files["facts.yaml"])],
                        capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "0 ungrounded" in ok.stdout
    bad = subprocess.run([*_drafter_cmd(), "check", str(files["bad.md"]), "--facts", str(files["facts.yaml"])],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1 and "8000个" in bad.stdout
    err = subprocess.run([*_drafter_cmd(), "check", str(files["good.md"]), "--facts", str(files["broken.yaml"])],
                         capture_output=True, text=True, env=env, timeout=60)
    assert err.returncode == 2
    lines = [ln for ln in err.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "YAML syntax error" in lines[0]
