"""The errors drafter raises. Each class carries a one-line meaning for the user.

The library raises these (``raise XError("…") from e``); ``cli.py`` prints one red line
and exits with ``exit_code``. Nothing else in drafter decides how an error looks.
"""

from __future__ import annotations


class DrafterError(Exception):
    """Something the user can act on. The message is the whole story, in one line."""

    exit_code = 2
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


class CheckFailed(DrafterError):
    """Not a crash: the draft holds ungrounded numbers. Exit 1, as a linter does."""

    exit_code = 1
    meaning = "the draft holds numbers that the facts do not support"


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
