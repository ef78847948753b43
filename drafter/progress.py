"""The one progress protocol: library code reports what it is doing; ui/ decides how that looks.

Every long library call takes a ``Reporter`` (ingest, eval, outline refinement); a draft run takes
a ``DraftReporter``, the same protocol plus the events of a section. ``NullReporter`` is silent and
implements both, so a caller with nothing to show passes it (or nothing).

A wait that may be long and has no steps to count (a model's first token, a repair call, starting
the local model, reading one big file) is a ``waiting(label)`` block: the views show the label with
the seconds elapsed, live on a terminal and as periodic lines in a log, so no wait is silent.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, ContextManager, Iterator, Protocol

# A section's plan and its draft are drafting's records (drafting.context.SectionPlan,
# drafting.section.SectionDraft); this module sits below drafting, so it names them Any.
SectionPlan = SectionDraft = Any


class Wait(Protocol):
    def update(self, label: str) -> None:
        """Say what the wait is at now (e.g. 3/12), keeping its start time."""


class Reporter(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new step begins; ``total`` is its size in steps when known."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def note(self, message: str) -> None:
        """One line for the user (plain text: whoever renders it escapes it)."""

    def waiting(self, label: str) -> ContextManager[Wait]:
        """A wait that may be long, for as long as the block runs (``label`` is plain text)."""


class DraftReporter(Reporter, Protocol):
    def section_started(self, plan: SectionPlan, total: int, model: str) -> None: ...

    def delta(self, plan: SectionPlan, text: str) -> None: ...

    def section_finished(self, draft: SectionDraft, total: int) -> None: ...


class NullWait:
    def update(self, label: str) -> None:
        pass


class NullReporter:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    @contextmanager
    def waiting(self, label: str) -> Iterator[Wait]:
        yield NullWait()

    def section_started(self, plan: SectionPlan, total: int, model: str) -> None:
        pass

    def delta(self, plan: SectionPlan, text: str) -> None:
        pass

    def section_finished(self, draft: SectionDraft, total: int) -> None:
        pass
