"""A fact sheet as an Excel workbook an office can send to departments, and back.

Out: ``write_table(facts, path)`` — one sheet 数据表 with the columns 指标, 上期数值, 本期数值,
单位, 所属部分, 来源, 备注, 别名: a styled, frozen header, set widths, the 本期数值 column highlighted
and stored as text (so 62.55% or 近200个 stay as typed), plus a 填写说明 sheet after it.
In: the filled workbook is read by ``facts.load_facts`` like any facts file (the first sheet with
a 指标/本期数值 header wins; merged header cells and extra sheets are fine; a value cell that is not
a number is an error naming the cell).
"""

from __future__ import annotations

import io
from pathlib import Path

from drafter.errors import OutputFileError
from drafter.facts.load import load_facts
from drafter.fileio import check_target, write_atomic
from drafter.records import Facts

COLUMNS = ("指标", "上期数值", "本期数值", "单位", "所属部分", "来源", "备注", "别名")
WIDTHS = (30, 14, 16, 8, 40, 40, 24, 24)
VALUE_COLUMN = 3  # 1-based: 本期数值
SHEET = "数据表"
_HEADER_FILL = "1F4E79"
_VALUE_FILL = "FFF2CC"
_HELP = (
    "填写说明",
    "1. 请在“本期数值”一栏填写本期数据，连同单位或限定词照实填写，例如 25项、近200个、62.55%、第一。",
    "2. “上期数值”是上期报告中的数据，仅供对比，请勿改动。",
    "3. 暂无数据的请留空，核对时列为“待填”；请勿填写“若干”“较多”等文字。",
    "4. 口径、说明写在“备注”一栏；本单位对该指标的其他叫法写在“别名”一栏，用顿号分隔。请勿增删列或修改表头。",
    "5. 填好后交回，由办公室用 drafter facts check 核对。",
)


def table_bytes(facts: Facts) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(COLUMNS)
    for f in facts.facts:
        ws.append((f.name, f.previous or "", f.value, f.unit, f.section, f.source, f.note, "、".join(f.aliases)))
    for j, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    ws.cell(1, VALUE_COLUMN).fill = PatternFill("solid", fgColor="C55A11")
    ws.row_dimensions[1].height = 22
    value_fill = PatternFill("solid", fgColor=_VALUE_FILL)
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column in (1, 5, 6, 7, 8))
            cell.number_format = "@"  # text: Excel must not turn 1-2 into a date or 62.55% into 0.6255
        row[VALUE_COLUMN - 1].fill = value_fill
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"

    help_ws = wb.create_sheet("填写说明")
    for line in _HELP:
        help_ws.append((line,))
    help_ws.column_dimensions["A"].width = 100
    help_ws["A1"].font = Font(bold=True, size=14)
    if facts.title or facts.period:
        help_ws.append(())
        help_ws.append((f"报告：{facts.title}" + (f"（{facts.period}）" if facts.period else ""),))
    # The report's title and period travel in the document properties, which Excel and WPS keep
    # through the departments' edits: load_facts reads them back.
    wb.properties.title = facts.title or "数据表"
    wb.properties.subject = facts.period
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_table(facts: Facts, out_path: Path, force: bool = False) -> int:
    """Write the workbook whole or not at all; never over an existing file without ``force``.
    Returns the number of rows written."""
    check_target(out_path, force)
    write_atomic(table_bytes(facts), out_path, force)
    return len(facts.facts)


def write_table_file(facts_path: Path, out_path: Path | None = None, force: bool = False) -> tuple[Path, int]:
    """`drafter facts table`: the facts file as a workbook beside it (or at ``out_path``).
    Returns the workbook's path and its row count."""
    target = out_path if out_path is not None else facts_path.with_suffix(".xlsx")
    if target.suffix.lower() != ".xlsx":
        raise OutputFileError(f"{target}: the table must be an .xlsx file")
    facts = load_facts(facts_path)
    if target.exists() and target.resolve() == facts_path.resolve():
        raise OutputFileError(f"{target} is the input file; choose another -o")
    return target, write_table(facts, target, force=force)
