"""VADER's valence of one lexicon word in a sentence, computed from the sentence's words once.

The same rules and arithmetic, in the same order, as ``vaderSentiment``'s
``SentimentIntensityAnalyzer.sentiment_valence``; the finance scorer calls it for every lexicon
word of a sentence, so it reads one lower-cased copy of the words instead of lower-casing them
again for every rule.
"""

from __future__ import annotations


def allcap_differential(words: list[str]) -> bool:
    """VADER's test: some, but not all, words are in capitals."""
    capitals = sum(map(str.isupper, words))
    return 0 < len(words) - capitals < len(words)


class Valence:
    """VADER's ``sentiment_valence`` for one lexicon word of a tokenised sentence, the same
    rules and arithmetic in the same order (boosters and dampeners up to three words back,
    "no" and other negations, "never so", "without doubt", special idioms, "least", capitals),
    reading a lower-cased copy of the words made once per sentence instead of once per rule."""

    def __init__(self, lexicon: dict):
        from vaderSentiment import vaderSentiment as v

        self.lexicon = lexicon
        self.boosters = v.BOOSTER_DICT
        self.special = v.SPECIAL_CASES
        self.negate = frozenset(v.NEGATE)
        self.n_scalar = v.N_SCALAR
        self.c_incr = v.C_INCR
        # the longest word of each multi-word special case or booster ("kind" of "kind of",
        # "die" of "to die for"): without one near the word, no idiom applies
        self.idiom_words = frozenset(max(key.split(), key=len) for key in (*v.SPECIAL_CASES, *v.BOOSTER_DICT)
                                     if " " in key)
        # the words some rule reads near a lexicon word: with none of them (and no "n't")
        # within three words before it to two after, its valence is its lexicon value
        self.context_words = frozenset({*self.negate, *self.boosters, *self.idiom_words,
                                        "no", "never", "so", "this", "without", "least"})

    def _negated(self, word: str) -> bool:
        return word in self.negate or "n't" in word

    def __call__(self, words: list[str], lower: list[str], i: int, is_cap_diff: bool) -> float:
        lexicon = self.lexicon
        item = words[i]
        valence = lexicon[lower[i]]
        start = i - 3 if i > 3 else 0
        if self.context_words.isdisjoint(lower[start:i + 3]) and "n't" not in " ".join(lower[start:i]):
            if is_cap_diff and item.isupper():
                valence = valence + self.c_incr if valence > 0 else valence - self.c_incr
            return valence
        n = len(words)
        if lower[i] == "no" and i != n - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") \
                or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
            valence = lexicon[lower[i]] * self.n_scalar
        if is_cap_diff and item.isupper():
            if valence > 0:
                valence += self.c_incr
            else:
                valence -= self.c_incr
        for start_i in range(0, 3):
            if i <= start_i:
                break
            before = lower[i - (start_i + 1)]
            if before in lexicon:
                continue
            s = 0.0
            if before in self.boosters:
                s = self.boosters[before]
                if valence < 0:
                    s *= -1
                if is_cap_diff and words[i - (start_i + 1)].isupper():
                    if valence > 0:
                        s += self.c_incr
                    else:
                        s -= self.c_incr
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = self._negation(valence, lower, start_i, i)
            if start_i == 2:
                valence = self._idioms(valence, lower, i)
        # "least" negates, except in "at least" and "very least"
        if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * self.n_scalar
        elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            valence = valence * self.n_scalar
        return valence

    def _negation(self, valence: float, lower: list[str], start_i: int, i: int) -> float:
        if start_i == 0:
            if self._negated(lower[i - 1]):
                valence = valence * self.n_scalar
        elif start_i == 1:
            if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif self._negated(lower[i - 2]):
                valence = valence * self.n_scalar
        else:
            if (lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this")) \
                    or (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                pass
            elif self._negated(lower[i - 3]):
                valence = valence * self.n_scalar
        return valence

    def _idioms(self, valence: float, lower: list[str], i: int) -> float:
        near = lower[max(0, i - 3):i + 3]
        if self.idiom_words.isdisjoint(near):
            return valence
        w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
        threetwoone, threetwo, twoone = f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"
        for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", twoone, threetwoone, threetwo):
            if seq in self.special:
                valence = self.special[seq]
                break
        n = len(lower)
        if n - 1 > i:
            zeroone = f"{w0} {lower[i + 1]}"
            if zeroone in self.special:
                valence = self.special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in self.special:
                valence = self.special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in self.boosters:
                valence = valence + self.boosters[n_gram]
        return valence

