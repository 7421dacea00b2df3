"""The sentence scorer: VADER at the core, the finance layer on top.

A sentence is scored in four steps:

1. **Direction-aware rules.** A metric ("net sales", "operating loss", "costs") followed
   by a direction of change ("rose", "narrowed", "fell"), preceded by one ("increase in
   revenue", "lower costs") or followed by a comparison ("from EUR 8 mn to EUR 11 mn",
   "compared with EUR 7 mn") scores the direction times whether more of the metric is good:
   revenue up is good, loss up is bad, costs down is good. "improved" / "deteriorated" are
   good / bad whatever the metric; a state reached ("swung to a loss") or set against its
   opposite ("a profit, compared with a loss") counts by the metric's polarity. A negation
   before the direction ("did not decline") flips it.
2. **Finance phrases** ("margin compression", "no material impact", "price war") with
   their own valences; a negation just before a phrase flips it.
3. **Words**: VADER's lexicon, with finance words re-weighted, added or removed
   ("liability", "tax", "capital" are not negative; "headwinds" is). VADER's own rules for
   boosters, negation and capitals apply to them.
4. **Modifiers**: a contrast cue ("but", "however") scales the clause before it down and
   the clause after it up; a concession cue ("although", "despite") scales the clause it
   opens down; a hedge ("may", "could", "expects") or a question scales the whole sentence
   down.

The weighted valences are summed and squashed into [-1, 1] with VADER's normalisation
``x / sqrt(x**2 + 15)``.
"""

from __future__ import annotations

import copy
import functools
import math
import string
import weakref
from dataclasses import dataclass
from itertools import compress, repeat
from operator import ne

from topictrack.sentiment.lexicon import FinanceLexicon
from topictrack.sentiment.valence import Valence as _Valence
from topictrack.sentiment.valence import allcap_differential as _allcap_differential
from topictrack.sentiment.rules import (
    _BEFORE_CHANGE_WORD,
    _COMPARE_CUES,
    _DETERMINERS,
    _FILLER,
    _NUMBER,
    _PARTICLES,
    _PREPOSITIONS,
    _RANGE_WORDS,
    _PhraseIndex,
    positions,
    _change,
    _earlier_state,
    _is_contrast,
    _number_after,
    _particle_is_change,
)

_PUNCTUATION = string.punctuation
_MAX_WORDS = 250  # longer "sentences" (unpunctuated transcripts) are scored in pieces ...
_PIECE_WORDS = 100  # ... of this many words, keeping the cost linear
_CLAUSE_WORDS = frozenset({"while", "whereas", "but", "however", "although", "though"})
_ALPHA = 15.0  # VADER's normalisation constant




@functools.lru_cache(maxsize=1)
def _vader():
    """The one VADER analyser of the process (its lexicon file is read once)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()



@dataclass(frozen=True)
class Contribution:
    """One term or rule that moved a sentence's score.

    ``rule`` names what fired: ``vader word``, ``finance word``, ``finance phrase``,
    ``negated finance phrase``, or a direction rule such as ``more is bad x down`` (metric
    polarity x kind of change: ``up``, ``down``, ``better``, ``worse``, ``state``; prefixed
    ``negated`` when a negation cue precedes the change). ``valence`` is on VADER's scale
    (about -4..4) before modifiers; ``weight`` is the product of the contrast, concession,
    hedge and question factors; ``contribution = valence * weight`` is what was summed.
    """

    term: str
    rule: str
    valence: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.valence * self.weight


@dataclass(frozen=True)
class SentenceExplanation:
    """How one sentence was scored: its contributions, the modifiers seen, the score."""

    text: str
    score: float
    contributions: tuple[Contribution, ...]
    modifiers: tuple[str, ...]

    @property
    def total(self) -> float:
        """Sum of the contributions (the value squashed into the score)."""
        return sum(c.contribution for c in self.contributions)


@dataclass(frozen=True)
class SentimentExplanation:
    """What :func:`explain_sentiment` returns.

    ``score`` and ``label`` are those of :func:`tone` and :func:`sentiment_label`;
    ``sentences`` holds one :class:`SentenceExplanation` per sentence (the text's score is
    their mean). ``to_frame()`` gives one row per contribution with columns ``sentence``
    (index), ``term``, ``rule``, ``valence``, ``weight``, ``contribution``. ``str()``
    renders a readable account.
    """

    text: str
    score: float
    label: str
    sentences: tuple[SentenceExplanation, ...]

    @property
    def contributions(self) -> list[Contribution]:
        return [c for s in self.sentences for c in s.contributions]

    def to_frame(self):
        import pandas as pd

        rows = [
            (i, c.term, c.rule, c.valence, c.weight, c.contribution)
            for i, s in enumerate(self.sentences)
            for c in s.contributions
        ]
        return pd.DataFrame(rows, columns=["sentence", "term", "rule", "valence", "weight", "contribution"])

    def __str__(self) -> str:
        lines = [f"score {self.score:+.3f}  label {self.label}"]
        for i, s in enumerate(self.sentences):
            if len(self.sentences) > 1:
                lines.append(f"[{i}] {s.score:+.3f}  {s.text}")
            for c in s.contributions:
                lines.append(f"    {c.contribution:+6.2f}  {c.term!r:30} {c.rule}"
                             + (f"  (valence {c.valence:+.2f} x weight {c.weight:.2f})" if c.weight != 1 else ""))
            for m in s.modifiers:
                lines.append(f"    modifier: {m}")
            if not s.contributions:
                lines.append("    no sentiment terms")
        return "\n".join(lines)



class _Scorer:
    """Compiled form of a :class:`FinanceLexicon`, bound to the shared VADER analyser."""

    def __init__(self, lex: FinanceLexicon):
        from vaderSentiment.vaderSentiment import BOOSTER_DICT

        self.lex = lex
        self._boosters = BOOSTER_DICT
        self.vader = copy.copy(_vader())  # shares the emoji table, gets its own lexicon
        vocabulary = dict(self.vader.lexicon)
        for word, value in lex.words.items():
            if value == 0:
                vocabulary.pop(word, None)
            else:
                vocabulary[word] = value
        self.vader.lexicon = vocabulary
        self._valence = _Valence(vocabulary)
        self.finance_words = frozenset(lex.words)

        polarity = {m: 1 for m in lex.more_is_good}
        polarity.update({m: -1 for m in lex.more_is_bad})
        self.metric_polarity = polarity
        self.metrics = _PhraseIndex(polarity)
        kinds: dict[str, str] = {}
        for kind, items in (("up", lex.up), ("down", lex.down), ("better", lex.better), ("worse", lex.worse)):
            for item in items:
                kinds.setdefault(item, kind)
        self.direction_kind = kinds
        self.directions = _PhraseIndex(kinds)
        self.nouns = frozenset(lex.nouns)
        self.phrases = _PhraseIndex(lex.phrases)
        self.negation = frozenset(lex.negation)
        self.contrast = _PhraseIndex(lex.contrast)
        self.concession = _PhraseIndex(lex.concession)
        self.hedges = _PhraseIndex(lex.hedges)
        self.questions = _PhraseIndex(lex.questions)
        w = lex.weights
        self.w_direction = w["direction"]
        self.w_negation = w["negation"]
        self.w_before, self.w_after = w["contrast_before"], w["contrast_after"]
        self.w_concession = w["concession"]
        self.w_hedge = w["hedge"]
        self.w_question = w["question"]
        self.w_vader = w["vader"]
        self.metric_gap = int(w["metric_gap"])
        self.direction_gap = int(w["direction_gap"])
        # first words of the metrics, directions and phrases: a sentence with none of them and
        # no lexicon word scores 0.0 at once
        self._rule_words = self.metrics.first_words | self.directions.first_words | self.phrases.first_words
        self._cues = _PhraseIndex([*lex.contrast, *lex.concession, *lex.hedges, *lex.questions])

    @staticmethod
    def _title_case(words: list[str]) -> bool:
        """Is this a headline, most words capitalised ("AI Revenue Surges, Margin Holds")?"""
        alpha = [w for w in words if w[:1].isalpha()]
        return sum(w[:1].isupper() for w in alpha) * 2 > len(alpha)

    def _negated(self, keys: list[str], start: int) -> bool:
        """Is one of the three tokens before ``start`` a negation cue?"""
        for j in range(max(0, start - 3), start):
            if keys[j] in self.negation:
                return True
        return False

    def analyse(self, text: str, explain: bool = False):
        """Score one sentence. Returns the score, or (score, contributions, modifiers)."""
        raw = text.split()
        if not raw:
            return (0.0, (), ()) if explain else 0.0
        if len(raw) > _MAX_WORDS:
            return self._analyse_long(raw, explain)
        n = len(raw)
        stripped = list(map(str.strip, raw, repeat(_PUNCTUATION)))
        # tokens for finance matching: punctuation stripped, lower case (lower-casing never
        # adds a space, so the joined text splits back into one key per token)
        keys = " ".join(stripped).lower().split(" ")
        # tokens as VADER sees them: a short token keeps its punctuation
        words = stripped
        for i in compress(range(n), map(ne, raw, stripped)):  # the tokens with punctuation
            if len(stripped[i]) <= 2:
                if words is stripped:
                    words = stripped.copy()
                words[i] = raw[i]
        # most sentences have no short token with punctuation: VADER's tokens are the keys then
        lower = keys if words is stripped else " ".join(words).lower().split(" ")
        present = set(keys)
        vocabulary = self.vader.lexicon
        lexical = vocabulary.keys() & lower
        rule_words = self._rule_words.intersection(present)
        if not lexical and not rule_words:
            return (0.0, (), ()) if explain else 0.0
        covered = [False] * n
        found: list[tuple[int, str, str, float]] = []  # (token, term, rule, valence)

        # 1. metric x direction
        metrics = self.metrics.find(keys, present, rule_words)
        if metrics:
            directions = self.directions.find(keys, present, rule_words)
            if directions:
                # a metric inside a longer direction phrase ("came under pressure") is not a metric
                inside = {k for da, db, d in directions if db > da for k in range(da, db + 1)}
                metrics = [m for m in metrics if m[0] not in inside]
            self._pair(metrics, directions, keys, raw, covered, found)

        # 2. finance phrases
        for a, b, phrase in self.phrases.find(keys, present, rule_words):
            if any(covered[a:b + 1]):
                continue
            valence = self.lex.phrases[phrase]
            rule = "finance phrase"
            if valence and self._negated(keys, a):
                valence *= self.w_negation
                rule = "negated finance phrase"
            for k in range(a, b + 1):
                covered[k] = True
            if valence:
                found.append((a, " ".join(raw[a:b + 1]), rule, valence))

        # 3. words: VADER with the finance-adjusted lexicon
        lexical -= self._boosters.keys()
        if lexical:
            cap_diff = None
            headline = None
            for i in positions(lower, lexical):
                if covered[i]:
                    continue
                lw = lower[i]
                word = words[i]
                if i > 0 and word[:1].isupper() and lw not in self.finance_words \
                        and not raw[i - 1].endswith((".", ":", '"')):
                    if headline is None:
                        headline = self._title_case(words)
                    if not headline:
                        continue  # a capitalised general word inside a sentence names something ("Resident Evil")
                if cap_diff is None:
                    cap_diff = _allcap_differential(words)
                valence = self._valence(words, lower, i, cap_diff)
                if valence:
                    if lw in self.finance_words:
                        found.append((i, word, "finance word", valence))
                    else:
                        found.append((i, word, "vader word", valence * self.w_vader))

        if not found:
            return (0.0, (), ()) if explain else 0.0

        # 4. modifiers: a weight per token, the product of the factors that reach it (in
        # this order: contrast, concessions, hedge, question), needed only where a term is
        modifiers = []
        factors = []  # (first token, last token, factor)
        cues = self._cues.starts(present)  # first words of the cues that may be in the sentence
        contrast = concessions = hedge = question = None
        if cues:
            if not self.contrast.first_words.isdisjoint(cues):
                contrast = next((c for c in self.contrast.find(keys, present) if _is_contrast(keys, c)), None)
            if not self.concession.first_words.isdisjoint(cues):
                concessions = self.concession.find(keys, present)
            if not self.hedges.first_words.isdisjoint(cues):
                hedge = self.hedges.first(keys, present)
        if raw[-1].endswith("?"):
            question = "?"
        elif cues and not self.questions.first_words.isdisjoint(cues):
            question = self.questions.first(keys, present)
        if contrast:
            c0, c1, cue = contrast
            factors.append((0, c0 - 1, self.w_before))
            factors.append((c1 + 1, n - 1, self.w_after))
            modifiers.append(f"contrast {cue!r}: before x{self.w_before}, after x{self.w_after}")
        for k, _, cue in concessions or ():
            end = k
            while end < n - 1 and not raw[end].endswith((",", ";", ":")):
                end += 1
            factors.append((k, end, self.w_concession))
            modifiers.append(f"concession {cue!r}: its clause x{self.w_concession}")
        if hedge:
            factors.append((0, n - 1, self.w_hedge))
            modifiers.append(f"hedge {hedge[2]!r}: sentence x{self.w_hedge}")
        if question:
            factors.append((0, n - 1, self.w_question))
            cue = "?" if question == "?" else question[2]
            modifiers.append(f"question {cue!r}: sentence x{self.w_question}")

        total = 0.0
        weights = {}
        for k, _, _, valence in found:
            weight = 1.0
            for first, last, factor in factors:
                if first <= k <= last:
                    weight *= factor
            weights[k] = weight
            total += valence * weight
        score = max(-1.0, min(1.0, total / math.sqrt(total * total + _ALPHA)))
        if not explain:
            return score
        found.sort(key=lambda f: f[0])
        contributions = tuple(Contribution(term, rule, valence, weights[k]) for k, term, rule, valence in found)
        return score, contributions, tuple(modifiers)

    def _analyse_long(self, raw: list[str], explain: bool):
        """A "sentence" of more than ``_MAX_WORDS`` words (unpunctuated speech-to-text) is
        scored as consecutive pieces of ``_PIECE_WORDS`` words; its score is their mean."""
        pieces = [" ".join(raw[i:i + _PIECE_WORDS]) for i in range(0, len(raw), _PIECE_WORDS)]
        results = [self.analyse(piece, explain) for piece in pieces]
        if not explain:
            return sum(results) / len(results)
        score = sum(r[0] for r in results) / len(results)
        contributions = tuple(c for r in results for c in r[1])
        modifiers = (f"long text: mean of {len(pieces)} pieces of {_PIECE_WORDS} words",
                     *(m for r in results for m in r[2]))
        return score, contributions, modifiers

    def _pair(self, metrics, directions, keys, raw, covered, found) -> None:
        """Find the change each metric undergoes and score it (direction x polarity)."""
        used = set()
        metric_at = {m[0]: m for m in metrics}
        paired = []  # (metric end, metric text, polarity) of each metric that changed
        comparing = not _COMPARE_CUES.isdisjoint(keys)  # every comparison starts with a cue
        for idx, (ma, mb, metric) in enumerate(metrics):
            if covered[ma]:
                continue  # consumed as the earlier state of another metric ("from a loss")
            if _earlier_state(keys, ma):
                # "compared with a loss of EUR 2 mn": the past, not the news
                for k in range(ma, mb + 1):
                    covered[k] = True
                continue
            change = None
            if directions:
                change = (self._direction_after(metrics, idx, directions, keys, raw, metric_at)
                          or self._direction_before(ma, directions, keys, raw, used))
            if change is None and comparing:
                change = self._compare(metrics, idx, keys, raw, metric_at)
            if change is None:
                continue
            used.add(change[:2])
            polarity = self.metric_polarity[metric]
            self._score_change((ma, mb), polarity, change, keys, raw, covered, found)
            paired.append((mb, polarity))
        # a direction with its subject left out repeats the last metric: "the loss
        # narrowed year on year but widened sequentially"
        for da, db, direction in directions:
            if (da, db) in used or covered[da] or da == 0 or keys[da - 1] not in ("but", "and", "yet"):
                continue
            before = [p for p in paired if p[0] < da]
            if before and direction not in self.nouns and direction not in _PARTICLES:
                mb, polarity = before[-1]
                kind = self.direction_kind[direction]
                self._score_change(None, polarity, (da, db, kind, " ".join(raw[da:db + 1])), keys, raw,
                                   covered, found)

    def _score_change(self, metric_span, polarity, change, keys, raw, covered, found) -> None:
        da, db, kind, shown = change
        if kind in ("better", "worse"):
            sign = 1 if kind == "better" else -1
        elif kind == "state":
            sign = polarity
        else:
            sign = (1 if kind == "up" else -1) * polarity
        valence = sign * self.w_direction
        rule = f"{'more is good' if polarity > 0 else 'more is bad'} x {kind}"
        if self._negated(keys, da):
            valence *= self.w_negation
            rule = "negated " + rule
        for k in range(da, db + 1):
            covered[k] = True
        if metric_span is None:
            found.append((da, f"(same metric) .. {shown}", rule, valence))
            return
        ma, mb = metric_span
        for k in range(ma, mb + 1):
            covered[k] = True
        first = " ".join(raw[ma:mb + 1])
        found.append((min(ma, da), f"{shown} .. {first}" if da < ma else f"{first} .. {shown}", rule, valence))

    def _direction_after(self, metrics, idx, directions, keys, raw, metric_at):
        """ "net sales in the third quarter increased" -> (start, end, kind, text) or None."""
        mb = metrics[idx][1]
        for da, db, direction in directions:
            if da <= mb or (direction in _PARTICLES and not _particle_is_change(keys, raw, da)):
                continue
            if _earlier_state(keys, da):  # "compared with a negative EUR 2 mn"
                continue
            if da - mb - 1 > self.metric_gap or self._breaks(keys, raw, mb, da):
                return None
            # a noun ("growth", "increase") far from the metric is about something else,
            # unless in apposition: "net sales of EUR 41 mn, an increase of 11%"
            if direction in self.nouns and da - mb > 2 and keys[da - 1] not in _BEFORE_CHANGE_WORD:
                continue
            # another metric in between ends the search unless it is coordinated
            # with this one ("net sales and operating profit rose")
            if any(mb < m[0] < da for m in metrics[idx + 1:]) and not self._coordinated(metrics[idx:], da):
                return None
            # "competition reduced demand": the change belongs to the metric after the verb
            # ("the result swung to a loss": the state reached is the loss; "raises the
            # fixed costs": one modifier may stand between)
            if not raw[db].endswith((",", ";", ":", ".")) and self._object_metric(keys, raw, db, metric_at):
                return None
            # "an operating loss of EUR 0.3 mn, down from a profit": the state changed
            if db + 1 < len(keys) and keys[db + 1] in _COMPARE_CUES:
                state = self._opposite_state(keys, raw, db + 1, metrics[idx][2], metric_at)
                if state:
                    return state
            return da, db, self.direction_kind[direction], " ".join(raw[da:db + 1])
        return None

    @staticmethod
    def _object_metric(keys, raw, db, metric_at) -> bool:
        """Is a metric the object of the direction verb ending at ``db``?"""
        nxt = db + 1
        while nxt < len(keys) and nxt < db + 3 and keys[nxt] in _DETERMINERS:
            nxt += 1
        if nxt in metric_at:
            return True
        # one modifier word, not a preposition, before the metric
        return (nxt + 1 in metric_at and nxt < len(keys) and keys[nxt] not in _PREPOSITIONS
                and not raw[nxt].endswith((",", ";", ":", ".")) and _NUMBER.match(keys[nxt]) is None)

    def _direction_before(self, ma, directions, keys, raw, used):
        """ "increase in operating profit", "lower costs"; "fell to a loss" is a state."""
        for da, db, direction in reversed(directions):
            if db >= ma or (direction in _PARTICLES and not _particle_is_change(keys, raw, da)):
                continue
            if (da, db) in used or ma - db - 1 > self.direction_gap or self._breaks(keys, raw, db, ma):
                return None
            if any(raw[j].endswith((",", ";", ":")) for j in range(db, ma)):
                return None
            kind = "state" if "to" in keys[db + 1:ma] else self.direction_kind[direction]
            return da, db, kind, " ".join(raw[da:db + 1])
        return None

    def _compare(self, metrics, idx, keys, raw, metric_at):
        """A change told by comparison after the metric: "from EUR 8.7 mn to EUR 13.1 mn",
        "EUR 13.1 mn compared with EUR 8.7 mn", "a profit of EUR 2 mn versus a loss of
        EUR 1 mn" (a state change). Returns (start, end, kind, text) or None."""
        ma, mb, metric = metrics[idx]
        n = len(keys)
        limit = min(n, mb + 2 + self.metric_gap + self.direction_gap)
        if _COMPARE_CUES.isdisjoint(keys[mb + 1:limit]):  # no comparison cue after the metric
            return None
        current = None  # the amount stated for this metric, after it or just before it
        for i in range(ma - 1, max(-1, ma - 4), -1):  # "proposed a EUR 1.00 dividend"
            if _NUMBER.match(keys[i]):
                current, _ = _number_after(keys, raw, i, reach=1)
                break
        for k in range(mb + 1, limit):
            if k in metric_at:
                return None
            key = keys[k]
            if key == "from" and current is None and keys[k - 1] not in _RANGE_WORDS:
                old, oi = _number_after(keys, raw, k + 1)
                if old is not None:
                    for t in range(oi + 1, min(oi + 4, n)):
                        if keys[t] == "to":
                            new, ni = _number_after(keys, raw, t + 1)
                            kind = _change(old, new)
                            if kind:
                                return k, ni, kind, " ".join(raw[k:ni + 1])
                            break
            if key in _COMPARE_CUES:
                state = self._opposite_state(keys, raw, k, metric, metric_at)
                if state:
                    return state
                j = k + 1
                while j < n and keys[j] in _FILLER:
                    j += 1
                other = metric_at.get(j)
                old, oi = _number_after(keys, raw, (other[1] if other else k) + 1)
                kind = _change(old, current)
                if kind:
                    return k, oi, kind, " ".join(raw[k:oi + 1])
            if current is None and not key.isalpha():  # a word of letters is no amount
                current, _ = _number_after(keys, raw, k, reach=1)
        return None

    def _opposite_state(self, keys, raw, cue, metric, metric_at):
        """After a comparison cue at ``cue``: the metric's opposite ("compared with a loss",
        "down from a profit", "against a negative EUR 2 mn") -> a better/worse change."""
        j = cue + 1
        while j < len(keys) and keys[j] in _FILLER:
            j += 1
        other = metric_at.get(j)
        if other is None and not (j < len(keys) and keys[j] == "negative"):
            return None
        polarity = self.metric_polarity[metric]
        other_polarity = -1 if other is None else self.metric_polarity[other[2]]
        if other_polarity == polarity:
            return None
        end = j if other is None else other[1]
        return cue, end, "better" if polarity > 0 else "worse", " ".join(raw[cue:end + 1])

    @staticmethod
    def _breaks(keys, raw, a, b) -> bool:
        """Is there a clause break between tokens a and b?"""
        for k in range(a, b):
            if k > a + 1 and keys[k] in _CLAUSE_WORDS:  # "margin, however, fell" is one clause
                return True
            if raw[k].endswith(";"):
                return True
        return False

    @staticmethod
    def _coordinated(metrics, direction_start) -> bool:
        """Are the metrics before the direction joined by at most one token ("and", ",")?"""
        prev_end = metrics[0][1]
        for ma, mb, _ in metrics[1:]:
            if ma >= direction_start:
                break
            if ma - prev_end - 1 > 1:
                return False
            prev_end = mb
        return True


_SCORERS: "weakref.WeakKeyDictionary[FinanceLexicon, _Scorer]" = weakref.WeakKeyDictionary()


def scorer_for(lex: FinanceLexicon) -> _Scorer:
    """The compiled scorer of a finance lexicon, built once per lexicon object."""
    scorer = _SCORERS.get(lex)
    if scorer is None:
        scorer = _SCORERS[lex] = _Scorer(lex)
    return scorer

