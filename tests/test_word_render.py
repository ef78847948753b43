"""The annotated copy opens in LibreOffice and every comment survives, with its full text, next to
its number (LibreOffice 7.4: PDF export with comments as PDF notes). Skips, saying what is
missing, without LibreOffice, poppler and a CJK font."""

from __future__ import annotations

import subprocess

import docx
import pytest

from drafter.export.docx_check import check_word_file
from drafter.export.docx_write import export_docx
from drafter.facts.load import load_facts
from tests.test_export_render import _missing_requirements, words
from tests.test_word_roundtrip import DRAFT, FACTS, _edit
from tests.word_docs import rich_document
from tests.word_render import RenderFailed, comments_in_pdf, render_with_comments

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    reason = _missing_requirements()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("annotated")
    export_docx(DRAFT, folder / "report.docx")
    _edit(folder / "report.docx", folder / "edited.docx")
    doc = docx.Document(str(folder / "edited.docx"))
    doc.sections[0].header.paragraphs[0].text = "内部资料 印50份"  # a comment that must move to the body
    doc.save(str(folder / "edited.docx"))
    rich_document(folder / "rich.docx")
    out = {}
    for name in ("edited", "rich"):
        word = check_word_file(folder / f"{name}.docx", load_facts(FACTS), annotate_to=folder / f"{name}-reviewed.docx")
        try:
            pdf = render_with_comments(folder / f"{name}-reviewed.docx", folder)
        except RenderFailed as e:
            pytest.fail(str(e))
        out[name] = (word, pdf)
    return out


@pytest.mark.parametrize("name", ["edited", "rich"])
def test_every_comment_is_in_the_pdf_with_its_text(rendered, name):
    word, pdf = rendered[name]
    found = comments_in_pdf(pdf)
    assert sorted(c.text for c in found) == sorted(c.text for c in word.annotated.comments)
    assert all(c.author.startswith("drafter") for c in found)
    assert len(found) >= (5 if name == "edited" else 12)


def test_each_comment_stands_at_its_number(rendered):
    word, pdf = rendered["edited"]
    placed = {c.text: c for c in comments_in_pdf(pdf)}
    page_words = words(pdf)
    for comment in word.annotated.comments:
        if not comment.exact:
            continue
        number = comment.text.split("“")[1].split("”")[0]
        pdf_comment = placed[comment.text]
        # pdftotext's y grows downwards; the note's anchor is at the number's line
        page_height = 842
        # LibreOffice puts the note right after the anchored text: at the number's end, on its line
        hits = [w for w in page_words if w.page == pdf_comment.page and number[:2] in w.text
                and abs((page_height - pdf_comment.y) - w.y_max) < 8 and w.x_min < pdf_comment.x < w.x_max + 50]
        assert hits, f"no “{number}” near the comment on page {pdf_comment.page}"


def test_the_page_renders(rendered, tmp_path):
    _, pdf = rendered["edited"]
    png = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
                   check=True, timeout=120)
    assert png.with_suffix(".png").stat().st_size > 5_000
