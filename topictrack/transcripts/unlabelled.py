"""Calls without speaker labels (paragraphs, or one sentence a line): turns from discourse cues
such as the operator's hand-overs, self-introductions and translation announcements."""

from __future__ import annotations

import bisect
import itertools
import operator
import re

from topictrack.text import INTERPRETING_VERB
from topictrack.transcripts.cleaning import SAFE_HARBOUR_PHRASES, mentions_safe_harbour
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
# a part of each _OPERATOR_INNER alternative: a line with none of them has nothing to split at
_OPERATOR_INNER_HINTS = ("question comes", "question is from", "As a reminder", "Ladies and gentlemen",
                         "This concludes today", "Please stand", "We will now")
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


# How a unit opens (lower-cased) when it matches _OPERATOR_OPENING, _TRANSLATE or _NEW_SPEAKER_CUE,
# found from the line feed before the unit
_CUE_STARTS = re.compile(
    r"\n(?:thank|good (?:day|morning|afternoon|evening)|ladies and gentlemen|welcome to|"
    r"(?:our|the|your) (?:first|next|last|final) question|as a reminder, to|to ask a question|"
    r"(?:we will|we'll|i will|i'll) now|please (?:continue to )?stand|this concludes|(?:there are|we have) no|"
    r"speaker|speak as|your line is open|(?:the )?next question|one moment|"
    rf"\[?interpret|let me {INTERPRETING_VERB}|i(?:'ll| will) {INTERPRETING_VERB}|"
    r"(?:this is|here is) (?:the|our) (?:translation|interpretation)|"
    r"hello|hi,? (?:everyone|everybody|all))")
# a part of each of SAFE_HARBOUR_PHRASES; the words _mentions_hand_over looks for
_SAFE_HARBOUR_PARTS = ("forward", "safe harbo", "risks and uncertainties", "differ materially", "undue reliance",
                       "non-gaap", "reconciliation", "to update", "form 10-", "with the sec",
                       "securities and exchange commission")
assert all(any(part in phrase for part in _SAFE_HARBOUR_PARTS) for phrase in SAFE_HARBOUR_PHRASES)
_HAND_OVER_WORDS = ("turn", "pass", "hand")


class _Units:
    """Lines or parts of lines (none holding a line feed), searched together: which of them hold
    a pattern or a part. The lower-case searches count every unit with a character outside ASCII
    as holding the part, for lowering such a character may give an ASCII one."""

    def __init__(self, units: list[str]):
        self.text = "\n".join(units)
        self.starts = list(map(operator.add, itertools.accumulate(map(len, units), initial=0), range(len(units))))
        self.unusual = set()
        self.low = None

    def _index(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def holding(self, parts: tuple, lowered: bool = False) -> set:
        """The units holding one of ``parts`` (in the text lowered, if ``lowered``)."""
        text = self._lowered() if lowered else self.text
        found = set(self.unusual) if lowered else set()
        starts = self.starts
        for part in parts:
            at = text.find(part)
            while at >= 0:
                k = self._index(at)
                found.add(k)
                at = text.find(part, starts[k + 1]) if k + 1 < len(starts) else -1
        return found

    def holding_lowered(self, parts: tuple) -> set:
        return self.holding(parts, lowered=True)

    def opening_lowered(self, starts: re.Pattern) -> set:
        """The units that, lowered, open with a match of ``starts`` (a pattern opening with a line
        feed and matching no other)."""
        low = "\n" + self._lowered()
        return {self._index(m.start()) for m in starts.finditer(low)} | self.unusual

    def _lowered(self) -> str:
        if self.low is None:
            text = self.text
            if not text.isascii():
                self.unusual = {self._index(m.start()) for m in _NON_ASCII.finditer(text)}
                text = text.encode("ascii", "replace").decode("ascii")  # one "?" per other character
            self.low = text.lower()
        return self.low


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class _UnitFacts:
    """Which units match each cue rule of :func:`parse_cue_units` (sets of unit positions), found by
    searching the units together and applying the rule only to those holding a part of it."""

    def __init__(self, units: list[str], merge: bool):
        cues = _Units(units)

        def where(candidates, rule) -> set:
            return {k for k in candidates if rule(units[k])}

        opening = cues.opening_lowered(_CUE_STARTS)
        self.opening = where(opening, _OPERATOR_OPENING.match)
        self.operator = where(cues.holding_lowered(_OPERATOR_PHRASE_PARTS), _looks_operator)
        self.translate = where(opening, _TRANSLATE.match)
        self.new_speaker = self.safe = set()
        if merge:
            self.new_speaker = where(opening, _NEW_SPEAKER_CUE.match)
            self.safe = where(cues.holding_lowered(_SAFE_HARBOUR_PARTS), mentions_safe_harbour)
        self.hand_over = where(cues.holding(_HAND_OVER_WORDS), lambda unit: _mentions_hand_over(unit[-250:]))
        self.cued = self.opening | self.operator | self.translate | self.new_speaker | self.safe | self.hand_over
        self._order = sorted(self.cued)
        self.count = len(units)

    def next_cued(self, k: int) -> int:
        """The position of the first unit from ``k`` on that matches a rule (the number of units if none)."""
        i = bisect.bisect_left(self._order, k)
        return self._order[i] if i < len(self._order) else self.count


def parse_cue_units(text: str, path, fmt: str, raw_lines: list[str] | None = None) -> Parsed:
    """Turns of an unlabelled call (``fmt`` ``"unlabelled"`` or ``"sentence_lines"``, where
    consecutive units of one speaker merge); ``raw_lines`` are the text's non-blank lines,
    stripped, when the caller has them."""
    if raw_lines is None:
        raw_lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    header = "\n".join(title_lines(raw_lines))
    units: list[str] = []
    hinted = _Units(raw_lines).holding(_OPERATOR_INNER_HINTS) if any(h in text for h in _OPERATOR_INNER_HINTS) else ()
    for i, line in enumerate(raw_lines):
        if len(line) < 60 and DATE_LINE.match(line):
            continue
        if i in hinted:
            units.extend(p for p in _OPERATOR_INNER.split(line) if p.strip())
        else:
            units.append(line)
    merge = fmt == "sentence_lines"
    facts = _UnitFacts(units, merge)
    turns: list = []
    section = "prepared"
    pending_speaker, pending_role = None, None
    last_safe = False  # the previous unit was safe-harbour text
    bodies: list = []  # the units of each turn, joined once at the end (linear in the lines)
    settled = False  # the next unit is plain management speech of the last turn, unless it has a cue
    k = 0
    while k < len(units):
        if settled and k not in facts.cued:
            nxt = facts.next_cued(k)
            bodies[-1].extend(units[k:nxt])
            k = nxt
            continue
        unit = units[k]
        handed_over = False
        safe = k in facts.safe
        if k in facts.opening or k in facts.operator:
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
        elif k in facts.translate:
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
            and k not in facts.new_speaker
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
        elif role == "management" and pending_role is None and section == "prepared" and k in facts.hand_over:
            tail = unit[-250:]
            if _mentions_hand_over(tail) and _HANDING_OVER.search(tail):
                hand = _HAND_TO.search(tail)
                name = hand.group(1) if hand else None
                if name is None or name.lower() != "operator":
                    pending_speaker, pending_role = name, "management"
        settled = (merge and pending_role is None and turns[-1][1] == "management" and turns[-1][2] == section
                   and not last_safe)
        k += 1
    turns = [(*turn[:3], "\n".join(body)) for turn, body in zip(turns, bodies)]
    return Parsed(fmt, "transcript", turns, header, [])


_OPERATOR_PHRASES = re.compile(
    r"press (?:star|\*)|listen[- ]only mode|your line is open|(?:next|first) question comes from|"
    r"you may (?:now )?disconnect"
)


# a part of each _OPERATOR_PHRASES alternative: a unit with none of them holds no operator phrase
_OPERATOR_PHRASE_PARTS = ("press ", "only mode", "line is open", "question comes from", "disconnect")


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
