"""Ingest: incremental, resumable, consistent; on real embedded Chroma (and a real Chroma server)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.config import load_settings
from drafter.errors import CorpusError, IndexStoreError
from drafter.index.catalogue import Catalogue
from drafter.index.embed import HashingEmbedder
from drafter.index.ingest import ingest_corpus
from drafter.index.retrieve import Filters, open_retriever
from drafter.index.vectors import VectorIndex
from tests.conftest import SAMPLE_CORPUS


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


@pytest.fixture
def settings(corpus, tmp_path):
    return load_settings(project_dir=tmp_path, env={**os.environ, "DRAFTER_EMBED_PROVIDER": "hashing"})


def index_state(settings) -> tuple[set[str], set[str]]:
    """(chunk ids in the catalogue, chunk ids in Chroma)."""
    catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
    try:
        wanted = set(catalogue.chunk_ids())
    finally:
        catalogue.close()
    return wanted, VectorIndex(settings, HashingEmbedder()).ids()


def test_first_ingest_then_nothing_to_do(settings):
    first = ingest_corpus(settings)
    assert first.documents == 5 and first.chunks > 50
    assert len(first.added_files) == 5 and first.embedded == first.chunks
    again = ingest_corpus(settings)
    assert (again.embedded, again.unchanged_files, again.added_files, again.changed_files) == (0, 5, (), ())
    wanted, present = index_state(settings)
    assert wanted == present and len(wanted) == first.chunks


def test_changed_and_deleted_files(settings, corpus):
    ingest_corpus(settings)
    before, _ = index_state(settings)
    shuzhi = corpus / "2023_述职_市教育局主要领导.txt"
    shuzhi.write_text(shuzhi.read_text(encoding="utf-8") + "\n四、新增一节\n本节为新增内容，共十二个字。\n", encoding="utf-8")
    (corpus / "汇报发言_区教育局党组_主题教育总结大会.txt").unlink()
    report = ingest_corpus(settings)
    assert report.changed_files == ("2023_述职_市教育局主要领导.txt",)
    assert report.removed_files == ("汇报发言_区教育局党组_主题教育总结大会.txt",)
    assert report.documents == 4
    wanted, present = index_state(settings)
    assert wanted == present
    with open_retriever(settings) as retriever:
        hits = retriever.search("新增一节", k=3, mode="lexical")
        assert hits[0].chunk.heading_path == ("四、新增一节",)
        # The filter holds: a lexical hit for words of the removed 汇报发言 is only ever a 工作总结 chunk.
        filtered = retriever.search("汇报完毕", k=5, filters=Filters(doc_type="工作总结"), mode="lexical")
        assert all(p.chunk.doc_type == "工作总结" for p in filtered)
        docs = {p.chunk.doc_id for p in retriever.search("主题教育 汇报发言", k=20)}
        assert "汇报发言_区教育局党组_主题教育总结大会.txt" not in docs
    # Only the changed file's chunks were embedded again (unchanged text hits the vector cache).
    assert report.embedded <= 3


def test_unreadable_files_are_skipped_and_the_run_goes_on(settings, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (corpus / "gbk.txt").write_bytes("2022年县教育局工作总结\n一、主要工作\n新增学位300个。".encode("gbk"))
    report = ingest_corpus(settings)
    assert {s.path for s in report.skipped} == {"empty.txt", "image.txt"}
    assert "gbk.txt" in report.added_files and report.documents == 6


def test_empty_or_missing_corpus_is_a_clear_error_and_keeps_the_index(settings, corpus, tmp_path):
    ingest_corpus(settings)
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no .txt, .md or .docx files"):
        ingest_corpus(load_settings(project_dir=tmp_path, overrides={"corpus_dir": empty}, env={"DRAFTER_EMBED_PROVIDER": "hashing", "DRAFTER_HOME": str(settings.data_dir)}))
    with pytest.raises(CorpusError, match="does not exist"):
        ingest_corpus(load_settings(project_dir=tmp_path, overrides={"corpus_dir": tmp_path / "nope"}))
    wanted, present = index_state(settings)
    assert len(wanted) > 50 and wanted == present


class Interrupting(HashingEmbedder):
    """Stops the run like Ctrl-C after a number of batches."""

    def __init__(self, batches: int) -> None:
        super().__init__()
        self.left = batches

    def embed_passages(self, texts):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().embed_passages(texts)


def test_an_interrupted_first_ingest_is_reported_and_the_next_run_completes_it(settings):
    with pytest.raises(KeyboardInterrupt):
        ingest_corpus(settings, embedder=Interrupting(batches=2))
    with pytest.raises(IndexStoreError, match=r"the index is incomplete \(interrupted ingest at embedding \d+/\d+"):
        with open_retriever(settings, embedder=HashingEmbedder()):
            pass
    assert list_documents_or_error(settings) == "incomplete"
    report = ingest_corpus(settings)
    wanted, present = index_state(settings)
    assert report.embedded == len(wanted) - 2 * 16  # the two batches embedded before the stop are cached
    assert wanted == present


def list_documents_or_error(settings) -> str:
    from drafter.index.retrieve import list_documents

    try:
        return f"{len(list_documents(settings))} documents"
    except IndexStoreError as e:
        return "incomplete" if "incomplete" in str(e) else str(e)


def test_two_ingests_at_once_do_not_corrupt_the_index(settings, corpus, tmp_path):
    env = {**os.environ, "DRAFTER_EMBED_PROVIDER": "hashing", "DRAFTER_HOME": str(settings.data_dir)}
    cmd = [sys.executable, "-m", "drafter", "ingest", str(corpus), "--json"]
    procs = [subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1].decode() for r in results]
    wanted, present = index_state(settings)
    assert wanted == present and len(wanted) > 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"chroma run exited: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_server_mode_ingest_and_search(chroma_server, corpus, tmp_path):
    settings = load_settings(
        project_dir=tmp_path,
        env={**os.environ, "DRAFTER_EMBED_PROVIDER": "hashing"},
        overrides={"index.chroma_url": chroma_server},
    )
    report = ingest_corpus(settings)
    assert report.documents == 5
    assert not (settings.data_dir / "chroma").exists()  # vectors went to the server
    wanted, present = index_state(settings)
    assert wanted == present
    assert ingest_corpus(settings).embedded == 0
    with open_retriever(settings) as retriever:
        top = retriever.search("公办园覆盖面", k=3)
        assert any("62.55%" in p.chunk.text for p in top)


def test_an_openai_compatible_embeddings_endpoint(corpus, tmp_path, monkeypatch):
    """The option beside the bundled e5: any /v1/embeddings endpoint, its key read from the named variable."""
    from tests.fake_openai import FakeError, FakeOpenAI

    with FakeOpenAI() as fake:
        env = {"DRAFTER_EMBED_PROVIDER": "openai", "DRAFTER_EMBED_BASE_URL": fake.base_url,
               "DRAFTER_EMBED_MODEL": "office-embed", "DRAFTER_EMBED_API_KEY_ENV": "EMBED_KEY"}
        settings = load_settings(project_dir=tmp_path, env=env)
        from drafter.errors import EmbedderError
        from drafter.index.embed import OpenAIEmbedder

        with pytest.raises(EmbedderError, match=r"\$EMBED_KEY, which is not set"):
            OpenAIEmbedder(settings.embed).embed_query("党建")
        monkeypatch.setenv("EMBED_KEY", "sk-embed-1")  # keys come from the environment, at call time
        report = ingest_corpus(settings)
        assert report.documents == 5 and report.embedded == report.chunks
        embed_calls = [r for r in fake.history if r.path == "/v1/embeddings"]
        assert embed_calls and embed_calls[0].json["model"] == "office-embed"
        assert embed_calls[0].headers.get("authorization") == "Bearer sk-embed-1"
        with open_retriever(settings) as retriever:
            assert retriever.search("新增学位", k=2, mode="dense")
        fake.enqueue(FakeError(401, "bad key"))
        with pytest.raises(EmbedderError, match=r"\$EMBED_KEY") as info:
            OpenAIEmbedder(settings.embed).embed_query("党建")
        assert "sk-embed-1" not in str(info.value)
