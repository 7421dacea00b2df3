"""Exceptions raised by topictrack.

Every error a user can cause by handing over bad input derives from
:class:`TopictrackError`; the CLI turns those into a one-line ``Error: ...``
message and exit status 1.
"""

from __future__ import annotations


class TopictrackError(Exception):
    """Base class of every error topictrack raises for bad input or settings."""


class TranscriptError(TopictrackError):
    """A transcript file could not be read. The message names the file."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class EmptyTranscriptError(TranscriptError):
    """The file holds no text."""


class BinaryFileError(TranscriptError):
    """The file is not text (images, archives, spreadsheets saved as binary...)."""


class EncodingError(TranscriptError):
    """The bytes are text-like but decode in no supported encoding."""


class FileTooLargeError(TranscriptError):
    """The file is larger than the reader accepts."""


class UnknownFormatError(TranscriptError):
    """The file is text but holds no transcript in any known layout."""


class LexiconError(TopictrackError):
    """A theme lexicon file is malformed. The message names file, line and problem."""

    def __init__(self, path, problem: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class ModelError(TopictrackError):
    """A theme model file is missing, unreadable or does not match the lexicons."""


class ConfigError(TopictrackError):
    """An argument or setting is invalid (unknown theme, bad period, bad manifest...)."""


class NoCallsError(ConfigError):
    """None of the inputs gave a call to work on. ``failures`` (columns ``path``, ``error``)
    lists the files that could not be read, if any."""

    def __init__(self, message: str, failures=None):
        self.failures = failures
        super().__init__(message)
