"""Write one section: prompt, stream, guard, copy-guard, check every number, repair, mark what is left.

Every model answer (draft, asked again, drafted again, repair) passes the output guard
(``guard.py``) before it is shown or saved; what it removed is recorded with the section. An
answer that is no section is asked for once more, then the section is left 〔本节需重写〕. A
section that copies more than ``COPY_SHARE`` of its characters from earlier material is drafted
again once, with the copied sentences quoted as 「不要照搬」 (``copying.py``).

The repair loop is bounded: at most ``repair_rounds`` rewrites, and a rewrite is accepted only when
it is better: a section (the guard passed it) that keeps the content, brings no new error and has
fewer problems. Whatever still fails the check stays in the text followed by 〔待核：…〕 and is
listed: never silently kept, never silently dropped.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Callable

from drafter.config import LLMSettings
from drafter.drafting.context import (
    MASK,
    SectionPlan,
    render_facts,
    render_outline,
    render_passages,
)
from drafter.drafting.copying import COPY_SHARE, CopyReport, copied_runs, copied_sentences, normalized
from drafter.drafting.guard import FIGURE_LABEL, PLACEHOLDER, GuardContext, Guarded, GuardRecord, Removal, guard_answer
from drafter.errors import LLMError
from drafter.llm.client import ChatModel, LLMStreamCut, complete
from drafter.llm.prompts import as_material, load_prompt
from drafter.numbers.check import check_text
from drafter.numbers.spans import last_full_sentence, sentences
from drafter.records import CheckReport, Fact, Facts, Finding, Outline

UNVERIFIED = "〔待核：数据中没有这个数字〕"
CHARS_PER_TOKEN = 1.3  # Qwen-family tokenizers average ~1.3-1.5 Chinese characters a token


@dataclass(frozen=True)
class ModelLimits:
    """What a local model takes in a section's prompt: its context window, and how many characters
    of reference passages it reads fast enough (a CPU reads a prompt at ~20 tokens/s, and whatever
    differs from the previous section's prompt is read anew, so passages are most of the wait)."""

    context_tokens: int
    passage_chars: int | None = None  # None: as many as fit the context


def limits_for(llm: LLMSettings, local: bool) -> ModelLimits | None:
    """The local model's limits from the settings; None for a remote endpoint (no limits known)."""
    if not local:
        return None
    return ModelLimits(llm.context_size, llm.local_passage_chars or None)


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
    earlier_openings: tuple[str, ...] = ()  # the first sentences of the sections written before this one
    instruction: str = ""  # the writer's wish when regenerating (更精炼, 多用数据 …)
    prompt_name: str = "section_chat"  # a mode: completion prompt drafts with a base model
    references: tuple[tuple[str, str], ...] = ()  # (title, text) of same-type reports of earlier years
    use_facts: tuple[str, ...] = ()  # facts the writer asked to see used (本节未用数据 → regenerate)
    avoid: tuple[str, ...] = ()  # sentences copied from earlier material: 「不要照搬」

    @property
    def section_facts(self) -> list[Fact]:
        named = set(self.plan.fact_names)
        return [f for f in self.facts.facts if f.name in named]


@dataclass(frozen=True)
class SectionDraft:
    index: int
    heading: str
    status: str  # done | incomplete (stream cut or cancelled: partial text kept) | failed (no section: 〔本节需重写〕)
    text: str
    report: CheckReport
    rounds: int = 0  # repair rounds run
    fixed: int = 0  # ungrounded numbers the repair removed or replaced
    marked: int = 0  # ungrounded numbers left in the text and marked 〔待核〕
    note: str = ""
    output_tokens: int | None = None
    seconds: float = 0.0
    guard: GuardRecord = GuardRecord()

    @property
    def ungrounded(self) -> tuple[Finding, ...]:
        return self.report.ungrounded_errors


def render_section_request(job: SectionJob, limits: ModelLimits | None):
    """The rendered section prompt. For a local model (``limits``), passages are fitted to its
    passage budget, then dropped from the end until prompt and answer fit its context window; a
    remote model gets them all. Returns (request, how many passages were cut); calls.jsonl logs the
    request's own hash."""
    prompt = load_prompt(job.prompt_name)
    passages = fit_passages(job.plan.passages, limits.passage_chars if limits else None)
    context_tokens = limits.context_tokens if limits else None
    points = section_points(job)
    while True:
        if prompt.mode == "completion":
            rendered = _render_completion(prompt, job, passages)
        else:
            rendered = prompt.render(
                doc_type=job.doc_type,
                title=job.title,
                speaker=job.speaker or "（无）",
                period=job.period or "（无）",
                outline=render_outline(job.outline, ()),  # the same for every section: cached
                section=job.plan.display_path,
                section_points=points,
                facts=render_facts(job.section_facts),
                written_summary=job.written_summary,
                passages=render_passages(tuple(passages)),
                length=str(job.length),
            )
        request = replace(rendered.request(stage="draft", section=job.plan.heading), max_tokens=_max_tokens(job.length, local=limits is not None))
        needed = _estimate_tokens(request) + (request.max_tokens or 0)
        if context_tokens is None or needed <= context_tokens:
            return request, len(job.plan.passages) - len(passages)
        if not passages:
            raise LLMError(
                f"the prompt for {job.plan.heading} and its answer need ~{needed} tokens even without reference "
                f"passages, more than the model's context of {context_tokens}: raise llm.context_size"
            )
        passages.pop()


def fit_passages(passages: tuple[dict, ...], budget: int | None) -> list[dict]:
    """The passages a local model gets: only the sentences without a figure (a small model copies
    〔数〕 masks and last period's figures into its text), whole passages in order while they fit
    ``budget`` characters, and when not even the first fits, its first sentences within the budget.
    ``budget`` None: every passage as it is (a remote model)."""
    if budget is None:
        return list(passages)
    kept, used = [], 0
    for p in passages:
        text = _without_figures(p["text"])
        if not text:
            continue
        if used + len(text) > budget:
            if not kept:
                head = last_full_sentence(text[:budget])
                if head.strip() and len(head) <= budget:
                    kept.append({**p, "text": head})
            break
        kept.append({**p, "text": text})
        used += len(text)
    return kept


def _without_figures(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if line.startswith("〔") and line.endswith("〕"):  # the 〔上期数据…〕 header of a fact passage
            continue
        kept = "".join(s for s in sentences(line) if not any(mark in s for mark in (MASK, FIGURE_LABEL, PLACEHOLDER)))
        if kept.strip():
            lines.append(kept.strip())
    return "\n".join(lines)


def _render_completion(prompt, job: SectionJob, passages: list[dict]):
    """A base model continues a few-shot prefix: same-type sections as examples, then this one."""
    examples = prompt.separator.join(
        f"标题：{as_material(p['source'])}\n正文：{as_material(p['text'])}" for p in passages
    ) or "（无）"
    facts = "；".join(line.removeprefix("- ") for line in render_facts(job.section_facts).split("\n"))
    return prompt.render(doc_type=job.doc_type, examples=examples, section=job.plan.display_path, facts=facts)


def section_points(job: SectionJob) -> str:
    """本节要点: the writer's wish, the facts to use, and what not to copy."""
    points = [job.instruction and f"写作者的要求：{job.instruction}"]
    if job.use_facts:
        points.append("务必用上这些数据：" + "、".join(job.use_facts))
    if job.avoid:
        points.append("不要照搬下列往年材料中的句子，换成本节自己的话、用本节的数据：" + "".join(f"「{s}」" for s in job.avoid))
    return "；".join(filter(None, points)) or "（无）"


def guard_context(job: SectionJob, request, material: tuple[str, ...] = ()) -> GuardContext:
    """What an answer to ``request`` is judged against. ``material``: text the prompt quoted that
    the answer may keep (the draft a repair works on)."""
    prompt = load_prompt(request.prompt_name or job.prompt_name)
    literal = "\n".join(re.sub(r"\$\{\w+\}", "\n", body) for _, body in prompt.parts)
    path = set(job.plan.path)
    others = tuple(s.heading for p, s in job.outline.walk() if s.heading not in path)
    facts = job.facts
    shown = [render_facts(job.section_facts), job.written_summary, job.plan.display_path,
             render_outline(job.outline, ())]
    office = " ".join([facts.title, facts.period, job.title, job.speaker, job.instruction]
                      + [f"{f.name} {f.value} {f.note} {f.source}" for f in facts.facts]
                      + [s.heading for _, s in job.outline.walk()])
    lines = tuple(x for block in shown for x in block.split("\n") if x.strip() and x.strip() not in material)
    return GuardContext(
        own_path=job.plan.path, other_headings=others, title=job.title or job.outline.title,
        prompt_text=literal, prompt_lines=lines,
        fact_lines=tuple((f.name, f.value.strip()) for f in facts.facts if f.value.strip()),
        passages=tuple(p["text"] for p in job.plan.passages), office_words=office,
        lists_forbidden=prompt.mode == "chat",
        earlier_openings=job.earlier_openings,
    )


def write_section(
    job: SectionJob,
    model: ChatModel,
    repair_model: ChatModel,
    repair_rounds: int = 1,
    limits: ModelLimits | None = None,
    on_delta: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> SectionDraft:
    """Draft, guard, copy-guard, check, repair (accepted only when better), mark what is left."""
    started = time.monotonic()
    request, cut = render_section_request(job, limits)
    notes = [f"context: {cut} reference passage(s) cut to fit"] if cut else []
    record = _Record()
    text, status, tokens = _stream(job, model, request, notes, on_delta, cancel, started, record)
    # A mask copied from a reference passage marks a figure the model did not take from the facts;
    # when the section has facts, the repair round is asked to fill it from them (checked as ever).
    copied_masks = text.count(MASK) if job.section_facts else 0
    ctx = guard_context(job, request)
    guarded = record.guard(text, ctx)
    if status != "done":
        return _finish(job, guarded.text, status, 0, 0, notes, tokens, started, record=record)
    if guarded.failed:  # not a section: ask once more, then leave it to be rewritten
        notes.append(f"answer rejected ({guarded.failed}); asked again")
        text, status, tokens = _stream(job, model, request, notes, on_delta, cancel, started, record)
        copied_masks = text.count(MASK) if job.section_facts else 0
        guarded = record.guard(text, ctx)
        if status != "done":
            return _finish(job, guarded.text, status, 0, 0, notes, tokens, started, record=record)
        if guarded.failed:
            notes.insert(0, f"{REWRITE} the model's answers held no section text ({guarded.failed})")
            return _finish(job, "", "failed", 0, 0, notes, tokens, started, record=record)
    text = guarded.text

    # whole reports first, so that a run is named by the report it stands in, not by a passage of it
    sources = job.references + tuple((p["source"], p["text"]) for p in job.plan.passages)
    copy = copied_runs(text, sources)
    if copy.share > COPY_SHARE and request.mode == "chat" and not job.avoid:
        # A small model copies what is in front of it: the passages it copied from are left out.
        copied_from = {label for label, share in copy.by_source if share >= 0.05}
        kept = tuple(p for p in job.plan.passages if p["source"] not in copied_from)
        again = replace(job, avoid=copied_sentences(copy, text), plan=replace(job.plan, passages=kept))
        retry, _ = render_section_request(again, limits)
        answer = record.guard(_whole_sentences(complete(model, retry)), guard_context(again, retry))
        record.copy_regenerated = True
        if not answer.failed:
            retried = copied_runs(answer.text, sources)
            if retried.share < copy.share:
                notes.append(f"copied {copy.share:.0%} of earlier material; drafted again: {retried.share:.0%}")
                text, copy, copied_masks = answer.text, retried, answer.text.count(PLACEHOLDER) if job.section_facts else 0
            else:
                notes.append(f"copied {copy.share:.0%} of earlier material; drafted again, no better: kept")

    report = check_text(text, job.facts)
    rounds = fixed = 0
    if request.mode == "completion" and (_errors(report) or copied_masks):
        repair_rounds = 0  # a base model cannot follow repair instructions: mark, do not ask
        notes.append("a base model is not asked to repair")
    while (_errors(report) or copied_masks) and rounds < repair_rounds:
        rounds += 1
        repair_request = _repair_request(job, text, report, fill=bool(copied_masks))
        answer = _whole_sentences(complete(repair_model, repair_request))
        problems = _error_sentences(report)
        candidate = record.guard(answer, guard_context(job, repair_request, material=(text,) + problems))
        candidate_report = check_text(candidate.text, job.facts)
        verdict = repair_verdict(text, report, candidate, candidate_report, fill=bool(copied_masks))
        record.repairs.append(verdict or "accepted")
        if verdict:
            notes.append(f"repair round {rounds} rejected: {verdict}")
            break
        filled = max(0, _placeholders(report) - _placeholders(candidate_report))
        if filled:
            notes.append(f"{filled} copied 【待补】 filled from the facts")
        fixed += len(_error_texts(report) - _error_texts(candidate_report)) + filled
        text, report, copied_masks = candidate.text, candidate_report, 0
    text, marked = mark_unverified(text, report)
    if marked:
        notes.append(f"{marked} number(s) without a source marked 〔待核〕")
    copy = copied_runs(text, sources)
    record.copy = copy
    return _finish(job, text, status, rounds, fixed, notes, tokens, started, marked, record)


REWRITE = "〔本节需重写〕"


class _Record:
    """What the guard did over one section's calls."""

    def __init__(self) -> None:
        self.removed: list[Removal] = []
        self.failed: list[str] = []
        self.names: tuple[str, ...] = ()
        self.repairs: list[str] = []
        self.copy: CopyReport | None = None
        self.copy_regenerated = False

    def guard(self, text: str, ctx: GuardContext) -> Guarded:
        guarded = guard_answer(text, ctx)
        self.removed += guarded.removals
        if guarded.failed:
            self.failed.append(guarded.failed)
        else:
            self.names = guarded.flagged_names
        return guarded

    def freeze(self, unused: tuple[str, ...]) -> GuardRecord:
        copy = self.copy
        return GuardRecord(
            removed=tuple(self.removed), failed_calls=tuple(self.failed), names=self.names,
            copy_share=copy.share if copy else None,
            copied=tuple({"text": r.text, "source": r.source} for r in copy.longest()) if copy else (),
            copy_regenerated=self.copy_regenerated, unused_facts=unused, repairs=tuple(self.repairs),
        )


def _stream(job, model, request, notes, on_delta, cancel, started, record):
    """One streamed call: (text, status, output tokens). Ctrl-C raises SectionInterrupted with the
    guarded partial text."""
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
        notes.append("interrupted")
        partial = record.guard(stream.partial, guard_context(job, request)).text
        raise SectionInterrupted(_finish(job, partial, "incomplete", 0, 0, notes, tokens, started, record=record)) from None
    return text, status, tokens


class SectionInterrupted(Exception):
    """Ctrl-C while a section streamed: carries the partial section so it can be saved."""

    def __init__(self, draft: SectionDraft) -> None:
        super().__init__(draft.heading)
        self.draft = draft


def _finish(job, text, status, rounds, fixed, notes, tokens, started, marked=0, record=None) -> SectionDraft:
    report = check_text(text, job.facts)
    unused = unused_facts(job.section_facts, report, text) if status == "done" and text else ()
    record = record or _Record()  # what it removed, copied and left unused is the record's, not the note's
    return SectionDraft(
        index=job.plan.index,
        heading=job.plan.heading,
        status=status,
        text=text,
        report=report,
        rounds=rounds,
        fixed=fixed,
        marked=marked,
        note="; ".join(notes),
        output_tokens=tokens,
        seconds=round(time.monotonic() - started, 2),
        guard=record.freeze(unused),
    )


def unused_facts(facts: list[Fact], report: CheckReport, text: str) -> tuple[str, ...]:
    """The section's facts with a value that no grounded or derived number of the text rests on."""
    cited = " ".join(f.source for f in report.findings if f.status in ("grounded", "derived"))
    out = []
    for f in facts:
        if not f.value.strip():
            continue  # to fill: nothing to use yet
        if f.quantity is None:
            used = f.value.strip() in text
        else:
            used = f"{f.name}:" in cited or f"{f.name}（" in cited or f" {f.name}" in f" {cited}"
        if not used:
            out.append(f.name)
    return tuple(out)


def _errors(report: CheckReport) -> list[Finding]:
    """The findings that fail a check, whatever the checker calls them (ungrounded, misattributed …)."""
    return [f for f in report.findings if f.severity == "error"]


def _error_texts(report: CheckReport) -> set[str]:
    return {f.mention.text for f in _errors(report)}


def _error_keys(report: CheckReport) -> set[tuple[str, str]]:
    """What a repair must not bring in: every failing number, and a data number whose sentence
    names no indicator (a filled mask must agree with the indicator its sentence names)."""
    return {(f.mention.text, f.status) for f in report.findings
            if f.severity == "error" or (f.status == "unbound" and f.mention.kind == "data")}


def _error_sentences(report: CheckReport) -> tuple[str, ...]:
    return tuple(f.sentence for f in report.findings if f.sentence)


def _placeholders(report: CheckReport) -> int:
    return sum(1 for f in report.findings if f.status == "placeholder")


KEEP_CONTENT = 0.6  # a repair this unlike the text it was given (numbers masked) is another text


def content_similarity(a: str, b: str) -> float:
    """How much of a section a rewrite kept: difflib's ratio of the two texts, numbers masked."""
    x, y = normalized(a)[0], normalized(b)[0]
    if not x or not y:
        return 0.0
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


def repair_verdict(original: str, report: CheckReport, candidate: Guarded, candidate_report: CheckReport,
                   fill: bool = False) -> str:
    """"" when the repair is better than the text it was given; else why it is not. Better: it is
    a section (the guard passed it), keeps the content, brings no new error, and has fewer problems."""
    if candidate.failed:
        return f"it was no section ({candidate.failed})"
    similar = content_similarity(original, candidate.text)
    if similar < KEEP_CONTENT:
        return f"it did not keep the section's content (similarity {similar:.2f} < {KEEP_CONTENT})"
    new = _error_keys(candidate_report) - _error_keys(report)
    if new:
        return "it brought in " + "、".join(sorted(text for text, _ in new))
    def problems(r: CheckReport) -> int:
        return len(_errors(r)) + (_placeholders(r) if fill else 0)
    if problems(candidate_report) >= problems(report):
        return f"it left as many problems ({problems(candidate_report)})"
    return ""


def _repair_request(job: SectionJob, text: str, report: CheckReport, fill: bool = False):
    problems = [f"- 句子：“{f.sentence}” 中的“{f.mention.text}”"
                + ("是另一项指标的数据，与句中所写的指标不符" if f.status == "misattributed" else "没有数据来源")
                for f in _errors(report)]
    if fill:
        problems += [f"- 句子：“{f.sentence}” 中的“【待补】”：本节可用数据中如有对应数字，照抄填入"
                     for f in report.findings if f.status == "placeholder" and f.mention.text == "【待补】"]
    rendered = load_prompt("repair_chat").render(
        section=job.plan.display_path, draft=text, problems="\n".join(problems), facts=render_facts(job.section_facts)
    )
    return rendered.request(stage="repair", section=job.plan.heading)


WRONG_FIGURE = "〔待核：与所给数据不符〕"
MISATTRIBUTED = "〔待核：这是另一项指标的数字〕"


def mark_unverified(text: str, report: CheckReport) -> tuple[str, int]:
    """Put 〔待核〕 right after every number that fails the check, working from the end so spans
    stay valid: 数据中没有这个数字 when no fact supports it, 这是另一项指标的数字 for a supplied
    figure under the wrong indicator, 与所给数据不符 when the checker found it wrong another way."""
    marks = {}
    for f in _errors(report):
        marks[(f.mention.start, f.mention.end)] = {"ungrounded": UNVERIFIED, "misattributed": MISATTRIBUTED}.get(
            f.status, WRONG_FIGURE)
    for (_, end), mark in sorted(marks.items(), reverse=True):
        if not text.startswith("〔待核", end):
            text = text[:end] + mark + text[end:]
    return text, len(marks)


def tidy(text: str, path: tuple[str, ...] | str) -> str:
    """The model's text as a section body, judged only against its own heading path (the guard
    without a prompt: headings, labels, Markdown, loops; a copied mask becomes 【待补】)."""
    path = (path,) if isinstance(path, str) else path
    return guard_answer(text, GuardContext(own_path=path)).text


def _whole_sentences(completion) -> str:
    """An answer cut at the length cap ends at its last full sentence, never mid-word."""
    return last_full_sentence(completion.text) if completion.truncated else completion.text


def _max_tokens(length: int, local: bool = False) -> int:
    """Room to finish the thought, not to run on for pages (tokens are 1.3–1.8 characters): about
    twice the target length, a little over it for the local model, whose every token costs the
    writer a wait. An answer cut here ends at its last full sentence."""
    return max(160, int((1.2 if local else 2) * length / CHARS_PER_TOKEN))


def _estimate_tokens(request) -> int:
    chars = sum(len(m.content) for m in request.messages) + len(request.prompt or "")
    return int(chars / CHARS_PER_TOKEN) + 16 * max(1, len(request.messages))
