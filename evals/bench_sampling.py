"""Which repetition control the bundled local model drafts best with: the demo's sections, drafted
once per preset by `drafter draft --yes`, with the local server's sampling replaced by the preset.

    python evals/bench_sampling.py                  # every preset, one run each (~3 min a preset on 2 cores)
    python evals/bench_sampling.py --runs 2 B C     # two runs of presets B and C

Printed per preset (medians over runs): Latin letters in the draft (a small model's 「中心 work」),
sentences the output guard cut as loops, the largest share of a section copied from the corpus,
numbers the check grounds, the draft's characters and the command's seconds. The drafts are kept in
a temporary folder, printed at the end, to be read: the figures do not see mangled words such as
「习新时代」 (a penalty on repeating the prompt's own phrases).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_local import demo_project  # the same project and environment as the speed bench

BREAKERS = ["\n", ":", "：", "\"", "“", "”", "*", "【", "】", *"0123456789"]
DRY = {"dry_multiplier": 0.8, "dry_base": 1.75, "dry_sequence_breakers": BREAKERS}
PRESETS: dict[str, dict] = {
    "A": {"repeat_penalty": 1.05, "repeat_last_n": 256, **DRY, "dry_allowed_length": 2, "dry_penalty_last_n": 1024},
    "B": {**DRY, "dry_allowed_length": 4, "dry_penalty_last_n": 512},
    "C": {},  # llama.cpp's own defaults: no repetition control
    "D": {**DRY, "dry_allowed_length": 6, "dry_penalty_last_n": 1024},
    "E": {**DRY, "dry_allowed_length": 4, "dry_penalty_last_n": 256},  # a window of mostly its own text
}
# The child process drafts with the preset in place of drafter's local sampling.
CHILD = ("import json, sys; from drafter.llm import local_model; local_model.SAMPLING.clear();"
         "local_model.SAMPLING.update(json.loads(sys.argv[1])); from drafter.cli import main;"
         "sys.argv = ['drafter'] + sys.argv[2:]; main()")


def draft(project: Path, env: dict[str, str], preset: dict, length: int) -> dict:
    sampling = {"cache_prompt": True, **preset}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(sampling), "draft", "--type", "述职", "--facts", "facts.yaml",
         "--outline", "outline.md", "-o", "draft.md", "--yes", "--force", "--length", str(length)],
        cwd=project, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):  # 1: the check found something, which is a figure here
        raise SystemExit(f"drafter draft exited {done.returncode}:\n{done.stderr[-2000:]}")
    run = sorted((Path(env["DRAFTER_HOME"]) / "runs").iterdir())[-1]
    loops, copied = 0, [0.0]
    for path in sorted((run / "sections").glob("[0-9][0-9].md")):
        meta = json.loads(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
        guard = meta.get("guard", {})
        loops += sum(1 for r in guard.get("removed", []) if r["kind"] == "loop")
        copied.append(guard.get("copy_share", 0.0))
    text = (project / "draft.md").read_text(encoding="utf-8")
    summary = json.loads((project / "draft.check.json").read_text(encoding="utf-8"))["summary"]
    return {"latin": len(re.findall(r"[A-Za-z]", text)), "loops": loops, "copied": max(copied),
            "grounded": summary.get("grounded", 0), "chars": len(text), "seconds": wall, "text": text}


def main() -> int:
    ap = argparse.ArgumentParser(description="Draft the demo sections once per sampling preset of the local model.")
    ap.add_argument("presets", nargs="*", default=list(PRESETS), help=f"of {', '.join(PRESETS)}")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--length", type=int, default=300, help="characters a section")
    args = ap.parse_args()
    tmp, project, env = demo_project("drafter-sampling-")
    subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env, check=True, capture_output=True)
    print(f"{'preset':8} {'latin':>6} {'loops':>6} {'copied':>7} {'grounded':>9} {'chars':>6} {'seconds':>8}")
    for name in args.presets:
        runs = []
        for i in range(args.runs):
            runs.append(draft(project, env, PRESETS[name], args.length))
            (tmp / f"draft-{name}-{i + 1}.md").write_text(runs[-1]["text"], encoding="utf-8")
        m = {k: statistics.median(r[k] for r in runs) for k in ("latin", "loops", "copied", "grounded", "chars", "seconds")}
        print(f"{name:8} {m['latin']:6.0f} {m['loops']:6.0f} {m['copied']:7.0%} {m['grounded']:9.0f} {m['chars']:6.0f} "
              f"{m['seconds']:8.0f}", flush=True)
    print(f"drafts: {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
