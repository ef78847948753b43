"""`drafter draft --yes` on the real bundled model (slow: a few minutes on 2 cores; CI runs it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.drafting.section import UNVERIFIED
from drafter.llm import local_model as lm
from tests.conftest import REPO, SAMPLE_CORPUS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not lm.is_installed(), reason="the local extra is not installed (pip install -e '.[local]')"),
]

MODEL_CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "drafter-test-models"  # joined once, shared by runs


def _servers_of(pid: int) -> list[str]:
    """Command lines of local model servers started by process ``pid`` that are still alive."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "drafter.llm.local_server" in cmd and f"--parent-pid {pid} " in cmd + " ":
                found.append(cmd)
    return found


def test_a_three_section_draft_on_the_bundled_model(tmp_path):
    gguf = lm.ensure_model(MODEL_CACHE, None)
    shutil.copytree(SAMPLE_CORPUS, tmp_path / "corpus")
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "DRAFTER_LOCAL_GGUF": str(gguf), "NO_COLOR": "1",
           "DRAFTER_EMBED_THREADS": "1"}
    for name in ("DRAFTER_LLM_BASE_URL", "DRAFTER_DEBUG"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=tmp_path, env=env, check=True, capture_output=True)
    facts = REPO / "examples" / "facts_述职.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "drafter", "draft", "--type", "述职", "--facts", str(facts),
         "--outline", str(REPO / "examples" / "outline_述职.md"), "-o", "draft.md", "--yes", "--length", "120"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _, stderr = proc.communicate(timeout=1500)
    assert proc.returncode in (0, 1), stderr  # 1: numbers left marked 〔待核〕, which is allowed here
    text = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert text.startswith("# 2023年市局主要领导工作述职") and "### （二）突出内涵建设，促进中心工作" in text
    assert "〔本节尚未起草〕" not in text and "〔本节未写完〕" not in text

    saved = json.loads((tmp_path / "draft.check.json").read_text(encoding="utf-8"))
    for finding in saved["findings"]:
        assert finding["status"] in ("grounded", "derived", "formula", "placeholder", "ungrounded")
        if finding["status"] == "ungrounded" and finding["severity"] == "error":
            line = text.splitlines()[finding["line"] - 1]
            at = finding["column"] - 1 + len(finding["text"])
            assert line[at:].startswith(UNVERIFIED), f"unmarked ungrounded number {finding['text']} in: {line}"
    assert (proc.returncode == 1) == (saved["summary"]["errors"] > 0)

    check = subprocess.run([sys.executable, "-m", "drafter", "check", "draft.md", "--facts", str(facts), "--json"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert json.loads(check.stdout)["summary"] == saved["summary"]

    time.sleep(1)
    assert _servers_of(proc.pid) == []  # the local server stopped with drafter
