"""The Excel fact table: its look, the round trip through departments, bad workbooks."""

from __future__ import annotations

import openpyxl
import pytest

from drafter.corpus.document import load_document
from drafter.errors import FactsError, OutputFileError
from drafter.facts.load import facts_from_mapping, load_facts
from drafter.facts.sheet import extract_sheet, sheet_yaml
from drafter.facts.table import COLUMNS, VALUE_COLUMN, write_table
from tests.conftest import SAMPLE_CORPUS


@pytest.fixture
def sheet_facts(tmp_path):
    doc = load_document(SAMPLE_CORPUS / "党建汇报_教育局党委_教育党建五个突出.txt", SAMPLE_CORPUS)
    path = tmp_path / "facts.yaml"
    path.write_text(sheet_yaml(extract_sheet(doc)), encoding="utf-8")
    return load_facts(path)


def test_workbook_look(sheet_facts, tmp_path):
    out = tmp_path / "facts.xlsx"
    assert write_table(sheet_facts, out) == len(sheet_facts.facts)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert tuple(c.value for c in ws[1]) == COLUMNS
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    assert ws.column_dimensions["A"].width >= 20 and ws.column_dimensions["C"].width >= 12
    value_fill = ws.cell(2, VALUE_COLUMN).fill.fgColor.rgb
    assert value_fill != ws.cell(2, 1).fill.fgColor.rgb  # the column to fill stands out
    assert ws.cell(2, VALUE_COLUMN).number_format == "@"
    assert wb.sheetnames[1] == "填写说明"


def test_round_trip_with_values_filled(sheet_facts, tmp_path):
    out = tmp_path / "facts.xlsx"
    write_table(sheet_facts, out)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    filled = {}
    for r in range(2, ws.max_row + 1):
        name = ws.cell(r, 1).value
        value = {0: "8000个", 1: 25, 2: "近300个", 3: 0.7}.get(r % 4)
        if ws.cell(r, 2).value in ("第一",):
            value = "第二"
        ws.cell(r, VALUE_COLUMN).value = value
        filled[name] = value
    ws.cell(3, VALUE_COLUMN).value = None  # one left empty: to fill
    filled[ws.cell(3, 1).value] = None
    wb.save(out)
    back = load_facts(out)
    assert [f.name for f in back.facts] == [f.name for f in sheet_facts.facts]
    for f, orig in zip(back.facts, sheet_facts.facts):
        want = filled[f.name]
        assert f.value == ("" if want is None else str(want))
        assert (f.previous, f.section, f.source) == (orig.previous, orig.section, orig.source)
    # the report's title and period survive the departments' edits
    assert (back.title, back.period) == (sheet_facts.title, sheet_facts.period)


def test_title_and_period_travel_with_the_workbook(tmp_path):
    source = tmp_path / "f.yaml"
    source.write_text("title: 2024年述职\nperiod: 2024年\nfacts:\n  - name: 新增学位\n    value: ''\n    previous: 7620个\n",
                      encoding="utf-8")
    write_table(load_facts(source), tmp_path / "f.xlsx")
    back = load_facts(tmp_path / "f.xlsx")
    assert (back.title, back.period) == ("2024年述职", "2024年")
    assert len(back.to_fill) == 1


def test_text_in_a_value_cell_names_the_cell(tmp_path):
    facts = facts_from_mapping({"facts": [{"name": "新增学位", "previous": "7620个", "unit": "个"},
                                          {"name": "惠及学生", "previous": "12036名"}]})
    out = tmp_path / "t.xlsx"
    write_table(facts, out)
    wb = openpyxl.load_workbook(out)
    wb.worksheets[0]["C3"] = "很多"
    wb.save(out)
    with pytest.raises(FactsError, match=r"cell C3: fact '惠及学生': value '很多' is not a number"):
        load_facts(out)


def test_merged_header_and_extra_sheets(tmp_path):
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "说明"
    intro["A1"] = "请各科室于周五前填报"
    ws = wb.create_sheet("数据")
    ws["A1"] = "2024年数据表"
    ws.merge_cells("A1:D1")
    ws.append(("指标", "上期数值", "本期数值", "单位"))
    ws["E2"] = "来源"
    ws.merge_cells("E2:F2")
    ws.append(("新增学位", "7620个", "8000", "个"))
    ws.append(("惠及学生", "12036名", "13000名", None))
    wb.create_sheet("备用")
    path = tmp_path / "dept.xlsx"
    wb.save(path)
    facts = load_facts(path)
    assert [(f.name, f.value, f.number) for f in facts.facts] == [("新增学位", "8000", 8000.0),
                                                                 ("惠及学生", "13000名", 13000.0)]


def test_never_overwrites_without_force(sheet_facts, tmp_path):
    out = tmp_path / "facts.xlsx"
    out.write_bytes(b"departments' copy")
    with pytest.raises(OutputFileError, match="--force"):
        write_table(sheet_facts, out)
    assert out.read_bytes() == b"departments' copy"
    write_table(sheet_facts, out, force=True)
    assert load_facts(out).facts[0].name == sheet_facts.facts[0].name
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_table(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "s.yaml"
    src.write_text("facts:\n  - {name: 新增学位, previous: 7620个, value: }\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "drafter", "facts", "table", str(src), "--json"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "s.xlsx").is_file() and '"rows": 1' in r.stdout
    r = subprocess.run([sys.executable, "-m", "drafter", "facts", "table", str(src)],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 2 and "--force" in r.stderr
