"""On-disk cache of scored calls, so a re-run scores only new or changed files.

Each scored call is one small file under the cache folder, named by a key built from

- the SHA-256 of the transcript file's bytes and the file's name (the reader may take the
  period from a name such as ``AAPL_q2_2021.txt``), plus any company / manifest override
  that applies to the file;
- a *fingerprint* of everything else that decides the scores: the topictrack source files,
  the shipped resources (theme model, sentiment lexicon), the bytes of every lexicon file in
  use and of the Loughran-McDonald dictionary when one is given.

Changing any of those gives new keys; stale entries are simply never read again (delete the
folder to reclaim the space). Entries are written atomically (a temporary file in the same
folder, then :func:`os.replace`), so a run that is interrupted leaves only whole entries behind
and the next run picks up where it stopped.

The default folder is ``$TOPICTRACK_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/topictrack``,
else ``~/.cache/topictrack``. Entries are JSON (see :mod:`topictrack.cache_format`): reading one
runs no code, and an entry is used only when it names the key it is read under and holds a
well-formed table; anything else is a miss and the call is scored again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from topictrack.pipeline import cache_format
from topictrack.transcripts.decode import MAX_FILE_BYTES
from topictrack.safeio import read_regular

logger = logging.getLogger(__name__)

_FORMAT = "v2"  # bump when the layout of an entry changes


def default_cache_dir() -> Path:
    """The cache folder used when none is given (see the module docstring)."""
    explicit = os.environ.get("TOPICTRACK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "topictrack"


def file_digest(path) -> str:
    """SHA-256 hex digest of a file's bytes (regular files of at most the reader's size limit;
    raises :class:`~topictrack.errors.TranscriptError` otherwise, before reading)."""
    return hashlib.sha256(read_regular(path, MAX_FILE_BYTES)).hexdigest()


def fingerprint(paths) -> str:
    """Digest of the bytes of ``paths`` (files, or folders taken recursively), names included.

    Used to version everything a score depends on besides the transcript itself.
    """
    digest = hashlib.sha256(_FORMAT.encode())
    for item in paths:
        item = Path(item)
        files = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(file.read_bytes() if file.exists() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


class ScoreCache:
    """A folder of scored calls, one JSON entry per call, for one pipeline fingerprint."""

    def __init__(self, root, fingerprint: str):
        self.root = Path(root)
        self.fingerprint = fingerprint
        self._base = os.path.join(str(self.root), _FORMAT)

    def __repr__(self) -> str:
        return f"ScoreCache({str(self.root)!r}, {self.fingerprint[:12]!r})"

    def key(self, digest: str, name: str, override: str = "") -> str:
        """The entry name of a file with content ``digest`` and file name ``name``."""
        text = "\0".join((self.fingerprint, digest, name, override))
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def _entry(self, key: str) -> str:
        # plain strings: this runs once per file on every re-run
        return os.path.join(self._base, key[:2], key + ".json")

    def has(self, key: str) -> bool:
        """True when an entry is stored under ``key``."""
        return os.path.exists(self._entry(key))

    def get(self, key: str):
        """The stored value, or None when absent or unreadable (a damaged entry is a miss)."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as handle:
                return cache_format.decode(key, handle.read())
        except FileNotFoundError:
            return None
        except Exception as exc:  # a truncated or foreign file: score again
            logger.warning("ignoring unreadable cache entry %s: %s", entry, exc)
            return None

    def put(self, key: str, value) -> None:
        """Store ``value`` atomically: readers see the old entry or the whole new one."""
        entry = self._entry(key)
        folder = os.path.dirname(entry)
        os.makedirs(folder, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(cache_format.encode(key, value))
            os.replace(temp, entry)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
