"""Kill `drafter ingest` (SIGKILL) part-way and see what search does, against clean indexes.

    python evals/kill_ingest.py                       # the real e5 embedder, kills at 4, 8, 12, 16 s
    python evals/kill_ingest.py --hashing             # hashing embedder, slow batches, named kill points
    python evals/kill_ingest.py --seconds 3 6 --runs 2

Corpus A: the five sample reports and 15 made up of their sentences (tests/synthetic_corpus.py);
corpus B: 6 of those changed, 4 added, 3 removed. Clean indexes of A and B are built first. Then:
  update  — an index of A, the corpus folder becomes B, `drafter ingest` is killed;
  first   — no index, corpus A, the first `drafter ingest` is killed.
After each kill: which stage the ingest had reached (its journal), what `drafter search` exits
with and says, how many of 21 answers (7 queries × hybrid/dense/lexical, k=8, ids and ranks) and
the document list equal those of clean A and of clean B, and whether the next `drafter ingest`
ends in exactly clean B (or A).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drafter.config import load_settings  # noqa: E402
from drafter.errors import IndexStoreError  # noqa: E402
from drafter.index.catalogue import Catalogue  # noqa: E402
from drafter.index.ingest import ingest_corpus  # noqa: E402
from drafter.index.retrieve import Filters, list_documents, search_passages  # noqa: E402
from tests.synthetic_corpus import write_corpus  # noqa: E402

KILLABLE = REPO / "tests" / "killable_ingest.py"
CORPUS_A = {n: 0 for n in range(1, 16)}
CORPUS_B = {**{n: 1 for n in range(1, 7)}, **{n: 0 for n in range(7, 13)}, **{n: 0 for n in range(16, 20)}}
QUERIES = [
    ("新增学位", None), ("党风廉政建设主体责任", None), ("随迁子女入学", Filters(doc_type="工作总结")),
    ("下一步工作打算", Filters(kind="style")), ("三会一课 组织生活", None),
    ("存在的问题和不足", Filters(year=2019)), ("主题教育 调查研究", Filters(kind="fact")),
]
NAMED = ["staged:3", "upserted:1", "upserted:5", "lexical:1", "numbers:1", "published:1", "tidying:1"]


def env_for(home: Path, hashing: bool, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env.update(DRAFTER_HOME=str(home), NO_COLOR="1", **extra)
    if hashing:
        env["DRAFTER_EMBED_PROVIDER"] = "hashing"
    return env


def settings_for(project: Path, hashing: bool):
    return load_settings(project_dir=project, env=env_for(project / "home", hashing))


def answers(project: Path, hashing: bool) -> dict | str:
    settings = settings_for(project, hashing)
    try:
        found = {"documents": [d.doc_id for d in list_documents(settings)]}
        for query, filters in QUERIES:
            for mode in ("hybrid", "dense", "lexical"):
                found[f"{query} {filters} {mode}"] = [(p.chunk.chunk_id, p.dense_rank, p.lexical_rank)
                                                     for p in search_passages(settings, query, 8, filters, mode)]
        return found
    except IndexStoreError as e:
        return str(e)


def same(got: dict | str, clean: dict) -> str:
    if isinstance(got, str):
        return "–"
    queries = sum(got[k] == clean[k] for k in clean if k != "documents")
    return f"{queries}/{len(clean) - 1}{' +docs' if got['documents'] == clean['documents'] else ''}"


def stage(project: Path) -> str:
    path = project / "home" / "catalogue.sqlite"
    if not path.is_file():
        return "no catalogue yet"
    catalogue = Catalogue(path)
    try:
        journal = catalogue.journal()
    finally:
        catalogue.close()
    if journal is None:
        return "published"
    return f"{journal.get('stage', 'starting')} {journal.get('done', 0)}/{journal.get('total', 0)}".replace(" 0/0", "")


def build(project: Path, corpus: dict, hashing: bool) -> None:
    write_corpus(project / "corpus", corpus)
    subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env_for(project / "home", hashing),
                   check=True, capture_output=True)


def kill(project: Path, hashing: bool, point: str, seconds: float | None) -> bool:
    marker = project / "marker"
    extra = {"INGEST_DELAY": "0.15", "INGEST_EMBED_BATCH": "4", "INGEST_UPSERT_EVERY": "0.3"} if hashing else {}
    proc = subprocess.Popen([sys.executable, str(KILLABLE), str(marker), point], cwd=project,
                            env=env_for(project / "home", hashing, **extra),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    while True:
        if proc.poll() is not None:
            return False
        if seconds is not None and time.monotonic() - started >= seconds:
            break
        if seconds is None and marker.exists():
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def search_cli(project: Path, hashing: bool) -> str:
    done = subprocess.run([sys.executable, "-m", "drafter", "search", "新增学位", "-k", "3"], cwd=project,
                          env=env_for(project / "home", hashing, COLUMNS="400"), capture_output=True, text=True)
    said = " ".join(done.stderr.split())
    if "was interrupted at tidying" in said:
        said = "note: interrupted at tidying, new index"
    elif "was interrupted" in said:
        said = "note: interrupted, last complete index"
    elif "incomplete" in said:
        said = "error: index incomplete, run ingest"
    elif not said:
        said = "(nothing)"
    return f"exit {done.returncode}, {said[:60]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hashing", action="store_true", help="hashing embedder with slow batches; named kill points")
    parser.add_argument("--seconds", type=float, nargs="*", default=[4, 8, 12, 16])
    args = parser.parse_args()
    hashing = args.hashing
    work = Path(tempfile.mkdtemp(prefix="kill-ingest-"))
    try:
        clean = {}
        for name, corpus in (("A", CORPUS_A), ("B", CORPUS_B)):
            started = time.monotonic()
            build(work / name, corpus, hashing)
            reader = work / f"{name}-reader"
            shutil.copytree(work / name, reader)
            clean[name] = answers(reader, hashing)
            print(f"clean {name}: {len(clean[name]['documents'])} documents, built in {time.monotonic() - started:.0f} s")
        points = [(p, None) for p in NAMED] if hashing else [("none", s) for s in args.seconds]
        print(f"\n{'scenario':<8} {'killed at':<12} {'stage reached':<26} {'`drafter search`':<52} "
              f"{'= clean A':<10} {'= clean B':<10} next ingest")
        for scenario in ("update", "first"):
            for point, seconds in points:
                project = work / f"{scenario}-{point}-{seconds}".replace(":", "_")
                if scenario == "update":
                    shutil.copytree(work / "A" / "home", project / "home")
                    write_corpus(project / "corpus", CORPUS_B)
                else:
                    write_corpus(project / "corpus", CORPUS_A)
                killed = kill(project, hashing, point, seconds)
                reached = stage(project) if killed else "finished before the kill"
                cli = search_cli(project, hashing)
                got = answers(project, hashing)
                ingest_corpus(settings_for(project, hashing))
                target = clean["B" if scenario == "update" else "A"]
                after = answers(project, hashing)
                label = point if seconds is None else f"{seconds:g} s"
                print(f"{scenario:<8} {label:<12} {reached:<26} {cli:<52} {same(got, clean['A']):<10} "
                      f"{same(got, clean['B']):<10} {'= clean ' + ('B' if scenario == 'update' else 'A') if after == target else 'DIFFERENT'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
