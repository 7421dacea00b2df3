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
phrase's rate in the background corpus: every call of that kind in the table, of every company
(``b_w`` of its ``B`` sentences), as the paper takes its prior from a larger corpus. ``a_0``
(``prior_strength``) is by default the company's own number of sentences, a prior as strong as its
calls. Counting sentences rather than occurrences keeps a phrase repeated in a loop from looking
important. The prior shrinks the log-odds of rare phrases towards zero, so a phrase said once is
not ranked above one said twenty times, and it shrinks more a phrase every company uses ("demand",
"customers") than one the background rarely holds ("h20"); ``z`` accounts for how much evidence
there is. A phrase used before must also be used at least ``min_ratio`` times as often (per
sentence) as before: a common word said a little more is not news.

Plurals are counted with their singular ("export controls" and "export control", "factories" and
"factory"); a phrase is shown in the form said most often.

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
    preferred, and not the quote of a phrase ranked above when another sentence uses it).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict

import pandas as pd

from topictrack.errors import ConfigError
from topictrack.text import english_sentences
from topictrack.trends import check_scored, period_key

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


# words ending in "s" that are not plurals
_NOT_PLURAL = frozenset("""
always analysis basis bonus business campus chaos consensus crisis diagnosis emphasis focus gas
gross lens news perhaps plus process progress series species status success thesis thus various
previous nexus axis canvas atlas genesis corpus census bias alias ethos sales
""".split())


def _singular(token: str) -> str:
    """The key a plural is counted under: "controls" -> "control", "companies" -> "company"."""
    if len(token) < 4 or not token.endswith("s") or token in _NOT_PLURAL or token[-2] in "su'":
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "xes", "sses")):
        return token[:-2]
    return token[:-1]


class _Words:
    """What a word may be in a phrase, given the names to leave out; remembered per word."""

    def __init__(self, banned: frozenset[str]) -> None:
        self.banned = banned
        self.memo: dict[str, tuple[str, bool, bool]] = {}

    def of(self, token: str) -> tuple[str, bool, bool]:
        """(key: a plural's singular, usable: a phrase may hold it, edge: may start or end one)."""
        known = self.memo.get(token)
        if known is None:
            usable = not (token in self.banned or token in _PERIOD_WORDS or _FISCAL_CODE.match(token))
            edge = usable and token not in _FUNCTION_WORDS and len(token) > 1
            known = self.memo[token] = (_singular(token) if edge else token, usable, edge)
        return known

    def keys(self, tokens: list[str]) -> tuple[list[str], list[bool], list[bool]]:
        if not tokens:
            return [], [], []
        keys, usable, edge = zip(*map(self.of, tokens))
        return list(keys), list(usable), list(edge)


def _phrases(tokens: list[str], words: _Words, max_words: int) -> dict[str, str]:
    """The distinct 1..max_words-word phrases of one sentence that may be reported, each as
    ``{key: surface}``: the key counts singular and plural together ("export control" for "export
    controls"), the surface is the words as said."""
    found: dict[str, str] = {}
    keys, usable, edge = words.keys(tokens)
    for i, token in enumerate(tokens):
        if not edge[i]:
            continue
        found.setdefault(keys[i], token)
        for j in range(i + 1, min(i + max_words, len(tokens))):
            if not usable[j]:
                break
            if edge[j]:
                found.setdefault(" ".join(keys[i:j + 1]), " ".join(tokens[i:j + 1]))
    return found


def _name_words(scored: pd.DataFrame) -> frozenset[str]:
    """Words of the speakers' and companies' names (names are people, not news)."""
    words: set[str] = set()
    for column in ("speaker", "company"):
        for value in scored[column].dropna().unique():
            words.update(w for w in _tokens(str(value)) if w not in _FUNCTION_WORDS)
    return frozenset(words)


def _check(scored, top: int, min_count: int, max_words: int, prior_strength: float, min_ratio: float) -> None:
    check_scored(scored, _REQUIRED, "new_phrases")
    if top < 1 or min_count < 1:
        raise ConfigError(f"top ({top}) and min_count ({min_count}) must be at least 1")
    if not 1 <= max_words <= 5:
        raise ConfigError(f"max_words {max_words} is invalid; expected 1 to 5")
    if not min_ratio > 0:
        raise ConfigError(f"min_ratio {min_ratio!r} is invalid; expected a positive number")
    if prior_strength is not None and not prior_strength > 0:
        raise ConfigError(f"prior_strength {prior_strength!r} is invalid; expected a positive number")


class _Period:
    """Sentence counts of one company x kind x period, and its sentences (for quotes)."""

    def __init__(self) -> None:
        self.sentences = 0
        self.counts: Counter[str] = Counter()
        self.said: list[tuple[str, object, object]] = []

    def add(self, sentence: str, speaker, role, words: _Words, max_words: int) -> None:
        self.sentences += 1
        self.counts.update(_phrases(_tokens(sentence), words, max_words).keys())
        self.said.append((sentence, speaker, role))

    def quotes(self, keys: list[str], words: _Words) -> dict[str, tuple]:
        """For each of ``keys``: the form said most often (alphabetical first on a tie) and its
        sentences, best first (management's first, then 40-250 characters, then the earlier)."""
        starts: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for key in keys:
            parts = key.split()
            starts[parts[0]].append((key, parts))
        forms: dict[str, Counter] = {key: Counter() for key in keys}
        found: dict[str, list] = {key: [] for key in keys}
        for index, (sentence, speaker, role) in enumerate(self.said):
            tokens = _tokens(sentence)
            token_keys = words.keys(tokens)[0]
            if not starts.keys() & set(token_keys):
                continue
            badness = (role != "management") * 2 + (not 40 <= len(sentence) <= 250)
            seen = set()
            for i, first in enumerate(token_keys):
                for key, parts in starts.get(first, ()):
                    if key not in seen and token_keys[i:i + len(parts)] == parts:
                        seen.add(key)
                        forms[key][" ".join(tokens[i:i + len(parts)])] += 1
                        found[key].append((badness, index, sentence, speaker, role))
        return {key: (min(forms[key].items(), key=lambda item: (-item[1], item[0]))[0], sorted(found[key]))
                for key in keys}


def _log_odds(y: int, n: int, r: int, m: int, a_w: float, a_0: float) -> tuple[float, float]:
    delta = (math.log((y + a_w) / (n + a_0 - y - a_w))
             - math.log((r + a_w) / (m + a_0 - r - a_w)))
    return delta, delta / math.sqrt(1.0 / (y + a_w) + 1.0 / (r + a_w))


def _overlaps(phrase: str, kept: list[str]) -> bool:
    padded = f" {phrase} "
    return any(padded in f" {other} " or f" {other} " in padded for other in kept)


def new_phrases(scored: pd.DataFrame, *, top: int = 10, min_count: int = 3, min_z: float = 1.0,
                min_ratio: float = 2.0, max_words: int = 3, prior_strength: float | None = None,
                progress: bool = False) -> pd.DataFrame:
    """Phrases each company used more in a period than in its earlier calls, best first.

    ``scored`` is the scored turn table of :func:`topictrack.score`. For every company, kind and
    period that has earlier periods in the table, returns up to ``top`` phrases of 1 to
    ``max_words`` words used in at least ``min_count`` of the period's sentences, at least
    ``min_ratio`` times as often as before (when used before), whose weighted log-odds z-score
    against the earlier calls is at least ``min_z`` (the columns and the statistic are described
    in this module's docstring). Calls of unknown company or period
    are left out: they have no earlier calls to compare with. ``progress`` shows a progress bar
    on stderr (when it is a terminal).
    """
    _check(scored, top, min_count, max_words, prior_strength, min_ratio)
    counted = scored[scored["counted"].fillna(False).astype(bool)]
    counted = counted[counted["company"].notna() & counted["period"].notna()]
    words = _Words(_name_words(scored))


    from tqdm import tqdm

    periods: dict[tuple, dict[str, _Period]] = defaultdict(dict)
    turns = zip(counted["company"], counted["kind"].fillna("transcript"), counted["period"],
                counted["speaker"], counted["role"], counted["text"].fillna(""), counted["language"].fillna("en"))
    for company, kind, period, speaker, role, text, language in tqdm(
            turns, total=len(counted), unit="turn", desc="new phrases", file=sys.stderr, dynamic_ncols=True,
            disable=None if progress else True):
        held = periods[(company, kind)].setdefault(period, _Period())
        for sentence in english_sentences(text, language):
            held.add(sentence, _value(speaker), _value(role), words, max_words)

    background: dict[str, Counter] = defaultdict(Counter)  # kind -> phrase counts of every company
    background_sentences: Counter = Counter()
    for (company, kind), by_period in periods.items():
        for held in by_period.values():
            background[kind].update(held.counts)
            background_sentences[kind] += held.sentences

    rows = []
    for (company, kind) in sorted(periods, key=lambda key: (str(key[0]), str(key[1]))):
        by_period = periods[(company, kind)]
        order = sorted(by_period, key=period_key)
        company_sentences = sum(by_period[p].sentences for p in order)
        prior = _Prior(background[kind], background_sentences[kind], prior_strength or company_sentences)
        earlier = Counter()
        earlier_sentences = 0
        for index, period in enumerate(order):
            now = by_period[period]
            if index:
                rows += _rank(company, kind, period, order[:index], now, earlier, earlier_sentences,
                              prior, top, min_count, min_z, min_ratio, words)
            earlier.update(now.counts)
            earlier_sentences += now.sentences
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {"rank": "int64", "count": "int64", "sentences": "int64", "previous_count": "int64",
         "previous_sentences": "int64"})


class _Prior:
    """The informative Dirichlet prior: ``a_w = a_0 * b_w / B`` from the background counts."""

    def __init__(self, counts: Counter, sentences: int, strength: float) -> None:
        self.counts, self.sentences, self.strength = counts, sentences, strength

    def alpha(self, phrase: str) -> float:
        return self.strength * self.counts[phrase] / self.sentences


def _rank(company, kind, period, previous, now: _Period, earlier: Counter, m: int, prior: _Prior,
          top: int, min_count: int, min_z: float, min_ratio: float, words: _Words) -> list[tuple]:
    n = now.sentences
    scored = []
    for phrase, y in now.counts.items():
        if y < min_count:
            continue
        r = earlier.get(phrase, 0)
        if r and y * m < min_ratio * r * n:
            continue  # used about as often before: more said, not something new
        delta, z = _log_odds(y, n, r, m, prior.alpha(phrase), prior.strength)
        if z >= min_z:
            scored.append((-z, -phrase.count(" "), phrase, delta, y, r))
    scored.sort()  # best z first; of equal z the longer phrase ("bai lian" before "bai")
    kept: list[tuple] = []
    for item in scored:
        if not _overlaps(item[2], [k[2] for k in kept]):
            kept.append(item)
            if len(kept) == top:
                break
    quotes = now.quotes([k[2] for k in kept], words)
    used: set = set()
    rows = []
    for rank, (negative_z, _, phrase, delta, y, r) in enumerate(kept, 1):
        surface, said = quotes[phrase]
        # a quote not already shown for a phrase ranked above, when another sentence uses it
        _, _, quote, speaker, role = next((q for q in said if q[2] not in used), said[0])
        used.add(quote)
        rows.append((company, kind, period, ";".join(map(str, previous)), rank, surface,
                     y, n, r, m, 1000 * y / n if n else 0.0, 1000 * r / m if m else 0.0, delta,
                     -negative_z, quote, speaker, role))
    return rows


def _value(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else value


SUGGEST_NEW_COLUMNS = ["term", "score", "sentences", "elsewhere", "example_1", "example_2", "new_in"]


def suggest_with_new_phrases(theme: str, paths=None, *, lexicons=None, n: int = 20, cache=None,
                             progress: bool = False) -> pd.DataFrame:
    """:func:`topictrack.themes.suggest`'s candidate terms for ``theme``, fed by :func:`new_phrases`.

    Scores the calls of ``paths`` (default: the bundled calls; ``cache`` and ``progress`` as in
    :func:`topictrack.pipeline.run`) and finds each company's new phrases. A new phrase whose
    quote carries ``theme`` and that no lexicon entry of the theme covers is a candidate too: the
    word an analyst did not think of yet. Columns: those of ``suggest`` and ``new_in``, the
    company and period a term was new in ("NVIDIA 2026Q1; AMD 2025Q2", empty when it was not
    new anywhere). A new phrase ``suggest`` did not list is added after its rows, with ``score``
    and ``elsewhere`` empty, ``sentences`` its sentences in the periods it was new in and its
    quote as ``example_1``.
    """
    from topictrack.pipeline import scored_calls
    from topictrack.themes import get_tagger, suggest
    from topictrack.themes.training import words_covered

    base = suggest(theme, paths, lexicons=lexicons, n=n)
    table, _ = scored_calls(paths, lexicons=lexicons, cache=cache, progress=progress)
    tagger = get_tagger(lexicons)
    lex = tagger.lexicon(theme)
    new: dict[str, dict] = {}
    for row in new_phrases(table, top=20).itertuples(index=False):
        if words_covered(lex, row.phrase) or theme not in tagger.tag(row.quote):
            continue
        held = new.setdefault(row.phrase, {"where": [], "count": 0, "quote": row.quote})
        held["where"].append(f"{row.company} {row.period}")
        held["count"] += int(row.count)
    out = base.assign(new_in=[("; ".join(new.pop(term)["where"]) if term in new else "")
                              for term in base["term"]])
    extra = pd.DataFrame([(phrase, None, held["count"], None, held["quote"], None, "; ".join(held["where"]))
                          for phrase, held in sorted(new.items(), key=lambda item: (-item[1]["count"], item[0]))],
                         columns=SUGGEST_NEW_COLUMNS)
    return pd.concat([out, extra], ignore_index=True) if len(extra) else out.reset_index(drop=True)
