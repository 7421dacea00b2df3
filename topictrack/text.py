"""Text utilities shared by every stage: sentence splitting, language, CJK and interpreting cues.

The sentence splitter is NLTK's Punkt with parameters set here, so it needs no
downloaded model: abbreviations common in earnings calls ("Mr.", "U.S.", "y.o.y.",
"approx.") are declared up front.
"""

from __future__ import annotations

import functools
import re

_ABBREVIATIONS = """
mr mrs ms dr prof sr jr st mt messrs
inc corp co ltd llc plc bros
u.s u.k u.s.a e.u p.r.c h.k
y.o.y q.o.q y-o-y yoy qoq
no nos vs etc approx est incl excl fig figs
jan feb mar apr jun jul aug sep sept oct nov dec
mln bln bn mn rmb hk usd eur
i.e e.g a.m p.m
""".split()

#: A CJK character: ideographs (unified, extension A, compatibility), kana, CJK punctuation
#: and full-width forms.
CJK_CHARACTER = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
#: CJK unified ideographs only: the Chinese characters of running text.
HANZI = "[\u4e00-\u9fff]"
_CJK = re.compile(CJK_CHARACTER)
#: Finds where a text speaks of translating or interpreting ("translate", "Interpreter",
#: "TRANSLATION"): the cue every stage uses to spot interpretation in a call.
INTERPRETING = re.compile(r"ranslat|nterpret|RANSLAT|NTERPRET")
#: The verbs with which a speaker announces a translation ("let me translate").
INTERPRETING_VERB = "(?:translate|interpret)"
#: A remark about translating or interpreting the call ("I'll translate the question"), not
#: "demand will translate into revenue".
INTERPRETING_REMARK = r"(?i)\b(?:translat|interpret)\w*\b(?!\s+(?:in)?to\b)"
_SPACE = re.compile(r"\s+")
# a full-width full stop, exclamation or question mark ends a sentence; Punkt only knows ". ! ?"
_CJK_END = re.compile(r"(?<=[\u3002\uff01\uff1f])")
# a line break inside a sentence: the line ends in a letter, digit or comma, the next starts in lower case
_WRAPPED = re.compile(r"(?<=[A-Za-z0-9,%])[ \t]*\r?\n[ \t]*(?=[a-z])")
# the same breaks found from their line feed (a literal the regex engine looks for quickly)
_WRAP_BREAK = re.compile(r"\n[ \t]*(?=[a-z])")
_WRAP_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,%")
_TITLE_END = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Messrs|Mt|St)\.$")


# Words that often open a sentence and otherwise appear in lower case. After an
# abbreviation ("... 5% y.o.y. Next, ...") a capitalised one of these starts a new
# sentence; any other capitalised word ("Mr. Zhou", "U.S. Treasury") does not.
_SENTENCE_STARTERS = """
a an the we our this that these those and but so or in for on at as it its with to by from of
next then now turning let looking finally also however overall additionally moving thank thanks
please yes okay ok if when while although during after before there they you he she my their
what how why today lastly again sequentially net gross total operating adjusted given despite
more all one two both each same last first second third fourth other another most some
""".split()


_NLTK_PARTS = ("nltk", "nltk.tokenize")


def _import_punkt():
    """NLTK's ``punkt`` module, loaded with the few NLTK modules it needs.

    ``import nltk`` loads most of NLTK (and SciPy) before a sentence can be split. When
    NLTK is not imported yet, its package and ``nltk.tokenize`` are stood in for by empty
    package modules while ``nltk.tokenize.punkt`` and its own imports load; afterwards every
    ``nltk`` module is taken out of ``sys.modules`` again, so a later ``import nltk`` loads
    the whole, ordinary package.
    """
    import sys

    if "nltk" in sys.modules:
        from nltk.tokenize import punkt

        return punkt
    import importlib
    import importlib.util
    import os
    import types

    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("NLTK is not installed; topictrack splits sentences with its Punkt tokenizer")
    root = list(spec.submodule_search_locations)
    before = set(sys.modules)
    for name, path in zip(_NLTK_PARTS, (root, [os.path.join(root[0], "tokenize")])):
        shell = types.ModuleType(name)
        shell.__path__ = path
        sys.modules[name] = shell
    try:
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


@functools.lru_cache(maxsize=1)
def _punkt():
    punkt = _import_punkt()
    params = punkt.PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    for word in _SENTENCE_STARTERS:
        params.ortho_context[word] = punkt._ORTHO_BEG_UC | punkt._ORTHO_LC
    tokenizer = punkt.PunktSentenceTokenizer(params)
    # Punkt's own pattern of a place where a sentence may end; a block without one is a
    # single sentence, which Punkt would return unchanged.
    lang = tokenizer._lang_vars
    may_end = re.compile(lang._period_context_fmt % {"NonWord": lang._re_non_word_chars,
                                                    "SentEndChars": lang._re_sent_end_chars},
                         re.UNICODE | re.VERBOSE)
    return tokenizer, may_end.search


def _split_block(block: str) -> list[str]:
    tokenizer, may_end = _punkt()
    if may_end(block) is None:
        return [block]
    return tokenizer.tokenize(block)


def _join_wrapped(text: str) -> str:
    """``_WRAPPED.sub(" ", text)``: each line break inside a hard-wrapped sentence, with the
    spaces and tabs around it, becomes one space."""
    pieces, last = [], 0
    for match in _WRAP_BREAK.finditer(text):
        start = match.start()
        if start and text[start - 1] == "\r":
            start -= 1
        while start and text[start - 1] in " \t":
            start -= 1
        if start and text[start - 1] in _WRAP_BEFORE and start >= last:
            pieces.append(text[last:start])
            pieces.append(" ")
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, whitespace-normalised, empty ones dropped.

    Works offline. Keeps "Mr. Zhou", "RMB 1.97 billion", "U.S.", "y.o.y." and
    decimals inside one sentence; a quarter label ending a sentence ("in Q1.")
    still ends it, and so does a Chinese full stop, exclamation or question mark
    ("。", "！", "？"), so an English sentence after a Chinese one stands alone.
    A line break ends a sentence too, except in hard-wrapped text: a line that stops
    mid-sentence (no closing punctuation) and is followed by a line starting in lower
    case ("Let me" / "walk you through ...") continues on it.
    """
    if not isinstance(text, str):
        raise TypeError(f"sentences() expects a str, got {type(text).__name__}")
    out: list[str] = []
    start = 0  # first sentence of the current line; a title never joins across lines
    for block in _join_wrapped(text).splitlines():
        block = " ".join(block.split())  # what _SPACE.sub(" ", block).strip() gives
        if not block:
            continue
        if block.isascii():
            pieces = _split_block(block)
        else:
            pieces = [piece for part in _CJK_END.split(block) if part.strip()
                      for piece in _split_block(part.strip())]
        for piece in pieces:
            if not piece.strip():
                continue
            if len(out) > start and out[-1][-1] == "." and _TITLE_END.search(out[-1]):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
        start = len(out)
    return out


_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def cjk_ratio(text: str) -> float:
    """Share of the text's letters that are CJK, a CJK character counted as three Latin letters.

    A Chinese character carries about as much as a short English word, so plain
    letter counts would make a half-Chinese turn look English. 0.0 when the text
    has neither.
    """
    ascii_bytes = text.encode("ascii", "ignore")
    latin = len(ascii_bytes.translate(None, _NOT_LETTERS))
    cjk = 0 if len(ascii_bytes) == len(text) else len(_CJK.findall(text))
    weighted = 3 * cjk
    return weighted / (weighted + latin) if weighted + latin else 0.0


def language(text: str) -> str:
    """``"zh"`` when CJK characters dominate (:func:`cjk_ratio` above 0.5), ``"mixed"`` when they
    are a noticeable part (above 0.05), ``"en"`` otherwise."""
    if text.isascii():
        return "en"
    ratio = cjk_ratio(text)
    if ratio > 0.5:
        return "zh"
    if ratio > 0.05:
        return "mixed"
    return "en"


def mentions_interpreting(text: str) -> bool:
    """Whether ``text`` speaks of translating or interpreting (see :data:`INTERPRETING`)."""
    return INTERPRETING.search(text) is not None


def english_sentences(text: str, turn_language: str) -> list[str]:
    """The English sentences of a turn whose language the reader gave as ``turn_language``.

    None for a ``"zh"`` turn, the sentences :func:`language` does not read as Chinese for a
    ``"mixed"`` turn, every sentence otherwise. Scoring and training both read turns this way.
    """
    if turn_language == "zh":
        return []
    found = sentences(text)
    if turn_language == "mixed":
        found = [s for s in found if language(s) != "zh"]
    return found


_QUESTION = re.compile(
    r"[?\uff1f][\s\"'\u201d)\]]*$"
    # an interrogative opening, after a filler or two ("And so, how do you ...")
    r"|^[\W\d]*(?:(?:and|so|but|also|then|just|okay|ok|maybe|now|lastly|finally|secondly|first|second|third"
    r"|i guess|i mean|on that|on the)\b[\s,\-]*){0,2}"
    r"(?:(?:can|could|would|will|do|does|did|is|are|should|has|have)\s+(?:you|we|they|there|it|the|your|that|this|management)"
    r"|(?:how|what|why|when|where|which)\s+(?:do|does|did|is|are|was|were|will|would|should|could|can|much|many|kind|sort|type|level)"
    r"|how\s+(?:to|should|long|big|fast|quickly|confident|sustainable))\b"
    # a request to answer, anywhere in the sentence (each opens with one of the letters looked ahead for)
    r"|\b(?=[cimtw])(?:i'm curious|i am curious|i was curious|i'm wondering|i was wondering|i wonder|wondering if|wondering whether"
    r"|my question is|my first question|my second question|the question is|i'd like to ask|i would like to ask"
    r"|can you (?:talk|comment|give|share|help|walk|speak|update|elaborate|provide|tell)"
    r"|could you (?:talk|comment|give|share|help|walk|speak|update|elaborate|provide|tell))\b",
    re.IGNORECASE,
)


def is_question(sentence: str) -> bool:
    """Whether ``sentence`` asks rather than states: it ends with a question mark, opens as a
    question ("Can you ...", "How do you ...", after fillers like "And so") or asks to be
    answered ("I'm curious ...", "Could you talk about ..."). Transcripts often drop the
    question mark, so the wording counts as much as the punctuation."""
    return _QUESTION.search(sentence.strip()) is not None
