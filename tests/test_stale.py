"""Last period's figures in a draft: from the facts' previous values and from the corpus index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from drafter.corpus.document import parse_document
from drafter.facts.load import facts_from_mapping
from drafter.numbers.check import LAST_PERIOD, check_text
from drafter.numbers.past import PastNumber, build_number_index, numbers_of
from drafter.ui.check_view import render_check_report

FACTS = facts_from_mapping({
    "title": "2024年述职", "period": "2024年",
    "facts": [
        {"name": "新增学位", "value": "8000个", "previous": "7620个"},
        {"name": "公办园覆盖面", "value": "70.1%", "previous": "62.55%"},
        {"name": "志愿服务", "value": "16场"},
        {"name": "培训人次", "value": "1200人次", "previous": "1200人次"},
    ],
})

PREVIOUS = [
    # the previous value alone, no comparison: last period's figure
    ("今年新增学位7620个。", "7620个", "ungrounded"),
    ("公办园覆盖面达到62.55%。", "62.55%", "ungrounded"),
    # in a comparison it is grounded to previous, as before
    ("新增学位8000个，较上年的7620个有所增加。", "7620个", "grounded"),
    ("公办园覆盖面从62.55%提升到70.1%。", "62.55%", "grounded"),
    ("新增学位8000个，去年为7620个。", "7620个", "grounded"),
    ("新增学位同比增长，上年为7620个。", "7620个", "grounded"),
    ("覆盖面原为62.55%。", "62.55%", "grounded"),
    # this period's value always grounds, also when it equals the previous one
    ("新增学位8000个。", "8000个", "grounded"),
    ("培训1200人次。", "1200人次", "grounded"),
]


@pytest.mark.parametrize("text, number, status", PREVIOUS)
def test_previous_values_ground_only_in_a_comparison(text, number, status):
    f = next(f for f in check_text(text, FACTS).findings if f.mention.text == number)
    assert f.status == status, f.source
    if status == "ungrounded":
        assert LAST_PERIOD in f.source and "（上期）" in f.source and f.severity == "error"
    elif "（上期）" not in f.source:
        assert "8000" in f.source or "1200" in f.source


class FakePast:
    def __init__(self, numbers: list[PastNumber]):
        self.by_value: dict[float, list[PastNumber]] = {}
        for n in numbers:
            self.by_value.setdefault(n.value, []).append(n)

    def lookup(self, value: float):
        return tuple(self.by_value.get(value, ()))


PAST = FakePast(
    numbers_of(parse_document("2023_述职_局.txt", "2023年述职\n一、工作\n今年新增学位7620个，惠及学生12036名，建成3所学校。\n"))
    + numbers_of(parse_document("2025_述职_局.txt", "2025年述职\n今年新增校舍500平方米。\n"))
)
NOW = facts_from_mapping({"period": "2024年", "facts": [{"name": "新增学位", "value": "8000个"}]})

INDEX = [
    ("全年新增学位7620个。", "7620个", "equals 2023年述职 第3行 “今年新增学位7620个”"),
    ("本年度惠及学生12036名。", "12036名", "equals 2023年述职 第3行"),
    ("新增学位7620人。", "7620人", ""),  # people, not places
    ("接待来访7620个。", "7620个", ""),  # another context
    ("今年新增校舍500平方米。", "500平方米", ""),  # a 2025 report is not earlier than 2024
    ("建成3所学校。", "3所", "equals 2023年述职"),
]


@pytest.mark.parametrize("text, number, source", INDEX)
def test_ungrounded_number_that_equals_a_past_report(text, number, source):
    f = next(f for f in check_text(text, NOW, past=PAST).findings if f.mention.text == number)
    assert f.status == "ungrounded"
    if source:
        assert f.source.startswith(source) and f.source.endswith(LAST_PERIOD)
    else:
        assert f.source == ""


def test_grounded_numbers_are_not_looked_up():
    class Boom:
        def lookup(self, value):
            raise AssertionError("looked up a grounded number")

    assert check_text("新增学位8000个。", NOW, past=Boom()).findings[0].status == "grounded"


def test_view_and_json_say_last_period():
    report = check_text("全年新增学位7620个。", NOW, past=PAST)
    console = Console(record=True, width=200)
    render_check_report(console, report, "d.md")
    text = console.export_text()
    assert "not supplied; equals 2023年述职 第3行" in text and LAST_PERIOD in text
    assert report.findings[0].to_json()["last_period"] is True
    assert "last_period" not in check_text("新增学位8000个。", NOW).findings[0].to_json()


def run_check(cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", "check", "d.md", "-f", "f.yaml", "--json", *extra],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_check_uses_the_index_of_the_data_dir(tmp_path, drafter_home):
    doc = parse_document("2023_述职_局.txt", "2023年述职\n今年新增学位7620个。\n")
    build_number_index([doc], drafter_home / "numbers.sqlite", "g")
    (tmp_path / "d.md").write_text("全年新增学位7620个。\n", encoding="utf-8")
    (tmp_path / "f.yaml").write_text("period: 2024年\nfacts:\n  - {name: 新增学位, value: 8000个}\n", encoding="utf-8")
    r = run_check(tmp_path)
    assert r.returncode == 1
    finding = json.loads(r.stdout)["findings"][0]
    assert finding["last_period"] is True and "2023年述职 第2行" in finding["source"]
    r = run_check(tmp_path, "--no-stale")
    assert r.returncode == 1 and "last_period" not in json.loads(r.stdout)["findings"][0]
