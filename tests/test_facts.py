"""The reference facts: recognised when stated, told right from wrong, loaded with clear errors."""

from pathlib import Path

import pandas as pd
import pytest

from framing.io.datafiles import RuleError
from framing.measures import facts as F

FACTS_CSV = Path(__file__).resolve().parents[1] / "data" / "reference" / "facts.csv"


@pytest.fixture(scope="module")
def facts():
    return F.load_facts(FACTS_CSV)


def _judge(text, facts, fact_id):
    hits = F.sentence_facts([text], facts).set_index("fact_id").loc[fact_id]
    if hits["wrong"]:
        return "wrong"
    if hits["correct"]:
        return "correct"
    return "vague" if hits["about"] else "absent"


# (fact_id, sentence, expected reading of that sentence)
CASES = [
    ("esketamine_s_enantiomer", "Esketamine, the S-enantiomer of ketamine, is given as a nasal spray.", "correct"),
    ("esketamine_s_enantiomer", "Esketamine is one mirror-image form (isomer) of ketamine.", "correct"),
    ("esketamine_s_enantiomer", "Research focuses on its metabolite, esketamine, for lasting benefits.", "wrong"),
    ("esketamine_s_enantiomer", "Research focuses on long-lasting metabolite esketamine.", "wrong"),
    ("esketamine_s_enantiomer", "Esketamine is an active metabolite of ketamine.", "wrong"),
    ("esketamine_s_enantiomer", "Esketamine is not a metabolite of ketamine but its S-enantiomer.", "correct"),
    ("esketamine_s_enantiomer", "Esketamine, a derivative of ketamine, expanded treatment options.", "vague"),
    ("esketamine_s_enantiomer", "Esketamine is a metabolic derivative of ketamine.", "wrong"),
    ("esketamine_s_enantiomer", "Ketamine is broken down into norketamine, its main metabolite.", "absent"),
    ("esketamine_s_enantiomer", "Esketamine acts on NMDA receptors.", "absent"),
    ("esketamine_fda_approval_2019", "The FDA approved esketamine nasal spray in March 2019.", "correct"),
    ("esketamine_fda_approval_2019", "Spravato was approved by the FDA in 2017.", "wrong"),
    ("esketamine_fda_approval_2019", "Esketamine was approved as a pill for depression.", "wrong"),
    ("esketamine_fda_approval_2019", "Approved by regulatory bodies for intranasal administration, esketamine helps.",
     "vague"),
    ("esketamine_fda_approval_2019", "Esketamine is given as a nasal spray.", "absent"),
    ("esketamine_with_oral_antidepressant", "Esketamine is administered in conjunction with an oral antidepressant.",
     "correct"),
    ("esketamine_with_oral_antidepressant", "Patients continue their antidepressants alongside esketamine treatment.",
     "correct"),
    ("esketamine_with_oral_antidepressant", "Combining esketamine with exercise may help.", "vague"),
    ("esketamine_with_oral_antidepressant", "Esketamine can now also be used as monotherapy.", "vague"),
    ("esketamine_with_oral_antidepressant", "Ketamine is combined with an oral antidepressant.", "absent"),
    ("trd_two_antidepressants",
     "Treatment-resistant depression means no response to at least two antidepressants.", "correct"),
    ("trd_two_antidepressants",
     "It is prescribed for people who have not improved after trying two other antidepressants.", "correct"),
    ("trd_two_antidepressants",
     "Treatment-resistant depression refers to patients who did not respond to one antidepressant.", "wrong"),
    ("trd_two_antidepressants",
     "TRD is defined as the failure of a single antidepressant treatment.", "wrong"),
    ("trd_two_antidepressants",
     "This is often referred to as treatment-resistant depression, where symptoms persist.", "vague"),
    ("trd_two_antidepressants", "Treatment-resistant depression affects millions.", "absent"),
    ("rems_monitoring_two_hours",
     "Patients are monitored for at least two hours after each dose in a certified clinic.", "correct"),
    ("rems_monitoring_two_hours", "Spravato is only available through a REMS program.", "correct"),
    ("rems_monitoring_two_hours", "Patients are monitored for 30 minutes after the spray.", "wrong"),
    ("rems_monitoring_two_hours", "Esketamine can be used at home without supervision.", "wrong"),
    ("rems_monitoring_two_hours", "Healthcare providers closely monitor patients.", "vague"),
    ("rems_monitoring_two_hours", "Patients sit in a quiet room.", "absent"),
    ("boxed_warnings",
     "Spravato carries a boxed warning for sedation, dissociation, abuse and misuse, and suicidal thoughts.",
     "correct"),
    ("boxed_warnings", "The FDA warns of sedation and dissociation after each dose.", "correct"),
    ("boxed_warnings", "Esketamine is non-addictive and has no side effects.", "wrong"),
    ("boxed_warnings", "Concerns about potential misuse of esketamine persist.", "vague"),
    ("boxed_warnings", "SSRIs are non-addictive, unlike ketamine.", "vague"),  # about it, not wrong
    ("boxed_warnings", "Ketamine is used off-label for depression.", "absent"),
    ("boxed_warnings", "Esketamine acts quickly.", "absent"),
    ("ketamine_anaesthetic_not_depression",
     "Ketamine, which was originally developed as an anesthetic in the 1960s, is now studied.", "correct"),
    ("ketamine_anaesthetic_not_depression", "Ketamine infusions for depression are used off-label.", "correct"),
    ("ketamine_anaesthetic_not_depression", "Ketamine is not FDA-approved for depression.", "correct"),
    ("ketamine_anaesthetic_not_depression", "Ketamine was approved by the FDA for treatment-resistant depression.",
     "wrong"),
    ("ketamine_anaesthetic_not_depression", "In 2019 the FDA approved ketamine for depression.", "wrong"),
    ("ketamine_anaesthetic_not_depression", "Esketamine was approved for depression by the FDA.", "absent"),
    ("ketamine_anaesthetic_not_depression",
     "Esketamine, a form of ketamine approved for depression, is given nasally.", "vague"),
]


@pytest.mark.parametrize("fact_id, text, expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_sentence_reading(facts, fact_id, text, expected):
    assert _judge(text, facts, fact_id) == expected


def test_every_fact_has_a_correct_and_absent_case_and_every_wrong_pattern_a_wrong_case(facts):
    by_fact = {}
    for fact_id, _, expected in CASES:
        by_fact.setdefault(fact_id, set()).add(expected)
    assert set(by_fact) == set(facts["fact_id"])
    for fact_id, wrong in zip(facts["fact_id"], facts["wrong_re"]):
        assert {"correct", "absent"} <= by_fact[fact_id], fact_id
        if wrong is not None:
            assert "wrong" in by_fact[fact_id], fact_id


def _doc(*texts, doc_id="d"):
    return pd.DataFrame({"doc_id": doc_id, "sentence_id": [f"{doc_id}:{i:04d}" for i in range(len(texts))],
                         "text": list(texts)})


def test_check_wrong_takes_precedence_over_correct(facts):
    sentences = _doc(
        "Esketamine, the S-enantiomer of ketamine, is a nasal spray.",
        "Its metabolite, esketamine, lasts longer.",
    )
    row = F.check(sentences, facts).set_index("fact_id").loc["esketamine_s_enantiomer"]
    assert row["status"] == "wrong"
    assert row["evidence_ids"] == "d:0001" and "metabolite" in row["evidence"]
    assert row["correct_ids"] == "d:0000"


def test_check_correct_omitted_and_vague(facts):
    sentences = _doc(
        "Esketamine, the S-enantiomer of ketamine, is a nasal spray.",
        "Healthcare providers closely monitor patients.",
    )
    table = F.check(sentences, facts).set_index("fact_id")
    assert list(table.index) == list(facts["fact_id"])
    assert table.loc["esketamine_s_enantiomer", "status"] == "correct"
    monitoring = table.loc["rems_monitoring_two_hours"]
    assert monitoring["status"] == "omitted" and monitoring["evidence_ids"] == ""
    assert monitoring["vague_ids"] == "d:0001"
    assert set(table["status"]) <= set(F.STATUSES)


def test_summary_counts(facts):
    sentences = pd.concat([
        _doc("Its metabolite, esketamine, lasts longer.", doc_id="x"),
        _doc("Esketamine, the S-enantiomer of ketamine, is approved by the FDA.", doc_id="y"),
    ])
    summary = F.summary(F.check(sentences, facts)).set_index("doc_id")
    n = len(facts)
    assert summary.loc["x"].tolist() == [0, 1, n - 1, "esketamine_s_enantiomer"]
    assert summary.loc["y", "right"] == 2 and summary.loc["y", "wrong"] == 0
    assert (summary[["right", "wrong", "missing"]].sum(axis=1) == n).all()


def test_seeds_metabolite_error_is_found_only_in_004(seeds, facts):
    table = F.check(seeds.sentences, facts)
    wrong = table[table["status"] == "wrong"]
    assert wrong[["doc_id", "fact_id"]].values.tolist() == [["004_f3384b2a33291e0f", "esketamine_s_enantiomer"]]
    ids = wrong.iloc[0]["evidence_ids"].split("; ")
    assert ids == ["004_f3384b2a33291e0f:0001", "004_f3384b2a33291e0f:0034"]
    # 003's "a derivative of ketamine" and "approved by regulatory bodies" are vague, not wrong
    t003 = table[table["doc_id"] == "003_424da29805c23caf"].set_index("fact_id")
    assert t003.loc["esketamine_s_enantiomer", ["status", "vague_ids"]].tolist() == [
        "omitted", "003_424da29805c23caf:0009"]
    assert t003.loc["esketamine_fda_approval_2019", ["status", "vague_ids"]].tolist() == [
        "omitted", "003_424da29805c23caf:0010"]


# --- load_facts errors -------------------------------------------------------------------------

def _write(tmp_path, table):
    path = tmp_path / "facts.csv"
    table.to_csv(path, index=False)
    return path


def _raw():
    return pd.read_csv(FACTS_CSV, dtype=str, keep_default_na=False)


def test_load_facts_bad_pattern_names_file_row_and_column(tmp_path):
    table = _raw()
    table.loc[2, "correct_pattern"] = "at least (two"
    fact_id = table.loc[2, "fact_id"]
    with pytest.raises(RuleError, match=rf"facts\.csv: row 3 \('{fact_id}'\), column correct_pattern: "
                                        r"pattern does not compile"):
        F.load_facts(_write(tmp_path, table))


def test_load_facts_missing_column(tmp_path):
    with pytest.raises(RuleError, match=r"facts\.csv: missing column\(s\) \['wrong_pattern'\]"):
        F.load_facts(_write(tmp_path, _raw().drop(columns="wrong_pattern")))


def test_load_facts_empty_topic_and_duplicate_id(tmp_path):
    table = _raw()
    table.loc[0, "topic_pattern"] = ""
    with pytest.raises(RuleError, match=r"row 1 .*column topic_pattern: empty pattern"):
        F.load_facts(_write(tmp_path, table))
    table = _raw()
    table.loc[1, "fact_id"] = table.loc[0, "fact_id"]
    with pytest.raises(RuleError, match="duplicated fact_id"):
        F.load_facts(_write(tmp_path, table))


def test_load_facts_missing_file(tmp_path):
    with pytest.raises(RuleError, match=r"nope\.csv: rule file not found"):
        F.load_facts(tmp_path / "nope.csv")


def test_facts_table_has_sources(facts):
    assert facts["source"].str.len().gt(20).all()
    assert facts["fact"].str.len().gt(20).all()


def test_not_standalone_is_dated_not_correct():
    """Since the January 2025 monotherapy approval, 'not a standalone treatment' is no longer right."""
    from framing.measures.facts import load_facts, sentence_facts

    facts = load_facts(FACTS_CSV)
    found = sentence_facts(["It is important to note that esketamine is not a standalone treatment for depression."], facts)
    row = found[found["fact_id"] == "esketamine_with_oral_antidepressant"]
    assert not row["correct"].any() and not row["wrong"].any()
    good = sentence_facts(["Esketamine is given together with an oral antidepressant."], facts)
    assert good.loc[good["fact_id"] == "esketamine_with_oral_antidepressant", "correct"].all()
