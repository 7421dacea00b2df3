"""What a company talked about that it did not before: phrases whose use rose against its earlier calls.

The lexicons only find what someone wrote a theme for. :func:`new_phrases` compares, for each
company and period, the words and phrases (1-3 words) of that period's calls with the same
company's earlier calls of the same kind, and ranks them by the weighted log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words", section 3.5):

    delta_w = log((y_w + a_w) / (n + a_0 - y_w - a_w)) - log((r_w + a_w) / (m + a_0 - r_w - a_w))
    var_w  ~= 1 / (y_w + a_w) + 1 / (r_w + a_w)
    z_w     = delta_w / sqrt(var_w)

where ``y_w`` is the number of the period's sentences that use phrase ``w`` (out of ``n``), ``r_w``
the same count over the earlier calls (out of ``m``), and the prior ``a_w = a_0 * b_w / B`` is the
phrase's rate in the company's calls taken together (``b_w`` of its ``B`` sentences, all its periods
of that kind), scaled to ``a_0`` (``prior_strength``; by default ``B``, a prior as strong as the
pooled calls, as in the paper). Counting sentences rather than occurrences keeps a phrase repeated in a
loop from looking important. The prior shrinks the log-odds of rare phrases towards zero, so a
phrase said once is not ranked above one said twenty times; ``z`` accounts for how much evidence
there is.

Only counted turns are read (no boilerplate, no interpretation duplicates, English sentences
only). A phrase must not start or end with a function word, hold a number, a period word
("quarter", "fiscal", month names) or a word of a speaker's or the company's name, and must be
used in at least ``min_count`` sentences of the period. Of phrases that overlap ("export", "export
control", "export control h20") only the best ranked is kept.

Columns of the result, one row per company x kind x period x phrase, best first within a period:

``company``, ``kind``, ``period``
    The key, as in :func:`topictrack.trends.trends`; ``previous_periods`` lists the periods compared
    against (all earlier ones of that company and kind, ";"-joined).
``rank``
    1 for the phrase that rose most.
``phrase``
    Lower case, words joined by single spaces.
``count``, ``sentences``
    Sentences of the period that use the phrase, and all sentences of the period.
``previous_count``, ``previous_sentences``
    The same over the earlier calls.
``rate_per_1k``, ``previous_rate_per_1k``
    ``1000 * count / sentences`` and the same for the earlier calls.
``log_odds``, ``z``
    ``delta_w`` and ``z_w`` above; rows have ``z >= min_z``.
``quote``, ``quote_speaker``, ``quote_role``
    One sentence of the period that uses the phrase (management's first, 40-250 characters
    preferred).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import pandas as pd

from topictrack.errors import ConfigError
from topictrack.text import english_sentences

COLUMNS = [
    "company", "kind", "period", "previous_periods", "rank", "phrase", "count", "sentences",
    "previous_count", "previous_sentences", "rate_per_1k", "previous_rate_per_1k", "log_odds", "z",
    "quote", "quote_speaker", "quote_role",
]

_REQUIRED = ["company", "kind", "period", "speaker", "role", "text", "language", "counted"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

# Function words and the filler of spoken English: a phrase may not start or end with one, and a
# one-word phrase may not be one.
_FUNCTION_WORDS = frozenset("""
a about above across after again against all almost along already also although always am among an
and another any anything are around as at away back be because been before being below between both
but by can could did do does doing done down during each either else enough even ever every few for
from further get gets getting got had has have having he her here hers him his how however i if in
into is it its itself just least less let like likely lot lots made make makes making many may maybe
me might more most much must my near need needs neither never next no nor not now of off often on
once one only onto or other others otherwise our ours out over own per perhaps put quite rather
really right same see seen seeing she should since so some something still such than that the their
them then there these they thing things think this those though through thus to too toward towards
under until up upon us very via was way ways we well were what whatever when where whether which
while who whom whose why will with within without would yes yet you your yours also actually
basically certainly clearly obviously probably particularly specifically sort kind bit going go
goes want wanted say said says talk talked talking know knew known mean means look looking looked
okay ok yeah great good thank thanks thanking question questions answer hi hello morning afternoon
evening everyone everybody guys folks congrats congratulations appreciate call color comment comments
able use used using come comes coming take takes taking give gives given continue continued continues
new first second third fourth last prior previous today time times people number numbers year years
quarter quarters annual yearly half please hear heard lots big bigger biggest little small
zero two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
thousand million millions billion billions trillion percent percentage basis points point
mainly mostly fact facts perspective due following view views reason reasons regarding respect terms
side sides level levels part parts overall currently further certain better best generally relatively
especially including included related based meantime meanwhile hand course whole instance example
sure order aspect aspects case cases situation besides addition additionally therefore hence anyway
indeed believe expect expected expecting see saw hope feel try trying mention mentioned noted note
help keep remain remains remained pretty fairly slightly significantly largely roughly approximately
ago later earlier recently soon far mr ms mrs dr incredibly extremely truly tremendous tremendously
huge
""".split())

# Words that name a period: every call says "this quarter" and "fiscal 2026"; they are not news.
_PERIOD_WORDS = frozenset("""
q1 q2 q3 q4 h1 h2 fy quarter quarters quarterly fiscal year years yearly annual annually month months
monthly week weeks sequential sequentially january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

_FISCAL_CODE = re.compile(r"^(?:fy\d{2,4}|cy\d{2,4}|q[1-4]|h[12]|[12]h)$")


def _tokens(sentence: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(sentence)]


def _phrases(tokens: list[str], banned: frozenset[str], max_words: int) -> set[str]:
    """The distinct 1..max_words-word phrases of one sentence that may be reported."""
    found: set[str] = set()
    usable = [not (t in banned or t in _PERIOD_WORDS or _FISCAL_CODE.match(t)) for t in tokens]
    edge = [ok and t not in _FUNCTION_WORDS and len(t) > 1 for t, ok in zip(tokens, usable)]
    for i, token in enumerate(tokens):
        if not edge[i]:
            continue
        found.add(token)
        for j in range(i + 1, min(i + max_words, len(tokens))):
            if not usable[j]:
                break
            if edge[j]:
                found.add(" ".join(tokens[i:j + 1]))
    return found


def _name_words(scored: pd.DataFrame) -> frozenset[str]:
    """Words of the speakers' and companies' names (names are people, not news)."""
    words: set[str] = set()
    for column in ("speaker", "company"):
        for value in scored[column].dropna().unique():
            words.update(w for w in _tokens(str(value)) if w not in _FUNCTION_WORDS)
    return frozenset(words)


def _check(scored, top: int, min_count: int, max_words: int, prior_strength: float) -> None:
    if not isinstance(scored, pd.DataFrame):
        raise ConfigError(
            f"new_phrases() expects the scored turn table (a pandas DataFrame), got {type(scored).__name__}"
        )
    missing = [c for c in _REQUIRED if c not in scored.columns]
    if missing:
        raise ConfigError(
            "the scored table lacks column(s) " + ", ".join(missing)
            + "; pass the table returned by topictrack.score()"
        )
    if top < 1 or min_count < 1:
        raise ConfigError(f"top ({top}) and min_count ({min_count}) must be at least 1")
    if not 1 <= max_words <= 5:
        raise ConfigError(f"max_words {max_words} is invalid; expected 1 to 5")
    if prior_strength is not None and not prior_strength > 0:
        raise ConfigError(f"prior_strength {prior_strength!r} is invalid; expected a positive number")


class _Period:
    """Sentence counts of one company x kind x period, and where each phrase was first said."""

    def __init__(self) -> None:
        self.sentences = 0
        self.counts: Counter[str] = Counter()
        self.quotes: dict[str, tuple[int, str, object, object]] = {}

    def add(self, sentence: str, speaker, role, banned: frozenset[str], max_words: int) -> None:
        self.sentences += 1
        found = _phrases(_tokens(sentence), banned, max_words)
        self.counts.update(found)
        # lower badness is better: management first, then a readable length
        badness = (role != "management") * 2 + (not 40 <= len(sentence) <= 250)
        for phrase in found:
            held = self.quotes.get(phrase)
            if held is None or badness < held[0]:
                self.quotes[phrase] = (badness, sentence, speaker, role)


def _log_odds(y: int, n: int, r: int, m: int, a_w: float, a_0: float) -> tuple[float, float]:
    delta = (math.log((y + a_w) / (n + a_0 - y - a_w))
             - math.log((r + a_w) / (m + a_0 - r - a_w)))
    return delta, delta / math.sqrt(1.0 / (y + a_w) + 1.0 / (r + a_w))


def _overlaps(phrase: str, kept: list[str]) -> bool:
    padded = f" {phrase} "
    return any(padded in f" {other} " or f" {other} " in padded for other in kept)


def new_phrases(scored: pd.DataFrame, *, top: int = 10, min_count: int = 3, min_z: float = 1.0,
                max_words: int = 3, prior_strength: float | None = None) -> pd.DataFrame:
    """Phrases each company used more in a period than in its earlier calls, best first.

    ``scored`` is the scored turn table of :func:`topictrack.score`. For every company, kind and
    period that has earlier periods in the table, returns up to ``top`` phrases of 1 to
    ``max_words`` words used in at least ``min_count`` of the period's sentences whose
    weighted log-odds z-score against the earlier calls is at least ``min_z`` (the columns and
    the statistic are described in this module's docstring). Calls of unknown company or period
    are left out: they have no earlier calls to compare with.
    """
    _check(scored, top, min_count, max_words, prior_strength)
    counted = scored[scored["counted"].fillna(False).astype(bool)]
    counted = counted[counted["company"].notna() & counted["period"].notna()]
    banned = _name_words(scored)

    from topictrack.trends import period_key

    periods: dict[tuple, dict[str, _Period]] = defaultdict(dict)
    for company, kind, period, speaker, role, text, language in zip(
            counted["company"], counted["kind"].fillna("transcript"), counted["period"],
            counted["speaker"], counted["role"], counted["text"].fillna(""), counted["language"].fillna("en")):
        held = periods[(company, kind)].setdefault(period, _Period())
        for sentence in english_sentences(text, language):
            held.add(sentence, _value(speaker), _value(role), banned, max_words)

    rows = []
    for (company, kind) in sorted(periods, key=lambda key: (str(key[0]), str(key[1]))):
        by_period = periods[(company, kind)]
        order = sorted(by_period, key=period_key)
        total = Counter()
        for period in order:
            total.update(by_period[period].counts)
        total_sentences = sum(by_period[p].sentences for p in order)
        earlier = Counter()
        earlier_sentences = 0
        for index, period in enumerate(order):
            now = by_period[period]
            if index:
                rows += _rank(company, kind, period, order[:index], now, earlier, earlier_sentences,
                              total, total_sentences, top, min_count, min_z,
                              prior_strength or total_sentences)
            earlier.update(now.counts)
            earlier_sentences += now.sentences
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {"rank": "int64", "count": "int64", "sentences": "int64", "previous_count": "int64",
         "previous_sentences": "int64"})


def _rank(company, kind, period, previous, now: _Period, earlier: Counter, m: int, total: Counter,
          total_sentences: int, top: int, min_count: int, min_z: float, a_0: float) -> list[tuple]:
    n = now.sentences
    scored = []
    for phrase, y in now.counts.items():
        if y < min_count:
            continue
        r = earlier.get(phrase, 0)
        a_w = a_0 * total[phrase] / total_sentences
        delta, z = _log_odds(y, n, r, m, a_w, a_0)
        if z >= min_z:
            scored.append((-z, -phrase.count(" "), phrase, delta, y, r))
    scored.sort()  # best z first; of equal z the longer phrase ("bai lian" before "bai")
    kept: list[str] = []
    rows = []
    for negative_z, _, phrase, delta, y, r in scored:
        if _overlaps(phrase, kept):
            continue
        kept.append(phrase)
        _, quote, speaker, role = now.quotes[phrase]
        rows.append((company, kind, period, ";".join(map(str, previous)), len(kept), phrase, y, n, r, m,
                     1000 * y / n if n else 0.0, 1000 * r / m if m else 0.0, delta, -negative_z,
                     quote, speaker, role))
        if len(kept) == top:
            break
    return rows


def _value(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else value
