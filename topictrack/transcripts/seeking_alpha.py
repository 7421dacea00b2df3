"""The Seeking Alpha-like layout: participant lists, then "Name: text" speaker labels resolved
against them (titles with "&", commas or none, name variants, labels inside a line)."""

from __future__ import annotations

import re

from topictrack.transcripts.metadata import similar
from topictrack.transcripts.parsing import (
    ANALYST_TITLE,
    MANAGEMENT_TITLE,
    NEXT_ASKER,
    Parsed,
    asker_name,
    ends_sentence,
    qa_from_operator,
    role_from_title,
    roles_from_flow,
)


_PARTICIPANT = re.compile(r"^(.{2,60}?)\s+[-–—]{1,2}\s+(.{2,160})$")
_GLUED_LIMIT = 6  # words a glued speaker name may have
_SA_SECTION_HEADINGS = {
    "Company Participants": "management",
    "Corporate Participants": "management",
    "Executives": "management",
    "Conference Call Participants": "analyst",
    "Analysts": "analyst",
}
_SA_BODY_HEADINGS = {"Presentation", "Operator", "Question-and-Answer Session", "Questions and Answers",
                     "Q&A"}
_UNIDENTIFIED = r"(?:Unidentified|Unknown) (?:Analyst|Participant|Company Representative|Speaker|Company Speaker)"


def _participants(lines: list[str]):
    """(titles, roles, index of the first body line) from the participant lists.

    A participant is "Name - Title"; a name split over two chunks ("C." / "Stephen Tusa -
    ...") is joined; a full name listed without a title ("David Zinsner") is a participant
    with an empty title; the rest of a title split over two chunks is added to it.
    """
    titles: dict[str, str] = {}
    roles: dict[str, str] = {"Operator": "operator"}
    group, pending, body_start, last, pending_start = None, [], 0, None, 0

    def untitled() -> None:
        """Pending chunks that are a whole name: a participant listed without a title."""
        name = " ".join(pending)
        if group is not None and len(name.split()) >= 2 and not name.endswith("."):
            titles[name], roles[name] = "", group
        pending.clear()

    for i, raw in enumerate(lines):
        line = raw.strip()
        if line in _SA_SECTION_HEADINGS:
            untitled()
            group = _SA_SECTION_HEADINGS[line]
            body_start = i + 1
            continue
        if line in _SA_BODY_HEADINGS:
            untitled()
            return titles, roles, i
        if not line:
            continue
        if group is None:
            if i > 12:  # no participant lists at the top
                return titles, roles, 0
            continue
        alone = _PARTICIPANT.match(line)
        if pending and alone and len(" ".join(pending).split()) >= 2 and not pending[-1].endswith("."):
            untitled()
        m = _PARTICIPANT.match(" ".join(pending + [line]))
        if m:
            name = m.group(1).strip()
            titles[name], roles[name] = m.group(2).strip(), group
            pending, last = [], name
            body_start = i + 1
        elif len(line) <= 25 and len(line.split()) <= 3 and _NAME_PART.fullmatch(line):
            if not pending:
                pending_start = i
            pending.append(line)  # a name split over two chunks ("C.J." / "Muse - ...")
        elif last is not None and not pending and _TITLE_PIECE.fullmatch(line) \
                and not _START_LABEL.match(line):
            titles[last] += " " + line  # a title split over two chunks ("... Gossler & Co." / "KG, ...")
            body_start = i + 1
        else:  # the body starts (with the pending chunks: a speaker's name, not a participant)
            return titles, roles, pending_start if pending else body_start
    untitled()
    return titles, roles, body_start


# the rest of a title split over two chunks: a dozen words at most, no sentence
_TITLE_PIECE = re.compile(r"(?!.*[a-z]{3}[.?!](?:\s|$))(?!.*\?)\S+(?: \S+){0,11}")
# a piece of a personal name: capitalised words and initials, no commas or firm words
_NAME_PART = re.compile(r"(?![^,]*,)(?!.*\b(?:Research|Division|Securities|Capital|LLC|Inc|Co|KG|AG|Bank)\b)"
                        r"[A-Z][\w'\-.]*(?: [A-Z][\w'\-.]*){0,2}")


def _title_key(title: str) -> str:
    """A title or firm compared loosely: case, "and"/"&", punctuation and spacing ignored."""
    low = re.sub(r"\band\b", "&", title.lower())
    return " ".join(re.findall(r"[a-z0-9&]+", low))


def _name_words(name: str) -> list[str]:
    return re.findall(r"[a-z][a-z'’\-]*", name.lower())


def _close(a: str, b: str) -> bool:
    return similar(a, b) >= 0.8


class _Roster:
    """The participant lists of a call, and which listed participant a speaker label means.

    A label is a listed name, a listed title or firm that only one participant has
    ("CEO & Director", "Wolfe Research, LLC"), or a variant of a listed name: the same
    words in another order or with a middle name ("Ran Xu" / "Xu Ran", "Alex Yao" /
    "Alex C. Yao"), a short first name or an initial ("Chris Caso", "C.J. Muse"), a
    misspelt surname ("Lydia Liu" / "Lydia Lu"), or, when no other participant shares
    it, the surname alone ("Eddie Wu" for "Yongming Wu"). A name the operator announced
    as the next questioner only matches an analyst this loosely.
    """

    def __init__(self, titles: dict, roles: dict, askers=frozenset()):
        self.titles, self.roles, self.askers = titles, roles, askers
        people = [n for n in roles if roles[n] != "operator"]
        keys: dict = {}
        for name in people:
            title = titles.get(name, "")
            forms = {_title_key(title)}
            if roles[name] == "analyst":  # the firm alone: "JPMorgan Chase & Co, Research Division"
                forms.add(_title_key(re.sub(r",?\s*Research Division.*$", "", title)))
            for form in forms - {""}:
                keys.setdefault(form, set()).add(name)
        self.by_title = {form: names.pop() for form, names in keys.items() if len(names) == 1}
        self.words = {n: _name_words(n) for n in people}
        self._cache: dict = {}

    def resolve(self, label: str) -> str | None:
        """The listed participant ``label`` names, else None."""
        if label in self.roles:
            return label
        if label not in self._cache:
            self._cache[label] = self.by_title.get(_title_key(label)) or self._variant(label)
        return self._cache[label]

    def _variant(self, label: str) -> str | None:
        words = _name_words(label)
        if not 1 <= len(words) <= 4 or not re.fullmatch(r"[A-Z][\w'’\-.]*(?: [A-Z][\w'’\-.]*){0,3}", label):
            return None
        long_words = {w for w in words if len(w) > 1}
        strong, weak = [], []
        for name, theirs in self.words.items():
            if not theirs:
                continue
            their_long = {w for w in theirs if len(w) > 1}
            if len(long_words) >= 2 and len(their_long) >= 2 and (
                    long_words <= their_long or their_long <= long_words):
                strong.append(name)
            elif len(words) >= 2 and words[-1] == theirs[-1] and (
                    theirs[0].startswith(words[0]) or words[0].startswith(theirs[0])):
                strong.append(name)  # "Chris Caso" / "Christopher Caso", "C.J. Muse" / "Christopher Muse"
            elif len(words) >= 2 and words[0] == theirs[0] and _close(words[-1], theirs[-1]):
                strong.append(name)  # "Lydia Liu" / "Lydia Lu"
            elif len(words) == 1 and len(words[0]) >= 4 and _close(words[0], theirs[-1]):
                weak.append(name)  # "Lafever" / "Douglas Lefever"
            elif len(words) >= 2 and (words[-1] == theirs[-1] or words[0] == theirs[-1]):
                weak.append(name)  # "Eddie Wu" / "Yongming Wu"
        for found in (strong, weak):
            if label in self.askers:
                found = [n for n in found if self.roles[n] == "analyst"]
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None


_LABEL_WORD = r"(?:[A-Z][\w'’\-.]*|&|and|of|the|for|de|du|van|von|der|la|le)"
_LABEL = rf"[A-Z][\w'’\-.]*(?:,? {_LABEL_WORD}){{0,12}}"
_START_LABEL = re.compile(rf"^({_LABEL}|{_UNIDENTIFIED})\s?:\s+(\S.*)$")
_PLAIN_NAME = re.compile(r"[A-Z][\w'’\-.]*(?: [A-Z][\w'’\-.]*){1,3}")
_FOREIGN = re.compile(r"^\[(?:foreign language|interpreted|chinese|speaks? (?:in )?\w+)\]\.?$", re.I)


def parse_seeking_alpha(text: str, path) -> Parsed:
    lines = text.splitlines()
    titles, roles, body_start = _participants(lines)
    header_lines = []
    for line in lines[:12]:
        if line.strip() in _SA_SECTION_HEADINGS or line.strip() in _SA_BODY_HEADINGS:
            break
        if line.strip():
            header_lines.append(line.strip())
    header = "\n".join(header_lines)
    organisations = [t.rsplit(",", 1)[1].strip() for n, t in titles.items()
                     if roles[n] == "management" and "," in t
                     and not MANAGEMENT_TITLE.search(t.rsplit(",", 1)[1])]
    body_lines = lines[body_start:]
    askers = frozenset(asker_name(m) for m in NEXT_ASKER.finditer(text))
    roster = _Roster(titles, roles, askers)
    # labels written at the start of a line somewhere in the call ("Jeff Su: ...")
    starts = {m.group(1) for m in map(_START_LABEL.match, body_lines) if m}

    def label_name(label: str, mid: bool) -> str | None:
        """The speaker a "Label:" stands for, else None (then it is ordinary text)."""
        if label == "Operator" or re.fullmatch(_UNIDENTIFIED, label):
            return label
        found = roster.resolve(label)
        if found is not None:
            return found
        if _PLAIN_NAME.fullmatch(label) and (not mid or label in starts or label in askers):
            return label
        return None

    names = sorted(roles, key=len, reverse=True)
    glued = re.compile(
        r"(?<=[.?!\"”’)\]])\s*(" + "|".join(re.escape(n) for n in names) + "|" + _UNIDENTIFIED
        + r")\s*$"
    )
    # inside a line: "Label: " after a sentence, or a listed full name before a new sentence
    # ("... That's my first question. Roger J. M. Dassen Thank you, Francois.")
    full_names = [re.escape(n) for n in names if " " in n]
    inline = re.compile(
        rf"(?<=[.?!\"”’)\]])\s+(?:({_LABEL}|{_UNIDENTIFIED})\s?:\s+(?=\S)"
        + (rf"|({'|'.join(full_names)})\s+(?=[A-Z\[\"“])" if full_names else "") + ")"
    )
    title_lines = set(titles.values())
    turns: list = []
    speaker, section, buffer = None, "prepared", []

    def flush():
        body = "\n".join(buffer).strip()
        if body:
            role = roles.get(speaker or "") or role_from_title(speaker, titles.get(speaker or "", ""))
            turns.append((speaker, role, section, body))
        buffer.clear()

    def switch(name):
        nonlocal speaker
        if name == speaker and name != "Operator":
            return  # one speaker labelled again (a page break): the turn goes on
        flush()
        speaker = name

    def without_title(rest: str) -> str:
        title = titles.get(speaker)
        if title and rest.startswith(title):
            return rest[len(title):].lstrip()
        return rest

    def add(line: str) -> None:
        """Text of a line, switching speaker at every "Label:" inside it."""
        cursor = 0
        for m in inline.finditer(line):
            name = label_name(m.group(1), True) if m.group(1) else m.group(2)
            if name is None:
                continue
            buffer.append(line[cursor:m.start()].strip())
            switch(name)
            cursor = m.end()
            line_rest = line[cursor:]
            stripped = without_title(line_rest)
            cursor += len(line_rest) - len(stripped)
        buffer.append(line[cursor:])

    expect_title = False
    for raw in body_lines:
        line = raw.strip()
        if not line:
            continue
        if line == "Presentation":
            continue
        if line in ("Question-and-Answer Session", "Questions and Answers", "Q&A"):
            flush()
            section = "qa"
            continue
        if expect_title:
            expect_title = False
            if line in title_lines or _looks_like_title(line, speaker, titles):
                continue
        name = _speaker_name(line, roles) or roster.by_title.get(_title_key(line)) \
            if len(line) <= 90 else None
        if name is None and len(line) <= 40 and _PLAIN_NAME.fullmatch(line):
            name = roster.resolve(line)
        if name is not None:
            switch(name)
            expect_title = True
            continue
        m = _START_LABEL.match(line)
        if m:
            name = label_name(m.group(1), False)
            if name is not None:
                switch(name)
                line = without_title(m.group(2))
        m = glued.search(line)
        if m and len(m.group(1).split()) <= _GLUED_LIMIT and m.start(1) > 0:
            add(line[: m.start(1)].rstrip())
            switch(m.group(1))
            expect_title = True
            continue
        add(line)
    flush()
    turns = _questioners_labelled_operator(turns, roster)
    turns = roles_from_flow(qa_from_operator(turns))
    participants = {n: (titles.get(n, ""), r) for n, r in roles.items() if n != "Operator"}
    return Parsed("seeking_alpha", "transcript", turns, header, organisations, participants)


_OPERATOR_WORDS = re.compile(r"question (?:comes|is) from|press (?:star|\*)|operator instructions|"
                             r"this concludes|please go ahead|line is open|disconnect", re.I)


def _questioners_labelled_operator(turns: list, roster) -> list:
    """Give a questioner back the question a transcript labels "Operator".

    In the Q&A, an "Operator" turn that carries none of the operator's phrases and reads
    as a question (or is a "[Foreign language]" placeholder) is the questioner the
    operator last announced; it joins that questioner's turn when it follows it.
    """
    out: list = []
    asker = None
    for speaker, role, section, body in turns:
        if role == "operator":
            found = None
            for found in NEXT_ASKER.finditer(body):
                pass
            if found is not None:
                asker = roster.resolve(asker_name(found)) or asker_name(found)
            elif asker and section == "qa" and not _OPERATOR_WORDS.search(body) and (
                    _FOREIGN.match(body) or len(body.split()) >= 20 and ("?" in body or "question" in body)):
                speaker, role = asker, roster.roles.get(asker, "analyst")
        if out and speaker is not None and out[-1][0] == speaker and out[-1][1] == role \
                and out[-1][2] == section and role != "operator":
            out[-1] = (speaker, role, section, out[-1][3] + "\n" + body)
            continue
        out.append((speaker, role, section, body))
    return out


def _looks_like_title(line: str, speaker, titles: dict) -> bool:
    """A short line right after a speaker name that is their title or firm."""
    if speaker in titles and line == titles[speaker]:
        return True
    if "?" in line or "[" in line or re.search(r"[a-z0-9][.!]\s", line):
        return False
    return len(line) <= 120 and not ends_sentence(line) and len(line.split()) <= 14 and bool(
        MANAGEMENT_TITLE.search(line) or ANALYST_TITLE.search(line)
    )


def _speaker_name(line: str, roles: dict) -> str | None:
    """``line`` is a speaker label ("Lydia Lu", "Operator", "Jane Doe - CFO"), else None."""
    if line in roles:
        return line
    if re.fullmatch(_UNIDENTIFIED, line):
        return line
    m = _PARTICIPANT.match(line)
    if m and m.group(1).strip() in roles:
        return m.group(1).strip()
    return None
