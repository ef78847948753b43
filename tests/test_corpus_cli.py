"""`drafter corpus`: the type's source and confidence, `--why` with the evidence, `--json` with the tree."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from tests.conftest import REPO, copy_project

runner = CliRunner()
SHUZHI = "2023_述职_市教育局主要领导.txt"


@pytest.fixture
def project(tmp_path, monkeypatch, sample_index):
    copy_project(sample_index, tmp_path, home="drafter-home")  # conftest's DRAFTER_HOME
    monkeypatch.setenv("DRAFTER_EMBED_PROVIDER", "hashing")
    return tmp_path


def test_json_lists_type_source_confidence_depth_and_levels(project):
    result = runner.invoke(app, ["corpus", "--json"])
    assert result.exit_code == 0, result.output
    docs = {d["doc_id"]: d for d in json.loads(result.stdout)["documents"]}
    shuzhi = docs[SHUZHI]
    assert (shuzhi["doc_type"], shuzhi["type_source"]) == ("述职", "title") and shuzhi["type_confidence"] > 0.95
    assert (shuzhi["depth"], shuzhi["levels"], shuzhi["sections"]) == (2, {"1": 3, "2": 11, "3": 0, "4": 0}, 14)
    yaodian = docs["2025_党建工作要点_县教育局机关党委.txt"]
    assert yaodian["type_source"] == "file name" and yaodian["levels"] == {"1": 5, "2": 0, "3": 15, "4": 0}


def test_table_shows_what_decided_each_type(project):
    result = runner.invoke(app, ["corpus"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "decided by" in result.stdout and "file name" in result.stdout and "3·11" in result.stdout
    assert "未定" not in result.stdout


def test_why_shows_the_evidence_and_the_tree(project):
    result = runner.invoke(app, ["corpus", "--why", SHUZHI], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "decided by title" in result.stdout and "title 「述职」 → 述职 +6" in result.stdout
    assert "depth 2, sections by level 3·11" in result.stdout
    assert "一、个人履职情况" in result.stdout and "  （一）突出政治建设，坚定党性自觉" in result.stdout


def test_why_json_and_a_file_outside_the_index(project):
    result = runner.invoke(app, ["corpus", "--why", str(REPO / "evals/types/texts/own-36.txt"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["doc_type"], payload["type_source"]) == ("述职", "content")
    assert any("请予评议" in line for line in payload["type_evidence"])
    assert payload["levels"] == {"1": 5, "2": 0, "3": 0, "4": 0}
    assert [h["marker"] for h in payload["tree"] if h["level"] == 1] == ["一、", "二、", "三、", "四、", "五、"]


def test_why_unknown_names_the_closest(project):
    result = runner.invoke(app, ["corpus", "--why", "2023_述职_市教育局.txt"])
    assert result.exit_code != 0
    assert "did you mean 2023_述职_市教育局主要领导.txt" in str(result.exception)


def test_undecided_documents_are_flagged_and_outlines_do_not_learn_from_them(project):
    (project / "corpus" / "说明.txt").write_text("关于做好有关工作的几点说明\n请各单位认真研究。\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    result = runner.invoke(app, ["corpus"], env={"COLUMNS": "200"})
    assert "1 未定" in result.stdout and "front matter" in result.stdout
    types = {t["type"] for t in json.loads(runner.invoke(app, ["outline", "--list-types", "--json"]).stdout)["types"]}
    assert "未定" not in types
    assert runner.invoke(app, ["outline", "--type", "未定"]).exit_code != 0
    # front matter settles it
    path = project / "corpus" / "说明.txt"
    path.write_text("---\ntype: 工作汇报\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    docs = {d["doc_id"]: d for d in json.loads(runner.invoke(app, ["corpus", "--json"]).stdout)["documents"]}
    assert (docs["说明.txt"]["doc_type"], docs["说明.txt"]["type_source"]) == ("工作汇报", "metadata")
