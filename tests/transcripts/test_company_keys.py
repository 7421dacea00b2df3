"""Company keys: the name a call states, and one key for the calls of one company."""

import pytest

from topictrack.transcripts import metadata as _metadata
from topictrack.transcripts import read_transcripts

RESULTS = "Jane Doe: Revenue grew 10% this quarter on strong demand.\n"
# more than _OWN_NAME_SPAN characters of remarks before a later possessive
PREAMBLE = "Revenue grew in every region and margins held up well through the quarter. " * 8


@pytest.mark.parametrize(
    "body, company",
    [
        # an acronym is not an ASR slip for a word the call repeats
        ("Good day, and welcome to the ADM First Quarter 2021 Earnings Conference Call.\n"
         + "Adam said demand held. " * 4, "ADM"),
        # quarter labels, reporting verbs, event words and trailing joiners are no part of a name
        ("Welcome to the Q3 Acme earnings conference call.", "Acme"),
        ("Good morning, everyone, and welcome to the Acme Announces First Quarter 2021 Results Conference.",
         "Acme"),
        ("Welcome to the Acme Merger Discussion and First Quarter Fiscal 2021 Earnings Call.", "Acme"),
        ("Welcome to the Q4 and Full Year 2021 Earnings Call.", None),
        ("Welcome to the Fiscal Year 2021 Earnings Call.", None),
        ("Welcome to Acme Energy Corp.s First Quarter 2021 Earnings Call.", "Acme Energy"),
        ("This is John Doe, Chief Investor Relations Officer. Today's 2021 first quarter call is recorded.", None),
        ("Welcome to the Acme Industries Investor Relations Third Quarter 2021 Call.", "Acme Industries"),
        ("Welcome to the Quarter Two 2021 Acme Inc. Earnings Conference Call.", None),
        # a name does not run across a line break
        ("Our fiscal second quarter ended on October 31.\nNorthwind's second quarter sales increased 17%.",
         "Northwind"),
        # a possessive late in the remarks names a unit or another company, not the call's
        (PREAMBLE + "\nGulf Power's third quarter earnings per share contribution was flat.", None),
        (PREAMBLE + "\nIn a moment, I'll add some color to Jim's third quarter results summary.", None),
        ("On AT&T's earnings call last week, their CEO said demand is strong.", None),
        # ... unless its sentence presents this call
        (PREAMBLE + "\nThank you for joining us for Northwind's first quarter 2021 earnings call.", "Northwind"),
    ],
)
def test_company_named_in_the_opening(body, company):
    assert _metadata.company_from_text("", body, []) == company


def test_a_speakers_first_name_is_not_the_company():
    body = "Good day, and welcome to Kevin Corporation Third Quarter 2021 Earnings Conference Call."
    people = ["Kevin McNamara", "Operator"]
    assert _metadata.company_from_text("", body, ["Chemed Corporation"], people) == "Chemed"
    assert _metadata.company_from_text("", body, [], people) is None


def test_repair_does_not_cut_a_name_short():
    body = "Snap-on had a strong quarter. " + "Snap results were up. " * 4
    assert _metadata.repair_company("Snap-on", [], body) == "Snap-on"


@pytest.mark.parametrize(
    "name, words",
    [
        ("The First Horizon National Corp.", ("first", "horizon")),
        ("H.B. Fuller", ("hb", "fuller")),
        ("Ameren Corporations", ("ameren",)),
        ("Group 1 Automotive", ("group", "1", "automotive")),
    ],
)
def test_name_words(name, words):
    assert _metadata.name_words(name) == words


def test_calls_of_one_ticker_share_the_fullest_name():
    calls = [("DRH", "DRH"), ("DRH", "DiamondRock"), ("DRH", "DiamondRock Hospitality"), ("DRH", None)]
    assert _metadata.shared_company_keys(calls) == ["DiamondRock Hospitality"] * 4


def test_the_name_most_calls_give_wins_over_a_unit_named_once():
    calls = [("AME", "AMETEK")] * 3 + [("AME", "EIG"), ("AME", "AME")]
    assert set(_metadata.shared_company_keys(calls)) == {"AMETEK"}


def test_a_ticker_stays_the_key_when_no_call_names_the_company():
    assert _metadata.shared_company_keys([("XYZ", "XYZ"), ("XYZ", "XYZ")]) == ["XYZ", "XYZ"]


@pytest.mark.parametrize(
    "names, key",
    [
        (["First Horizon", "First Horizon National"], "First Horizon National"),
        (["H.B. Fuller", "HB Fuller"], "H.B. Fuller"),
        (["Parker Hannifin", "Parker-Hannifin", "Parker-Hannifin"], "Parker-Hannifin"),
        (["MAXIMUS", "Maximus"], "Maximus"),
        (["AON", "Aon"], "Aon"),
    ],
)
def test_names_equal_up_to_case_punctuation_and_suffix_share_one_key(names, key):
    keys = _metadata.shared_company_keys([(None, n) for n in names])
    assert keys == [key] * len(names)


def test_names_of_different_companies_stay_apart():
    calls = [(None, "First Horizon"), (None, "First Industrial"), ("FR", "FR")]
    assert _metadata.shared_company_keys(calls) == ["First Horizon", "First Industrial", "FR"]


def test_read_transcripts_gives_a_ticker_only_call_its_companys_name(tmp_path):
    (tmp_path / "ACME_q1_2021.txt").write_text(
        "Operator: Good morning and welcome to the Acme Industries First Quarter 2021 Earnings Call.\n"
        + RESULTS,
        encoding="utf-8")
    (tmp_path / "ACME_q2_2021.txt").write_text(
        "Operator: Good morning, and thank you for standing by.\n" + RESULTS, encoding="utf-8")
    (tmp_path / "ACME_q3_2021.txt").write_text(
        "Operator: Welcome to the Acme Industries Inc. Third Quarter 2021 Earnings Call.\n" + RESULTS,
        encoding="utf-8")
    result = read_transcripts(tmp_path)
    assert [c.company for c in result.calls] == ["Acme Industries"] * 3


def test_read_transcripts_joins_suffix_variants_without_tickers(tmp_path):
    for n, name in enumerate(["First Horizon", "First Horizon National Corporation"]):
        (tmp_path / f"call{n}.txt").write_text(
            f"Operator: Welcome to the {name} First Quarter 2021 Earnings Call.\n" + RESULTS, encoding="utf-8")
    result = read_transcripts(tmp_path)
    assert [c.company for c in result.calls] == ["First Horizon National"] * 2


def test_a_close_spelling_of_another_tickers_company_is_kept(tmp_path):
    names = {"CBU_q1_2021": "Community Bank System", "CBU_q2_2021": "Community Bank System",
             "CYH_q1_2021": "Community Health Systems"}
    for stem, name in names.items():
        (tmp_path / f"{stem}.txt").write_text(
            f"Operator: Welcome to the {name} {stem[-7:-5].upper()} 2021 Earnings Call.\n" + RESULTS,
            encoding="utf-8")
    result = read_transcripts(tmp_path)
    assert [c.company for c in result.calls] == list(names.values())
