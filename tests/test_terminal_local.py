"""The interactive session on the real bundled model (slow: a minute or two on 2 cores; CI runs it)."""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest

from drafter.llm import local_model as lm
from tests.conftest import REPO

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not lm.is_installed(), reason="the local extra is not installed (pip install -e '.[local]')"),
]

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MODEL_CACHE = Path(tempfile.gettempdir()) / "drafter-test-models"  # joined once, shared by runs
OUTLINE = """# 2023年市局主要领导工作述职
<!-- drafter outline: type=述职; source=test -->

## 〔开头〕
- fact: 党建集体荣誉

## 一、存在的不足
"""


def test_a_two_section_session_on_the_bundled_model(tmp_path):
    gguf = lm.ensure_model(MODEL_CACHE, None)
    (tmp_path / "outline.md").write_text(OUTLINE, encoding="utf-8")
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "DRAFTER_LOCAL_GGUF": str(gguf), "NO_COLOR": "1",
           "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    for name in ("DRAFTER_LLM_BASE_URL", "DRAFTER_DEBUG", "EDITOR"):
        env.pop(name, None)
    log = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "drafter", "draft", "--type", "述职", "--facts", str(REPO / "examples" / "facts_述职.yaml"),
         "--outline", "outline.md", "-o", "draft.md", "--length", "120"],
        cwd=str(tmp_path), env=env, encoding="utf-8", dimensions=(24, 80), timeout=600,
    )
    child.logfile_read = log
    child.expect("quit › ")
    child.send("a")
    child.expect("help › ")
    shown = ANSI.sub("", log.getvalue())
    assert "第 1/2 节 · 〔开头〕" in shown and "tokens/s" in shown
    child.send("a")
    child.expect("help › ")
    child.send("a")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1), log.getvalue()[-2000:]  # 1: the small model slipped in a number
    text = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert text.startswith("# 2023年市局主要领导工作述职") and "## 一、存在的不足" in text
    assert "〔本节尚未起草〕" not in text
    runs = sorted((tmp_path / "home" / "runs").iterdir())
    assert '"status": "accepted"' in (runs[-1] / "sections" / "02.md").read_text(encoding="utf-8")
