"""A real `drafter ingest` process SIGKILLed at several points: search must answer exactly as a
clean index of the corpus before (or, once published, after) that ingest, say that the ingest was
interrupted, and the next ingest must end in exactly the clean index of the new corpus.

The index starts as a clean index of corpus A (20 reports); the corpus folder then becomes B (6
reports changed, 4 added, 3 removed) and `drafter ingest` is killed — at named places
(tests/killable_ingest.py) and at times counted from its first embedding batch (each batch sleeps,
so the kill lands inside the embedding).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.config import load_settings
from drafter.index.catalogue import Catalogue
from drafter.index.embed import HashingEmbedder
from drafter.index.ingest import ingest_corpus
from drafter.index.retrieve import Filters, index_state, list_documents, search_passages
from drafter.index.vectors import VectorIndex
from drafter.numbers.past import index_generation, index_path
from tests.synthetic_corpus import write_corpus

KILLABLE = Path(__file__).with_name("killable_ingest.py")
CORPUS_A = {n: 0 for n in range(1, 16)}  # the samples and 15 made-up reports
CORPUS_B = {**{n: 1 for n in range(1, 7)}, **{n: 0 for n in range(7, 13)}, **{n: 0 for n in range(16, 20)}}
QUERIES = [
    ("新增学位", None),
    ("党风廉政建设主体责任", None),
    ("随迁子女入学", Filters(doc_type="工作总结")),
    ("下一步工作打算", Filters(kind="style")),
    ("三会一课 组织生活", None),
    ("存在的问题和不足", Filters(year=2019)),
    ("主题教育 调查研究", Filters(kind="fact")),
]
MODES = ("hybrid", "dense", "lexical")
SLOW_EMBEDDING = {"INGEST_DELAY": "0.15", "INGEST_EMBED_BATCH": "4", "INGEST_UPSERT_EVERY": "0.3"}


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    return {**env, "DRAFTER_HOME": str(home), "DRAFTER_EMBED_PROVIDER": "hashing", "NO_COLOR": "1", **extra}


def settings_for(project: Path):
    return load_settings(project_dir=project, env=env_for(project / "home"))


def answers(project: Path) -> dict:
    """What readers get: every query in every mode (chunk ids with both ranks), and the documents."""
    settings = settings_for(project)
    found = {}
    for query, filters in QUERIES:
        for mode in MODES:
            passages = search_passages(settings, query, k=8, filters=filters, mode=mode)
            found[f"{query} {filters} {mode}"] = [(p.chunk.chunk_id, p.dense_rank, p.lexical_rank) for p in passages]
    found["documents"] = [d.to_json() for d in list_documents(settings)]
    return found


def ingest_process(project: Path, marker: Path, point: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(KILLABLE), str(marker), point], cwd=project,
                            env=env_for(project / "home", **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_when_reached(proc: subprocess.Popen, marker: Path, then: float = 0.0, timeout: float = 120) -> bool:
    """SIGKILL the process once it wrote the marker (plus ``then`` seconds). False when it finished first."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the ingest never reached its kill point: {proc.communicate()[1].decode()[-2000:]}")
        time.sleep(0.02)
    time.sleep(then)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return True


def whole(project: Path) -> None:
    """The index is one consistent generation: Chroma holds exactly the catalogue's chunks, one BM25
    generation, the number index of the catalogue's generation, nothing staged, no journal."""
    settings = settings_for(project)
    catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
    try:
        generation, ids = catalogue.generation(), set(catalogue.chunk_ids())
        assert catalogue.journal() is None
        assert catalogue.next_state().generation() == generation
    finally:
        catalogue.close()
    assert VectorIndex(settings, HashingEmbedder()).ids() == ids
    assert [p.name for p in (settings.data_dir / "lexical").iterdir()] == [generation]
    assert index_generation(index_path(settings.data_dir)) == generation


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """Clean indexes of A and B, each built by a real `drafter ingest`, and their answers."""
    base = tmp_path_factory.mktemp("kill-ingest")
    found = {}
    for name, corpus in (("A", CORPUS_A), ("B", CORPUS_B)):
        project = base / name
        write_corpus(project / "corpus", corpus)
        subprocess.run([sys.executable, "-m", "drafter", "ingest"], cwd=project, env=env_for(project / "home"),
                       check=True, capture_output=True, timeout=300)
        # Answers are read from a copy: the built index stays untouched by this process, to be copied.
        reader = base / f"{name}-reader"
        shutil.copytree(project, reader)
        found[name] = answers(reader)
    assert found["A"] != found["B"]
    return base, found["A"], found["B"]


def start_from_a(clean, tmp_path: Path) -> Path:
    base, _, _ = clean
    project = tmp_path / "project"
    shutil.copytree(base / "A" / "home", project / "home")
    write_corpus(project / "corpus", CORPUS_B)
    return project


BEFORE_PUBLISHING = ["staged:3", "upserted:1", "upserted:5", "lexical:1", "numbers:1"]
AFTER_PUBLISHING = ["published:1", "tidying:1"]


@pytest.mark.slow
@pytest.mark.parametrize("point", BEFORE_PUBLISHING + AFTER_PUBLISHING)
def test_killed_at_a_named_point(clean, tmp_path, point):
    _, before, after = clean
    project = start_from_a(clean, tmp_path)
    proc = ingest_process(project, tmp_path / "marker", point, **SLOW_EMBEDDING)
    assert kill_when_reached(proc, tmp_path / "marker"), "the ingest finished before the kill point"

    state = index_state(settings_for(project))
    if point in BEFORE_PUBLISHING:
        assert state.interrupted and "was interrupted at" in state.note
        assert answers(project) == before  # exactly the last complete index
    else:  # published: the new index, whole; the tidying after it (number index, stray vectors) is to finish
        assert state.interrupted and "was interrupted at tidying" in state.note
        assert answers(project) == after
    report = ingest_corpus(settings_for(project))
    assert answers(project) == after
    whole(project)
    if point in BEFORE_PUBLISHING:  # the report of the finishing run is the one of the whole change
        assert (len(report.added_files), len(report.changed_files), len(report.removed_files)) == (4, 6, 3)


@pytest.mark.slow
@pytest.mark.parametrize("seconds", [0.3, 1.0, 2.0, 3.5])
def test_killed_at_a_time_during_embedding(clean, tmp_path, seconds):
    _, before, after = clean
    project = start_from_a(clean, tmp_path)
    proc = ingest_process(project, tmp_path / "marker", "embedding:1", **SLOW_EMBEDDING)
    killed = kill_when_reached(proc, tmp_path / "marker", then=seconds)
    state = index_state(settings_for(project))
    published = state.journal is None or state.journal["stage"] == "tidying"
    assert answers(project) == (after if published else before)
    assert killed or state.journal is None
    ingest_corpus(settings_for(project))
    assert answers(project) == after
    whole(project)


def test_the_commands_say_what_happened_after_a_kill(clean, tmp_path):
    """`drafter search` answers from the last complete index and says the ingest was interrupted."""
    _, before, after = clean
    project = start_from_a(clean, tmp_path)
    proc = ingest_process(project, tmp_path / "marker", "upserted:3", **SLOW_EMBEDDING)
    assert kill_when_reached(proc, tmp_path / "marker")
    query, filters = QUERIES[0]
    done = subprocess.run([sys.executable, "-m", "drafter", "search", query, "-k", "8", "--json"], cwd=project,
                          env=env_for(project / "home"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "the last ingest" in done.stderr and "was interrupted at embedding" in done.stderr
    assert "run `drafter ingest` to finish it" in done.stderr
    got = [(p["chunk_id"], p["dense_rank"], p["lexical_rank"]) for p in json.loads(done.stdout)["passages"]]
    assert [list(x) for x in before[f"{query} {filters} hybrid"]] == [list(x) for x in got]
    listing = subprocess.run([sys.executable, "-m", "drafter", "corpus", "--json"], cwd=project,
                             env=env_for(project / "home"), capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "was interrupted" in listing.stderr
    assert json.loads(listing.stdout)["documents"] == before["documents"]


def test_a_killed_first_ingest_is_an_incomplete_index(tmp_path, clean):
    _, before, _ = clean
    project = tmp_path / "project"
    write_corpus(project / "corpus", CORPUS_A)
    proc = ingest_process(project, tmp_path / "marker", "upserted:2", **SLOW_EMBEDDING)
    assert kill_when_reached(proc, tmp_path / "marker")
    for command in (["search", "新增学位"], ["corpus"], ["outline", "--type", "述职"]):
        done = subprocess.run([sys.executable, "-m", "drafter", *command], cwd=project, env=env_for(project / "home"),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2
        assert "the index is incomplete (interrupted ingest at embedding" in done.stderr
        assert "run `drafter ingest`" in done.stderr
    ingest_corpus(settings_for(project))
    assert answers(project) == before
    whole(project)
