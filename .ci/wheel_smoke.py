"""The package as a user installs it: build the wheel, install it into a clean virtualenv, and run it
from a folder outside the checkout — `drafter --help`, a check, a scripted draft, `drafter eval`.

    python .ci/wheel_smoke.py

Run by .ci/run after the test suite, with the CI environment's Python (which has the test helpers:
the scripted OpenAI-compatible server). Exits non-zero on the first step that fails, printing what
the command said.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.scripted import GOOD, OUTLINE, section_of  # noqa: E402


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, expect: int = 0) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != expect:
        sys.stdout.write(done.stdout[-4000:])
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"wheel smoke test: {cmd[0]} {' '.join(cmd[1:3])} exited {done.returncode}, expected {expect}")
    return done


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drafter-wheel-") as tmp:
        tmp = Path(tmp)
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(REPO)], cwd=tmp)
        wheel = next((tmp / "dist").glob("drafter-*.whl"))
        run([sys.executable, "-m", "venv", str(tmp / "venv")], cwd=tmp)
        bin_dir = tmp / "venv" / "bin"
        run([str(bin_dir / "pip"), "install", "-q", str(wheel)], cwd=tmp)
        drafter = str(bin_dir / "drafter")

        # An office folder: its own corpus, facts and outline; no checkout anywhere near it.
        office = tmp / "office"
        shutil.copytree(REPO / "corpus", office / "corpus")
        shutil.copytree(REPO / "evals" / "cases", office / "evals" / "cases")
        shutil.copytree(REPO / "evals" / "checker", office / "evals" / "checker")
        for name in ("facts_述职.yaml", "draft_述职.md"):
            shutil.copy(REPO / "examples" / name, office / name)
        (office / "outline.md").write_text(OUTLINE, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
        env.update(DRAFTER_HOME=str(office / ".drafter"), DRAFTER_EMBED_PROVIDER="hashing", NO_COLOR="1",
                   PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")

        help_text = run([drafter, "--help"], cwd=office, env=env).stdout
        assert "check" in help_text and "draft" in help_text, help_text
        # The draft with one figure changed by hand: exit 1, and the changed figure named.
        checked = run([drafter, "check", "draft_述职.md", "--facts", "facts_述职.yaml"], cwd=office, env=env, expect=1)
        assert "25" in checked.stdout, checked.stdout
        run([drafter, "ingest"], cwd=office, env=env)
        # A scripted model: the prompts must come from inside the wheel.
        with FakeOpenAI(responder=lambda body: GOOD[section_of(body)]) as fake:
            env_llm = {**env, "DRAFTER_LLM_BASE_URL": fake.base_url, "DRAFTER_LLM_MODEL": "scripted",
                       "DRAFTER_LLM_MAX_RETRIES": "0"}
            run([drafter, "draft", "--type", "述职", "--facts", "facts_述职.yaml", "--outline", "outline.md",
                 "-o", "draft.md", "--yes"], cwd=office, env=env_llm)
        drafted = (office / "draft.md").read_text(encoding="utf-8")
        assert GOOD["（二）突出内涵建设"] in drafted, drafted
        evaluated = run([drafter, "eval"], cwd=office, env=env)
        assert "aggregate" in evaluated.stdout, evaluated.stdout
    print("wheel smoke test: passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
