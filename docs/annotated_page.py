"""Make docs/annotated-page1.png: page 1 of an annotated report as a reviewer sees it.

    python docs/annotated_page.py        (needs LibreOffice, poppler-utils, fonts-noto-cjk and Pillow)

What it does: exports examples/draft_述职.md, edits the .docx as a writer would (14场 → 16场, a
table added), runs ``drafter check edited.docx --facts examples/facts_述职.yaml --annotate
reviewed.docx``, renders reviewed.docx with LibreOffice into a PDF with its comments, and draws
page 1 (LibreOffice's rendering) with the comments in a margin beside it, as Word shows them: the
commented characters shaded, each joined to its balloon. Where each comment's range ends, its
author and its text are read from the PDF that LibreOffice wrote (a note at the end of the range);
the shading runs back from there over the number's width as rendered (measured: a digit 10 pt, a
Chinese character 15.7 pt; LibreOffice puts the note 3.75 pt after the range).
LibreOffice 7.4 cannot draw comments in the margin itself, so the margin is drawn here.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drafter.export.docx_check import check_word_file  # noqa: E402
from drafter.export.docx_write import export_docx  # noqa: E402
from drafter.facts.load import load_facts  # noqa: E402
from tests.test_word_roundtrip import DRAFT, FACTS, _edit  # noqa: E402
from tests.word_render import comments_in_pdf, render_with_comments  # noqa: E402

DPI = 110
NOTE_GAP_PT = 3.75
MARGIN_PX = 430
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return lines + ([line] if line else [])


def main(out: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export_docx(DRAFT, folder / "report.docx")
        _edit(folder / "report.docx", folder / "edited.docx")
        check_word_file(folder / "edited.docx", load_facts(FACTS), annotate_to=folder / "reviewed.docx")
        pdf = render_with_comments(folder / "reviewed.docx", folder)
        subprocess.run(["pdftoppm", "-hide-annotations", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(folder / "page")], check=True, timeout=120)
        page = Image.open(folder / "page.png").convert("RGB")
        comments = sorted((c for c in comments_in_pdf(pdf) if c.page == 1), key=lambda c: -c.y)

    scale = DPI / 72
    shade = Image.new("RGBA", page.size, (0, 0, 0, 0))
    shading = ImageDraw.Draw(shade)
    for c in comments:  # Word shades the commented characters
        number = c.text.split("“", 1)[1].split("”", 1)[0]
        width_pt = sum(10 if ch.isdigit() else 8 if ch.isascii() else 15.7 for ch in number)  # as rendered
        x1, y = (c.x - NOTE_GAP_PT) * scale, page.height - c.y * scale
        shading.rectangle([x1 - width_pt * scale, y - 19 * scale, x1, y + 1 * scale], fill=(192, 80, 77, 70))
    page = Image.alpha_composite(page.convert("RGBA"), shade).convert("RGB")
    canvas = Image.new("RGB", (page.width + MARGIN_PX, page.height), "#f3f3f3")
    canvas.paste(page, (0, 0))
    draw = ImageDraw.Draw(canvas)
    body, bold = ImageFont.truetype(FONT, 17), ImageFont.truetype(FONT_BOLD, 17)
    left, width = page.width + 22, MARGIN_PX - 44
    next_top = 40
    for c in comments:
        anchor_x, anchor_y = c.x * scale, page.height - c.y * scale
        lines = _wrap(draw, c.text, body, width - 24)
        height = 16 + 24 + 24 * len(lines) + 12
        top = max(next_top, int(anchor_y) - 20)
        anchor_x -= NOTE_GAP_PT * scale
        draw.line([(anchor_x + 1, anchor_y + 3 * scale), (page.width - 4, anchor_y + 3 * scale), (left, top + 22)],
                  fill="#c0504d", width=2)
        draw.rounded_rectangle([left, top, left + width, top + height], radius=6, fill="white", outline="#c0504d",
                               width=2)
        draw.text((left + 12, top + 8), c.author.split(",")[0], font=bold, fill="#c0504d")
        for i, line in enumerate(lines):
            draw.text((left + 12, top + 36 + 24 * i), line, font=body, fill="#222222")
        next_top = top + height + 14
    canvas.save(out, optimize=True)
    print(f"wrote {out}: {len(comments)} comments on page 1")


if __name__ == "__main__":
    main(REPO / "docs" / "annotated-page1.png")
