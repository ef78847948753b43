"""How fast the bundled local model drafts: the demo's sections, as `drafter draft --yes` writes them.

    python evals/bench_local.py [--threads 1 2] [--runs 3] [--load] [--sections 3] [--length 400]

Each run is a real `drafter draft --yes` process (the bundled model served by llama.cpp on 127.0.0.1)
over the sample corpus, with the demo's facts and outline; the figures come from the run's
calls.jsonl, where the client logs what the server reports of each call. Printed per setting,
medians over all runs (and over the sections after the first, where the prompt cache can help):

- prompt tokens a section, and how many of them the server's cache served
- prefill tokens/s (prompt tokens read), decode tokens/s (answer tokens written)
- time to first token, seconds a section (all its calls, repair included), characters a section
- the whole command's wall time (server start, retrieval and checking included)

``--load`` keeps one core busy with another process during the runs (what a shared office PC sees).
Machines are noisy: compare settings by the ratios printed at the end, measured in one go.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drafter.llm.calls_log import CallsLog  # noqa: E402


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def demo_project(prefix: str) -> tuple[Path, Path, dict[str, str]]:
    """A temporary project with the sample corpus and the demo's facts and outline, and the
    environment to run drafter in it (its own DRAFTER_HOME, the models of yours reused)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    project = tmp / "project"
    shutil.copytree(REPO / "corpus", project / "corpus")
    shutil.copy(REPO / "examples" / "facts_述职.yaml", project / "facts.yaml")
    shutil.copy(REPO / "examples" / "outline_述职.md", project / "outline.md")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env.update(DRAFTER_HOME=str(tmp / "home"), NO_COLOR="1")
    models = Path(os.environ.get("DRAFTER_HOME", REPO / ".drafter")) / "models"
    if models.is_dir():  # reuse an already joined GGUF instead of joining 1.1 GB again
        (tmp / "home").mkdir()
        os.symlink(models, tmp / "home" / "models")
    return tmp, project, env


@contextmanager
def busy_core(enabled: bool):
    """Another process spinning on one core for as long as the block runs."""
    if not enabled:
        yield
        return
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        proc.kill()
        proc.wait()


def draft_once(project: Path, env: dict[str, str], sections: int, length: int) -> dict:
    outline = project / "outline.md"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "drafter", "draft", "--type", "述职", "--facts", str(project / "facts.yaml"),
         "--outline", str(outline), "-o", str(project / "draft.md"), "--yes", "--force", "--length", str(length)],
        cwd=project, env=env, capture_output=True, text=True, timeout=3600,
    )
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):  # 1: the check found a number to look at; still a finished run
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"drafter draft exited {done.returncode}")
    run_dir = sorted((Path(env["DRAFTER_HOME"]) / "runs").iterdir())[-1]
    calls = CallsLog(run_dir / "calls.jsonl").read()
    chars = {p.name: len(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
             for p in (run_dir / "sections").glob("[0-9][0-9].md")}
    return {"wall": wall, "calls": calls, "chars": list(chars.values())[:sections]}


def summarise(runs: list[dict]) -> dict:
    drafts = [c for r in runs for c in r["calls"] if c.stage == "draft" and not c.error]
    later = [c for r in runs for c in [x for x in r["calls"] if x.stage == "draft" and not x.error][1:]]
    per_section: list[float] = []
    calls_a_section: list[int] = []
    for r in runs:
        by_section: dict[str, float] = {}
        for c in r["calls"]:
            by_section[c.section] = by_section.get(c.section, 0.0) + c.latency_s
        per_section += list(by_section.values())
        calls_a_section += [sum(c.section == s for c in r["calls"]) for s in by_section]
    return {
        "prompt tokens": median([c.input_tokens for c in drafts]),
        "cached tokens (later sections)": median([c.cached_tokens for c in later]),
        "prefill tok/s": median([c.prompt_tokens_per_s for c in drafts]),
        "decode tok/s": median([c.tokens_per_s for c in drafts]),
        "first token s (first section)": median([r["calls"][0].first_token_s for r in runs if r["calls"]]),
        "first token s (later sections)": median([c.first_token_s for c in later]),
        "seconds a call": median([c.latency_s for c in drafts]),
        "calls a section (drafted again when copying)": median(calls_a_section),
        "seconds a section": median(per_section),
        "characters a section": median([n for r in runs for n in r["chars"]]),
        "command wall s": median([r["wall"] for r in runs]),
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[1], help="llm.threads settings to compare")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sections", type=int, default=3, help="sections of the demo outline (it has 3)")
    ap.add_argument("--length", type=int, default=400, help="characters a section")
    ap.add_argument("--load", action="store_true", help="keep one core busy with another process")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project (to read the drafts)")
    args = ap.parse_args(argv)

    tmp, project, env = demo_project("drafter-bench-local-")
    print(f"ingesting the sample corpus into {tmp} …", flush=True)
    subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env, check=True, capture_output=True)

    results: dict[int, dict] = {}
    try:
        for threads in args.threads:
            runs = []
            for i in range(args.runs):
                with busy_core(args.load):
                    runs.append(draft_once(project, {**env, "DRAFTER_LLM_THREADS": str(threads)},
                                           args.sections, args.length))
                print(f"threads {threads} run {i + 1}: {runs[-1]['wall']:.0f} s", flush=True)
            results[threads] = summarise(runs)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    load = "one core busy elsewhere" if args.load else "no other load"
    print(f"\nbundled model, {args.runs} runs × {args.sections} sections of ~{args.length} characters, {load} "
          f"({os.cpu_count()} cores); medians")
    names = list(next(iter(results.values())))
    print(f"  {'':34}" + "".join(f"{f'{t} thread' + ('s' if t > 1 else ''):>14}" for t in results))
    for name in names:
        cells = "".join(f"{results[t][name]:>14.1f}" if results[t][name] is not None else f"{'–':>14}"
                        for t in results)
        print(f"  {name:34}{cells}")
    if len(results) > 1:
        base = args.threads[0]
        for t in args.threads[1:]:
            a, b = results[base]["seconds a section"], results[t]["seconds a section"]
            if a and b:
                print(f"  seconds a section, {t} threads ÷ {base}: {b / a:.2f}")
    if args.keep:
        print(f"  project kept in {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
