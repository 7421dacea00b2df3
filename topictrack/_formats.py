"""Transcript layouts: detect which one a text is in and split it into raw turns.

Each parser returns a :class:`Parsed`: the layout name, the kind of document, the
raw turns as ``(speaker, role, section, text)`` tuples and a few header lines
and organisation names that the metadata stage uses. Cleaning (loops,
boilerplate, duplicates, language) happens later, on the raw turns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from topictrack._cleaning import mentions_safe_harbour
from topictrack.errors import UnknownFormatError
from topictrack.input_checks import json_turn_lists, unpunctuated_prose

RawTurn = tuple  # (speaker: str | None, role: str, section: str, text: str)

FORMATS = (
    "speaker_blocks",
    "unlabelled",
    "seeking_alpha",
    "motley_fool_json",
    "sentence_lines",
    "name_colon",
    "summary",
)


@dataclass
class Parsed:
    source_format: str
    kind: str
    turns: list
    header: str = ""  # title lines (not spoken text), where a document names itself
    organisations: list = field(default_factory=list)  # companies named in speaker titles


# --------------------------------------------------------------------------- roles

_OPERATOR_NAME = re.compile(r"^(?:the )?(?:conference |call )?operator$", re.I)
_ANALYST_TITLE = re.compile(
    r"\banalysts?\b|research|securities|capital markets|investment bank|\bbank\b|"
    r"partners|\bllc\b|asset management|advisors|& co\b|\bisi\b",
    re.I,
)
_MANAGEMENT_TITLE = re.compile(
    r"officer|\bc[efot]o\b|president|chair|director|investor relations|\bir\b|head of|"
    r"founder|treasurer|controller|manager|vice|\bsvp\b|\bevp\b|\bvp\b|secretary|counsel|"
    r"general|executive|partner|principal|lead|chief",
    re.I,
)
_INTERPRETER = re.compile(r"interpret|translat", re.I)


def role_from_title(name: str | None, title: str = "") -> str:
    """Role of a labelled speaker from their name and title line."""
    name = (name or "").strip()
    if _OPERATOR_NAME.match(name) or re.search(r"\boperator\b", title, re.I):
        return "operator"
    if _INTERPRETER.search(name) or _INTERPRETER.search(title):
        return "interpreter"
    if re.search(r"\banalysts?\b", title, re.I) or re.search(r"\banalyst\b", name, re.I):
        return "analyst"
    if _MANAGEMENT_TITLE.search(title):
        return "management"
    if _ANALYST_TITLE.search(title):
        return "analyst"
    if re.search(r"\b(?:company representative|executive|management)\b", name, re.I):
        return "management"
    return "unknown"


# Operator turns opening the Q&A, or handing over to the next questioner.
_QA_START = re.compile(
    r"(?:first|next|following) question|question comes from|questions? (?:is|are) from|"
    r"(?:will|shall|'ll) now (?:begin|take|open|start|conduct|move to) (?:the |our |your )?"
    r"(?:question|q ?& ?a|first question)|"
    r"open (?:up )?the (?:call|line|floor|lines) (?:up )?(?:for|to) (?:your )?questions|"
    r"as a reminder, to ask a question|begin the question|"
    r"(?:take|taking) (?:your |our |any )?questions"
)


def opens_questions(text: str) -> bool:
    """True when an operator turn starts the Q&A or hands over to a questioner."""
    low = text.lower()
    return "question" in low and bool(_QA_START.search(low))


_NEXT_ASKER = re.compile(
    r"(?:question|questions) (?:comes?|is|will come) (?:from|is from)\s+(?:the line of\s+)?"
    r"(?:Mr\.?\s+|Ms\.?\s+|Mrs\.?\s+)?"
    r"([A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-.]*){0,3})"
    r"(?:\s+(?:from|with|of|at)\s+([A-Z][^.,;?]{1,60}))?"
)


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
def _ends_sentence(line: str) -> bool:
    return line.rstrip("\"'”’)] ")[-1:] in (".", "?", "!")
_INNER_SENTENCE = re.compile(r"[a-z0-9%)][.?!]\s+[A-Z]")


def detect(text: str) -> str:
    """Name of the layout ``text`` is in; raise :class:`ValueError` when none fits."""
    start = text.lstrip()[:40]
    if start.startswith("{") or re.match(r"\[\s*[{\[\"\d]|\[\s*\]", start):
        return "motley_fool_json"
    if len(_SPEAKER_LINE.findall(text, 0, 200000)) >= 2:
        return "speaker_blocks"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines or not _has_prose(lines):
        raise ValueError("no sentences found")
    if len(_SA_HEADINGS.findall(text)) >= 2:
        return "seeking_alpha"
    dash = len(_DASH_HEADER.findall(text))
    colon = len(_COLON_LINE.findall(text))
    if dash >= 2 or colon >= 3 and colon >= 0.2 * len(lines):
        return "name_colon"
    if _looks_like_summary(text, lines):
        return "summary"
    multi = sum(1 for ln in lines if _INNER_SENTENCE.search(ln))
    if len(lines) >= 8 and multi <= 0.25 * len(lines):
        return "sentence_lines"
    return "unlabelled"


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
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8,}")


def _is_table(lines: list[str]) -> bool:
    """Most lines carry the same number (2+) of one delimiter and few end like sentences."""
    if len(lines) < 3:
        return False
    ending = sum(1 for ln in lines if _ends_sentence(ln))
    if ending > 0.3 * len(lines):
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
    if len(_BULLET.findall(text, 0, 50000)) < 2:
        return False
    if sum(1 for ln in lines[:300] if _is_heading(ln)) < 3:
        return False
    low = text.lower()
    return not any(cue in low for cue in _CALL_CUES)


def _is_heading(line: str) -> bool:
    words = line.split()
    if re.match(r"^\d{1,2}[.)]\s", line) and len(words) <= 10 and not _ends_sentence(line):
        return True
    return (
        0 < len(words) <= 8
        and not _ends_sentence(line)
        and not _BULLET.match(line)
        and line[0].isupper()
        and not line.startswith('"')
    ) or line.rstrip().endswith(":") and len(words) <= 6


# --------------------------------------------------------------------------- parsers


def parse(text: str, path) -> Parsed:
    """Detect the layout of ``text`` and parse it; raise UnknownFormatError if none fits."""
    try:
        fmt = detect(text)
    except ValueError:
        raise UnknownFormatError(
            path, "no transcript found: the text has no sentences (a table or data export?)"
        ) from None
    parsed = _PARSERS[fmt](text, path)
    if not parsed.turns:
        raise UnknownFormatError(path, f"layout looks like {fmt} but no speaker turns were found")
    return parsed


def _title_lines(lines) -> list[str]:
    """Leading lines that are titles or dates rather than spoken sentences (at most 3)."""
    out = []
    for line in lines[:6]:
        line = line.strip()
        if not line:
            continue
        if len(line) > 250 or _ends_sentence(line) and not _DATE_LINE.match(line):
            if out:
                break
            continue
        out.append(line)
        if len(out) == 3:
            break
    return out


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
    turns = _roles_from_flow(_qa_from_operator(turns))
    return Parsed("motley_fool_json", "transcript", turns, "", organisations)


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
            if _MANAGEMENT_TITLE.search(organisations[-1]):
                organisations.pop()
        turns.append((name, role, "prepared", body))
    header = preamble if len(preamble) < 300 else ""
    return Parsed("speaker_blocks", "transcript", _qa_from_operator(turns), header, organisations)


def _qa_from_operator(turns: list) -> list:
    """Set section to "qa" from the first operator turn that opens questions (or first analyst)."""
    out, in_qa = [], False
    for speaker, role, section, body in turns:
        if not in_qa and (
            section == "qa" or role == "analyst" or role == "operator" and opens_questions(body)
        ):
            in_qa = True
        out.append((speaker, role, "qa" if in_qa else "prepared", body))
    return out


_PARTICIPANT = re.compile(r"^(.{2,60}?)\s+[-–—]{1,2}\s+(.{2,160})$")
_GLUED_LIMIT = 6  # words a glued speaker name may have
_SA_SECTION_HEADINGS = {
    "Company Participants": "management",
    "Corporate Participants": "management",
    "Executives": "management",
    "Conference Call Participants": "analyst",
    "Analysts": "analyst",
}
_SA_BODY_HEADINGS = {"Presentation", "Operator", "Question-and-Answer Session", "Questions and Answers",
                     "Q&A"}
_UNIDENTIFIED = r"Unidentified (?:Analyst|Participant|Company Representative|Speaker|Company Speaker)"


def _participants(lines: list[str]):
    """(titles, roles, index of the first body line) from the participant lists."""
    titles: dict[str, str] = {}
    roles: dict[str, str] = {"Operator": "operator"}
    group, pending, body_start = None, [], 0
    for i, raw in enumerate(lines):
        line = raw.strip()
        if line in _SA_SECTION_HEADINGS:
            group = _SA_SECTION_HEADINGS[line]
            body_start = i + 1
            continue
        if line in _SA_BODY_HEADINGS:
            return titles, roles, i
        if not line:
            continue
        if group is None:
            if i > 12:  # no participant lists at the top
                return titles, roles, 0
            continue
        m = _PARTICIPANT.match(" ".join(pending + [line]))
        if m:
            name = m.group(1).strip()
            titles[name], roles[name] = m.group(2).strip(), group
            pending, last = [], name
            body_start = i + 1
        elif len(line) <= 25 and len(line.split()) <= 3:
            pending.append(line)  # a name split over two chunks ("C.J." / "Muse - ...")
        elif titles and not pending:
            titles[last] += " " + line  # a title split over two chunks
            body_start = i + 1
        else:
            return titles, roles, body_start
    return titles, roles, body_start


def _parse_seeking_alpha(text: str, path) -> Parsed:
    lines = text.splitlines()
    titles, roles, body_start = _participants(lines)
    header_lines = []
    for line in lines[:12]:
        if line.strip() in _SA_SECTION_HEADINGS or line.strip() in _SA_BODY_HEADINGS:
            break
        if line.strip():
            header_lines.append(line.strip())
    header = "\n".join(header_lines)
    organisations = [t.rsplit(",", 1)[1].strip() for n, t in titles.items()
                     if roles[n] == "management" and "," in t
                     and not _MANAGEMENT_TITLE.search(t.rsplit(",", 1)[1])]
    names = sorted(roles, key=len, reverse=True)
    glued = re.compile(
        r"(?<=[.?!\"”’)\]])\s*(" + "|".join(re.escape(n) for n in names) + "|" + _UNIDENTIFIED
        + r")\s*$"
    )
    title_lines = set(titles.values())
    title_counts: dict = {}
    for title in titles.values():
        title_counts[title] = title_counts.get(title, 0) + 1
    # a speaker label that is a participant's title instead of the name ("Chief Financial Officer")
    by_title = {t: n for n, t in titles.items() if title_counts[t] == 1 and roles[n] != "operator"}
    turns: list = []
    speaker, section, buffer = None, "prepared", []

    def flush():
        body = "\n".join(buffer).strip()
        if body:
            role = roles.get(speaker or "") or role_from_title(speaker, titles.get(speaker or "", ""))
            turns.append((speaker, role, section, body))
        buffer.clear()

    def switch(name):
        nonlocal speaker
        flush()
        speaker = name

    expect_title = False
    for raw in lines[body_start:]:
        line = raw.strip()
        if not line:
            continue
        if line == "Presentation":
            continue
        if line in ("Question-and-Answer Session", "Questions and Answers", "Q&A"):
            flush()
            section = "qa"
            continue
        if expect_title:
            expect_title = False
            if line in title_lines or _looks_like_title(line, speaker, titles):
                continue
        name = _speaker_name(line, roles) or by_title.get(line)
        if name is not None:
            switch(name)
            expect_title = True
            continue
        m = _COLON_LINE.match(line)
        if m and (m.group(1) in roles or m.group(1) in by_title or 2 <= len(m.group(1).split()) <= 4):
            switch(by_title.get(m.group(1), m.group(1)))
            line = m.group(2)
            title = titles.get(speaker)
            if title and line.startswith(title):
                line = line[len(title):].lstrip()
        m = glued.search(line)
        if m and len(m.group(1).split()) <= _GLUED_LIMIT and m.start(1) > 0:
            buffer.append(line[: m.start(1)].rstrip())
            switch(m.group(1))
            expect_title = True
            continue
        buffer.append(line)
    flush()
    turns = _roles_from_flow(_qa_from_operator(turns))
    return Parsed("seeking_alpha", "transcript", turns, header, organisations)


def _looks_like_title(line: str, speaker, titles: dict) -> bool:
    """A short line right after a speaker name that is their title or firm."""
    if speaker in titles and line == titles[speaker]:
        return True
    if "?" in line or "[" in line or re.search(r"[a-z0-9][.!]\s", line):
        return False
    return len(line) <= 120 and not _ends_sentence(line) and len(line.split()) <= 14 and bool(
        _MANAGEMENT_TITLE.search(line) or _ANALYST_TITLE.search(line)
    )


def _speaker_name(line: str, roles: dict) -> str | None:
    """``line`` is a speaker label ("Lydia Lu", "Operator", "Jane Doe - CFO"), else None."""
    if line in roles:
        return line
    if re.fullmatch(_UNIDENTIFIED, line):
        return line
    m = _PARTICIPANT.match(line)
    if m and m.group(1).strip() in roles:
        return m.group(1).strip()
    return None


def _paragraphs(lines) -> list[str]:
    out, current = [], []
    for raw in lines:
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
    return out


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
        if m and not _ends_sentence(m.group(2)) and len(m.group(2).split()) <= 15:
            flush()
            speaker, title = m.group(1).strip(), m.group(2).strip()
            title = re.sub(r"\s*--\s*", ", ", title)
            role = role_from_title(speaker, title)
            if role == "management" and "," in title:
                organisations.append(title.rsplit(",", 1)[1].strip())
                if _MANAGEMENT_TITLE.search(organisations[-1]):
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
            if len(header_lines) <= 3 and not _ends_sentence(line):
                continue
        buffer.append(line)
    flush()
    turns = _roles_from_flow(turns)
    header = "\n".join(_title_lines(header_lines))
    return Parsed("name_colon", "transcript", _qa_from_operator(turns), header, organisations)


def _roles_from_flow(turns: list) -> list:
    """Give named speakers of unknown role one from the call's flow.

    The asker the operator names (and any "Unidentified Participant") is an
    analyst; anyone else is taken for management.
    """
    askers: set = set()
    for _, role, _, body in turns:
        if role == "operator":
            askers.update(m.group(1) for m in _NEXT_ASKER.finditer(body))
    out = []
    for speaker, role, section, body in turns:
        if role == "unknown" and speaker:
            if speaker in askers or re.search(r"\b(?:participant|analyst|questioner)\b", speaker, re.I):
                role = "analyst"
            else:
                role = "management"
        out.append((speaker, role, section, body))
    return out


# ---- unlabelled paragraphs and sentence lines: turns from discourse cues

_OPERATOR_OPENING = re.compile(
    r"^(?:Thank you[.,!]?\s+(?:and\s+)?)?(?:"
    r"good (?:day|morning|afternoon|evening)(?:,)? (?:and thank you for standing by|ladies|everyone,? and welcome to)|"
    r"ladies and gentlemen|thank you for standing by|welcome to (?:the )?.{0,80}?(?:conference|earnings) call|"
    r"(?:our|the|your) (?:first|next|last|final) question (?:comes|is|will come) from|"
    r"as a reminder, to (?:ask|register)|to ask a question|"
    r"(?:we will|we'll|i will|i'll) now (?:begin|take|open|move|turn)|"
    r"please (?:continue to )?stand ?by|"
    r"this concludes (?:today's|the|our) (?:conference|call|question)|"
    r"(?:there are|we have) no (?:further|more) questions|"
    r"speakers?,? (?:please|you may)|speak as you may|your line is open|"
    r"(?:the )?next question comes|one moment"
    r")",
    re.I,
)
_OPERATOR_INNER = re.compile(
    r"(?<=[.?!])\s+(?=(?:Thank you\.\s+)?(?:(?:Our|The) (?:first|next) question|As a reminder, to ask|"
    r"Ladies and gentlemen|This concludes today's|Please stand ?by|We will now (?:begin|take|open)))"
)
_OPERATOR_INNER_HINT = re.compile(
    r"question comes|question is from|As a reminder|Ladies and gentlemen|This concludes today|"
    r"Please stand|We will now"
)
_TRANSLATE = re.compile(
    r"^(?:\[?interpret\w*\]?|let me (?:translate|interpret)|i(?:'ll| will) (?:translate|interpret)|"
    r"(?:this is|here is) (?:the|our) (?:translation|interpretation))",
    re.I,
)
# "I'll turn the call over to Henry", "hand it back to the operator" (not "our focus turns to").
_HANDING_OVER = re.compile(
    r"(?<!before i )(?<!before we )\b(?:turn|hand|pass)\w*\s+(?:(?:it|the call|things|the floor|this|"
    r"the mic|the conference|the line)\s+(?:back\s+|over\s+)?|back\s+|over\s+)to\b",
    re.I,
)
_HAND_TO = re.compile(
    r"(?:over|call|floor|conference|back) to (?:our |your )?(?:speaker today, |host(?: today)?, )?"
    r"(?:(?:CEO|CFO|COO|Chairman|President|Director|Chief [A-Z][a-z]+ Officer)\s*,?\s+)?"
    r"([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
)
# "This is Henry.", "I am Zou Tao, CEO of ..." near the start of a turn.
_SELF_INTRODUCTION = re.compile(
    r"\b(?:[Tt]his is|I am|I'm)\s+((?:Mr\.|Ms\.)?\s?[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?=[.,]| speaking| here)"
)


def _mentions_hand_over(text: str) -> bool:
    return ("turn" in text or "pass" in text or "hand" in text) and " to " in text


_DISCLAIMER = re.compile(r"transcript was computer generated|provided for information purposes|"
                         r"makes no representation", re.I)
_DATE_LINE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+ \d{1,2}, \d{4})(?:\s.*)?$"
)
_NEW_SPEAKER_CUE = re.compile(
    r"^(?:thank you|thanks)(?:,| very much,| so much,)? (?:operator|[A-Z][a-z]+)\b|"
    r"^(?:good (?:morning|afternoon|evening)|hello|hi),? (?:everyone|everybody|all)\b",
    re.I,
)


def _parse_cue_units(text: str, path, fmt: str) -> Parsed:
    raw_lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = "\n".join(_title_lines(raw_lines))
    units: list[str] = []
    for line in raw_lines:
        if _DATE_LINE.match(line) and len(line) < 60:
            continue
        if _OPERATOR_INNER_HINT.search(line):
            units.extend(p for p in _OPERATOR_INNER.split(line) if p.strip())
        else:
            units.append(line)
    merge = fmt == "sentence_lines"
    turns: list = []
    section = "prepared"
    pending_speaker, pending_role = None, None
    last_safe = False  # the previous unit was safe-harbour text
    bodies: list = []  # the units of each turn, joined once at the end (linear in the lines)
    for unit in units:
        handed_over = False
        safe = merge and mentions_safe_harbour(unit)
        if _OPERATOR_OPENING.match(unit) or _looks_operator(unit):
            role, speaker = "operator", "Operator"
            if opens_questions(unit):
                section = "qa"
            m = None
            for m in _NEXT_ASKER.finditer(unit):
                pass
            if m:
                pending_speaker, pending_role = m.group(1), "analyst"
            else:
                hand = _HAND_TO.search(unit) if _mentions_hand_over(unit) else None
                pending_speaker = hand.group(1) if hand else None
                pending_role = "management"
        elif _TRANSLATE.match(unit):
            role, speaker = "interpreter", None
        elif not turns and len(unit) < 2000 and _DISCLAIMER.search(unit):
            role, speaker = "unknown", None
        elif pending_role:
            role, speaker = pending_role, pending_speaker
            pending_speaker, pending_role = None, None
            handed_over = True
        else:
            role, speaker = "management", None
            if section == "qa" and turns and turns[-1][1] == "operator":
                role = "analyst"
        if speaker is None and role in ("management", "analyst"):
            intro = _SELF_INTRODUCTION.search(unit, 0, 200)
            speaker = intro.group(1) if intro else None
        if (
            merge
            and turns
            and turns[-1][1] == role
            and turns[-1][2] == section
            and role != "operator"
            and not handed_over
            and not _NEW_SPEAKER_CUE.match(unit)
            and safe == last_safe
        ):
            bodies[-1].append(unit)
        elif merge and turns and role == "operator" and turns[-1][1] == "operator":
            bodies[-1].append(unit)
        else:
            turns.append((speaker, role, section, unit))
            bodies.append([unit])
        last_safe = safe
        if role == "analyst":
            pending_speaker, pending_role = None, "management"
        elif role == "management" and pending_role is None and section == "prepared":
            tail = unit[-250:]
            if _mentions_hand_over(tail) and _HANDING_OVER.search(tail):
                hand = _HAND_TO.search(tail)
                name = hand.group(1) if hand else None
                if name is None or name.lower() != "operator":
                    pending_speaker, pending_role = name, "management"
    turns = [(*turn[:3], "\n".join(body)) for turn, body in zip(turns, bodies)]
    return Parsed(fmt, "transcript", turns, header, [])


_OPERATOR_PHRASES = re.compile(
    r"press (?:star|\*)|listen[- ]only mode|your line is open|(?:next|first) question comes from|"
    r"you may (?:now )?disconnect"
)


def _looks_operator(unit: str) -> bool:
    """Short unit carrying an unmistakable operator instruction."""
    if len(unit) > 900 or not any(w in unit for w in ("ress", "isten", "line is", "uestion", "isconnect")):
        return False
    return _OPERATOR_PHRASES.search(unit.lower()) is not None


def _parse_unlabelled(text: str, path) -> Parsed:
    return _parse_cue_units(text, path, "unlabelled")


def _parse_sentence_lines(text: str, path) -> Parsed:
    return _parse_cue_units(text, path, "sentence_lines")


# ---- analyst summaries

_ATTRIBUTION = re.compile(r"^[-–—]?\s*([A-Z][A-Za-z'\-.]+(?: [A-Z][A-Za-z'\-.]+){1,3}),\s+(.{2,80})$")


_MARKED_BULLET = re.compile(r"^\s*[-•*▪◦]\s")


def _parse_summary(text: str, path) -> Parsed:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = "\n".join(_title_lines(lines))
    turns: list = []
    for line in lines:
        m = _ATTRIBUTION.match(line)
        if m and not _ends_sentence(line) and turns and turns[-1][0] is None and \
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
    "seeking_alpha": _parse_seeking_alpha,
    "name_colon": _parse_name_colon,
    "summary": _parse_summary,
    "sentence_lines": _parse_sentence_lines,
    "unlabelled": _parse_unlabelled,
}
