"""The Word round trip on every eval draft: does a .docx check the same as the Markdown it was
exported from, and does `drafter import` give back a draft that checks the same? And how long a
.docx check and an annotated copy take (medians).

    python evals/bench_word.py [--runs 5]

For each draft of evals/cases/*/drafts with its case's facts: export to .docx, check the .docx
(``check_word_file``), check the Markdown (``check_text``), compare the findings (text, status,
severity, source, formula) in order; import the .docx back and compare again.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drafter.export.docx_check import check_word_file  # noqa: E402
from drafter.export.docx_import import import_docx  # noqa: E402
from drafter.export.docx_write import export_docx  # noqa: E402
from drafter.facts.load import load_facts  # noqa: E402
from drafter.numbers.check import check_text  # noqa: E402


def _keys(findings) -> list[tuple]:
    return [(f.mention.text, f.status, f.severity, f.source, f.formula) for f in findings]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    drafts = same = same_import = findings = chars = 0
    word_s, md_s, annotate_s = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for case in sorted((HERE / "cases").iterdir()):
            spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
            facts = load_facts((case / spec["facts"]).resolve())
            for draft in sorted((case / "drafts").glob("*.md")):
                text = draft.read_text(encoding="utf-8")
                out = folder / f"{case.name}-{draft.stem}.docx"
                export_docx(text, out)
                md = check_text(text, facts)
                word = check_word_file(out, facts)
                back = import_docx(out).markdown
                drafts += 1
                findings += len(md.findings)
                chars += len(text)
                same += _keys(word.report.findings) == _keys(md.findings)
                same_import += _keys(check_text(back, facts).findings) == _keys(md.findings)
                if _keys(word.report.findings) != _keys(md.findings):
                    print(f"  differs: {case.name}/{draft.name}")
                for _ in range(runs):
                    t = time.perf_counter()
                    check_word_file(out, facts)
                    word_s.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    check_text(text, facts)
                    md_s.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    check_word_file(out, facts, annotate_to=folder / "a.docx", force=True)
                    annotate_s.append(time.perf_counter() - t)
    print(f"{drafts} drafts, {chars} characters, {findings} findings")
    print(f"docx check = Markdown check: {same}/{drafts}; imported draft check = Markdown check: {same_import}/{drafts}")
    print(f"median per draft: docx check {statistics.median(word_s) * 1000:.0f} ms, Markdown check "
          f"{statistics.median(md_s) * 1000:.0f} ms, docx check + annotated copy {statistics.median(annotate_s) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
