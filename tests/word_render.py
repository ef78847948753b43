"""Render a .docx with LibreOffice into a PDF that carries its Word comments, and read those
comments back from the PDF (standard library only).

LibreOffice 7.4's PDF export writes each comment as a PDF text annotation (``/Subtype /Text``,
``/Contents`` the comment, ``/T`` its author, ``/Rect`` where its anchor is) when the filter
option ``ExportNotes`` is true. ``pdftotext`` does not print annotations, so they are read from
the PDF objects here. (Comments drawn in the page margin, ``ExportNotesInMargin``, came with a
later LibreOffice; 7.4 ignores that option.)
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.test_export_render import ALIASES, FONTS_CONF

PDF_WITH_COMMENTS = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
TIMEOUT_S = 240


class RenderFailed(Exception):
    pass


@dataclass(frozen=True)
class PdfComment:
    page: int
    x: float  # the anchor, in PDF points from the bottom left
    y: float
    author: str
    text: str


def render_with_comments(docx: Path, out_dir: Path) -> Path:
    """docx → PDF with a private LibreOffice profile and the office fonts mapped to free CJK faces."""
    work = out_dir / "lo"
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    conf.write_text(FONTS_CONF.format(aliases="\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{face}</family></prefer></alias>'
        for name, face in ALIASES.items())), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(work))
    cmd = ["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
           "--convert-to", PDF_WITH_COMMENTS, "--outdir", str(out_dir), str(docx)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RenderFailed(f"LibreOffice did not finish within {TIMEOUT_S} s") from None
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.is_file():
        raise RenderFailed(f"LibreOffice wrote no PDF for {docx.name}: {output.decode(errors='replace')}")
    return pdf


_STRING = rb"(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))"


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode("ascii"))
    else:
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
        raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})",
                     lambda m: escapes.get(m.group(1)) or (bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                                                           else m.group(1)), token[1:-1])
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def comments_in_pdf(pdf: Path) -> list[PdfComment]:
    data = pdf.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    blob = b"\n".join(chunks)
    page_of: dict[int, int] = {}
    for number, refs in enumerate(re.findall(rb"/Type\s*/Page\b(?!s).*?/Annots\s*\[([^\]]*)\]", blob, re.S), 1):
        for ref in re.findall(rb"(\d+)\s+0\s+R", refs):
            page_of[int(ref)] = number
    found = []
    for m in re.finditer(rb"(\d+)\s+0\s+obj\s*<<(.*?)>>\s*endobj", blob, re.S):
        body = m.group(2)
        if not re.search(rb"/Subtype\s*/Text\b", body):
            continue
        rect = re.search(rb"/Rect\s*\[\s*([-\d.]+)\s+([-\d.]+)", body)
        contents = re.search(rb"/Contents\s*" + _STRING, body, re.S)
        author = re.search(rb"/T\s*" + _STRING, body, re.S)
        found.append(PdfComment(page_of.get(int(m.group(1)), 0),
                                float(rect.group(1)) if rect else -1.0, float(rect.group(2)) if rect else -1.0,
                                _pdf_string(author.group(1)) if author else "",
                                _pdf_string(contents.group(1)) if contents else ""))
    return found
