"""`drafter facts check`: what is reported, at which line, and when it fails."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from drafter.errors import FactsError
from drafter.facts.lint import lint_fact, lint_facts_file
from drafter.facts.load import facts_from_mapping

LINT = [
    # value, previous, codes
    ("25项", "22项", []),
    ("", "22项", ["to-fill"]),
    (None, None, ["to-fill"]),
    ("1.2亿元", "12000万元", []),  # 万元 vs 亿元: the same money
    ("1.5亿元", "12000万元", []),
    ("30人", "22所", ["unit"]),  # people are not schools
    ("30名", "22人", []),
    ("8000个", "7620所", []),  # 个 is the generic classifier of things
    ("8000人", "7620个", ["unit"]),
    ("第二", "第一", []),
    ("第一", "22项", ["unit"]),  # a rank for a count
    ("2200项", "22项", ["jump"]),  # 100×: a typo or a 万 slip
    ("1项", "22项", ["jump"]),
    ("220项", "22项", []),  # 10× is allowed
    ("12.73万元", "12.73亿元", ["jump"]),
    ("近300个", "近200个", []),
    ("70%", "62.55%", []),
    ("0.7", "62.55%", []),
]


@pytest.mark.parametrize("value, previous, codes", LINT)
def test_lint_fact(value, previous, codes):
    fact = facts_from_mapping({"facts": [{"name": "指标", "value": value, "previous": previous}]}).facts[0]
    assert [i.code for i in lint_fact(fact)] == codes


def write(tmp_path, text: str, name: str = "f.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_row_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, """title: 2024年
facts:
  - name: 新增学位
    value: 很多
  - name: 惠及学生
    value: 13000名
    previous: 12036人
  - name: 惠及学生
    value: 1名
  - value: 3所
  - name: 公办园覆盖面
    value:
""")
    report = lint_facts_file(path)
    got = [(i.severity, i.code, i.line) for i in report.issues]
    assert ("error", "not-a-number", 3) in got
    assert ("error", "duplicate", 8) in got
    assert ("error", "no-name", 10) in got
    assert ("warning", "to-fill", 11) in got
    assert report.has_errors and report.errors == 3
    dup = next(i for i in report.issues if i.code == "duplicate")
    assert "first at line 5" in dup.message


def test_clean_file_and_cli_exit_codes(tmp_path):
    ok = write(tmp_path, "facts:\n  - {name: 新增学位, value: 8000个, previous: 7620个}\n"
                         "  - {name: 惠及学生, value: 130000名, previous: 12036名}\n", "ok.yaml")
    bad = write(tmp_path, "facts:\n  - {name: 新增学位, value: 很多}\n", "bad.yaml")
    r = subprocess.run([sys.executable, "-m", "drafter", "facts", "check", str(ok), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr  # warnings only
    payload = json.loads(r.stdout)
    assert payload["summary"] == {"errors": 0, "warnings": 1}
    assert payload["issues"][0]["code"] == "jump" and payload["issues"][0]["line"] == 3
    r = subprocess.run([sys.executable, "-m", "drafter", "facts", "check", str(bad)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "is not a number" in r.stdout


def test_xlsx_text_value_names_the_cell(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("数据表")
    ws.append(("指标", "上期数值", "本期数值", "单位"))
    ws.append(("新增学位", "7620个", "若干", "个"))
    ws.append(("惠及学生", "12036名", "较多", None))
    ws.append(("惠及学生", "12036名", "1", None))
    path = tmp_path / "d.xlsx"
    wb.save(path)
    report = lint_facts_file(path)
    messages = [i.message for i in report.issues if i.severity == "error"]
    assert any("cell C2" in m for m in messages) and any("cell C3" in m for m in messages)
    assert any(i.code == "duplicate" for i in report.issues)


def test_file_level_problems_stay_one_error(tmp_path):
    with pytest.raises(FactsError, match="YAML syntax error"):
        lint_facts_file(write(tmp_path, "facts: [\n"))
    with pytest.raises(FactsError, match="no such facts file"):
        lint_facts_file(tmp_path / "missing.yaml")


@pytest.mark.parametrize("name, generic", [
    ("数量", True), ("人数", True), ("人次", True), ("全年人次", True), ("数", True), ("比例", True),
    ("发展党员人数", False), ("干部培训人次", False), ("新增学位", False), ("学校数", False), ("公办园覆盖面", False),
])
def test_generic_names(name, generic):
    from drafter.facts.lint import generic_name

    assert generic_name(name) is generic


def test_names_too_generic_to_bind_and_shared_aliases_are_reported(tmp_path):
    path = write(tmp_path, """facts:
  - {name: 人数, value: 30人}
  - {name: 数量, value: 5个, aliases: [示范点数量]}
  - {name: 高新技术企业, value: 386家, aliases: [科技型中小企业]}
  - {name: 科技型中小企业, value: 612家}
""")
    issues = [(i.code, i.line) for i in lint_facts_file(path).issues]
    assert ("generic-name", 2) in issues  # 人数 says how, not what
    assert ("generic-name", 3) not in issues  # its alias names what
    assert ("alias", 4) in issues
    message = next(i.message for i in lint_facts_file(path).issues if i.code == "generic-name")
    assert "name what is counted" in message and "aliases" in message


def test_duplicates_with_different_values_name_both_lines_and_values(tmp_path):
    path = write(tmp_path, """facts:
  - {name: 惠及学生, value: 12036名}
  - {name: 新增学位, value: 7620个}
  - {name: 惠及学生, value: 13000名}
  - {name: 新增学位, value: 7620个}
""")
    dups = {i.line: i.message for i in lint_facts_file(path).issues if i.code == "duplicate"}
    assert "'惠及学生' is 12036名 at line 2 and 13000名 at line 4" in dups[4]
    assert "the same value 7620个 at lines 3 and 5" in dups[5]
