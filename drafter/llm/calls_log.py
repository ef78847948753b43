"""calls.jsonl: one JSON line per LLM call, for cost, speed and "which prompt wrote this?".

What a line holds is fixed by ``CallRecord``: labels, hashes, counts and timings. Never prompt
text, never the API key or any header: the record has no field that could carry them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from statistics import median

from drafter.fileio import append_jsonl, read_jsonl


@dataclass(frozen=True)
class CallRecord:
    stage: str  # draft | outline | repair | test
    section: str  # the section's heading path or number; empty outside drafting
    prompt: str  # prompt file name, e.g. section_chat
    prompt_sha256: str  # of what the model was sent
    mode: str  # chat | completion
    base_url: str  # without user:password@
    model: str
    input_tokens: int | None
    output_tokens: int | None
    latency_s: float
    first_token_s: float | None
    finish_reason: str  # empty when the call failed before the end
    chars: int  # characters of text received (partial text too)
    error: str  # empty on success: "LLMStreamCut: …"
    time: str = ""  # UTC, ISO 8601; set by CallsLog.append
    # Reported by a llama.cpp server only: prompt tokens its cache served (near 0 on a later
    # section means the shared prompt prefix broke), and seconds of prefill and of decoding.
    cached_tokens: int | None = None
    prefill_s: float | None = None
    decode_s: float | None = None

    @property
    def tokens_per_s(self) -> float | None:
        """Answer tokens a second of decoding (llama.cpp), or of the whole call (other servers)."""
        seconds = self.decode_s or self.latency_s
        return self.output_tokens / seconds if self.output_tokens and seconds else None

    @property
    def prompt_tokens_per_s(self) -> float | None:
        """llama.cpp only: prompt tokens read (not served by the cache) a second of prefill."""
        read = (self.input_tokens or 0) - (self.cached_tokens or 0)
        return read / self.prefill_s if self.prefill_s and read > 0 else None


@dataclass(frozen=True)
class CallsLog:
    path: Path

    def append(self, record: CallRecord) -> None:
        if not record.time:
            record = replace(record, time=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        append_jsonl(self.path, asdict(record))

    def read(self) -> list[CallRecord]:
        """The records so far (for reports and tests); unknown keys from newer versions are ignored."""
        known = {f.name for f in fields(CallRecord)}
        return [CallRecord(**{k: v for k, v in raw.items() if k in known}) for raw in read_jsonl(self.path)]


@dataclass(frozen=True)
class Speed:
    """How fast a run's model wrote, from its calls: what the writer waited, not what the server did."""

    sections: int
    seconds_a_section: float  # median over sections of all their calls' latency (repairs included)
    first_token_s: float | None  # median wait for the first word of a section
    tokens_per_s: float | None  # output tokens over decoding seconds (llama.cpp) or over latency
    prompt_tokens_per_s: float | None  # llama.cpp only: prompt tokens read a second of prefill

    def line(self) -> str:
        parts = [f"{self.sections} section(s), {self.seconds_a_section:.0f} s a section"]
        if self.first_token_s is not None:
            parts.append(f"first words after {self.first_token_s:.0f} s")
        if self.tokens_per_s:
            parts.append(f"{self.tokens_per_s:.1f} tokens/s written")
        if self.prompt_tokens_per_s:
            parts.append(f"{self.prompt_tokens_per_s:.0f} tokens/s of prompt read")
        return " · ".join(parts) + " (medians)"


def speed_of(records: list[CallRecord]) -> Speed | None:
    """The run's drafting speed; None when no section was drafted."""
    drafted = [r for r in records if r.stage in ("draft", "repair") and not r.error]
    per_section: dict[str, float] = {}
    for r in drafted:
        per_section[r.section] = per_section.get(r.section, 0.0) + r.latency_s
    if not per_section:
        return None
    firsts = [r.first_token_s for r in drafted if r.stage == "draft" and r.first_token_s is not None]
    rates = [r.tokens_per_s for r in drafted if r.tokens_per_s]
    reads = [r.prompt_tokens_per_s for r in drafted if r.prompt_tokens_per_s]
    return Speed(len(per_section), median(per_section.values()), median(firsts) if firsts else None,
                 median(rates) if rates else None, median(reads) if reads else None)
