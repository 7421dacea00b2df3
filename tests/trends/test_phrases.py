"""New phrases: what a company said in a period that it did not say in its earlier calls."""

from __future__ import annotations

import pandas as pd
import pytest

import topictrack
from topictrack.errors import ConfigError
from topictrack.phrases import COLUMNS, new_phrases

_HEADER = "Operator: Good morning, and welcome to the Harbor Robotics {q} earnings call. Please go ahead.\n"
_CLOSE = "Operator: There are no further questions. This concludes today's call. Thank you for joining.\n"

_STEADY = (
    "Martha Quill: Revenue from warehouse automation grew again as logistics customers expanded fleets.\n"
    "Martha Quill: Our service contracts renewed at high rates and recurring revenue rose.\n"
    "Dev Anand: Could you talk about warehouse automation orders in Europe?\n"
    "Martha Quill: Warehouse automation orders in Europe were solid and service contracts grew.\n"
)


def _call(quarter: str, extra: str = "") -> str:
    return _HEADER.format(q=quarter) + _STEADY + extra + _CLOSE


_NEW = (
    "Martha Quill: A shortage of lidar sensors held back shipments of our mobile robots.\n"
    "Martha Quill: The lidar sensor shortage should ease once our second supplier qualifies.\n"
    "Dev Anand: How long will the lidar sensor shortage last?\n"
    "Martha Quill: We expect the lidar sensor shortage to last one more quarter.\n"
)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calls")
    (folder / "harbor_q1_2025.txt").write_text(_call("Q1 2025"), encoding="utf-8")
    (folder / "harbor_q2_2025.txt").write_text(_call("Q2 2025"), encoding="utf-8")
    (folder / "harbor_q3_2025.txt").write_text(_call("Q3 2025", _NEW), encoding="utf-8")
    return topictrack.score([folder])


def test_a_phrase_only_in_the_later_call_ranks_first(scored):
    table = new_phrases(scored, min_count=2, min_z=0.0)
    latest = table[table["period"] == "2025Q3"]
    assert latest.iloc[0]["phrase"] in {"lidar", "lidar sensor", "lidar sensor shortage", "shortage"}
    assert "lidar" in latest.iloc[0]["phrase"] or latest.iloc[0]["phrase"] == "shortage"
    first = latest.iloc[0]
    assert first["rank"] == 1 and first["previous_count"] == 0 and first["count"] >= 3
    assert first["previous_periods"] == "2025Q1;2025Q2"
    assert "lidar" in first["quote"].lower()
    assert first["quote_speaker"] == "Martha Quill" and first["quote_role"] == "management"


def test_overlapping_phrases_are_listed_once(scored):
    latest = new_phrases(scored, min_count=2, min_z=0.0).query("period == '2025Q3'")
    lidar = [p for p in latest["phrase"] if "lidar" in p.split()]
    assert len(lidar) == 1


def test_a_phrase_used_equally_ranks_low_or_not_at_all(scored):
    latest = new_phrases(scored, min_count=2, min_z=0.0, top=50).query("period == '2025Q3'")
    steady = latest[latest["phrase"].str.contains("warehouse|service contracts")]
    new = latest[latest["phrase"].str.contains("lidar|shortage")]
    assert not new.empty
    if not steady.empty:
        assert steady["z"].max() < new["z"].min()
        assert steady["rank"].min() > new["rank"].max()
    # the default threshold keeps only phrases that rose clearly
    strict = new_phrases(scored, min_count=2).query("period == '2025Q3'")
    assert not strict["phrase"].str.contains("warehouse|service").any()


def test_names_periods_and_boilerplate_never_appear(scored):
    table = new_phrases(scored, min_count=1, min_z=-100.0, top=1000)
    words = {w for phrase in table["phrase"] for w in phrase.split()}
    assert not words & {"martha", "quill", "dev", "anand", "harbor", "robotics"}
    assert not words & {"operator", "questions", "thank", "morning", "q3", "quarter", "2025"}
    assert not any(p.split()[0] in {"the", "of", "a"} or p.split()[-1] in {"the", "of", "a"}
                   for p in table["phrase"])


def test_first_period_has_no_comparison_and_columns_are_documented(scored):
    table = new_phrases(scored, min_count=2, min_z=0.0)
    assert list(table.columns) == COLUMNS
    assert "2025Q1" not in set(table["period"])
    assert set(table["company"]) == {"Harbor Robotics"}


def test_rejects_what_is_not_a_scored_table():
    with pytest.raises(ConfigError, match="scored turn table"):
        new_phrases(["not", "a", "table"])
    with pytest.raises(ConfigError, match="lacks column"):
        new_phrases(pd.DataFrame({"company": []}))


def test_bundled_calls_rank_q1_news_against_q4():
    scored = topictrack.score(sorted(p for p in topictrack._resources.data_dir().glob("00[34]_*.txt")))
    table = new_phrases(scored)
    q1 = table[(table["period"] == "2025Q1") & (table["kind"] == "transcript")]
    assert not q1.empty
    assert (q1["z"] >= 1.0).all() and (q1["count"] >= 3).all()
    assert q1["rank"].tolist() == list(range(1, len(q1) + 1))


def _table(calls):
    """A scored turn table with just what new_phrases reads: one counted management turn per text."""
    rows = [{"company": company, "kind": "transcript", "period": period, "speaker": "Ann Lee",
             "role": "management", "text": text, "language": "en", "counted": True}
            for company, period, texts in calls for text in texts]
    return pd.DataFrame(rows)


_FILLER = ["Revenue from robot fleets grew in every region.", "Service margins held up well.",
           "Our installed base expanded with new logistics customers."] * 3


def test_singular_and_plural_count_as_one_phrase_shown_as_said_most():
    later = _FILLER + ["New export controls stopped shipments to two customers.",
                       "The export controls cost us one month of sales.",
                       "We applied for a license under the export control rules."]
    table = new_phrases(_table([("Acme", "2025Q1", _FILLER), ("Acme", "2025Q2", later)]), min_z=0.0)
    first = table.iloc[0]
    assert (first["phrase"], first["count"], first["previous_count"]) == ("export controls", 3, 0)


def test_a_phrase_every_company_uses_ranks_below_one_only_this_company_newly_uses():
    # Acme newly says "demand" in four sentences and "tariff refund" in three; every other
    # company says "demand" all the time, so it is the less surprising of the two
    later = _FILLER + ["Demand for robots was strong.", "Demand held up in Europe.",
                       "We saw demand from grocers.", "Demand from parcel carriers rose.",
                       "A tariff refund lifted margins.", "The tariff refund was booked in cost of sales.",
                       "We expect another tariff refund next year."]
    others = [(name, period, _FILLER + [f"Demand was solid in {period}."] * 6)
              for name in ("Bolt", "Crane", "Delta") for period in ("2025Q1", "2025Q2")]
    table = new_phrases(_table([("Acme", "2025Q1", _FILLER), ("Acme", "2025Q2", later), *others]),
                        min_z=0.0, top=50)
    acme = table[table["company"] == "Acme"].set_index("phrase")
    assert acme.loc["tariff refund", "count"] == 3 and acme.loc["demand", "count"] == 4
    assert acme.loc["tariff refund", "rank"] < acme.loc["demand", "rank"]


def test_a_phrase_said_about_as_often_as_before_is_not_listed():
    before = _FILLER + ["Warehouse orders grew."] * 4
    later = _FILLER + ["Warehouse orders grew again."] * 5 + ["Lidar sensors were short.",
                                                              "Lidar sensors will stay short.",
                                                              "We qualified a second lidar supplier."]
    scored = _table([("Acme", "2025Q1", before), ("Acme", "2025Q2", later)])
    listed = " / ".join(new_phrases(scored, min_z=-100.0, top=50)["phrase"])
    assert "warehouse" not in listed and "lidar" in listed
    assert "warehouse orders" in " / ".join(new_phrases(scored, min_z=-100.0, top=50, min_ratio=0.5)["phrase"])
    assert new_phrases(scored, min_z=0.0).iloc[0]["phrase"] == "lidar"


def test_two_phrases_of_one_sentence_get_different_quotes_when_they_can():
    later = _FILLER + ["The H20 export ban cut China revenue.", "H20 sales to China stopped in April.",
                       "China demand for H20 moved to local chips.", "We wrote down H20 inventory.",
                       "Revenue from China fell sharply."]
    table = new_phrases(_table([("Acme", "2025Q1", _FILLER), ("Acme", "2025Q2", later)]), min_z=0.0)
    top = table.set_index("phrase")
    assert {"h20", "china"} <= set(top.index)
    assert top.loc["h20", "quote"] != top.loc["china", "quote"]
