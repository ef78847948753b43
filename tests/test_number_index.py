"""The corpus number index: keys, rows, rebuild only on a new catalogue generation, ingest hook."""

from __future__ import annotations

import os
import shutil

import pytest

from drafter.corpus.document import load_document, parse_document
from drafter.numbers.past import (
    build_number_index,
    index_generation,
    index_path,
    numbers_of,
    open_number_index,
    refresh_number_index,
    value_key,
)
from tests.conftest import SAMPLE_CORPUS


@pytest.fixture(scope="module")
def documents():
    return [load_document(p, SAMPLE_CORPUS) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]


KEYS = [
    (7620.0, 7620.0, True),
    (12.73e8, 127300.0 * 1e4, True),  # 12.73亿 and 127300万
    (62.55, 62.550000000001, True),
    (62.55, 62.56, False),
    (1.0, 10.0, False),
]


@pytest.mark.parametrize("a, b, equal", KEYS)
def test_value_key(a, b, equal):
    assert (value_key(a) == value_key(b)) is equal


def test_rows_carry_document_line_and_context(documents, tmp_path):
    rows = build_number_index(documents, tmp_path / "numbers.sqlite", "g1")
    assert rows == sum(len(numbers_of(d)) for d in documents) == 42
    with open_number_index(tmp_path) as index:
        hits = index.lookup(7620)
        assert len(hits) == 1
        hit = hits[0]
        assert hit.doc_id.startswith("党建汇报") and hit.text == "7620个" and hit.unit == "个"
        assert hit.snippet.endswith("新增学位7620个")
        doc = next(d for d in documents if d.doc_id == hit.doc_id)
        assert "7620个" in doc.text.split("\n")[hit.line - 1]
        shuzhi = index.lookup(23.5)[0]
        assert (shuzhi.year, shuzhi.label, shuzhi.line) == (2023, "2023年述职", 6)
        assert index.lookup(12.73e8)[0].text == "12.73亿"
        assert index.lookup(123456.0) == ()
        assert len(index) == 42


def test_missing_or_damaged_index_is_none(tmp_path):
    assert open_number_index(tmp_path) is None
    index_path(tmp_path).write_bytes(b"not a database")
    assert open_number_index(tmp_path) is None


class FakeCatalogue:
    def __init__(self, docs, generation):
        self.docs, self.gen, self.reads = docs, generation, 0

    def generation(self):
        return self.gen

    def documents(self):
        self.reads += 1
        return self.docs


def test_rebuilt_only_when_the_generation_changes(tmp_path):
    doc = parse_document("2023_述职_x.txt", "2023年述职\n新增学位7620个。\n")
    catalogue = FakeCatalogue([doc], "a")
    assert refresh_number_index(tmp_path, catalogue) is True
    assert refresh_number_index(tmp_path, catalogue) is False
    assert catalogue.reads == 1 and index_generation(index_path(tmp_path)) == "a"
    catalogue.docs, catalogue.gen = [parse_document("2023_述职_x.txt", "2023年述职\n新增学位8000个。\n")], "b"
    assert refresh_number_index(tmp_path, catalogue) is True
    with open_number_index(tmp_path) as index:
        assert index.lookup(7620) == () and index.lookup(8000)[0].line == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temp file left


def test_ingest_builds_it_beside_the_other_indexes(tmp_path):
    from drafter.config import load_settings
    from drafter.index.catalogue import Catalogue
    from drafter.index.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus, ignore=shutil.ignore_patterns("README.md"))
    settings = load_settings(project_dir=tmp_path, env={**os.environ, "DRAFTER_EMBED_PROVIDER": "hashing"})
    ingest_corpus(settings)
    path = index_path(settings.data_dir)
    catalogue = Catalogue(settings.data_dir / "catalogue.sqlite")
    try:
        assert index_generation(path) == catalogue.generation()
    finally:
        catalogue.close()
    stamp = path.stat().st_mtime_ns
    ingest_corpus(settings)
    assert path.stat().st_mtime_ns == stamp  # nothing changed: not rebuilt
    (corpus / "2023_述职_市教育局主要领导.txt").unlink()
    ingest_corpus(settings)
    with open_number_index(settings.data_dir) as index:
        assert index.lookup(23.5) == ()
