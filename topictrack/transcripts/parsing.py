"""Building blocks shared by the layout parsers: the parsed-document record, speaker roles from
titles and the call's flow, and the Q&A boundary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from topictrack.text import INTERPRETING


@dataclass
class Parsed:
    source_format: str
    kind: str
    turns: list
    header: str = ""  # title lines (not spoken text), where a document names itself
    organisations: list = field(default_factory=list)  # companies named in speaker titles
    participants: dict = field(default_factory=dict)  # listed name -> (title, role)


# --------------------------------------------------------------------------- roles

_OPERATOR_NAME = re.compile(r"^(?:the )?(?:conference |call )?operator$", re.I)
ANALYST_TITLE = re.compile(
    r"\banalysts?\b|research|securities|capital markets|investment bank|\bbank\b|"
    r"partners|\bllc\b|asset management|advisors|& co\b|\bisi\b",
    re.I,
)
MANAGEMENT_TITLE = re.compile(
    r"officer|\bc[efot]o\b|president|chair|director|investor relations|\bir\b|head of|"
    r"founder|treasurer|controller|manager|vice|\bsvp\b|\bevp\b|\bvp\b|secretary|counsel|"
    r"general|executive|partner|principal|lead|chief",
    re.I,
)
_INTERPRETER = INTERPRETING


def role_from_title(name: str | None, title: str = "") -> str:
    """Role of a labelled speaker from their name and title line."""
    name = (name or "").strip()
    if _OPERATOR_NAME.match(name) or re.search(r"\boperator\b", title, re.I):
        return "operator"
    if _INTERPRETER.search(name) or _INTERPRETER.search(title):
        return "interpreter"
    if re.search(r"\banalysts?\b", title, re.I) or re.search(r"\banalyst\b", name, re.I):
        return "analyst"
    if MANAGEMENT_TITLE.search(title):
        return "management"
    if ANALYST_TITLE.search(title):
        return "analyst"
    if re.search(r"\b(?:company representative|executive|management)\b", name, re.I):
        return "management"
    return "unknown"


# Operator turns opening the Q&A, or handing over to the next questioner.
_QA_START = re.compile(
    r"(?:first|next|following) question|question comes from|questions? (?:is|are) from|"
    r"(?:will|shall|'ll) now (?:begin|take|open|start|conduct|move to) (?:the |our |your )?"
    r"(?:question|q ?& ?a|first question)|"
    r"open (?:up )?the (?:call|line|floor|lines) (?:up )?(?:for|to) (?:your )?questions|"
    r"as a reminder, to ask a question|begin the question|"
    r"(?:take|taking) (?:your |our |any )?questions"
)


def opens_questions(text: str) -> bool:
    """True when an operator turn starts the Q&A or hands over to a questioner."""
    low = text.lower()
    return "question" in low and bool(_QA_START.search(low))


NEXT_ASKER = re.compile(
    r"(?:question|questions) (?:comes?|is|will come) (?:from|is from)\s+(?:the line of\s+)?"
    r"(?:Mr\.?\s+|Ms\.?\s+|Mrs\.?\s+)?"
    r"([A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-.]*){0,3})"
    r"(?:\s+(?:from|with|of|at)\s+([A-Z][^.,;?]{1,60}))?"
)


def asker_name(match: re.Match) -> str:
    """The questioner's name of a :data:`NEXT_ASKER` match, without a following sentence."""
    return re.sub(r"\.\s+(?:Please|Your|Go|The|Our|You)\b.*$", "", match.group(1))
def ends_sentence(line: str) -> bool:
    return line.rstrip("\"'”’)] ")[-1:] in (".", "?", "!")


def title_lines(lines) -> list[str]:
    """Leading lines that are titles or dates rather than spoken sentences (at most 3)."""
    out = []
    for line in lines[:6]:
        line = line.strip()
        if not line:
            continue
        if len(line) > 250 or ends_sentence(line) and not DATE_LINE.match(line):
            if out:
                break
            continue
        out.append(line)
        if len(out) == 3:
            break
    return out


def qa_from_operator(turns: list) -> list:
    """Set section to "qa" from the first operator turn that opens questions (or first analyst)."""
    out, in_qa = [], False
    for speaker, role, section, body in turns:
        if not in_qa and (
            section == "qa" or role == "analyst" or role == "operator" and opens_questions(body)
        ):
            in_qa = True
        out.append((speaker, role, "qa" if in_qa else "prepared", body))
    return out


def roles_from_flow(turns: list) -> list:
    """Give named speakers of unknown role one from the call's flow.

    The asker the operator names (and any "Unidentified Participant") is an
    analyst; anyone else is taken for management.
    """
    askers: set = set()
    for _, role, _, body in turns:
        if role == "operator":
            askers.update(m.group(1) for m in NEXT_ASKER.finditer(body))
    out = []
    for speaker, role, section, body in turns:
        if role == "unknown" and speaker:
            if speaker in askers or re.search(r"\b(?:participant|analyst|questioner)\b", speaker, re.I):
                role = "analyst"
            else:
                role = "management"
        out.append((speaker, role, section, body))
    return out
DATE_LINE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+ \d{1,2}, \d{4})(?:\s.*)?$"
)
