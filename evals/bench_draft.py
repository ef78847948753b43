"""Drafting benchmark: concurrency and drafter's own overhead, against a server of fixed latency.

    python evals/bench_draft.py              # 8 sections, 2 s a call, --jobs 4 vs --jobs 1
    python evals/bench_draft.py --local      # also: the bundled model on a 3-section outline

The fake server answers every section after ``--latency`` seconds with a grounded paragraph, so
wall time is model time plus drafter's own work (prompt rendering, checking, bookkeeping, file
writes). Overhead = wall time − calls × latency ÷ jobs, as a share of model time. Median of runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fake_openai import FakeOpenAI  # noqa: E402

FACTS = REPO / "examples" / "facts_述职.yaml"
ANSWER = "一年来，本机关荣获各级各类党建集体荣誉22项、个人荣誉61人次，整改了近200个问题，各项工作扎实推进。"
EIGHT = """# 述职
<!-- drafter outline: type=述职; source=bench -->

## 〔开头〕
## 一、个人履职情况
### （一）突出政治建设
### （二）突出组织建设
### （三）突出内涵建设
### （四）突出作风建设
## 二、存在的不足
## 三、努力的方向
## 〔结尾〕
"""


def run(cwd: Path, env: dict, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done


def concurrency(latency: float, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        shutil.copytree(REPO / "corpus", cwd / "corpus")
        (cwd / "outline.md").write_text(EIGHT, encoding="utf-8")
        env = {**os.environ, "DRAFTER_HOME": str(cwd / "home"), "DRAFTER_EMBED_PROVIDER": "hashing",
               "DRAFTER_LLM_MODEL": "bench", "NO_COLOR": "1"}
        subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=cwd, env=env, check=True, capture_output=True)
        # The process start (imports, Chroma, retrieval for 8 sections) is drafter's too, but it
        # does not grow with the model's latency: measure it with an instant server.
        walls: dict[int, list[float]] = {1: [], 4: []}
        with FakeOpenAI(latency=latency, responder=lambda body: ANSWER) as fake:
            env["DRAFTER_LLM_BASE_URL"] = fake.base_url
            for i in range(repeat):
                for jobs in (1, 4):
                    wall, done = run(cwd, env, "draft", "--type", "述职", "--facts", str(FACTS), "--outline",
                                     "outline.md", "-o", f"d{jobs}-{i}.md", "--yes", "--jobs", str(jobs))
                    assert done.returncode == 0, done.stderr
                    walls[jobs].append(wall)
        with FakeOpenAI(latency=0.0, responder=lambda body: ANSWER) as fake:
            env["DRAFTER_LLM_BASE_URL"] = fake.base_url
            base = [run(cwd, env, "draft", "--type", "述职", "--facts", str(FACTS), "--outline", "outline.md",
                        "-o", f"z{i}.md", "--yes", "--jobs", "1")[0] for i in range(repeat)]
    from drafter.drafting.context import leaf_sections
    from drafter.outline.markdown import parse_outline

    sections = len(leaf_sections(parse_outline(EIGHT)))
    seq, par, zero = (statistics.median(walls[1]), statistics.median(walls[4]), statistics.median(base))
    print(f"## Concurrency: {sections} sections, {latency:.1f} s a call (median of {repeat})")
    print(f"- --jobs 1: {seq:.1f} s; --jobs 4: {par:.1f} s; ratio {par / seq:.2f} (target ≤ 0.35)")
    per_section = (seq - sections * latency) / sections
    print(f"- drafter's own time a section (wall − model time, --jobs 1): {per_section * 1000:.0f} ms "
          f"= {per_section / latency:.1%} of model time (target < 5%)")
    print(f"- of which process start + retrieval for all sections (instant model): {zero:.1f} s once per run")
    per_section_steady = (seq - zero) / sections - latency
    print(f"- per-section work without start-up: {per_section_steady * 1000:.0f} ms = {per_section_steady / latency:.1%}")


def local(repeat: int) -> None:
    outline = EIGHT.split("## 一、")[0] + "## 一、个人履职情况\n### （一）突出组织建设\n- fact: 整改问题\n### （二）突出内涵建设\n- fact: 局机关志愿服务\n- fact: 人均志愿服务时长\n"
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        shutil.copytree(REPO / "corpus", cwd / "corpus")
        (cwd / "outline.md").write_text(outline, encoding="utf-8")
        env = {**os.environ, "DRAFTER_HOME": str(cwd / "home"), "NO_COLOR": "1"}
        env.pop("DRAFTER_LLM_BASE_URL", None)
        subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=cwd, env=env, check=True, capture_output=True)
        rows = []
        for i in range(repeat):
            wall, done = run(cwd, env, "draft", "--type", "述职", "--facts", str(FACTS), "--outline", "outline.md",
                             "-o", f"l{i}.md", "--yes", "--length", "200")
            run_dir = sorted((cwd / "home" / "runs").iterdir())[-1]
            calls = [json.loads(x) for x in (run_dir / "calls.jsonl").read_text().splitlines()]
            drafts = [c for c in calls if c["stage"] == "draft" and c.get("output_tokens")]
            tok_s = statistics.median(c["output_tokens"] / c["latency_s"] for c in drafts) if drafts else 0
            check = json.loads((cwd / f"l{i}.check.json").read_text(encoding="utf-8"))
            repairs = sum(1 for c in calls if c["stage"] == "repair")
            rows.append((wall, tok_s, check["summary"], repairs, done.returncode, done.stderr))
    for wall, tok_s, summary, repairs, code, stderr in rows:
        fixed = sum(int(x.split(" fixed")[0].split()[-1]) for x in stderr.splitlines() if "fixed by repair" in x)
        marked = sum(int(x.split(" marked")[0].split()[-1]) for x in stderr.splitlines() if "marked 〔待核〕" in x)
        print(f"- bundled model, 3 sections: {wall:.0f} s ({wall / 3:.0f} s a section), {tok_s:.1f} tok/s, "
              f"repair calls {repairs}, fixed {fixed}, left marked {marked}, exit {code}, check {summary}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latency", type=float, default=2.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--local", action="store_true", help="also run the bundled local model")
    args = ap.parse_args()
    concurrency(args.latency, args.repeat)
    if args.local:
        local(1)


if __name__ == "__main__":
    main()
