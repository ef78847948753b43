"""The errors drafter raises, and the exit statuses it ends with.

The library raises these (``raise XError("…") from e``); ``cli.py`` prints one red line
and exits with ``exit_code``. Nothing else in drafter decides how an error looks.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FAILED = 1  # the job ran and found a problem: an ungrounded number, a regression, a lint error
    ERROR = 2  # the job could not run: bad input, configuration, an endpoint that is down
    INTERRUPTED = 130  # Ctrl-C; what was finished is saved


class DrafterError(Exception):
    """Something the user can act on. The message is the whole story, in one line."""

    exit_code = ExitStatus.ERROR
    meaning = "drafter could not finish"


class ConfigError(DrafterError):
    meaning = "the configuration (drafter.toml, DRAFTER_* variables or flags) is not valid"


class InputFileError(DrafterError):
    """A file the user named is missing, unreadable or malformed."""

    meaning = "an input file is missing or malformed"


class CorpusError(DrafterError):
    meaning = "the corpus could not be read"


class IndexStoreError(DrafterError):
    meaning = "the search index is missing, busy or damaged"


class EmbedderError(DrafterError):
    meaning = "the embedding model could not be loaded or did not answer"


class OutputFileError(DrafterError):
    meaning = "an output file could not be written"


class FactsError(InputFileError):
    meaning = "the facts file is malformed"


class LLMError(DrafterError):
    meaning = "the language model endpoint failed"


class LocalModelError(LLMError):
    meaning = "the bundled local model could not be started"


class PromptError(DrafterError):
    meaning = "a prompt file is missing or could not be rendered"


class OutlineError(DrafterError):
    meaning = "the outline could not be built or read"


class RunError(DrafterError):
    meaning = "the run directory is missing or from an incompatible version"
