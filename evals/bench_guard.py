"""The output guard and the copy guard on a real model over a corpus it has not seen.

    python evals/bench_guard.py                # the bundled local model, one run
    python evals/bench_guard.py --runs 3       # medians of three runs (a section takes 1-3 min on 2 cores)
    python evals/bench_guard.py --base-url http://127.0.0.1:8080/v1 --model any   # an endpoint instead

Each run copies evals/unseen/ (two years of a school's 工作总结 and a township's, none of them the
drafting office's) into a temporary project, ingests it, and drafts the three sections of
evals/unseen/outline.md with evals/unseen/facts.yaml by `drafter draft --yes`. Per run it prints:

- prompt text in the draft: characters of the saved draft in runs of 12+ that stand in what the
  model was told (the prompt files' own words, the facts block, the section paths) — the goal is 0;
- copied: the share of the draft's characters in runs of 12+ copied verbatim from the corpus
  (numbers masked) — the goal is ≤ 15 %;
- what the guard removed from the model's answers, by kind; sections marked 〔本节需重写〕;
- facts left unused by their section; the check's findings by status.
Runs one after another, never in parallel (the model takes both cores).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UNSEEN = REPO / "evals" / "unseen"
sys.path.insert(0, str(REPO))

from drafter.drafting.context import render_facts  # noqa: E402
from drafter.drafting.copying import copied_runs  # noqa: E402
from drafter.facts.load import load_facts  # noqa: E402
from drafter.llm.prompts import load_prompt  # noqa: E402

RUN = 12  # characters: the measured goal's run length


def prompt_words() -> str:
    """What the model was told, as material to search the draft for: each prompt file's own words
    and the facts block (rendered as the section prompt renders it)."""
    parts = []
    for name in ("section_chat", "repair_chat", "section_completion"):
        prompt = load_prompt(name, REPO / "prompts")
        parts += [re.sub(r"\$\{\w+\}", "\n", body) for _, body in prompt.parts]
    parts.append(render_facts(list(load_facts(UNSEEN / "facts.yaml").facts)))
    return "\n".join(parts)


def one_run(args, home_cache: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-guard-") as tmp:
        project = Path(tmp)
        shutil.copytree(UNSEEN / "corpus", project / "corpus")
        env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
        env.update(DRAFTER_HOME=str(project / "home"), DRAFTER_EMBED_THREADS="1", NO_COLOR="1")
        if args.base_url:
            env.update(DRAFTER_LLM_BASE_URL=args.base_url, DRAFTER_LLM_MODEL=args.model)
        else:
            env["DRAFTER_LOCAL_GGUF"] = str(local_gguf(home_cache))
        subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env, check=True,
                       capture_output=True)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "drafter", "draft", "--type", "工作总结", "--facts", str(UNSEEN / "facts.yaml"),
             "--outline", str(UNSEEN / "outline.md"), "-o", "draft.md", "--yes", "--length", str(args.length)],
            cwd=project, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        draft = (project / "draft.md").read_text(encoding="utf-8")
        run = sorted((project / "home" / "runs").iterdir())[-1]
        states = []
        for path in sorted((run / "sections").glob("[0-9][0-9].md")):
            head, text = path.read_text(encoding="utf-8").split("\n---\n", 1)
            states.append({**json.loads(head.removeprefix("---\n")), "text": text})
        check = json.loads((project / "draft.check.json").read_text(encoding="utf-8"))
        body = "\n".join(s["text"] for s in states)
        corpus = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((UNSEEN / "corpus").glob("*.txt"))]
        echo = copied_runs(body, [("prompt", prompt_words())], RUN)
        copy = copied_runs(body, corpus, RUN)
        removed = Counter(r["kind"] for s in states for r in s.get("guard", {}).get("removed", []))
        return {
            "exit": done.returncode, "seconds": round(seconds), "chars": copy.chars,
            "prompt_chars": echo.copied, "prompt_runs": [r.text for r in echo.runs],
            "copied": round(copy.share, 3), "copied_runs": [r.text for r in copy.longest(3)],
            "removed": dict(removed), "rewrite": sum("〔本节需重写〕" in s.get("note", "") for s in states),
            "unused": [n for s in states for n in s.get("guard", {}).get("unused_facts", [])],
            "names": sorted({n for s in states for n in s.get("guard", {}).get("names", [])}),
            "copy_regenerated": sum(bool(s.get("guard", {}).get("copy_regenerated")) for s in states),
            "statuses": dict(Counter(f["status"] for f in check["findings"])),
            "draft": draft,
        }


def local_gguf(cache: Path) -> Path:
    from drafter.llm import local_model

    return local_model.ensure_model(cache, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--length", type=int, default=300, help="characters a section")
    parser.add_argument("--base-url", default="", help="an OpenAI-compatible endpoint (default: the bundled model)")
    parser.add_argument("--model", default="any")
    parser.add_argument("--show", action="store_true", help="print each draft")
    args = parser.parse_args()
    cache = Path(os.environ.get("TMPDIR", "/tmp")) / "drafter-test-models"  # the joined GGUF, shared with the tests
    results = []
    for i in range(args.runs):
        r = one_run(args, cache)
        results.append(r)
        print(f"run {i + 1}: exit {r['exit']} · {r['seconds']} s · {r['chars']} 字 · prompt text {r['prompt_chars']} 字 · "
              f"copied (12+) {r['copied']:.1%} · removed {r['removed']} · 〔本节需重写〕 {r['rewrite']} · "
              f"drafted again for copying {r['copy_regenerated']} · unused facts {r['unused']} · names {r['names']} · "
              f"numbers {r['statuses']}", flush=True)
        if r["prompt_runs"]:
            print("  prompt text:", r["prompt_runs"])
        if r["copied_runs"]:
            print("  longest copied:", r["copied_runs"])
        if args.show:
            print(r["draft"])
    print(f"median over {len(results)} run(s): prompt text {statistics.median(r['prompt_chars'] for r in results)} 字 · "
          f"copied (12+) {statistics.median(r['copied'] for r in results):.1%} · "
          f"guard removals a run {statistics.median(sum(r['removed'].values()) for r in results)} · "
          f"seconds a run {statistics.median(r['seconds'] for r in results)}")


if __name__ == "__main__":
    main()
