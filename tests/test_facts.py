"""Loading facts files: YAML, CSV, XLSX, material; encodings; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import FactsError
from drafter.facts.load import facts_from_mapping, load_facts
from drafter.fileio import read_user_text

REPO = Path(__file__).resolve().parent.parent

SPEC_YAML = """\
title: 2024年市教育局党委书记抓基层党建工作述职
period: 2024年
facts:
  - name: 公办园覆盖面
    value: 62.55%
    previous: 12.4%
  - name: 教育项目投资
    value: 12.73亿元
    note: 三年累计
  - name: 新增学位
    value: 7620个
  - name: 教师人数
    value: 5000
    unit: 人
    section: 队伍建设
    source: 人事科
  - name: 待填指标
    value:
  - name: 缺值指标
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_yaml_main_format(tmp_path):
    facts = load_facts(write(tmp_path, "f.yaml", SPEC_YAML))
    assert facts.title == "2024年市教育局党委书记抓基层党建工作述职"
    assert facts.period == "2024年"
    assert facts.source_path.endswith("f.yaml")
    by = {f.name: f for f in facts.facts}
    assert by["公办园覆盖面"].number == pytest.approx(62.55)
    assert by["公办园覆盖面"].unit == "%"
    assert by["公办园覆盖面"].previous == "12.4%"
    assert by["公办园覆盖面"].previous_number == pytest.approx(12.4)
    assert by["教育项目投资"].number == pytest.approx(1.273e9)
    assert by["教育项目投资"].unit == "元"
    assert by["教育项目投资"].note == "三年累计"
    assert [q.text for q in by["教育项目投资"].extra] == ["三年"]
    assert by["新增学位"].value == "7620个" and by["新增学位"].line == 10
    assert by["教师人数"].number == 5000 and by["教师人数"].unit == "人"
    assert by["教师人数"].section == "队伍建设" and by["教师人数"].source == "人事科"
    assert [f.name for f in facts.to_fill] == ["待填指标", "缺值指标"]
    assert by["待填指标"].number is None


def test_yaml_chinese_keys_and_bare_list(tmp_path):
    facts = load_facts(write(tmp_path, "f.yml", "- 指标: 新增学位\n  数值: 7620\n  单位: 个\n"))
    assert facts.facts[0].name == "新增学位" and facts.facts[0].number == 7620 and facts.facts[0].unit == "个"


@pytest.mark.parametrize("text, message", [
    ("facts:\n  - name: a\n    value: [1, 2\n", r"f\.yaml:\d+: YAML syntax error"),
    ("facts:\n  - value: 12个\n", r"f\.yaml:2: a fact without a name"),
    ("facts:\n  - name: 学位\n    value: 很多\n", r"f\.yaml:2: fact '学位': value '很多' is not a number"),
    ("facts:\n  - name: 学位\n    value: 12个\n    previous: 不详\n", r"previous value '不详' is not a number"),
    ("facts:\n  - name: 学位\n    value: 1\n  - name: 学位\n    value: 2\n",
     r"f\.yaml:4: duplicate fact name '学位' \(first at 2: 1 there, 2 here\)"),
    ("facts: 12\n", r"'facts' must be a list"),
    ("", r"empty"),
])
def test_yaml_errors_name_file_and_line(tmp_path, text, message):
    with pytest.raises(FactsError, match=message):
        load_facts(write(tmp_path, "f.yaml", text))


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(FactsError, match=r"unknown facts file type '\.json'"):
        load_facts(write(tmp_path, "f.json", "{}"))
    with pytest.raises(FactsError, match="no such facts file"):
        load_facts(tmp_path / "missing.yaml")


def test_gb18030_yaml(tmp_path):
    facts = load_facts(write(tmp_path, "f.yaml", SPEC_YAML, encoding="gb18030"))
    assert facts.facts[0].name == "公办园覆盖面"


def test_read_user_text_gb18030_and_bom(tmp_path):
    assert read_user_text(write(tmp_path, "a.txt", "新增学位7620个。" * 20, "gb18030")).startswith("新增学位")
    assert read_user_text(write(tmp_path, "b.txt", "\ufeff新增学位", "utf-8")) == "新增学位"


def test_csv_chinese_headers(tmp_path):
    text = "说明：本表由办公室填写\n指标,本期数值,上期数值,单位,所属部分,来源\n公办园覆盖面,62.55,12.4,%,学前教育,教育科\n新增学位,7620,,个,,\n,,,,,\n"
    facts = load_facts(write(tmp_path, "f.csv", text))
    assert [f.name for f in facts.facts] == ["公办园覆盖面", "新增学位"]
    f = facts.facts[0]
    assert (f.number, f.unit, f.previous_number, f.section, f.source, f.line) == (62.55, "%", 12.4, "学前教育", "教育科", 3)


def test_csv_english_headers_gb18030(tmp_path):
    text = "name,value,unit,previous\n新增学位,7620,个,7000\n"
    facts = load_facts(write(tmp_path, "f.csv", text, "gb18030"))
    assert facts.facts[0].number == 7620 and facts.facts[0].previous_number == 7000


@pytest.mark.parametrize("text, message", [
    ("a,b\n1,2\n", "no header row"),
    ("指标,数值\n学位,很多\n", r"f\.csv:2: fact '学位': value '很多' is not a number"),
    ("指标,数值\n,12\n", r"f\.csv:2: a fact without a name"),
    ("指标,数值\n学位,1\n学位,2\n", r"f\.csv:3: duplicate fact name '学位'"),
])
def test_csv_errors(tmp_path, text, message):
    with pytest.raises(FactsError, match=message):
        load_facts(write(tmp_path, "f.csv", text))


def _workbook(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "说明"
    cover["A1"] = "请各科室于月底前填报"
    ws = wb.create_sheet("数据")
    ws["A1"] = "2024年度指标"
    ws.merge_cells("A1:D1")
    ws["A2"] = "指标"
    ws.merge_cells("A2:A3")  # merged vertically over a two-row header
    ws["B2"] = "数值"
    ws.merge_cells("B2:C2")
    ws["B3"] = "本期"
    ws["C3"] = "上期"
    ws["D2"] = "单位"
    ws.merge_cells("D2:D3")
    ws.append(["公办园覆盖面", 0.6255, 0.124, None])
    ws["B4"].number_format = "0.00%"
    ws["C4"].number_format = "0.0%"
    ws.append(["新增学位", 7620, None, "个"])
    ws.append(["教育项目投资", 12.73, None, "亿元"])
    ws.append(["学位缺口", "不详", None, "个"])
    wb.create_sheet("附表")
    wb.save(path)
    return path


def test_xlsx_first_sheet_with_header_merged_cells_and_percent_format(tmp_path):
    path = _workbook(tmp_path / "f.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["数据"].delete_rows(7)  # the bad row is tested below
    wb.save(path)
    facts = load_facts(path)
    by = {f.name: f for f in facts.facts}
    assert list(by) == ["公办园覆盖面", "新增学位", "教育项目投资"]
    assert by["公办园覆盖面"].value == "62.55%" and by["公办园覆盖面"].previous == "12.4%"
    assert by["新增学位"].number == 7620 and by["新增学位"].unit == "个"
    assert by["教育项目投资"].number == pytest.approx(1.273e9) and by["教育项目投资"].unit == "元"
    assert facts.kind == "xlsx"


def test_xlsx_error_names_sheet_and_cell(tmp_path):
    with pytest.raises(FactsError, match=r"sheet '数据' cell B7: fact '学位缺口': value '不详' is not a number"):
        load_facts(_workbook(tmp_path / "f.xlsx"))


def test_xlsx_without_header(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "nothing here"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(FactsError, match="no sheet has a header row"):
        load_facts(tmp_path / "f.xlsx")


def test_broken_xlsx(tmp_path):
    with pytest.raises(FactsError, match="not a readable .xlsx"):
        load_facts(write(tmp_path, "f.xlsx", "not a zip"))


def test_material_every_number_is_supplied(tmp_path):
    text = "# 2024年工作材料\n\n全年新增学位7620个，公办园覆盖面达到62.55%。\n一是开展培训12场。增强“四个意识”。\n"
    facts = load_facts(write(tmp_path, "m.md", text))
    assert facts.kind == "material" and facts.title == "2024年工作材料" and facts.period == "2024年"
    assert [f.value for f in facts.facts] == ["2024年", "7620个", "62.55%", "12场"]
    f = facts.facts[1]
    assert f.name == "全年新增学位7620个，公办园覆盖面达到62.55%" and f.line == 3 and f.number == 7620


def test_example_facts_file_loads():
    facts = load_facts(REPO / "examples" / "facts_述职.yaml")
    assert facts.period == "2023年" and len(facts.facts) >= 9
    assert not facts.to_fill


@pytest.mark.parametrize("fmt, text", [
    ("yaml", "facts:\n  - {name: 高新技术企业, value: 386家, aliases: [高企, 国家高新技术企业]}\n"),
    ("yaml", "facts:\n  - {name: 高新技术企业, value: 386家, 别名: 高企、国家高新技术企业}\n"),
    ("csv", "指标,本期数值,别名\n高新技术企业,386家,高企；国家高新技术企业\n"),
])
def test_aliases_from_yaml_lists_and_alias_columns(tmp_path, fmt, text):
    path = tmp_path / f"f.{fmt}"
    path.write_text(text, encoding="utf-8")
    fact = load_facts(path).facts[0]
    assert fact.aliases == ("高企", "国家高新技术企业")


def test_aliases_from_an_xlsx_column_and_the_table_round_trip(tmp_path):
    from drafter.facts.table import write_table

    facts = facts_from_mapping({"facts": [{"name": "地区生产总值", "value": "486.3亿元", "aliases": ["GDP", "经济总量"]}]})
    write_table(facts, tmp_path / "t.xlsx")
    assert load_facts(tmp_path / "t.xlsx").facts[0].aliases == ("GDP", "经济总量")


def test_aliases_must_be_names(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("facts:\n  - {name: 高企, value: 3家, aliases: {a: 1}}\n", encoding="utf-8")
    with pytest.raises(FactsError, match=r"f\.yaml:2: fact '高企': aliases must be a list"):
        load_facts(path)
