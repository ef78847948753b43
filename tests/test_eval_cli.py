"""`drafter eval`: table and JSON, results file, baseline comparison and update, exit codes,
broken cases reported beside the good ones, and --generate drafting each case first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import DrafterError
from tests.conftest import REPO, SAMPLE_CORPUS

CASES = REPO / "evals" / "cases"
BASELINE = REPO / "evals" / "baseline.json"


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("DRAFTER_EMBED_PROVIDER", "hashing")
    monkeypatch.setenv("DRAFTER_CORPUS", str(SAMPLE_CORPUS))
    return tmp_path  # the working directory (conftest): evals/results/ is written here


def invoke(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


def small_suite(root: Path) -> Path:
    """evals/ with one real case, the checker suite and one broken case."""
    cases = root / "evals" / "cases"
    shutil.copytree(CASES / "shuzhi-2023", cases / "shuzhi-2023")
    shutil.copytree(REPO / "evals" / "checker", root / "evals" / "checker")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")  # the checker suite reads the originals from here
    broken = cases / "broken"
    (broken / "drafts").mkdir(parents=True)
    (broken / "drafts" / "a.md").write_text("一、个人履职情况\n正文。\n", encoding="utf-8")
    (broken / "case.yaml").write_text(
        "type: 述职\nfacts: ../../checker/facts/2023_述职_市教育局主要领导.yaml\nexpect:\n  length: long\n",
        encoding="utf-8")
    return cases


def test_eval_against_the_shipped_baseline(env):
    result = invoke("--cases", str(CASES), "--baseline", str(BASELINE))
    assert result.exit_code == 0, result.output
    assert "aggregate" in result.stdout and "shuzhi-2023/reference.md" in result.stdout
    assert "no regression" in result.stderr
    written = list((env / "evals" / "results").glob("*.json"))
    assert len(written) == 1
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert data["model"] == "stored drafts" and data["embedder"] == "hashing-64"
    assert len(data["corpus_sha256"]) == 64 and data["code_version"]
    assert all(len(h) == 64 for h in data["prompts"].values())


def test_json_output(env):
    result = invoke("--cases", str(CASES), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    drafts = [d for c in data["cases"] for d in c["drafts"]]
    assert len(drafts) >= 12
    assert set(data["checker"]["metrics"]) == {"precision", "recall", "real_precision", "false_explanation_rate"}
    assert Path(data["results_file"]).is_file()


def test_a_broken_case_is_an_error_row_and_the_others_still_run(env):
    cases = small_suite(env)
    result = invoke("--cases", str(cases), "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    by = {c["case"]: c for c in data["cases"]}
    assert by["broken"]["error"] and "case.yaml" in by["broken"]["error"] and "expect.length" in by["broken"]["error"]
    assert len(by["shuzhi-2023"]["drafts"]) == 3
    assert "broken" in result.stderr


def test_regression_exits_1_and_update_baseline_accepts_it(env):
    cases = small_suite(env)
    shutil.rmtree(cases / "broken")
    baseline = env / "baseline.json"
    first = invoke("--cases", str(cases), "--update-baseline", "--baseline", str(baseline))
    assert first.exit_code == 0, first.output
    assert baseline.is_file()
    draft = cases / "shuzhi-2023" / "drafts" / "reference.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("14场", "16场"), encoding="utf-8")
    worse = invoke("--cases", str(cases), "--baseline", str(baseline))
    assert worse.exit_code == 1
    assert "regression" in worse.stderr and "shuzhi-2023/reference.md · ungrounded" in worse.stderr
    accepted = invoke("--cases", str(cases), "--baseline", str(baseline), "--update-baseline")
    assert accepted.exit_code == 0
    assert invoke("--cases", str(cases), "--baseline", str(baseline)).exit_code == 0


def test_generate_drafts_each_case_with_the_model_then_scores_it(env, monkeypatch):
    from tests.fake_openai import FakeOpenAI
    from tests.scripted import one_answer_then_others

    root = env / "suite"
    cases = small_suite(root)
    answer = "一年来，本机关荣获各级各类党建集体荣誉22项、个人荣誉61人次，整改了近200个问题。"
    with FakeOpenAI(responder=one_answer_then_others(answer)) as fake:
        monkeypatch.setenv("DRAFTER_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("DRAFTER_LLM_MODEL", "fake-model")
        result = invoke("--cases", str(cases), "--generate", "--json")
        asked = len(fake.history)
    payload = json.loads(result.stdout)
    assert asked >= 3 and payload["model"] == "fake-model"
    good = next(c for c in payload["cases"] if c["case"] == "shuzhi-2023")
    assert [d["draft"] for d in good["drafts"]] == ["draft.md"]  # the generated draft, not the stored ones
    assert result.exit_code == 2  # the suite's deliberately broken case


def test_generate_with_a_dead_endpoint_reports_every_case_and_goes_on(env, monkeypatch):
    root = env / "suite"
    cases = small_suite(root)
    monkeypatch.setenv("DRAFTER_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("DRAFTER_LLM_MODEL", "fake-model")
    monkeypatch.setenv("DRAFTER_LLM_MAX_RETRIES", "0")
    result = invoke("--cases", str(cases), "--generate", "--json")
    payload = json.loads(result.stdout)
    errors = {c["case"]: c["error"] for c in payload["cases"] if c.get("error")}
    assert "127.0.0.1:9" in errors["shuzhi-2023"] and "broken" in errors
    assert result.exit_code == 2


def test_missing_cases_folder_and_baseline(env):
    result = invoke("--cases", str(env / "nope"))
    assert isinstance(result.exception, DrafterError) and "no such cases folder" in str(result.exception)
    result = invoke("--cases", str(CASES), "--baseline", str(env / "missing.json"))
    assert isinstance(result.exception, DrafterError) and "no such baseline file" in str(result.exception)
