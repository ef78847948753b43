"""The one progress protocol: library code reports what it is doing; ui/ decides how that looks.

Every long library call takes a ``Reporter`` (ingest, eval, outline refinement); a draft run takes
a ``DraftReporter``, the same protocol plus the events of a section. ``NullReporter`` is silent and
implements both, so a caller with nothing to show passes it (or nothing).
"""

from __future__ import annotations

from typing import Any, Protocol

# A section's plan and its draft are drafting's records (drafting.context.SectionPlan,
# drafting.section.SectionDraft); this module sits below drafting, so it names them Any.
SectionPlan = SectionDraft = Any


class Reporter(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new step begins; ``total`` is its size in steps when known."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def note(self, message: str) -> None:
        """One line for the user (plain text: whoever renders it escapes it)."""


class DraftReporter(Reporter, Protocol):
    def section_started(self, plan: SectionPlan, total: int, model: str) -> None: ...

    def delta(self, plan: SectionPlan, text: str) -> None: ...

    def section_finished(self, draft: SectionDraft, total: int) -> None: ...


class NullReporter:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def section_started(self, plan: SectionPlan, total: int, model: str) -> None:
        pass

    def delta(self, plan: SectionPlan, text: str) -> None:
        pass

    def section_finished(self, draft: SectionDraft, total: int) -> None:
        pass
