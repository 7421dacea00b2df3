"""Text utilities shared by every stage: sentence splitting and language marks.

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

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _punkt():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, whitespace-normalised, empty ones dropped.

    Works offline. Keeps "Mr. Zhou", "RMB 1.97 billion", "U.S.", "y.o.y." and
    decimals inside one sentence; a quarter label ending a sentence ("in Q1.")
    still ends it.
    """
    if not isinstance(text, str):
        raise TypeError(f"sentences() expects a str, got {type(text).__name__}")
    out = []
    for block in text.splitlines():
        block = _SPACE.sub(" ", block).strip()
        if block:
            out.extend(s for s in _punkt().tokenize(block) if s.strip())
    return out


_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among CJK plus Latin letters (0.0 when neither occurs)."""
    ascii_bytes = text.encode("ascii", "ignore")
    latin = len(ascii_bytes.translate(None, _NOT_LETTERS))
    cjk = 0 if len(ascii_bytes) == len(text) else len(_CJK.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def language(text: str) -> str:
    """``"zh"`` when CJK characters dominate, ``"en"`` otherwise."""
    return "zh" if cjk_ratio(text) > 0.3 else "en"
