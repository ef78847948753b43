"""Fact sheets from a past report: names, fields, YAML that the facts loader reads, recall."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from drafter.corpus.document import load_document, parse_document
from drafter.facts.load import load_facts
from drafter.facts.sheet import (
    PREVIOUS_LABEL,
    DocumentNotFound,
    _scalar,
    extract_sheet,
    label_previous_figures,
    resolve_report,
    sheet_yaml,
)
from drafter.numbers.extract import data_mentions, extract, parse_quantity
from tests.conftest import REPO, SAMPLE_CORPUS


def sheet_of(text: str, doc_id: str = "2023_述职_测试.txt"):
    return extract_sheet(parse_document(doc_id, text))


def name_of(text: str, number: str) -> str:
    items = [i for i in sheet_of(text).items if i.previous == number]
    assert items, [(i.previous, i.name) for i in sheet_of(text).items]
    return items[0].name


NAMES = [
    # the noun phrase before the number, light verbs and openers gone, content verbs kept
    ("本学年，全市义务教育学校共接纳随迁子女20968人。", "20968人", "接纳随迁子女"),
    ("扩容教育用地290.59亩，新增学位7620个。", "7620个", "新增学位"),
    ("扩容教育用地290.59亩，新增学位7620个。", "290.59亩", "扩容教育用地"),
    ("本机关荣获各级各类党建集体荣誉22项、个人荣誉61人次。", "22项", "党建集体荣誉"),
    ("本机关荣获各级各类党建集体荣誉22项、个人荣誉61人次。", "61人次", "个人荣誉"),
    ("今年局机关共开展志愿服务14场，人均达到23.5小时。", "14场", "志愿服务"),
    ("三年累计项目投资12.73亿，完成22个教育工程。", "12.73亿", "项目投资"),
    # from … to: the later figure is the indicator, the earlier its starting point
    ("截至目前，公办园覆盖面从12.4%提升到62.55%，增幅居全市第一。", "62.55%", "公办园覆盖面"),
    ("截至目前，公办园覆盖面从12.4%提升到62.55%，增幅居全市第一。", "12.4%", "公办园覆盖面（起点）"),
    # weak words borrow the noun before them; ranks get 排名
    ("截至目前，公办园覆盖面从12.4%提升到62.55%，增幅居全市第一。", "第一", "公办园覆盖面增幅排名"),
    ("今年局机关共开展志愿服务14场，人均达到23.5小时。", "23.5小时", "人均志愿服务时长"),
    ("积极配合开展工作，市级单位年度行风测评名列第一。", "第一", "市级单位年度行风测评排名"),
    ("创成21所省标准化学校，数量位居**第一。", "第一", "省标准化学校数量排名"),
    # the number right after its verb, or first: the noun after it
    ("三年累计项目投资12.73亿，完成22个教育工程。", "22个", "完成教育工程"),
    ("按照“1+2”模式包干指导1所学校和2所幼儿园。", "1所", "包干指导学校"),
    ("按照“1+2”模式包干指导1所学校和2所幼儿园。", "2所", "包干指导幼儿园"),
    ("通过全面体检，整改了90多个支部中存在的近200个问题。", "90多个", "整改支部"),
    ("通过全面体检，整改了90多个支部中存在的近200个问题。", "近200个", "整改问题"),
    ("有序开展托管服务，全市43所小学实现“晚托”全覆盖。", "43所", "小学实现晚托全覆盖"),
    ("4所民办随迁子女学校创成“省标”，2所撤销办学。", "2所", "民办随迁子女学校撤销办学"),
    ("百名机关党员干部使命在肩、担当有为。", "百名", "机关党员干部"),
    ("共接纳随迁子女20968人，其中100%在公办和优质民办学校就读。", "100%", "随迁子女在公办和优质民办学校就读比例"),
    ("局党委被评为示范点，连续三年荣获党建工作考核优秀单位。", "三年", "连续荣获党建工作考核优秀单位"),
    ("启动实施述职制度，2019年分两批共16位中小学校长向局党委述职述廉。", "16位", "中小学校长向局党委述职述廉"),
]


@pytest.mark.parametrize("text, number, name", NAMES)
def test_short_names(text, number, name):
    assert name_of(text, number) == name


def test_item_fields_and_period():
    text = "2023年工作述职\n一、主要工作\n（一）保障民生。今年新增学位7620个，惠及学生12036名。\n"
    sheet = sheet_of(text, "2023_述职_测试.txt")
    assert sheet.period == "2024年" and sheet.title == "2024年工作述职"
    first = sheet.items[0]
    assert (first.name, first.previous, first.value, first.unit) == ("新增学位", "7620个", "", "个")
    assert first.section == "一、主要工作 / （一）保障民生"
    assert first.source == "2023_述职_测试.txt 第3行"


def test_markers_formulas_placeholders_and_dates_are_left_out():
    text = "2023年总结\n一是增强“四个意识”，落实“三会一课”，XX名党员参加，第三季度新增学位7620个。\n二是其他。"
    assert [i.previous for i in sheet_of(text).items] == ["7620个"]


def test_duplicate_names_told_apart_by_section():
    text = ("2023年总结\n一、教育\n（一）学前。新增学位300个。\n（二）义务教育。新增学位500个。\n"
            "（三）高中。新增学位20个。新增学位30个。\n")
    names = [i.name for i in sheet_of(text).items]
    assert len(set(names)) == len(names) == 4
    assert names[0] == "新增学位（学前）" and names[1] == "新增学位（义务教育）"
    assert names[3] == "新增学位（高中）（2）"


def test_money_without_yuan_gets_the_unit():
    item = sheet_of("三年累计项目投资12.73亿。").items[-1]
    assert item.unit == "元" and item.previous == "12.73亿"


@pytest.mark.parametrize("path", sorted(SAMPLE_CORPUS.glob("*.txt")), ids=lambda p: p.stem[:12])
def test_sample_sheets_load_with_the_facts_loader(path, tmp_path):
    doc = load_document(path, SAMPLE_CORPUS)
    sheet = extract_sheet(doc)
    out = tmp_path / "facts.yaml"
    out.write_text(sheet_yaml(sheet), encoding="utf-8")
    facts = load_facts(out)
    assert [f.name for f in facts.facts] == [i.name for i in sheet.items]
    assert all(f.to_fill for f in facts.facts)
    assert facts.period == sheet.period
    mentions = data_mentions(doc.text)
    assert len(facts.facts) == len(mentions)
    for f, m in zip(facts.facts, mentions):
        assert f.previous == m.text and f.previous_quantity is not None
        assert f.previous_quantity.value == pytest.approx(m.value)
        assert not any(x.kind == "data" for x in extract(f.name)), f.name  # a name supplies no number
        assert f.extra == ()


def test_report_without_numbers_gives_an_empty_sheet(tmp_path):
    sheet = sheet_of("2024年工作总结\n一、工作\n坚持党的领导，XX名党员参加学习。\n")
    assert sheet.items == ()
    out = tmp_path / "empty.yaml"
    out.write_text(sheet_yaml(sheet), encoding="utf-8")
    assert load_facts(out).facts == ()


@pytest.mark.parametrize("s", ["新增学位", "a: b", "# x", "- x", "12", "true", "null", "第一", "“省标”", "x #y",
                               "'q'", "62.55%", "@x", "", " 空格"])
def test_scalars_round_trip(s):
    assert yaml.safe_load(f"k: {_scalar(s)}") == {"k": s}


def test_recall_guard():
    """≥ 95 % of the labelled data numbers of the sample corpus, and no marker or formula."""
    sys.path.insert(0, str(REPO / "evals"))
    try:
        from bench_facts import facts_recall
    finally:
        sys.path.remove(str(REPO / "evals"))
    result = facts_recall()
    assert result["labelled"] >= 40
    assert result["recall"] >= 0.95, result["misses"]
    assert result["non_data_items"] == 0


# --- resolving DOC ---------------------------------------------------------------------------


def test_resolve_by_id_file_name_and_path(tmp_path):
    docs = [load_document(p, SAMPLE_CORPUS) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    assert resolve_report("2023_述职_市教育局主要领导.txt", docs).doc_id == "2023_述职_市教育局主要领导.txt"
    path = SAMPLE_CORPUS / "2023_述职_市教育局主要领导.txt"
    assert resolve_report(str(path), []).doc_id == path.name
    assert resolve_report(path.name, [], SAMPLE_CORPUS).doc_id == path.name


def test_unknown_document_names_the_closest():
    docs = [load_document(p, SAMPLE_CORPUS) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    with pytest.raises(DocumentNotFound, match="closest: 2023_述职_市教育局主要领导.txt"):
        resolve_report("2023_述职_市教育局.txt", docs)
    with pytest.raises(DocumentNotFound, match="index is empty"):
        resolve_report("nothing.txt", [])


# --- previous figures for the drafting prompt --------------------------------------------------


LABELS = [
    ("今年新增学位7620个，惠及学生12036名。", ["7620个〔上期〕", "12036名〔上期〕"]),
    ("增强“四个意识”，一是落实“三会一课”，2023年5月召开。", []),
    ("公办园覆盖面从12.4%提升到62.55%。", ["12.4%〔上期〕", "62.55%〔上期〕"]),
]


@pytest.mark.parametrize("passage, marked", LABELS)
def test_label_previous_figures(passage, marked):
    out = label_previous_figures(passage, source_year=2023, current_year=2024)
    if not marked:
        assert out == passage
        return
    head, body = out.split("\n", 1)
    assert PREVIOUS_LABEL in head and "2023年" in head
    assert body.replace("〔上期〕", "") == passage
    for m in marked:
        assert m in body
    assert body.count("〔上期〕") == len(marked)


def test_label_leaves_this_period_alone():
    assert label_previous_figures("新增学位7620个。", source_year=2024, current_year=2024) == "新增学位7620个。"
    assert label_previous_figures("新增学位7620个。").startswith(f"〔{PREVIOUS_LABEL}〕")


# --- CLI -------------------------------------------------------------------------------------


def drafter(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_cli_extract_writes_once_and_never_overwrites(tmp_path):
    report = SAMPLE_CORPUS / "2023_述职_市教育局主要领导.txt"
    r = drafter("facts", "extract", str(report), "-o", "s.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "name: 党建集体荣誉" in text and "previous: 22项" in text
    assert len(load_facts(tmp_path / "s.yaml").facts) == 9
    (tmp_path / "s.yaml").write_text("mine", encoding="utf-8")
    r = drafter("facts", "extract", str(report), "-o", "s.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "--force" in r.stderr
    assert (tmp_path / "s.yaml").read_text(encoding="utf-8") == "mine"
    assert drafter("facts", "extract", str(report), "-o", "s.yaml", "--force", cwd=tmp_path).returncode == 0


def test_cli_unknown_document_and_empty_report(tmp_path):
    r = drafter("facts", "extract", "no_such_report.txt", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "no_such_report.txt" in r.stderr
    empty = SAMPLE_CORPUS / "2024_季度党建工作总结_市教育局.txt"
    r = drafter("facts", "extract", str(empty), cwd=tmp_path)
    assert r.returncode == 0 and "no data numbers" in r.stderr
    assert yaml.safe_load(r.stdout)["facts"] == []


# --- any mix of report sentences: unique names, every data number, a loadable file ------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SENTENCES = [t for t, _, _ in NAMES] + ["一是增强“四个意识”。", "XX名党员参加。", "2024年以来，新增学位7620个。",
                                          "第三季度举办培训班3期，培训党员200人次。"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=8))
def test_any_report_gives_unique_loadable_items(tmp_path_factory, sentences):
    doc = parse_document("2023_总结.txt", "2023年总结\n" + "\n".join(sentences) + "\n")
    text = doc.text  # cleaned: a repeated line is dropped
    sheet = extract_sheet(doc)
    names = [i.name for i in sheet.items]
    assert len(names) == len(set(names)) == len(data_mentions(text))
    assert all(len(n) >= 2 for n in names)
    path = tmp_path_factory.mktemp("h") / "f.yaml"
    path.write_text(sheet_yaml(sheet), encoding="utf-8")
    facts = load_facts(path)
    assert [parse_quantity(f.previous).value for f in facts.facts] == pytest.approx(
        [m.value for m in data_mentions(text)])


def test_aliases_a_report_gives():
    """A 简称 in the sentence, and the name before a duplicate was told apart, are aliases."""
    item = sheet_of("全市规模以上工业企业（以下简称规上企业）达到386家。").items[-1]
    assert (item.name, item.aliases) == ("规模以上工业企业", ("规上企业",))
    text = "2023年总结\n一、教育\n（一）学前。新增学位300个。\n（二）义务教育。新增学位500个。\n"
    sheet = sheet_of(text)
    assert [i.aliases for i in sheet.items] == [("新增学位",), ("新增学位",)]
    assert "aliases: [新增学位]" in sheet_yaml(sheet)
