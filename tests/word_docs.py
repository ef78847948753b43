"""Word files for the tests, built with python-docx plus raw XML where it has no API: tracked
changes, fields, a text box, a content control, merged table cells, headers, a footnote, Word
auto-numbering; and the bad inputs (not a zip, an encrypted file, a .doc, a .wps …)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
REV = 'w:author="审阅人" w:date="2024-01-02T03:04:05Z"'
BOLD = '<w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'


def x(fragment: str):
    return parse_xml(fragment)


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def p(inner: str, ppr: str = ""):
    return x(f"<w:p {NS}>{ppr}{inner}</w:p>")


def textbox(inner_runs: str, fallback_text: str) -> str:
    """A text box as Word writes it: a DrawingML shape, and the same text again in a VML fallback."""
    return f"""<w:r><mc:AlternateContent>
 <mc:Choice Requires="wps"><w:drawing>
  <wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264"
     behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
   <wp:simplePos x="0" y="0"/>
   <wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset></wp:positionH>
   <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
   <wp:extent cx="2057400" cy="571500"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
   <wp:wrapSquare wrapText="bothSides"/><wp:docPr id="101" name="文本框 1"/><wp:cNvGraphicFramePr/>
   <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
    <wps:wsp><wps:cNvSpPr txBox="1"/>
     <wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2057400" cy="571500"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>
     <wps:txbx><w:txbxContent><w:p>{inner_runs}</w:p></w:txbxContent></wps:txbx>
     <wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"/>
    </wps:wsp></a:graphicData></a:graphic>
  </wp:anchor></w:drawing></mc:Choice>
 <mc:Fallback><w:pict>
  <v:shape id="文本框1" type="#_x0000_t202" style="position:absolute;margin-left:252pt;width:162pt;height:45pt">
   <v:textbox><w:txbxContent><w:p>{r(fallback_text)}</w:p></w:txbxContent></v:textbox>
  </v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""


def field(instruction: str, result: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + r(result) + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def add_footnote(doc, text: str) -> None:
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {NS}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
           f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


FOOTNOTE_REF = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'


def rich_document(path: Path) -> None:
    """Every structure the reader handles, one number (or more) in each.

    段1 一、总体情况 · 段2 numbers over runs, an insertion and a deletion · 段3 a hyperlink ·
    段4 a NUMPAGES field, a SEQ field and a DOCPROPERTY field · 段5 a move · 段6 two paragraphs joined by a deleted mark,
    anchoring 文本框1 · 段7 a content control · 段8 a footnote reference · 表1 (header row, a cell
    spanning two columns, a vertical merge, a deleted row) · 段9 （完） · a header, a first-page
    header, a footer with a PAGE field, 脚注1.
    """
    doc = docx.Document()
    body = doc.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    doc.add_heading("一、总体情况", level=1)
    sect.addprevious(p(r("2023年全市地区生产总值达到") + r("1234", BOLD) + r(".5亿元") + r("，同比增长")
                       + f'<w:ins w:id="1" {REV}>{r("5.6%")}</w:ins>'
                       + f'<w:del w:id="2" {REV}><w:r><w:delText>5.2%</w:delText></w:r></w:del>' + r("。")))
    sect.addprevious(p(r("详见") + '<w:hyperlink w:anchor="_top" w:history="1">'
                       + r("统计公报收录45项指标", '<w:rPr><w:u w:val="single"/></w:rPr>') + "</w:hyperlink>" + r("。")))
    sect.addprevious(p(r("本报告共") + field("NUMPAGES", "2") + r("页，编号")
                       + '<w:fldSimple w:instr=" SEQ 表 \\* ARABIC ">' + r("7") + "</w:fldSimple>" + r("，完成率")
                       + field("DOCPROPERTY 完成率", "36.8%") + r("。")))
    sect.addprevious(p(f'<w:moveFrom w:id="3" {REV}>{r("（第二季度）")}</w:moveFrom>' + r("固定资产投资增长8.1%")
                       + f'<w:moveTo w:id="4" {REV}>{r("（第二季度）")}</w:moveTo>' + r("。")))
    sect.addprevious(p(r("居民人均可支配收入"), ppr=f'<w:pPr><w:rPr><w:del w:id="5" {REV}/></w:rPr></w:pPr>'))
    sect.addprevious(p(r("达到4.2万元。") + textbox(r("文本框：新增就业") + r("88", BOLD) + r("万人"),
                                                    "文本框：新增就业88万人")))
    sect.addprevious(x(f'<w:sdt {NS}><w:sdtPr><w:alias w:val="摘要"/></w:sdtPr><w:sdtContent>'
                       f"<w:p>{r('控件内：财政收入300亿元。')}</w:p></w:sdtContent></w:sdt>"))
    sect.addprevious(p(r("全年粮食产量") + r("51.2") + r("万吨") + FOOTNOTE_REF + r("。")))
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    for c, s in enumerate(["指标", "2022年", "2023年"]):
        t.cell(0, c).text = s
    t.cell(1, 0).text = "工业"
    t.cell(1, 1).text = "合计 560.0"
    t.cell(2, 1).text = "300.5"
    t.cell(2, 2).text = "320.8"
    t.cell(3, 0).text = "删除行"
    t.cell(3, 1).text = "1"
    t.cell(3, 2).text = "2"
    t.cell(1, 1).merge(t.cell(1, 2))  # gridSpan 2
    t.cell(1, 0).merge(t.cell(2, 0))  # vMerge over rows 2 and 3
    rows = t._tbl.tr_lst
    rows[0].get_or_add_trPr().append(x(f"<w:tblHeader {NS}/>"))
    rows[3].get_or_add_trPr().append(x(f'<w:del {NS} w:id="6" {REV}/>'))
    sect.addprevious(p(r("（完）")))
    section = doc.sections[0]
    section.header.paragraphs[0].text = "某市统计局 2023年度报告 内部资料印50份"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "首页页眉"
    footer = section.footer.paragraphs[0]._p
    for el in p(r("— ") + field("PAGE", "1") + r(" —")):
        footer.append(el)
    add_footnote(doc, " 数据来源：统计年鉴2023，第45页。")
    doc.save(path)


def numbered_headings_document(path: Path) -> None:
    """Headings numbered by Word (一、 （一）), by a style carrying numbering and outline level, by a
    direct outline level with typed numbering; a Title."""
    from docx.enum.style import WD_STYLE_TYPE

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, x(
        f'<w:abstractNum {NS} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(x(f'<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(paragraph, level: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        num = x(f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        style = ppr.find(f"{{{W_NS}}}pStyle")
        if style is not None:
            style.addnext(num)
        else:
            ppr.insert(0, num)

    doc.add_paragraph("关于2023年工作情况的报告", style="Title")
    numbered(doc.add_heading("总体情况", level=1), 0)
    doc.add_paragraph("全年地区生产总值1234.5亿元。")
    numbered(doc.add_heading("经济运行", level=2), 1)
    doc.add_paragraph("工业增加值增长6.1%。")
    style = doc.styles.add_style("公文一级标题", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(x(f'<w:numPr {NS}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    style.element.get_or_add_pPr().append(x(f'<w:outlineLvl {NS} w:val="0"/>'))
    doc.add_paragraph("主要工作", style="公文一级标题")
    typed = doc.add_paragraph("（一）项目建设")
    typed._p.get_or_add_pPr().append(x(f'<w:outlineLvl {NS} w:val="1"/>'))
    doc.add_paragraph("完成投资88亿元。")
    numbered(doc.add_heading("下一步打算", level=1), 0)
    doc.add_paragraph("持续推进重点项目。")
    doc.save(path)


# --- bad inputs ------------------------------------------------------------------------------


def compound_file(*stream_names: str) -> bytes:
    """Enough of an OLE compound file for the sniffer: the magic and a directory naming the streams."""
    head = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + struct.pack("<HB", 2 * len(name) + 2, 2)
                       + bytes(128 - 67) for name in ("Root Entry", *stream_names))
    return head + entries


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def bad_inputs(folder: Path) -> dict[str, Path]:
    """name → file: each a case `drafter check` and `drafter import` must refuse in one line."""
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        files[name] = folder / name

    put("not_a_zip.docx", "这不是Word文件\n".encode())
    put("zero.docx", b"")
    put("encrypted.docx", compound_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"))
    put("old.doc", compound_file("WordDocument", "1Table", "\x05SummaryInformation"))
    put("report.wps", compound_file("WordDocument", "1Table"))
    put("rtf.doc", b"{\\rtf1\\ansi test}")
    good = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("正文")
    d.save(good)
    put("truncated.docx", good.getvalue()[:3000])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    put("other.zip.docx", buf.getvalue())
    empty = io.BytesIO()
    docx.Document().save(empty)
    put("empty.docx", empty.getvalue())
    images = io.BytesIO()
    d = docx.Document()
    d.add_picture(io.BytesIO(_png()))
    d.save(images)
    put("images_only.docx", images.getvalue())
    return files
