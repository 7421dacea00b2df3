"""Calls without speaker labels (paragraphs, or one sentence a line): turns from discourse cues
such as the operator's hand-overs, self-introductions and translation announcements."""

from __future__ import annotations

import re

from topictrack.text import INTERPRETING_VERB
from topictrack.transcripts.cleaning import mentions_safe_harbour
from topictrack.transcripts.parsing import DATE_LINE, NEXT_ASKER, Parsed, opens_questions, title_lines


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
    rf"^(?:\[?interpret\w*\]?|let me {INTERPRETING_VERB}|i(?:'ll| will) {INTERPRETING_VERB}|"
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
_NEW_SPEAKER_CUE = re.compile(
    r"^(?:thank you|thanks)(?:,| very much,| so much,)? (?:operator|[A-Z][a-z]+)\b|"
    r"^(?:good (?:morning|afternoon|evening)|hello|hi),? (?:everyone|everybody|all)\b",
    re.I,
)


def parse_cue_units(text: str, path, fmt: str, raw_lines: list[str] | None = None) -> Parsed:
    """Turns of an unlabelled call (``fmt`` ``"unlabelled"`` or ``"sentence_lines"``, where
    consecutive units of one speaker merge); ``raw_lines`` are the text's non-blank lines,
    stripped, when the caller has them."""
    if raw_lines is None:
        raw_lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = "\n".join(title_lines(raw_lines))
    units: list[str] = []
    hints = _OPERATOR_INNER_HINT.search(text) is not None  # else no line has one
    for line in raw_lines:
        if len(line) < 60 and DATE_LINE.match(line):
            continue
        if hints and _OPERATOR_INNER_HINT.search(line):
            units.extend(p for p in _OPERATOR_INNER.split(line) if p.strip())
        else:
            units.append(line)
    merge = fmt == "sentence_lines"
    operator_phrases = _holds_lowered(text, _OPERATOR_PHRASE_PARTS)  # else no unit (a part of a line) does
    turns: list = []
    section = "prepared"
    pending_speaker, pending_role = None, None
    last_safe = False  # the previous unit was safe-harbour text
    bodies: list = []  # the units of each turn, joined once at the end (linear in the lines)
    for unit in units:
        handed_over = False
        safe = merge and mentions_safe_harbour(unit)
        if _OPERATOR_OPENING.match(unit) or operator_phrases and _looks_operator(unit):
            role, speaker = "operator", "Operator"
            if opens_questions(unit):
                section = "qa"
            m = None
            for m in NEXT_ASKER.finditer(unit):
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
            if speaker is None and role in ("management", "analyst"):
                intro = _SELF_INTRODUCTION.search(unit, 0, 200)
                speaker = intro.group(1) if intro else None
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


# a part of each _OPERATOR_PHRASES alternative: a text with none of them holds no operator phrase
_OPERATOR_PHRASE_PARTS = ("press ", "only mode", "line is open", "question comes from", "disconnect")


def _holds_lowered(text: str, parts: tuple, step: int = 1 << 20) -> bool:
    """Whether ``text.lower()`` holds one of ``parts`` (lower-case ASCII), lowered a slice at a time."""
    reach = max(map(len, parts)) - 1
    for start in range(0, len(text), step):
        low = text[start:start + step + reach].lower()
        if any(part in low for part in parts):
            return True
    return False


def _looks_operator(unit: str) -> bool:
    """Short unit carrying an unmistakable operator instruction."""
    if len(unit) > 900 or not ("ress" in unit or "isten" in unit or "line is" in unit or "uestion" in unit
                               or "isconnect" in unit):
        return False
    return _OPERATOR_PHRASES.search(unit.lower()) is not None


def parse_unlabelled(text: str, path) -> Parsed:
    return parse_cue_units(text, path, "unlabelled")


def parse_sentence_lines(text: str, path) -> Parsed:
    return parse_cue_units(text, path, "sentence_lines")
