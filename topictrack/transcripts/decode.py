"""Bytes on disk -> text: size limit, binary detection and encoding choice.

UTF-8 (with or without BOM) is tried first and is the only cost for almost every
file. Other encodings are tried only when UTF-8 fails: UTF-16/32 by BOM or by the
pattern of zero bytes, then Chinese double-byte encodings (GB18030, which covers
GBK and GB2312, and Big5) judged by how many of the decoded characters are
common Chinese characters, then Windows-1252 / Latin-1 for Western text.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from topictrack.text import HANZI
from topictrack.errors import (
    BinaryFileError,
    EmptyTranscriptError,
    EncodingError,
    TranscriptError,
)
from topictrack.escape import strip_controls
from topictrack.transcripts.input_checks import utf8_with_strays
from topictrack.safeio import read_regular

#: Largest file :func:`read_text` accepts. Real call transcripts are 20-200 kB.
MAX_FILE_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Frequent characters of written Chinese, simplified and traditional forms.
# A correct GBK/Big5 decoding of Chinese prose hits these often; a wrong one
# (or Latin-1 bytes read as Chinese) produces rare characters instead.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理"
    "心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高"
    "间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老"
    "给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女"
    "变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形"
    "社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程"
    "北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每"
    "济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质"
    "团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称"
    "企营收入云季度客户智模型算力投资毛利率增长同比环比亿"
    "這個們來為國說時會對過發後裡經麼學現當沒動還進從實軍無與長機見問點業將兩間題頭開關體"
    "產當義處條認幾氣戰記邊張該觀傳師讓帶導運筆飛單獨營雲資務報戶億長電話"
)


def read_text(path: str | os.PathLike) -> str:
    """Return the text of ``path``, decoded; raise a TranscriptError subclass otherwise.

    Raises :class:`FileTooLargeError` above :data:`MAX_FILE_BYTES` (checked from
    the file size before reading), :class:`EmptyTranscriptError` for files with no
    visible characters, :class:`BinaryFileError` for non-text bytes and
    :class:`EncodingError` for text in no supported encoding.
    """
    path = Path(path)
    return text_of_bytes(read_regular(path, MAX_FILE_BYTES), path)  # regular files, size checked first


def text_of_bytes(data: bytes, path: str | os.PathLike = "<bytes>") -> str:
    """The text :func:`read_text` gives for a file holding ``data`` (bytes read already)."""
    text = decode(data, path)
    if not _plain_ascii(text):
        text = strip_controls(text)
    if not text.strip():
        raise EmptyTranscriptError(path, "file is empty (no text in it)")
    return text


def decode(data: bytes, path: str | os.PathLike = "<bytes>") -> str:
    """Decode transcript bytes as described in the module docstring."""
    if not data.strip():
        raise EmptyTranscriptError(path, "file is empty (no text in it)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, path)
    if b"\x00" in data[:4096]:
        wide = _utf16_without_bom(data)
        if wide:
            return _strict(data, wide, path)
        raise BinaryFileError(path, "file is binary (contains zero bytes), not a text transcript")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        text = utf8_with_strays(data)  # UTF-8 with a few stray Windows-1252 bytes
    if text is not None:
        _check_controls(text, path)
        return text
    if b"\x00" in data:
        raise BinaryFileError(path, "file is binary (contains zero bytes), not a text transcript")
    text = _chinese(data) or _western(data)
    if text is None:
        raise EncodingError(path, "bytes are not UTF-8, UTF-16, GBK, Big5 or Latin-1 text")
    _check_controls(text, path)
    return text


def _strict(data: bytes, encoding: str, path) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise EncodingError(path, f"bytes look like {encoding} but do not decode as it") from None
    _check_controls(text, path)
    return text


def _check_controls(text: str, path) -> None:
    """Text with many control characters is binary that happened to decode."""
    sample = text[:65536]
    if sample.isprintable():
        return
    if sample.isascii():
        controls = len(sample.encode("ascii").translate(None, _NOT_CONTROL))
    else:
        controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise BinaryFileError(path, "file is binary (control characters), not a text transcript")


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))  # deleted to count _CONTROL
# ASCII characters :func:`~topictrack.escape.strip_controls` changes: C0 controls but tab, \n, \r; DEL
_STRIPPED = bytes(b for b in range(128) if b < 32 and chr(b) not in "\t\n\r" or b == 127)
_NOT_STRIPPED = bytes(b for b in range(256) if b not in _STRIPPED)


def _plain_ascii(text: str) -> bool:
    """ASCII text without a character :func:`~topictrack.escape.strip_controls` would change."""
    return text.isascii() and not text.encode("ascii").translate(None, _NOT_STRIPPED)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    even_zero = sample[0::2].count(0) / half
    odd_zero = sample[1::2].count(0) / half
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _chinese(data: bytes) -> str | None:
    """Best of GB18030 and Big5 when the bytes decode and read as Chinese prose."""
    best, best_score = None, 0.0
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        hanzi = _HANZI.findall(text[:20000])
        if len(hanzi) < 2:
            continue
        score = sum(ch in _COMMON_HANZI for ch in hanzi) / len(hanzi)
        if score > best_score:
            best, best_score = text, score
    return best if best_score >= 0.15 else None


def _western(data: bytes) -> str | None:
    """Windows-1252, else Latin-1 unless that yields C1 control characters (not Western text)."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    return None if _C1.search(text) else text


_C1 = re.compile(r"[\x80-\x9f]")
_HANZI = re.compile(HANZI)


# one word ending in a file extension ("call.txt"), or holding a path separator
_PATH_LIKE = re.compile(r"\S*[/\\]\S*|\S+\.[A-Za-z][A-Za-z0-9]{0,4}")


def text_or_file(text_or_path: str) -> str:
    """The text of the file ``text_or_path`` names (read as :func:`read_text` does), else the string.

    A string that reads as a file name (one word with a path separator or a file extension) but
    names no file raises a :class:`~topictrack.errors.TranscriptError` rather than being taken as
    text; so does a folder.
    """
    candidate = text_or_path.strip()
    if len(candidate) < 4096 and (os.path.exists(candidate) or _PATH_LIKE.fullmatch(candidate)):
        path = Path(candidate)
        if path.is_dir():
            raise TranscriptError(path, "is a folder; expected a text file or a sentence")
        if not path.exists():
            raise TranscriptError(path, "no such file")
        return read_text(path)
    return text_or_path
