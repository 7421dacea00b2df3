"""Call metadata from text and file name: fiscal period, call date, company.

The period is taken, in order, from the document's title lines, from the first
sentence that announces the call ("Welcome to X's first quarter 2025 earnings
call"), from the file name (``TICKER_q2_2021``, ``BABA_1Q26``), and last from the
quarter the text mentions most often.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import date as _date
from pathlib import PurePath

_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}
_ORD = r"(first|second|third|fourth|1st|2nd|3rd|4th)"
_YEAR = r"'?((?:19|20)\d\d|\d\d)(?![\d%]|[.,]\d)"
_FISCAL = r"(?:fiscal(?: year)?|fy)\s?"

# Patterns run on lower-cased text.
_PERIOD_PATTERNS = [
    # q1 2025, q3 fy2026, q4'24, q2 fiscal 2021
    re.compile(rf"\bq([1-4])\s*(?:of\s+)?(?:{_FISCAL})?{_YEAR}"),
    # 1q25, 4q 2024, 3qfy26
    re.compile(rf"\b([1-4])q\s?(?:{_FISCAL})?{_YEAR}"),
    # first quarter 2025, fourth quarter and full year 2024, second quarter of fiscal 2022,
    # fiscal first quarter 2022
    re.compile(
        rf"\b{_ORD}[\s-]+(?:fiscal\s+)?quarter(?:\s+(?:and|&)\s+(?:the\s+)?(?:full|fiscal)[\s-]+year)?"
        rf"(?:\s+of)?(?:\s+the)?\s+(?:{_FISCAL})?(?:year\s+)?{_YEAR}"
    ),
    # fiscal 2021 third quarter, 2021 first quarter, fy26 second quarter
    re.compile(rf"\b(?:{_FISCAL})?((?:19|20)\d\d|'\d\d|(?<=fy)\d\d)\s+(?:fiscal\s+)?{_ORD}[\s-]+quarter"),
]
_FILE_PERIOD = [
    (re.compile(r"(?:^|[_\-\s.])q([1-4])[_\-\s]?((?:19|20)\d\d)(?:$|[_\-\s.])", re.I), False),
    (re.compile(r"(?:^|[_\-\s.])([1-4])q[_\-]?(\d\d(?:\d\d)?)(?:$|[_\-\s.])", re.I), False),
    (re.compile(r"(?:^|[_\-\s.])((?:19|20)\d\d)[_\-\s]?q([1-4])(?:$|[_\-\s.])", re.I), True),
]


def _year(text: str) -> int | None:
    digits = text.lstrip("'")
    if len(digits) == 2:
        return 2000 + int(digits)
    year = int(digits)
    return year if 1990 <= year <= 2099 else None


def _period_of(match: re.Match) -> str | None:
    a, b = match.group(1), match.group(2)
    if a.lower() in _ORDINALS:
        quarter, year = _ORDINALS[a.lower()], _year(b)
    elif b.lower() in _ORDINALS:
        quarter, year = _ORDINALS[b.lower()], _year(a)
    else:
        quarter, year = int(a), _year(b)
    if year is None or not 1990 <= year <= 2099:
        return None
    return f"{year}Q{quarter}"


_CORRECTED_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*-{1,2}\s*((?:19|20)\d\d)\b")
# "quarter", or "q1"-"q4" / "1q"-"4q" opening a word; led by one character class, which the regex engine
# looks for quickly
_PERIOD_HINT = re.compile(r"[q1-4](?:(?<=q)uarter|(?<!\wq)(?<=q)[1-4]|(?<!\w[1-4])(?<=[1-4])q)")
_DIGIT = re.compile(r"\d")


def _periods(text: str):
    """(start, end, period) of every quarter mention in ``text``, in order."""
    low = text.lower()
    if "--" in low or "- 20" in low:  # "first quarter 2020 -- 2021": the speaker corrected the year
        low = _CORRECTED_YEAR.sub(lambda m: m.group(2).ljust(len(m.group(0))), low)
    found = {}
    covered = -1
    for hint in _PERIOD_HINT.finditer(low):
        if hint.start() < covered:
            continue
        lo, hi = max(0, hint.start() - 40), min(len(low), hint.end() + 60)
        covered = hint.end()
        window = low[lo:hi]
        if not _DIGIT.search(window):
            continue  # each pattern holds a year: none matches
        for pattern in _PERIOD_PATTERNS:
            for m in pattern.finditer(window):
                period = _period_of(m)
                if period:
                    found[lo + m.start()] = (lo + m.start(), lo + m.end(), period)
                    covered = max(covered, lo + m.end())
    return [found[k] for k in sorted(found)]


# Words just before a quarter mention that make it a comparison, not the call's quarter.
_COMPARISON = re.compile(
    r"(?:compared|comparison|versus|vs\.?|relative|from|prior|last year'?s?|same|over|than|since|"
    r"ended|through|as of|against|until|before|after|guidance|outlook|expect\w*)"
    r"\s+(?:to\s+|with\s+)?(?:the\s+|our\s+|its\s+|a\s+)?(?:fiscal\s+)?$"
)
# Words just after a mention that say it is what the call reports on.
_REPORTED = re.compile(
    r"\s*(?:and\s+(?:the\s+)?(?:full|fiscal)[\s-]+year(?:\s+\S+)?\s+)?(?:financial\s+|operating\s+|"
    r"earnings\s+)?(?:results|earnings|conference call|earnings call|call\b|webcast)"
)
# A sentence speaking of another call or another quarter's report.
_OTHER_CALL = re.compile(
    r"\bplan|tentative|\bexpect|outlook|guidance|\bnext\b|upcoming|\bwhen we\b|\blast\b|\bago\b|"
    r"previous|\bprior\b|compared|versus|will (?:report|release|announce|publish)|publish|"
    r"reminder|discussed|\bback\b|matched|included|benefit|beginning with|ahead of|impact|"
    r"\bon (?:the|our) [^.]{0,40}call|\bin (?:the|our) [^.]{0,40}call"
)
# A sentence presenting this call or the results it is about.
_PRESENTS = re.compile(
    r"\btoday|this (?:call|morning|afternoon|evening|conference)|welcome|joining|joined|"
    r"(?:will|to|i'll|we'll|let me|now) (?:discuss|review|present|walk|cover|go over|talk)|"
    r"purpose of|are reporting|(?:we|i) (?:reported|announced|released|issued)|pleased to|"
    r"(?:earnings|press|news) release|conference call|earnings call|participating|hosting"
)


def period_from_text(header: str, body: str) -> str | None:
    """Period from the title lines, else from the sentence that announces the call.

    A mention in the opening counts when it names what the call reports on
    ("Welcome to X's first quarter 2025 earnings call", "our Q3 fiscal 2026
    results") and is neither a comparison ("compared with the first quarter of
    2024") nor about another call ("we plan to release fourth quarter results").
    """
    for _, _, period in _periods(header[:400]):
        return period
    opening = body[:3000]
    low = opening.lower()
    for start, end, period in _periods(opening):
        before = low[max(0, start - 40):start]
        if _COMPARISON.search(before):
            continue
        sentence_start = max(low.rfind(". ", 0, start), low.rfind("\n", 0, start)) + 1
        ends = [i for i in (low.find(". ", end), low.find("\n", end)) if i >= 0]
        sentence = low[sentence_start:min(ends, default=len(low))]
        welcome = "welcome" in sentence[: start - sentence_start]
        if (welcome or _REPORTED.match(low, end) and _PRESENTS.search(sentence)) \
                and not _OTHER_CALL.search(sentence) and _year_recurs(period, body):
            return period
    return None


def _year_recurs(period: str, body: str) -> bool:
    """False when the announced year occurs only once while another year recurs.

    Guards against a misspoken year ("Third Quarter 2010 Earnings Call" in a call
    that otherwise speaks of 2020).
    """
    year = period[:4]
    if body.count(year) + body.count("'" + year[2:]) >= 2:
        return True
    others = Counter(y for y in _YEARS.findall(body[:20000]) if y != year)
    return not others or others.most_common(1)[0][1] < 2


_YEARS = re.compile(r"\b(?:19|20)\d\d\b")


def most_mentioned_period(body: str) -> str | None:
    """The quarter the text mentions most often (ties: the earliest mentioned)."""
    counts = Counter(p for _, _, p in _periods(body[:200000]))
    return counts.most_common(1)[0][0] if counts else None


def period_from_name(name: str) -> str | None:
    """Fiscal period written in a file name: ``AAPL_q2_2021``, ``BABA_1Q26``, ``x_2025Q1``."""
    for pattern, year_first in _FILE_PERIOD:
        m = pattern.search(name)
        if m:
            year_text, quarter = (m.group(1), m.group(2)) if year_first else (m.group(2), m.group(1))
            year = _year(year_text)
            if year:
                return f"{year}Q{quarter}"
    return None


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_DATE_PATTERNS = (
    re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
               r"December)\s+(\d{1,2}),?\s+(\d{4})\b"),
)


def date_from_header(header: str) -> str | None:
    """ISO date of the call when the title lines state one."""
    for i, pattern in enumerate(_DATE_PATTERNS):
        m = pattern.search(header)
        if not m:
            continue
        try:
            if i == 0:
                value = _date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            elif i == 1:
                value = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                value = _date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        except ValueError:
            continue
        return value.isoformat()
    return None


# --------------------------------------------------------------------------- company

_TITLE_COMPANY = re.compile(
    r"^\s*(?:The\s+)?([A-Z0-9][^()\n]{1,80}?)\s*\((?:(?:NYSE|NASDAQ|Nasdaq|NasdaqGS|NYSEAMERICAN|"
    r"NYSE American|OTC|OTCQX|TSX|HKEX|HKG|SEHK|LSE|AMEX|TSE)\s*:\s*)?[A-Z0-9.]{1,8}\)"
)
_CAP = r"[A-Z0-9][\w&.\-]*"
# a name never spans a line break ("ended on October 31.\nMethode's second quarter")
_NAME_WORDS = rf"(?:{_CAP}|&)(?:[ \t]+(?:{_CAP}|&|of|de|and)){{0,5}}"
# "welcome" and the period words match in any case ("Welcome to the Acme First Quarter ...");
# the name words stay capitalised and the other keywords lower case ("Acme Investors" is a name)
_WELCOME = re.compile(
    rf"\b(?i:welcome\s+(?:you\s+)?(?:all\s+)?(?:everyone\s+)?to\s+(?:the\s+)?)({_NAME_WORDS}?)(?:'s|’s|'|’)?\s+"
    rf"(?:(?i:{_ORD}|Q[1-4]|[1-4]Q|fiscal|FY|full[- ]year)|\d{{4}}|20\d\d|earnings|quarterly|conference|"
    rf"financial|results|annual|investor)",
)
_POSSESSIVE = re.compile(
    rf"({_NAME_WORDS})(?:'s|’s)\s+(?:{_ORD}\s+quarter|Q[1-4]|fiscal|full[- ]year|20\d\d\s+{_ORD}|"
    rf"earnings call|conference call)"
)
# what follows the name in a _POSSESSIVE match: a text without it holds no match
_POSSESSIVE_TAIL = re.compile(
    rf"(?:'s|’s)\s+(?:{_ORD}\s+quarter|Q[1-4]|fiscal|full[- ]year|20\d\d\s+{_ORD}|earnings call|conference call)"
)
_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Limited|L\.?P|LLC|plc|Plc|PLC|N\.?V|"
    r"S\.?A|AG|SE|Holdings?|Group Holding|Group|Technology|Technologies|Corporations)\.?)+\s*$"
)
_NOT_COMPANY = re.compile(
    r"^(?:the|our|this|today|everyone|all|us|you|fiscal|first|second|third|fourth|full|Q[1-4]|"
    r"ladies|conference|earnings|quarter|year)$",
    re.I,
)


# Quarter and year labels, numbers and a leading "the" / "and" before a name ("Q3 AMETEK", "Fiscal Year",
# "Quarter Two 2021 Cummins").
_LEADING_NOISE = re.compile(
    r"^(?:(?:the|and|quarter(?: one| two| three| four)?|Q[1-4]|[1-4]Q|FY\S*|fiscal|year|full[- ]year|"
    r"\d[\d.,/:]*)(?:[\s,.]+|$))+",
    re.I,
)
# A capitalised function word opening the sentence a name was found in ("On AT&T's earnings call").
_SENTENCE_OPENER = re.compile(
    r"^(?:On|In|At|For|With|And|But|So|Also|As|From|By|To|Of|Our|This|Now|Today|Then|Specifically|"
    r"Including|Please|Thank)\s+(?=\S)"
)
# A reporting verb, an event word or "Investor Relations" ends the name: "ATI Announces First Quarter",
# "Oshkosh Corporation Reports", "the SYNNEX Merger Discussion and First Quarter".
_NAME_END = re.compile(
    r"(?:\s+(?:Announces|Announced|Reports|Reported|Releases|Released|Posts|Merger|Discussion|Webcast|"
    r"Business Update)\b|\s*\S*Investor Relations).*$"
)
_POSSESSIVE_END = re.compile(r"(?:['’]|(?<=\.))s$")  # "Acme Corp.s" with its apostrophe lost
_TRAILING_JOINER = re.compile(r"(?:\s+(?:and|&|of|de|the))+\s*$", re.I)


def clean_company(name: str) -> str | None:
    """Company name without legal suffixes and stray punctuation, or None if it is not a name.

    Quarter labels and numbers before the name are dropped, so are a reporting verb or
    event word and what follows it ("ATI Announces"), a possessive "'s" and a trailing
    "and" / "of".
    """
    name = re.sub(r"\s+", " ", name).strip(" ,.'’\"")
    if re.search(r"\b(?!Corp\.)[A-Za-z]{4,}\.\s", name):  # "Korea. While Japan": two sentences, not a name
        return None
    name = _POSSESSIVE_END.sub("", _NAME_END.sub("", name))
    lead = _LEADING_NOISE.match(name)
    if lead and lead.end() < len(name):
        name = name[lead.end():]
    elif lead:
        return None
    name = _TRAILING_JOINER.sub("", name).strip(" ,.'’\"")
    for _ in range(3):
        stripped = _SUFFIX.sub("", name).strip(" ,&")
        if stripped == name or not stripped:
            break
        name = stripped
    if not name or _NOT_COMPANY.match(name) or not re.search(r"[A-Za-z]", name) or len(name) > 60:
        return None
    if not _SUFFIX.sub("", " " + name).strip(" ,"):  # a legal suffix alone ("Inc.'s first quarter")
        return None
    return name


_TICKER_PAREN = re.compile(r"\((?:[A-Za-z ]{2,14}:\s*)?[A-Z0-9.\-]{1,9}\)")
# Words that end a company name in "Welcome to the Acme First Quarter 2025 ..." (case-insensitive).
_AFTER_NAME = re.compile(
    r"\s+(?:first|second|third|fourth|1st|2nd|3rd|4th|fiscal|full|fy\S*|q[1-4]\S*|[1-4]q\S*|"
    r"quarter\S*|annual|earnings|conference|results|financial|\d{4}\S*)\b.*$",
    re.I,
)


def stated_company(header: str) -> str | None:
    """The company's full name as the title lines write it before "(TICKER)", suffixes kept
    ("Alibaba Group Holding Limited"), or None."""
    lines = [ln.strip() for ln in header.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        m = _TICKER_PAREN.search(line)
        if not m:
            continue
        name = line[: m.start()].strip() or (lines[i - 1] if i > 0 else "")
        name = re.sub(r"^.*\b(?:AM|PM|ET|EST|EDT)\s+", "", name)
        name = re.sub(r"\s+", " ", name).strip(" ,")
        return name if clean_company(name) else None
    return None


def _title_company(header: str) -> str | None:
    """Company named before "(TICKER)" / "(NYSE:TICKER)" in the title lines (or on the line above)."""
    lines = [ln.strip() for ln in header.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        m = _TICKER_PAREN.search(line)
        if not m:
            continue
        name = line[: m.start()].strip()
        if not name and i > 0:
            name = lines[i - 1]
        name = re.sub(r"^.*\b(?:AM|PM|ET|EST|EDT)\s+", "", name)  # "Call Start: ... 10:01 AM ET Acme"
        if name:
            return clean_company(name)
    return None


def company_from_text(header: str, body: str, organisations: list[str], people=()) -> str | None:
    """Company key of the call: what the call states before a speaker's title.

    The name in the title line ("Intel Corporation (NASDAQ:INTC)") is taken as written
    (legal and generic suffixes dropped: "Intel"); else the name the operator welcomes
    to, or a possessive in a sentence presenting this call ("joining us for Acme's first
    quarter earnings call"), repaired against the names the text spells most cleanly
    (ASR damage); else the company most named in speaker titles. A welcome naming one of
    ``people`` (the call's speakers: "welcome to Kevin Corporation") names no company.
    """
    candidate = _title_company(header)
    if candidate is not None:
        return candidate
    opening = body[:6000]
    # the first welcome may name no company ("Welcome to the Second Quarter 2020 call for Zoetis")
    # only texts holding "welcome" (in any case) or a possessive's tail can match
    matches = list(_WELCOME.finditer(opening)) if "welcome" in opening.lower() else []
    if _POSSESSIVE_TAIL.search(opening):
        matches += [m for m in _POSSESSIVE.finditer(opening) if _presents_call(opening, m)]
    persons = _person_names(people)
    for m in matches:
        candidate = clean_company(_SENTENCE_OPENER.sub("", _AFTER_NAME.sub("", m.group(1))))
        if candidate and candidate.lower() not in persons:
            break
        candidate = None
    known = [c for c in (clean_company(o) for o in organisations) if c]
    if candidate is None:
        if known:
            return Counter(known).most_common(1)[0][0]
        return None
    return repair_company(candidate, known, body)


# Words placing a call elsewhere in time ("On AT&T's earnings call last week").
_ELSEWHEN = re.compile(r"\blast (?:week|month)|\bago\b|\bprevious|\bnext\b|upcoming")
# The opening of a speaker's remarks, where a possessive names the speaker's own company
# ("Devon's third quarter results were outstanding"); units and other companies come later.
_OWN_NAME_SPAN = 500


def _presents_call(text: str, match: re.Match) -> bool:
    """A possessive match names the call's company: it opens the text, or its sentence
    presents this call or its results ("thank you for joining us for Acme's first quarter
    earnings call"), not another company's call or a unit's figures ("On AT&T's earnings
    call last week", "Gulf Power's third quarter earnings per share")."""
    start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    ends = [i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0]
    sentence = text[start:min(ends, default=len(text))].lower()
    if _ELSEWHEN.search(sentence):
        return False
    return match.start() < _OWN_NAME_SPAN or bool(_PRESENTS.search(sentence))


def _person_names(people) -> set:
    """Lower-cased full and first names of ``people``, for telling a person from a company."""
    names = set()
    for person in people:
        words = person.split() if isinstance(person, str) else []
        if len(words) >= 2:
            names.update((person.lower(), words[0].lower()))
    return names


def _letters(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def similar(a: str, b: str) -> float:
    """Similarity of two company spellings (0-1), ignoring case, spaces and punctuation."""
    a, b = _letters(a), _letters(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def same_company(a: str, b: str) -> bool:
    """Two spellings name the same company.

    True when one name's words start the other's ("Marvell" / "Marvell Technology"),
    or their letters are similar: 0.7+ for long names, 0.85+ for short ones.
    """
    words_a, words_b = a.lower().split(), b.lower().split()
    shorter, longer = sorted((words_a, words_b), key=len)
    if shorter and longer[: len(shorter)] == shorter:
        return True
    shortest = min(len(_letters(a)), len(_letters(b)))
    return similar(a, b) >= (0.7 if shortest >= 10 else 0.85)


def repair_company(candidate: str, known: list[str], body: str = "") -> str:
    """Replace an ASR-damaged spelling ("Kings of Clouds") by a known or more frequent one."""
    best, best_score = None, 0.0
    for name in set(known):
        score = similar(candidate, name)
        if score > best_score:
            best, best_score = name, score
    if best is not None and same_company(candidate, best):
        return best
    # an acronym ("ADM", "CNO") is written as said, not an ASR slip for a word ("Adam", "No")
    if body and not candidate.isupper():
        words = len(candidate.split())
        phrase = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){%d}\b" % max(words - 1, 0))
        counts = Counter(phrase.findall(body[:100000]))
        own = counts.get(candidate, 0)
        # a spelling the call uses three times or more is a name, not a misheard one
        # ("Darden" is not "Garden" however often Olive Garden comes up)
        options = [(n, c) for c, n in counts.items() if c != candidate and n > own and n >= 3
                   and own < 3 and similar(candidate, c) >= 0.8
                   and not _letters(candidate).startswith(_letters(c))]  # "Snap" is not "Snap-on"
        if options:
            return max(options)[1]
    return candidate


def ticker_from_name(name: str) -> str | None:
    """Ticker leading a file name such as ``AAPL_q2_2021`` or ``BABA_1Q26``."""
    m = re.match(r"^([A-Za-z][A-Za-z0-9.\-]{0,9})_(?:q[1-4]_\d{4}|[1-4]Q\d{2})$", name, re.I)
    return m.group(1).upper() if m else None


_PERIOD_FORM = re.compile(r"(?:FY)?((?:19|20)\d\d)\s*Q([1-4])", re.IGNORECASE)


def parse_period(period) -> tuple[int, int] | None:
    """``(year, quarter)`` of a period written ``2025Q1``, ``2025 Q1`` or ``FY2025Q1`` (any case;
    year 1900-2099, quarter 1-4); None for anything else, missing values included."""
    if not isinstance(period, str):
        return None
    m = _PERIOD_FORM.fullmatch(period.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def normalise_period(period) -> str | None:
    """The period in its one spelling, ``"2025Q1"``; None when :func:`parse_period` rejects it."""
    parsed = parse_period(period)
    return f"{parsed[0]}Q{parsed[1]}" if parsed else None


def valid_period(period: str) -> bool:
    """True for periods :func:`parse_period` reads."""
    return parse_period(period) is not None


def company_keys(names) -> dict:
    """``{name: key}`` for the company names of many calls (one entry per call, None allowed).

    A spelling is replaced by a close, more frequent spelling sharing its first three
    letters (ASR damage keeps the start of a name: "Kingshark Cloud" / "Kingsoft Cloud"),
    with the similarity rule of :func:`same_company`.
    """
    counts: dict = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    by_prefix: dict = {}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        by_prefix.setdefault(name[:3].lower(), []).append(name)
    canonical = {}
    for group in by_prefix.values():
        for i, name in enumerate(group):
            canonical[name] = next(
                (other for other in group[:i] if counts[other] > counts[name] and same_company(name, other)),
                name,
            )
    return canonical


_KEY_SUFFIXES = frozenset(
    "inc incorporated corp corporation corporations co company companies ltd limited lp llc plc nv sa ag se "
    "holding holdings group national".split()
)


def name_words(name: str) -> tuple:
    """Lower-case words of a company name without punctuation, a leading "the" and trailing
    legal or corporate words: "The First Horizon National Corp." -> ("first", "horizon")."""
    words = re.findall(r"[a-z0-9&]+", re.sub(r"[.'’]", "", name.lower()))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _KEY_SUFFIXES:
        words.pop()
    return tuple(words)


def _related(a: tuple, b: tuple) -> bool:
    """One name's words start the other's ("DiamondRock" / "DiamondRock Hospitality"), or both
    spell the same letters ("W. R. Berkley" / "W.R. Berkley")."""
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter or "".join(a) == "".join(b)


def _fullest(names: list) -> str:
    """The fullest of ``names`` (one entry per call): most letters, then most calls, then not in
    capitals only ("Maximus" before "MAXIMUS"), then the longest spelling ("H.B. Fuller")."""
    counts = Counter(names)
    return max(counts, key=lambda n: (len("".join(name_words(n))), counts[n], not n.isupper(), len(n), n))


def ticker_key(names: list, tickers: set) -> str | None:
    """One key for calls of one ticker, given their names (one entry per call, None allowed).

    Names equal to a ticker (the fallback when a call names no company) count only when no
    call names the company. Names whose words start one another form one family; the family
    named by most calls wins, and its fullest spelling is the key.
    """
    given = [n for n in names if n]
    named = [n for n in given if n not in tickers]
    if not named:
        return Counter(given).most_common(1)[0][0] if given else None
    families: list = []
    for name, _ in sorted(Counter(named).items(), key=lambda kv: (-kv[1], kv[0])):
        words = name_words(name)
        family = next((f for f in families if any(_related(words, name_words(m)) for m in f)), None)
        if family is None:
            families.append([name])
        else:
            family.append(name)
    counts = Counter(named)
    best = max(families, key=lambda f: (sum(counts[m] for m in f), max(len("".join(name_words(m))) for m in f)))
    return _fullest([n for n in named if n in best])


def shared_company_keys(calls: list) -> list:
    """Company key of each call in ``calls`` (``(ticker, company)`` pairs, either None allowed).

    Calls of one file-name ticker share :func:`ticker_key`; then names equal up to case,
    punctuation and a legal or corporate suffix ("Ameren" / "Ameren Corporation") share
    their fullest spelling.
    """
    by_ticker: dict = {}
    for ticker, company in calls:
        if ticker:
            by_ticker.setdefault(ticker, []).append(company)
    tickers = set(by_ticker)
    chosen = {t: ticker_key(names, tickers) for t, names in by_ticker.items()}
    keys = [chosen[t] if t else company for t, company in calls]
    spellings: dict = {}
    for key in keys:
        if key:
            spellings.setdefault("".join(name_words(key)), []).append(key)
    return [_fullest(spellings["".join(name_words(k))]) if k else k for k in keys]


def harmonised_companies(companies: list, paths: list) -> list:
    """One company key per call for calls read or scored together (``companies`` as each call
    states it, None allowed; ``paths`` their files). A call whose file name leads with no ticker
    takes a close, more frequent ASR-style spelling (:func:`company_keys`); calls of one
    file-name ticker share the fullest name any of them states, never another ticker's; then
    names equal up to case, punctuation and a legal suffix share one spelling
    (:func:`shared_company_keys`)."""
    keys = company_keys(companies)
    tickers = [ticker_from_name(PurePath(path).stem) if path else None for path in paths]
    return shared_company_keys([(ticker, company if ticker or not company else keys[company])
                                for company, ticker in zip(companies, tickers)])
