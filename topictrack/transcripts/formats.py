"""Transcript layouts: detect which one a text is in and split it into raw turns.

Each parser returns a :class:`Parsed`: the layout name, the kind of document, the
raw turns as ``(speaker, role, section, text)`` tuples and a few header lines
and organisation names that the metadata stage uses. Cleaning (loops,
boilerplate, duplicates, language) happens later, on the raw turns.
"""

from __future__ import annotations

import json
import re

from topictrack.errors import UnknownFormatError
from topictrack.text import HANZI
from topictrack.transcripts.input_checks import json_turn_lists, unpunctuated_prose
from topictrack.transcripts.parsing import (
    MANAGEMENT_TITLE,
    Parsed,
    ends_sentence,
    qa_from_operator,
    role_from_title,
    roles_from_flow,
    title_lines,
)
from topictrack.transcripts.seeking_alpha import parse_seeking_alpha
from topictrack.transcripts.unlabelled import parse_cue_units, parse_sentence_lines, parse_unlabelled


# --------------------------------------------------------------------------- detection

_SPEAKER_LINE = re.compile(r"^speaker\s*$", re.I | re.M)
_SA_HEADINGS = re.compile(
    r"^(?:Company Participants|Corporate Participants|Conference Call Participants|Presentation|"
    r"Question-and-Answer Session|Questions and Answers|Q&A|Operator)\s*$",
    re.M,
)
_NAME = r"[A-Z][\w'\-.]+(?:\s[A-Z][\w'\-.]*){0,4}"
_DASH_HEADER = re.compile(rf"^({_NAME})\s*(?:--|—|–)\s*(\S.{{0,120}})$", re.M)
_COLON_LINE = re.compile(rf"^({_NAME}|Operator):\s+(\S.*)$", re.M)
_BULLET = re.compile(r"^\s*(?:[-•*▪◦]|\d{1,2}[.)])\s+\S", re.M)


def detect(text: str) -> str:
    """Name of the layout ``text`` is in; raise :class:`ValueError` when none fits."""
    return _detect(text)[0]


def _detect(text: str) -> tuple[str, list[str]]:
    """The layout of ``text`` and its non-blank lines, stripped."""
    start = text.lstrip()[:40]
    if start.startswith("{") or re.match(r"\[\s*[{\[\"\d]|\[\s*\]", start):
        return "motley_fool_json", []
    if _count(_SPEAKER_LINES, text, 200000) >= 2:
        return "speaker_blocks", []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines or not _has_prose(lines):
        raise ValueError("no sentences found")
    if _count(_SA_HEADING_LINES, text) >= 2:
        return "seeking_alpha", lines
    dash = _count(_DASH_HEADER_LINES, text)
    colon = _count(_COLON_LINES, text)
    if dash >= 2 or colon >= 3 and colon >= 0.2 * len(lines):
        return "name_colon", lines
    if _looks_like_summary(text, lines):
        return "summary", lines
    if len(lines) >= 8 and _at_most_lines_with_inner_sentences(text, 0.25 * len(lines)):
        return "sentence_lines", lines
    return "unlabelled", lines


def _at_line_starts(pattern: re.Pattern) -> tuple[re.Pattern, re.Pattern]:
    """A ``^``-anchored multi-line pattern as two: one matched at the start of the text, one
    found from a line feed (which, unlike ``^``, the regex engine looks for quickly)."""
    assert pattern.pattern.startswith("^") and pattern.flags & re.M
    return pattern, re.compile("\n" + pattern.pattern[1:], pattern.flags)


def _count(patterns: tuple[re.Pattern, re.Pattern], text: str, end: int | None = None) -> int:
    """``len(pattern.findall(text, 0, end))`` of the pattern :func:`_at_line_starts` split.

    Each of these patterns ends a match on a character other than a line feed, so no match
    starts where the one before it ended, and the line feed before a match is free to find it by.
    """
    first, after_feed = patterns
    end = len(text) if end is None else end
    m = first.match(text, 0, end)
    return (m is not None) + len(after_feed.findall(text, m.end() if m else 0, end))


_SPEAKER_LINES = _at_line_starts(_SPEAKER_LINE)
_SA_HEADING_LINES = _at_line_starts(_SA_HEADINGS)
_DASH_HEADER_LINES = _at_line_starts(_DASH_HEADER)
_COLON_LINES = _at_line_starts(_COLON_LINE)
_BULLET_LINES = _at_line_starts(_BULLET)

# a line break as str.splitlines() reads one (the lines detection counts)
_LINE_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INNER_IN_LINE = re.compile(rf"[.?!][^\S{_LINE_BREAK}]+[A-Z]")  # after [a-z0-9%)]
_BEFORE_INNER = frozenset("abcdefghijklmnopqrstuvwxyz0123456789%)")
_LINE_BREAKS = re.compile(f"[{_LINE_BREAK}]")


def _at_most_lines_with_inner_sentences(text: str, most: float) -> bool:
    """``_lines_with_inner_sentences(text) <= most``, told without a regex scan when the text has
    no more sentence ends followed by a space than ``most`` (in ASCII text without tabs, a space
    is the only character that is white space and not a line break)."""
    if text.isascii() and "\t" not in text and "\x1f" not in text:
        if text.count(". ") + text.count("? ") + text.count("! ") <= most:
            return True
    return _lines_with_inner_sentences(text) <= most


def _lines_with_inner_sentences(text: str) -> int:
    """How many lines (``text.splitlines()``) hold a sentence end followed by another sentence."""
    count, line_end = 0, -1
    for m in _INNER_IN_LINE.finditer(text):
        if m.start() >= line_end and m.start() and text[m.start() - 1] in _BEFORE_INNER:
            count += 1
            brk = _LINE_BREAKS.search(text, m.end())
            line_end = brk.start() if brk else len(text)
    return count


def _has_prose(lines: list[str]) -> bool:
    """At least a few lines read as sentences, and the text is not a delimited table."""
    if _is_table(lines[:200]):
        return False
    sentences = 0
    bare_words = bare_lines = 0  # unpunctuated speech lines (raw ASR output): two or more
    for ln in lines:
        words = unpunctuated_prose(ln)
        bare_words, bare_lines = bare_words + words, bare_lines + (words > 0)
        if bare_words >= 40 and bare_lines >= 2:
            return True
        if len(ln.split(None, 5)) >= 5:
            sentences += len(_PROSE_LINE.findall(ln, 0, 5000))
            if sentences >= 2:
                return True
        elif _CJK_RUN.search(ln):
            return True
    return False


_PROSE_LINE = re.compile(r"[A-Za-z0-9%)\"'”’][.?!。？！](?:\s|$)")
_CJK_RUN = re.compile(HANZI + "{8,}")


def _is_table(lines: list[str]) -> bool:
    """Most lines carry the same number (2+) of one delimiter and few end like sentences."""
    if len(lines) < 3:
        return False
    ending, most = 0, 0.3 * len(lines)
    for ln in lines:
        if ends_sentence(ln):
            ending += 1
            if ending > most:  # too many lines end like sentences: no table
                return False
    for delimiter in (",", "\t", ";", "|"):
        counts = [ln.count(delimiter) for ln in lines]
        common = max(set(counts), key=counts.count)
        if common >= 2 and counts.count(common) >= 0.6 * len(lines):
            return True
    return False


_CALL_CUES = ("operator", "ladies and gentlemen", "question comes from", "standing by",
              "please go ahead")


def _looks_like_summary(text: str, lines: list[str]) -> bool:
    """Bulleted write-up with headings and none of a call's operator cues."""
    if _count(_BULLET_LINES, text, 50000) < 2:
        return False
    if sum(1 for ln in lines[:300] if _is_heading(ln)) < 3:
        return False
    low = text.lower()
    return not any(cue in low for cue in _CALL_CUES)


def _is_heading(line: str) -> bool:
    words = line.split()
    if re.match(r"^\d{1,2}[.)]\s", line) and len(words) <= 10 and not ends_sentence(line):
        return True
    return (
        0 < len(words) <= 8
        and not ends_sentence(line)
        and not _BULLET.match(line)
        and line[0].isupper()
        and not line.startswith('"')
    ) or line.rstrip().endswith(":") and len(words) <= 6


# --------------------------------------------------------------------------- parsers


def parse(text: str, path) -> Parsed:
    """Detect the layout of ``text`` and parse it; raise UnknownFormatError if none fits."""
    try:
        fmt, lines = _detect(text)
    except ValueError:
        raise UnknownFormatError(
            path, "no transcript found: the text has no sentences (a table or data export?)"
        ) from None
    if fmt in ("sentence_lines", "unlabelled"):
        parsed = parse_cue_units(text, path, fmt, lines)
    else:
        parsed = _PARSERS[fmt](text, path)
    if not parsed.turns:
        raise UnknownFormatError(path, f"layout looks like {fmt} but no speaker turns were found")
    return parsed


def _parse_json(text: str, path) -> Parsed:
    try:
        data = json.loads(text)
    except RecursionError:
        raise UnknownFormatError(path, "JSON is nested too deeply to be a transcript") from None
    except ValueError:
        raise UnknownFormatError(path, "file starts like JSON but is not valid JSON") from None
    json_turn_lists(data, path)  # every turn field of the expected type, or a reason
    if not isinstance(data, dict) or not (
        isinstance(data.get("prepared_remarks"), list) or isinstance(data.get("q_and_a"), list)
    ):
        raise UnknownFormatError(
            path, "JSON holds no 'prepared_remarks' or 'q_and_a' list of speaker turns"
        )
    titles = {}
    for entry in data.get("participants") or []:
        if isinstance(entry, str) and "--" in entry:
            name, _, title = entry.partition("--")
            titles[name.strip()] = title.strip()
    turns, organisations = [], []
    for key, section in (("prepared_remarks", "prepared"), ("q_and_a", "qa")):
        for item in data.get(key) or []:
            if not isinstance(item, dict):
                continue
            speaker = str(item.get("speaker") or "").strip() or None
            speech = str(item.get("speech") or "").strip()
            if not speech:
                continue
            role = role_from_title(speaker, titles.get(speaker or "", ""))
            turns.append((speaker, role, section, speech))
    turns = roles_from_flow(qa_from_operator(turns))
    participants = {n: (t, role_from_title(n, t)) for n, t in titles.items()}
    return Parsed("motley_fool_json", "transcript", turns, "", organisations, participants)


def _parse_speaker_blocks(text: str, path) -> Parsed:
    blocks = _SPEAKER_LINE.split(text)
    turns, organisations = [], []
    preamble = blocks[0].strip()
    if preamble:
        turns.append((None, "unknown", "prepared", preamble))
    for block in blocks[1:]:
        lines = block.strip("\n").split("\n")
        lines = [ln.strip() for ln in lines]
        while lines and not lines[0]:
            lines.pop(0)
        if not lines:
            continue
        name, title, rest = lines[0], "", lines[1:]
        if rest and rest[0] and (len(rest) == 1 or not rest[1]) and len(rest[0]) < 150:
            title, rest = rest[0], rest[1:]
        body = "\n".join(ln for ln in rest if ln).strip()
        if not body:
            continue
        role = role_from_title(name, title)
        if role == "management" and "," in title:
            organisations.append(title.rsplit(",", 1)[1].strip())
            if MANAGEMENT_TITLE.search(organisations[-1]):
                organisations.pop()
        turns.append((name, role, "prepared", body))
    header = preamble if len(preamble) < 300 else ""
    return Parsed("speaker_blocks", "transcript", qa_from_operator(turns), header, organisations)


def _parse_name_colon(text: str, path) -> Parsed:
    turns: list = []
    organisations: list = []
    speaker, role, buffer = None, "unknown", []
    header_lines: list = []

    def flush():
        body = "\n".join(buffer).strip()
        if body:
            turns.append((speaker, role, "prepared", body))
        buffer.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _DASH_HEADER.match(line)
        if m and not ends_sentence(m.group(2)) and len(m.group(2).split()) <= 15:
            flush()
            speaker, title = m.group(1).strip(), m.group(2).strip()
            title = re.sub(r"\s*--\s*", ", ", title)
            role = role_from_title(speaker, title)
            if role == "management" and "," in title:
                organisations.append(title.rsplit(",", 1)[1].strip())
                if MANAGEMENT_TITLE.search(organisations[-1]):
                    organisations.pop()
            continue
        m = _COLON_LINE.match(line)
        if m and len(m.group(1).split()) <= 5:
            flush()
            speaker = m.group(1).strip()
            role = role_from_title(speaker, "")
            buffer.append(m.group(2))
            continue
        if speaker is None and not turns and not buffer:
            header_lines.append(line)
            if len(header_lines) <= 3 and not ends_sentence(line):
                continue
        buffer.append(line)
    flush()
    turns = roles_from_flow(turns)
    header = "\n".join(title_lines(header_lines))
    return Parsed("name_colon", "transcript", qa_from_operator(turns), header, organisations)


# ---- analyst summaries

_ATTRIBUTION = re.compile(r"^[-–—]?\s*([A-Z][A-Za-z'\-.]+(?: [A-Z][A-Za-z'\-.]+){1,3}),\s+(.{2,80})$")


_MARKED_BULLET = re.compile(r"^\s*[-•*▪◦]\s")


def _parse_summary(text: str, path) -> Parsed:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = "\n".join(title_lines(lines))
    turns: list = []
    for line in lines:
        m = _ATTRIBUTION.match(line)
        if m and not ends_sentence(line) and turns and turns[-1][0] is None and \
                turns[-1][3].startswith(('"', "“")):
            # "Zou Tao, Vice Chairman & CEO" under a quote: the quote is that executive's
            role = role_from_title(m.group(1), m.group(2))
            turns[-1] = (m.group(1), "management" if role == "unknown" else role, "prepared", turns[-1][3])
            continue
        if _is_heading(line) and not _MARKED_BULLET.match(line):
            continue  # headings, numbered ones included ("2. Ecosystem Leverage with Xiaomi")
        body = re.sub(r"^\s*[-•*▪◦]\s+", "", line)
        turns.append((None, "unknown", "prepared", body))
    return Parsed("summary", "summary", turns, header, [])


_PARSERS = {
    "motley_fool_json": _parse_json,
    "speaker_blocks": _parse_speaker_blocks,
    "seeking_alpha": parse_seeking_alpha,
    "name_colon": _parse_name_colon,
    "summary": _parse_summary,
    "sentence_lines": parse_sentence_lines,
    "unlabelled": parse_unlabelled,
}
