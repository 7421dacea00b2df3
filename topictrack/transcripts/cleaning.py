"""Cleaning applied to raw turns, each step recorded in a column rather than silent.

- :func:`collapse_loops`: ASR loops (a phrase repeated three or more times in a
  row) are cut down to one copy; the number of loops cut is returned.
- :func:`is_boilerplate`: operator instructions and safe-harbour / housekeeping
  text.
- :func:`pairs`: in calls with consecutive interpretation each statement comes
  twice (machine translation of the Chinese original, then the interpreter's
  English); :func:`counted_halves` decides which half of each pair counts, the
  other half pointing to it, and notes why.
- :func:`split_translation`: a turn that holds a statement *and* its
  interpretation ("... on revenue? I'll translate the question. We've seen ...")
  is cut at the announcement, so the two halves can be linked like two turns.
"""

from __future__ import annotations

import re

from topictrack.text import INTERPRETING, INTERPRETING_VERB
from topictrack.transcripts.loops import collapse_loops  # noqa: F401  (the first cleaning step)

# Lower-case phrases that mark safe-harbour, housekeeping and operator-instruction text.
_BOILERPLATE_PHRASES = (
    "forward-looking", "forward looking", "safe harbor", "safe harbour", "risks and uncertainties",
    "differ materially", "undue reliance", "non-gaap financial measure", "non-gaap measure",
    "reconciliation", "press release", "earnings release", "webcast", "replay", "archived",
    "ir website", "investor relations website", "form 10-k", "form 10-q", "form 20-f",
    "form 8-k", "with the sec", "securities and exchange commission", "obligation to update",
    "duty to update", "for your convenience", "in case of any discrepancy", "computer generated",
    "information purposes", "being recorded", "listen-only", "listen only", "press star",
    "press *", "operator instructions",
)


_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")


SAFE_HARBOUR_PHRASES = (
    "forward-looking", "forward looking", "safe harbor", "safe harbour", "risks and uncertainties",
    "differ materially", "undue reliance", "non-gaap financial measure", "non-gaap measure",
    "reconciliation", "obligation to update", "duty to update", "form 10-k", "form 10-q",
    "with the sec", "securities and exchange commission",
)


def mentions_safe_harbour(text: str) -> bool:
    """True when ``text`` contains a safe-harbour phrase (forward-looking statements, non-GAAP...)."""
    low = text.lower()
    return (  # each phrase of SAFE_HARBOUR_PHRASES, those sharing a part behind one test for it
        "forward" in low and ("forward-looking" in low or "forward looking" in low)
        or "safe harbo" in low and ("safe harbor" in low or "safe harbour" in low)
        or "risks and uncertainties" in low or "differ materially" in low or "undue reliance" in low
        or "non-gaap" in low and ("non-gaap financial measure" in low or "non-gaap measure" in low)
        or "reconciliation" in low
        or "to update" in low and ("obligation to update" in low or "duty to update" in low)
        or "form 10-" in low and ("form 10-k" in low or "form 10-q" in low)
        or "with the sec" in low or "securities and exchange commission" in low
    )


def _grouped(phrases: tuple, parts: tuple) -> tuple:
    """``(part, phrases holding it)`` for each of ``parts``, then each other phrase alone."""
    groups = [(part, tuple(p for p in phrases if part in p)) for part in parts]
    grouped = {p for _, members in groups for p in members}
    assert len(grouped) == sum(len(members) for _, members in groups)  # each phrase counted once
    return tuple(groups) + tuple((p, (p,)) for p in phrases if p not in grouped)


# the phrases by a part several share: a text without the part holds none of them
_BOILERPLATE_GROUPS = _grouped(_BOILERPLATE_PHRASES, (
    "forward", "safe harbo", "non-gaap", "release", "website", "form ", "to update", "listen"))


def is_boilerplate(text: str, role: str) -> bool:
    """True for operator turns and for turns that are mostly safe-harbour text.

    "Mostly" means safe-harbour phrases occur at least half as often as the turn
    has sentences.
    """
    if role == "operator":
        return True
    low = text.lower()
    hits = 0
    for part, phrases in _BOILERPLATE_GROUPS:
        if len(phrases) == 1:
            hits += low.count(part)
        elif part in low:
            hits += sum(low.count(phrase) for phrase in phrases)
    if not hits:
        return False
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    return hits * 2 >= sentences


_PUNCTUATION = str.maketrans({ch: " " for ch in "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~“”‘’—–"})
_STOP = frozenset(
    """
    a an the and or but if so as at by for from in into of on to up with out off via per
    i me my we us our you your he him his she her it its they them their this that these those
    is am are was were be been being have has had do does did done will would could should can
    may might must shall not no yes all any some such more most very just also than then there
    here what which who whom when where while why how about over each other only much many well
    like make made because thank thanks think going want know said says say let get got
    first second third fourth next last quarter year years okay ok uh um oh
    """.split()
)
_WINDOW = 3  # turns back to look for the statement a turn restates
_THRESHOLD = 0.36  # Dice similarity of content words that makes a pair
_SAME_SPEAKER_THRESHOLD = 0.24  # ... when both turns have the same speaker and similar length
_LONG = 200  # content words from which two turns of one topic overlap by chance ...
_LONG_THRESHOLD = 0.55  # ... so they need this similarity
_MIN_WORDS = 15  # content words a turn needs to be compared at all
_ADJACENT_SAME_SPEAKER_THRESHOLD = 0.18  # one speaker twice in a row: never seen in calls without interpretation
_CUED_THRESHOLD = 0.15  # a turn that opens by announcing a translation
_TRANSLATION_CUE = re.compile(
    rf"\b(?:let me|allow me to|i will|i'll|i'd like to)\s+(?:\w+\s+){{0,2}}?{INTERPRETING_VERB}",
    re.IGNORECASE,
)


def _content(text: str) -> frozenset:
    """Content words (4+ letters, not stop words) and numbers of ``text``, lower-cased."""
    return frozenset(_CONTENT_WORD.findall(text[:_CONTENT_CHARS].lower())) - _STOP


_CONTENT_WORD = re.compile(r"[a-z][a-z\-]{3,}|\d[\d.,]*\d|\d")
_CONTENT_CHARS = 4000  # a restatement shows in its opening; longer turns are compared on this much


# the announcement opens a sentence: at most an interjection ("OK, allow me to ...") stands
# between it and the end of the previous sentence
_CUE_LEAD = re.compile(r"(?:^|(?<=[.?!\u3002\uff1f\uff01]))\s*(?:(?:ok|okay|so|and|now|yes|well)\b,?\s*){0,2}$",
                       re.IGNORECASE)
_CUE_WORD = INTERPRETING
_LEADING_SPACE = re.compile(r"\s*")
_CUE_REST = re.compile(r"[^.?!\u3002\uff1f\uff01]*[.?!\u3002\uff1f\uff01]?")


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _announcements(text: str):
    """(start, end) of each translation announcement opening a sentence after the turn's start.

    ``start`` is where its sentence begins (interjection included), ``end`` where that
    sentence ends.
    """
    for word in _CUE_WORD.finditer(text):
        # the announcement ends with this word: look for it just before, not in the whole turn
        match = _TRANSLATION_CUE.search(text, max(0, word.start() - 60), word.end() + 1)
        if match is None:
            continue
        # (a window of 40 characters holds any interjection and the end of the sentence before)
        lead = _CUE_LEAD.search(text, max(0, match.start() - 40), match.start())
        if lead is None:
            continue  # mid-sentence ("... which I'll translate into margin")
        begin = match.start() - len(text[lead.start():match.start()].lstrip())
        if _LEADING_SPACE.match(text).end() >= begin:
            continue  # it opens the turn: the turn itself is the interpretation
        yield begin, _CUE_REST.match(text, match.end()).end()


def announces_translation(text: str) -> bool:
    """True when a sentence of ``text`` announces a translation ("Let me quickly translate.",
    "I'll translate the question."), at the start of the text or of any sentence in it."""
    if not ("ranslat" in text or "nterpret" in text or "RANSLAT" in text or "NTERPRET" in text):
        return False  # no match of _CUE_WORD (INTERPRETING), found by plain substring search
    for word in _CUE_WORD.finditer(text):
        match = _TRANSLATION_CUE.search(text, max(0, word.start() - 60), word.end() + 1)
        if match is not None and (
                _LEADING_SPACE.match(text).end() >= match.start()
                or _CUE_LEAD.search(text, max(0, match.start() - 40), match.start()) is not None):
            return True
    return False


def split_translation(text: str):
    """``(statement, interpretation)`` when ``text`` holds both, cut at the announcement; else None.

    The cut is made before a sentence announcing a translation ("I'll translate the
    question.", "OK, allow me to quickly translate."), when both sides have at least 15
    content words and a Dice similarity of at least 0.15: the interpretation restates the
    statement. The interpretation keeps the announcement.
    """
    for begin, end in _announcements(text):
        before, after = text[:begin].strip(), text[begin:].strip()
        ours, theirs = _content(before), _content(text[end:])
        if len(ours) >= _MIN_WORDS and len(theirs) >= _MIN_WORDS and _dice(ours, theirs) >= _CUED_THRESHOLD:
            return before, after
    return None


def _announces_next(text: str) -> bool:
    """The turn ends by announcing a translation: the next turn is the interpretation."""
    return any(len(_content(text[end:])) < _MIN_WORDS for _, end in _announcements(text))


def pairs(texts, roles, languages, speakers=None) -> list:
    """Interpretation pairs ``(earlier turns, later turn)``: the later turn restates the earlier.

    Interpretation gives each statement twice in a row (a machine translation of
    the original, then the interpreter's English). A turn restates an earlier one
    when, within 3 turns and with only operator, interpreter or Chinese turns
    between them, their content words and numbers have a Dice similarity of at
    least 0.36 (0.24 for the same speaker at similar length; 0.55 when both turns
    are long; 0.15 when the later turn opens by announcing a translation or the
    earlier one ends by announcing it). One interpretation may restate two answers
    in a row of one speaker (or two unnamed speakers) together; the pair then has
    both as its earlier turns, and neither pairs again. Operator and Chinese turns are never paired,
    and each earlier turn pairs at most once.
    """
    speakers = speakers if speakers is not None else [None] * len(texts)
    sets = [
        _content(t) if r != "operator" and lang != "zh" else frozenset()
        for t, r, lang in zip(texts, roles, languages)
    ]
    sizes = [len(t.split()) for t in texts]
    skippable = [r in ("operator", "interpreter") or lang == "zh" for r, lang in zip(roles, languages)]
    announces = [bool(words) and _announces_next(t) for t, words in zip(texts, sets)]
    out: list = [None] * len(texts)
    found: list = []
    used = set()

    def free(i: int) -> bool:
        return i not in used and out[i] is None and len(sets[i]) >= _MIN_WORDS

    def needed(i: int, j: int, size: int, words: frozenset, other: frozenset, cued: bool) -> float:
        same = speakers[i] == speakers[j] and roles[i] == roles[j] and 0.35 <= sizes[j] / max(size, 1) <= 3.0
        need = _SAME_SPEAKER_THRESHOLD if same else _THRESHOLD
        if same and i == j - 1 and speakers[j] is not None:
            need = _ADJACENT_SAME_SPEAKER_THRESHOLD
        if cued or announces[i]:
            need = min(need, _CUED_THRESHOLD)
        if min(len(words), len(other)) > _LONG:
            need = max(need, _LONG_THRESHOLD)
        return need

    for j, words in enumerate(sets):
        if len(words) < _MIN_WORDS:
            continue
        best, best_score = None, 0.0
        cued = _TRANSLATION_CUE.search(texts[j][:160]) is not None
        for i in range(j - 1, max(-1, j - _WINDOW - 1), -1):
            if free(i):
                other = sets[i]
                score = _dice(words, other)
                if score >= needed(i, j, sizes[i], words, other, cued) and score > best_score:
                    best, best_score = (i,), score
                h = i - 1  # the interpretation of two answers in a row (one speaker, or two unnamed)
                if h >= 0 and free(h) and roles[h] == roles[i] and speakers[h] == speakers[i] \
                        and not skippable[h]:
                    both = sets[h] | other
                    score = _dice(words, both)
                    if score >= needed(i, j, sizes[h] + sizes[i], words, both, cued) \
                            and score > best_score:
                        best, best_score = (h, i), score
            if not skippable[i]:
                break
        if best is not None:
            out[j] = best[0]
            found.append((best, j))
            used.update(best)
    return found


_FULLER = 2.0  # a statement with this many times the content words of its interpretation counts instead


def counted_halves(found, texts, roles, languages) -> tuple[list, list]:
    """Which half of each interpretation pair counts: ``(duplicate_of, notes)`` per turn.

    The half that does not count gets ``duplicate_of`` = the (first) turn that counts in its place;
    both halves get a note saying which counts and why. The later half (the interpretation)
    counts when it is announced ("let me quickly translate"), when the earlier half is
    Chinese or mixed, or by default: it is the English the call gives for the statement,
    where the earlier half is a machine translation of the original. The earlier half counts
    only when it carries at least twice the content words of its interpretation.
    """
    duplicate_of: list = [None] * len(texts)
    notes: list = [None] * len(texts)
    for earlier, later in found:
        first = earlier[0]
        before = texts[later - 1] if later > 0 else ""
        mine, theirs = len(_content(texts[later])), len(_content(" ".join(texts[i] for i in earlier)))
        if _TRANSLATION_CUE.search(texts[later][:160]) or _announces_next(before) \
                or any(_announces_next(texts[i]) for i in earlier):
            keep, reason = later, "announced interpretation"
        elif any(languages[i] != "en" for i in earlier):
            keep, reason = later, "English interpretation of a Chinese statement"
        elif theirs >= _FULLER * mine:
            keep, reason = first, f"fuller than its interpretation ({theirs} vs {mine} content words)"
        else:
            keep, reason = later, "interpretation given after the statement"
        kept = set(earlier) if keep == first else {later}
        group = sorted((*earlier, later))
        dropped = [i for i in group if i not in kept]
        for i in group:
            if i in kept:
                notes[i] = f"counted, not turn {', '.join(map(str, dropped))}: {reason}"
            else:
                duplicate_of[i] = min(kept)
                notes[i] = f"not counted: turn {', '.join(map(str, sorted(kept)))} counts ({reason})"
    return duplicate_of, notes
