"""Write one section: prompt, stream, check every number, repair, and mark what is still wrong.

The repair loop is bounded: at most ``repair_rounds`` rewrites; a rewrite that brings in a number
the draft did not have (and that is not grounded) is rejected whole, so repair can only remove
problems. Whatever is still ungrounded after the last round stays in the text followed by
〔待核：…〕 and is listed: never silently kept, never silently dropped.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable

from drafter.drafting.context import (
    MASK,
    PART_NAMES,
    SectionPlan,
    render_facts,
    render_outline,
    render_passages,
)
from drafter.errors import LLMError
from drafter.facts.sheet import FIGURE_LABEL
from drafter.llm.client import ChatModel, LLMStreamCut, complete
from drafter.llm.prompts import as_material, load_prompt
from drafter.numbers.check import check_text
from drafter.numbers.spans import last_full_sentence
from drafter.records import FAILING_STATUSES, CheckReport, Fact, Facts, Finding, Outline

UNVERIFIED = "〔待核：数据中没有这个数字〕"
MISATTRIBUTED = "〔待核：这是另一项指标的数字〕"
CHARS_PER_TOKEN = 1.3  # Qwen-family tokenizers average ~1.3-1.5 Chinese characters a token


@dataclass(frozen=True)
class SectionJob:
    """Everything one section needs; built by the run, the same for --yes and the terminal."""

    plan: SectionPlan
    outline: Outline
    facts: Facts
    doc_type: str
    title: str
    speaker: str
    period: str
    length: int
    written_summary: str = "（无）"
    instruction: str = ""  # the writer's wish when regenerating (更精炼, 多用数据 …)
    prompt_name: str = "section_chat"  # a mode: completion prompt drafts with a base model

    @property
    def section_facts(self) -> list[Fact]:
        named = set(self.plan.fact_names)
        return [f for f in self.facts.facts if f.name in named]


@dataclass(frozen=True)
class SectionDraft:
    index: int
    heading: str
    status: str  # done | incomplete (stream cut or cancelled: partial text kept)
    text: str
    report: CheckReport
    rounds: int = 0  # repair rounds run
    fixed: int = 0  # ungrounded numbers the repair removed or replaced
    marked: int = 0  # ungrounded numbers left in the text and marked 〔待核〕
    note: str = ""
    output_tokens: int | None = None
    seconds: float = 0.0

    @property
    def ungrounded(self) -> tuple[Finding, ...]:
        return self.report.ungrounded_errors


def render_section_request(job: SectionJob, context_tokens: int | None):
    """The rendered section prompt; passages are dropped from the end until prompt and answer fit
    the context window (known for the local model; None for a remote one).
    Returns (request, how many passages were cut); calls.jsonl logs the request's own hash."""
    prompt = load_prompt(job.prompt_name)
    passages = list(job.plan.passages)
    points = "；".join(filter(None, [job.instruction and f"写作者的要求：{job.instruction}"])) or "（无）"
    while True:
        if prompt.mode == "completion":
            rendered = _render_completion(prompt, job, passages)
        else:
            rendered = prompt.render(
                doc_type=job.doc_type,
                title=job.title,
                speaker=job.speaker or "（无）",
                period=job.period or "（无）",
                outline=render_outline(job.outline, job.plan.path),
                section=job.plan.display_path,
                section_points=points,
                facts=render_facts(job.section_facts),
                written_summary=job.written_summary,
                passages=render_passages(tuple(passages)),
                length=str(job.length),
            )
        request = replace(rendered.request(stage="draft", section=job.plan.heading), max_tokens=_max_tokens(job.length))
        needed = _estimate_tokens(request) + (request.max_tokens or 0)
        if context_tokens is None or needed <= context_tokens:
            return request, len(job.plan.passages) - len(passages)
        if not passages:
            raise LLMError(
                f"the prompt for {job.plan.heading} and its answer need ~{needed} tokens even without reference "
                f"passages, more than the model's context of {context_tokens}: raise llm.context_size"
            )
        passages.pop()


def _render_completion(prompt, job: SectionJob, passages: list[dict]):
    """A base model continues a few-shot prefix: same-type sections as examples, then this one."""
    examples = prompt.separator.join(
        f"标题：{as_material(p['source'])}\n正文：{as_material(p['text'])}" for p in passages
    ) or "（无）"
    facts = "；".join(line.removeprefix("- ") for line in render_facts(job.section_facts).split("\n"))
    return prompt.render(doc_type=job.doc_type, examples=examples, section=job.plan.display_path, facts=facts)


def write_section(
    job: SectionJob,
    model: ChatModel,
    repair_model: ChatModel,
    repair_rounds: int = 1,
    context_tokens: int | None = None,
    on_delta: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> SectionDraft:
    started = time.monotonic()
    request, cut = render_section_request(job, context_tokens)
    notes = [f"context: {cut} reference passage(s) cut to fit"] if cut else []
    stream = model.stream(request)
    status, tokens = "done", None
    try:
        for delta in stream:
            if cancel is not None and cancel.is_set():
                stream.close()
                status = "incomplete"
                notes.append("stopped by the writer")
                break
            if on_delta:
                on_delta(delta)
        text = stream.partial
        if status == "done":
            completion = stream.completion
            tokens = completion.output_tokens
            if completion.truncated:  # cut at the length cap: keep whole sentences only
                text = last_full_sentence(text)
                notes.append("the answer reached the length cap; cut back to its last full sentence")
    except LLMStreamCut as e:
        text, status = e.partial, "incomplete"
        notes.append(str(e))
    except KeyboardInterrupt:
        stream.close()
        text, status = stream.partial, "incomplete"
        notes.append("interrupted")
        raise SectionInterrupted(_finish(job, text, status, 0, 0, notes, tokens, started)) from None
    # A mask copied from a reference passage marks a figure the model did not take from the facts;
    # when the section has facts, the repair round is asked to fill it from them (checked as ever).
    copied = text.count(MASK) if job.section_facts else 0
    text = tidy(text, job.plan.path)
    if status != "done":
        return _finish(job, text, status, 0, 0, notes, tokens, started)

    report = check_text(text, job.facts)
    rounds = fixed = 0
    if request.mode == "completion" and (_errors(report) or copied):
        repair_rounds = 0  # a base model cannot follow repair instructions: mark, do not ask
        notes.append("a base model is not asked to repair")
    while (_errors(report) or copied) and rounds < repair_rounds:
        rounds += 1
        candidate = tidy(_repair(job, text, report, repair_model, fill=bool(copied)), job.plan.path)
        candidate_report = check_text(candidate, job.facts)
        before, after = _error_texts(report), _error_texts(candidate_report)
        if not candidate.strip() or after - before:
            notes.append(f"repair round {rounds} rejected: it brought in {('、'.join(sorted(after - before)) or 'an empty text')}")
            break
        filled = max(0, _placeholders(report) - _placeholders(candidate_report))
        if filled:
            notes.append(f"{filled} copied 【待补】 filled from the facts")
        fixed += len(before) - len(after) + filled
        text, report, copied = candidate, candidate_report, 0
    text, marked = mark_unverified(text, report)
    if marked:
        notes.append(f"{marked} number(s) without a source marked 〔待核〕")
    return _finish(job, text, status, rounds, fixed, notes, tokens, started, marked)


class SectionInterrupted(Exception):
    """Ctrl-C while a section streamed: carries the partial section so it can be saved."""

    def __init__(self, draft: SectionDraft) -> None:
        super().__init__(draft.heading)
        self.draft = draft


def _finish(job, text, status, rounds, fixed, notes, tokens, started, marked=0) -> SectionDraft:
    return SectionDraft(
        index=job.plan.index,
        heading=job.plan.heading,
        status=status,
        text=text,
        report=check_text(text, job.facts),
        rounds=rounds,
        fixed=fixed,
        marked=marked,
        note="; ".join(notes),
        output_tokens=tokens,
        seconds=round(time.monotonic() - started, 2),
    )


def _errors(report: CheckReport) -> list[Finding]:
    return list(report.ungrounded_errors)


def _error_texts(report: CheckReport) -> set[str]:
    """What a repair must not bring in: numbers no fact supports, supplied figures under another
    indicator, and figures whose sentence names no indicator (a filled mask must agree with it)."""
    return {f.mention.text for f in report.findings if (f.status in FAILING_STATUSES and f.severity == "error")
            or (f.status == "unbound" and f.mention.kind == "data")}


def _placeholders(report: CheckReport) -> int:
    return sum(1 for f in report.findings if f.status == "placeholder")


def _repair(job: SectionJob, text: str, report: CheckReport, model: ChatModel, fill: bool = False) -> str:
    problems = [f"- 句子：“{f.sentence}” 中的“{f.mention.text}”"
                + ("是另一项指标的数据，与句中所写的指标不符" if f.status == "misattributed" else "没有数据来源")
                for f in _errors(report)]
    if fill:
        problems += [f"- 句子：“{f.sentence}” 中的“【待补】”：本节可用数据中如有对应数字，照抄填入"
                     for f in report.findings if f.status == "placeholder" and f.mention.text == "【待补】"]
    problems = "\n".join(problems)
    rendered = load_prompt("repair_chat").render(
        section=job.plan.display_path, draft=text, problems=problems, facts=render_facts(job.section_facts)
    )
    return complete(model, rendered.request(stage="repair", section=job.plan.heading)).text


def mark_unverified(text: str, report: CheckReport) -> tuple[str, int]:
    """Put 〔待核〕 right after every ungrounded number, working from the end so spans stay valid."""
    spans = sorted({(f.mention.start, f.mention.end, f.status) for f in _errors(report)}, reverse=True)
    for _, end, status in spans:
        mark = MISATTRIBUTED if status == "misattributed" else UNVERIFIED
        if not text.startswith(("〔待核：", mark), end):
            text = text[:end] + mark + text[end:]
    return text, len(spans)


_MARKDOWN = re.compile(r"\*\*|__|^#+\s*|^>\s*", re.M)


def tidy(text: str, path: tuple[str, ...] | str) -> str:
    """The model's text as a section body. Small models echo the headings above the section
    (一、… （一）… 【开头部分】), emphasise with Markdown and loop on a paragraph: those go.
    A copied mask (〔数〕) is a number the model did not have: it becomes 【待补】, which the checker
    reports as a placeholder, instead of hiding as text."""
    path = (path,) if isinstance(path, str) else path
    text = _MARKDOWN.sub("", text.replace("\r\n", "\n")).strip().replace(MASK, "【待补】")
    text = text.replace(FIGURE_LABEL, "")  # a copied 〔上期〕 label goes; the checker judges the number
    lines = [ln.strip() for ln in text.split("\n")]
    names = {_bare(h) for h in path} | {_bare(PART_NAMES.get(h, h)) for h in path}
    while lines and (not lines[0] or _bare(lines[0]) in names or _LABEL_LINE.match(lines[0])):
        lines.pop(0)
    paragraphs, seen = [], set()
    for paragraph in "\n".join(lines).split("\n"):
        if paragraph and paragraph in seen:
            continue  # a model looping on a paragraph
        seen.add(paragraph)
        paragraphs.append(paragraph)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(paragraphs)).strip()


_LABEL_LINE = re.compile(r"^[【〔\[][^】〕\]]{1,12}[】〕\]][:：]?$")  # 【开头部分】 alone on a line


def _bare(heading: str) -> str:
    """A heading without numbering, brackets, a part's explanation or end punctuation."""
    heading = re.sub(r"（[^）]*）$", "", heading.strip()) if heading.strip().startswith(("开头", "结尾", "称谓", "总体")) else heading
    heading = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?", "", heading.strip())
    return heading.strip("〔〕【】[]：:。 ")


def _max_tokens(length: int) -> int:
    """About twice the target length: room to finish the thought, not to run on for pages."""
    return max(160, int(2 * length / CHARS_PER_TOKEN))


def _estimate_tokens(request) -> int:
    chars = sum(len(m.content) for m in request.messages) + len(request.prompt or "")
    return int(chars / CHARS_PER_TOKEN) + 16 * max(1, len(request.messages))
