"""calls.jsonl: one JSON line per LLM call, for cost, speed and "which prompt wrote this?".

What a line holds is fixed by ``CallRecord``: labels, hashes, counts and timings. Never prompt
text, never the API key or any header: the record has no field that could carry them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path

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
