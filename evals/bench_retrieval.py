"""Retrieval benchmark: quality on the labelled query set, ingest throughput, query latency, scale.

    python evals/bench_retrieval.py                 # quality + timings on corpus/ (real e5 embedder)
    python evals/bench_retrieval.py --scale 2000    # also a synthetic corpus of 2,000 reports

Quality: for each query in evals/retrieval/queries.yaml, the rank of the first passage from the
labelled document that contains the labelled phrase; recall@5 and MRR@10 per mode.
Scale: the synthetic corpus is made from the sample reports (paragraphs shuffled across
documents, figures perturbed) and embedded with the hashing embedder, because the real model
would take hours; its per-passage cost is measured on the sample and extrapolated.
Figures are medians of several runs. Nothing here is a test: it prints.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drafter.config import load_settings  # noqa: E402
from drafter.corpus.chunking import embedding_text  # noqa: E402
from drafter.index.embed import E5Embedder, HashingEmbedder  # noqa: E402
from drafter.index.ingest import ingest_corpus  # noqa: E402
from drafter.index.retrieve import open_retriever  # noqa: E402

MODES = ("dense", "lexical", "hybrid")


def load_queries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def _is_wanted(chunk, q: dict) -> bool:
    """The labelled phrase may be a heading, which a chunk carries in its path, not its body."""
    return chunk.doc_id == q["doc"] and q["contains"] in embedding_text(chunk)


def quality(settings, queries: list[dict], embedder) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    with open_retriever(settings, embedder=embedder) as retriever:
        for mode in MODES:
            ranks = []
            for q in queries:
                found = retriever.search(q["query"], k=10, mode=mode)
                rank = next((i for i, p in enumerate(found, 1) if _is_wanted(p.chunk, q)), None)
                ranks.append(rank)
            table[mode] = {
                "recall@5": sum(1 for r in ranks if r and r <= 5) / len(ranks),
                "mrr@10": sum(1 / r for r in ranks if r) / len(ranks),
                "misses": [q["query"] for q, r in zip(queries, ranks) if not r or r > 5],
            }
    return table


def latency(settings, queries: list[dict], embedder, repeat: int = 5) -> dict[str, tuple[float, float]]:
    out = {}
    with open_retriever(settings, embedder=embedder) as retriever:
        retriever.search("预热", k=5)  # opens Chroma and loads BM25 once
        for mode in MODES:
            times = []
            for _ in range(repeat):
                for q in queries:
                    t = time.perf_counter()
                    retriever.search(q["query"], k=5, mode=mode)
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[mode] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return out


def help_wall_time(repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "drafter", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def synthetic_corpus(folder: Path, reports: int, seed: int = 7) -> None:
    """Reports assembled from the samples' heading lines and paragraphs, figures perturbed."""
    rng = random.Random(seed)
    paragraphs, headings = [], []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            line = line.strip()
            if len(line) > 60:
                paragraphs.append(line)
            elif 4 < len(line) <= 40:
                headings.append(line)
    types = ["述职", "工作总结", "工作要点", "汇报发言", "工作汇报"]
    folder.mkdir(parents=True)
    for i in range(reports):
        year = rng.choice(range(2015, 2026))
        kind = rng.choice(types)
        body = [f"{year}年第{i}号{kind}"]
        for h in range(rng.randint(3, 5)):
            body.append(f"{'一二三四五'[h]}、{rng.choice(headings)}")
            for _ in range(rng.randint(2, 4)):
                text = rng.choice(paragraphs)
                body.append("".join(str(rng.randint(0, 9)) if c.isdigit() else c for c in text))
        (folder / f"{year}_{kind}_{i:05d}.txt").write_text("\n".join(body), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=0, help="also run a synthetic corpus of N reports")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median reported)")
    args = parser.parse_args()
    queries = load_queries(REPO / "evals" / "retrieval" / "queries.yaml")

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        e5 = E5Embedder(threads=2)
        ingest_times, chunks = [], 0
        for run in range(args.repeat):
            home = tmp_path / f"home{run}"
            settings = load_settings(project_dir=REPO, env={"DRAFTER_HOME": str(home)})
            t = time.perf_counter()
            report = ingest_corpus(settings, embedder=e5)
            ingest_times.append(time.perf_counter() - t)
            chunks = report.chunks
        reingest = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            report = ingest_corpus(settings, embedder=e5)
            reingest.append(time.perf_counter() - t)
            assert report.embedded == 0
        table = quality(settings, queries, e5)
        lat = latency(settings, queries, e5)

    print(f"\n## Retrieval quality on corpus/ ({len(queries)} labelled queries, {chunks} chunks, e5-small)")
    print("| mode | recall@5 | MRR@10 |")
    print("|---|---|---|")
    for mode in MODES:
        print(f"| {mode} | {table[mode]['recall@5']:.2f} | {table[mode]['mrr@10']:.3f} |")
    for mode in MODES:
        if table[mode]["misses"]:
            print(f"  {mode} misses@5: {'; '.join(table[mode]['misses'])}")
    print("\n## Cost on corpus/ (median of %d runs)" % args.repeat)
    print(f"- first ingest: {statistics.median(ingest_times):.1f} s for {chunks} chunks "
          f"= {chunks / statistics.median(ingest_times):.1f} chunks/s (embedding dominates)")
    print(f"- re-ingest of the unchanged corpus: {statistics.median(reingest) * 1000:.0f} ms, 0 passages embedded")
    for mode in MODES:
        print(f"- query latency {mode}: median {lat[mode][0]:.1f} ms, p95 {lat[mode][1]:.1f} ms")
    print(f"- `drafter --help` wall time: median {help_wall_time():.2f} s")

    if args.scale:
        scale(args.scale, queries, chunks / statistics.median(ingest_times))


def scale(reports: int, queries: list[dict], e5_chunks_per_s: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        synthetic_corpus(tmp_path / "corpus", reports)
        settings = load_settings(project_dir=tmp_path, env={"DRAFTER_HOME": str(tmp_path / "home")})
        hashing = HashingEmbedder(dim=384)  # same width as e5, so Chroma does the same work
        t = time.perf_counter()
        report = ingest_corpus(settings, embedder=hashing)
        first = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest_corpus(settings, embedder=hashing)
        reingest = time.perf_counter() - t
        lat = latency(settings, queries, hashing, repeat=2)
        size = sum(f.stat().st_size for f in (tmp_path / "home").rglob("*") if f.is_file())
    print(f"\n## Synthetic corpus: {reports} reports, {report.chunks} chunks (hashing embedder, 384-d)")
    print(f"- ingest without embedding cost: {first:.0f} s ({report.chunks / first:.0f} chunks/s)")
    print(f"- + embedding with e5 at the measured {e5_chunks_per_s:.1f} chunks/s: "
          f"~{report.chunks / e5_chunks_per_s / 3600:.1f} h once; never again (vector cache)")
    print(f"- re-ingest unchanged: {reingest:.1f} s ({again.embedded} embedded)")
    for mode in MODES:
        print(f"- query latency {mode}: median {lat[mode][0]:.1f} ms, p95 {lat[mode][1]:.1f} ms")
    print(f"- index size on disk: {size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
