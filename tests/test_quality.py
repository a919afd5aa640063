"""The checklist criteria on sentences written for the purpose, and the checklist tables."""

import pandas as pd
import pytest

from framing.io.datafiles import RuleError
from framing.measures import quality

# (criterion, sentence that meets it, sentence on the same subject that does not)
CASES = [
    ("quantifies_benefits",
     "In the trial, 70% of patients who received esketamine responded, against 52% on placebo.",
     "Esketamine often starts working within hours or days, with effects lasting up to a week."),
    ("quantifies_benefits",
     "Ketamine reduced MADRS scores by 4 points more than placebo in the study.",
     "Ketamine led to significant improvements in mood within 24 hours."),
    ("quantifies_benefits",
     "Patients were twice as likely to respond to ketamine as to placebo.",
     "About 30% of patients do not respond to antidepressants."),
    ("quantifies_benefits",
     "The pooled effect size of ketamine was 0.8 at 24 hours.",
     "The effect was large and fast."),
    ("names_harms",
     "Common side effects may include dizziness, dissociation, and nausea.",
     "Healthcare providers minimize any potential risks."),
    ("names_harms",
     "The medication can cause dissociative effects and a rise in blood pressure.",
     "Ketamine, a dissociative anesthetic, has gained attention for depression."),
    ("names_harms",
     "The label warns of increased suicidal thoughts in young adults.",
     "The drug reduced suicidal thoughts in people at risk of suicide."),
    ("names_harms",
     "Psychotic symptoms and hallucinations can occur after a dose.",
     "Ketamine is being studied in psychotic depression."),
    ("quantifies_harms",
     "Dissociation was reported by 41% of patients after the first dose.",
     "Dissociation is common and typically goes away after a few hours."),
    ("quantifies_harms",
     "Blood pressure rose by about 10 mmHg in the hour after dosing.",
     "Blood pressure can rise after dosing."),
    ("evidence_quality",
     "The randomized, placebo-controlled trial enrolled 227 patients.",
     "Extensive research and rigorous clinical trials have demonstrated its safety."),
    ("evidence_quality",
     "Long-term safety data is still limited.",
     "The exact mechanism of how ketamine works is not yet fully understood."),
    ("evidence_quality",
     "Further research is needed to establish how long the benefit lasts.",
     "Continued research is crucial to optimize treatment protocols."),
    ("costs_access",
     "A course of treatment can cost several thousand dollars and is not always covered by insurance.",
     "Healthcare professionals can provide access to this innovative therapy."),
    ("costs_access",
     "Many patients may not have access to specialized clinics.",
     "Patients attend a clinic twice a week."),
    ("compares_alternatives",
     "Unlike traditional antidepressants that take weeks, esketamine works within hours.",
     "Esketamine offers hope to those who have not responded to traditional treatments."),
    ("compares_alternatives",
     "While traditional antidepressants can take weeks to work, ketamine acts within hours.",
     "While ketamine infusion therapy is the most widely used method, nasal sprays are being developed."),
    ("compares_alternatives",
     "Esketamine provides a viable alternative to intravenous infusions.",
     "Combining ketamine with psychotherapy could lead to synergistic effects."),
    ("not_for_everyone",
     "Esketamine treatment is not suitable for everyone experiencing depression.",
     "Esketamine is not a standalone treatment for depression."),
    ("not_for_everyone",
     "It's crucial to remember that it's not a one-size-fits-all solution.",
     "Antidepressants may not always provide the desired relief for everyone who takes them."),
    ("not_for_everyone",
     "People with a history of psychosis or an aneurysm should not take esketamine.",
     "Esketamine is taken with an oral antidepressant."),
    ("not_for_everyone",
     "Esketamine should not be used by people with uncontrolled high blood pressure.",
     "Esketamine should not be used without medical supervision."),
    ("supervision_monitoring",
     "Patients are monitored for at least two hours in a certified setting.",
     "Patients use the nasal spray and go home."),
    ("supervision_monitoring",
     "Health experts keep a close eye on patients throughout the treatment.",
     "Patients keep a diary of their mood."),
    ("abuse_misuse",
     "Concerns about potential misuse persist.",
     "Concerns about side effects persist."),
    ("abuse_misuse",
     "Ketamine, once primarily known as a recreational drug, is now studied for depression.",
     "Ketamine, once primarily known as an anesthetic, is now studied for depression."),
    ("cites_sources",
     "A trial published in JAMA Psychiatry found a rapid response.",
     "Research shows that ketamine works quickly."),
    ("cites_sources",
     "Murrough et al. reported a rapid response to ketamine [3].",
     "Studies have shown that ketamine can have rapid antidepressant effects."),
    ("cites_sources",
     "According to the FDA, esketamine must be given in a certified setting.",
     "Experts say esketamine must be given in a certified setting."),
    ("cites_sources",
     "Details are at https://www.fda.gov/news-events/press-announcements.",
     "Ketamine's fast-acting nature makes it useful in a crisis."),
    ("uses_hype",
     "Esketamine represents a significant breakthrough in the treatment of depression.",
     "Esketamine received the FDA's Breakthrough Therapy designation in 2013."),
    ("uses_hype",
     "Ketamine emerges as a potential game-changer, a glimmer of hope.",
     "Ketamine is a promising and novel option."),
]


@pytest.mark.parametrize("criterion, present, absent", CASES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_criterion_recognised_when_present_not_when_absent(criterion, present, absent):
    table = quality.sentence_criteria([present, absent])
    assert table.loc[0, criterion], f"{criterion} missed in: {present}"
    assert not table.loc[1, criterion], f"{criterion} fired on: {absent} ({table.loc[1, 'cues']})"


def test_every_criterion_has_a_positive_case():
    assert {c for c, _, _ in CASES} == set(quality.CRITERIA)


@pytest.mark.parametrize("criterion, negated, plain", [
    ("names_harms", "Esketamine has no side effects.", "Esketamine has side effects."),
    ("names_harms", "It works without dissociation or sedation.", "It can cause dissociation or sedation."),
    ("abuse_misuse", "Esketamine is not addictive.", "Esketamine can be addictive."),
    ("abuse_misuse", "The spray is non-addictive, the company says.", "The spray is addictive, the study says."),
    ("abuse_misuse", "There is no risk of abuse.", "There is a risk of abuse."),
    ("uses_hype", "Ketamine is not a miracle cure.", "Ketamine is a miracle cure."),
])
def test_negation_cancels_the_cue(criterion, negated, plain):
    table = quality.sentence_criteria([negated, plain])
    assert not table.loc[0, criterion]
    assert table.loc[1, criterion]


def test_negation_is_bounded_by_the_clause_and_ignores_not_only():
    texts = [
        "While not for everyone, side effects include nausea.",  # "not" is in another clause
        "It causes not only dizziness but also nausea.",
    ]
    table = quality.sentence_criteria(texts)
    assert table["names_harms"].all()


def test_sentence_criteria_shape_order_and_cues():
    texts = pd.Series(["Ketamine is a breakthrough.", "Nothing here."], index=[10, 20])
    table = quality.sentence_criteria(texts)
    assert list(table.columns) == [*quality.CRITERIA, "cues"]
    assert list(table.index) == [10, 20]
    assert table.loc[10, "cues"] == "uses_hype:breakthrough"
    assert table.loc[20, "cues"] == ""
    assert table[list(quality.CRITERIA)].dtypes.eq(bool).all()


def _sentences():
    return pd.DataFrame({
        "doc_id": ["b", "b", "a", "a"],
        "sentence_id": ["b:0001", "b:0000", "a:0000", "a:0001"],
        "text": [
            "Common side effects include nausea and dissociation.",
            "Unlike antidepressants, esketamine works within hours; a breakthrough.",
            "Esketamine is given in a certified setting under monitoring.",
            "Side effects include dizziness.",
        ],
    })


def test_checklist_long_has_evidence_in_reading_order():
    long = quality.checklist(_sentences())
    assert list(long.columns[:4]) == ["doc_id", "criterion", "present", "n_sentences"]
    assert len(long) == 2 * len(quality.CRITERIA)
    assert list(long["doc_id"].unique()) == ["a", "b"]
    assert list(long.loc[long["doc_id"] == "a", "criterion"]) == list(quality.CRITERIA)
    harms_b = long[(long["doc_id"] == "b") & (long["criterion"] == "names_harms")].iloc[0]
    assert harms_b["present"] and harms_b["evidence_ids"] == "b:0001"
    assert "nausea" in harms_b["evidence"]
    absent = long[(long["doc_id"] == "a") & (long["criterion"] == "uses_hype")].iloc[0]
    assert not absent["present"] and absent["evidence_ids"] == "" and absent["n_sentences"] == 0
    # every present criterion has evidence, every absent one has none
    assert (long["present"] == (long["evidence_ids"] != "")).all()


def test_checklist_wide_and_score():
    long = quality.checklist(_sentences())
    wide = quality.checklist_wide(long)
    assert list(wide.index) == ["a", "b"] and list(wide.columns) == list(quality.CRITERIA)
    score = quality.checklist_score(long).set_index("doc_id")
    # a: names_harms + supervision_monitoring, no hype -> 2/10
    assert score.loc["a", "n_met"] == 2 and not score.loc["a", "uses_hype"]
    assert score.loc["a", "score"] == pytest.approx(0.2)
    # b: names_harms + compares_alternatives, hype -> (2 - 1)/10
    assert score.loc["b", "n_met"] == 2 and score.loc["b", "uses_hype"]
    assert score.loc["b", "score"] == pytest.approx(0.1)


def test_checklist_takes_hype_from_another_coder():
    sentences = _sentences()
    external = pd.Series([False, False, True, False], index=sentences.index)  # only "a:0000"
    long = quality.checklist(sentences, hype=external).set_index(["doc_id", "criterion"])
    assert long.loc[("a", "uses_hype"), "evidence_ids"] == "a:0000"
    assert long.loc[("a", "uses_hype"), "cues"] == "external"
    assert not long.loc[("b", "uses_hype"), "present"]  # the cue's "breakthrough" is overridden
    assert long.loc[("b", "names_harms"), "present"]  # other criteria untouched
    with pytest.raises(ValueError, match="hype has no value"):
        quality.checklist(sentences, hype=external.iloc[:2])


def test_checklist_requires_columns():
    with pytest.raises(ValueError, match="sentence_id"):
        quality.checklist(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))


@pytest.mark.parametrize("row, column, value, message", [
    (3, "pattern", "(unclosed", r"cues\.csv: row 4 .*column pattern: pattern does not compile"),
    (0, "pattern", "{NOSUCH}", "unknown macro"),
    (0, "criterion", "quantifies_benefit", "unknown criterion"),
])
def test_cue_file_errors_name_file_row_and_column(tmp_path, row, column, value, message):
    bad = quality.cue_table()
    bad.loc[row, column] = value
    path = tmp_path / "cues.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(RuleError, match=message):
        quality.load_rules(cues_path=path)


def test_cue_file_without_a_column_names_it(tmp_path):
    path = tmp_path / "cues.csv"
    quality.cue_table().drop(columns="negatable").to_csv(path, index=False)
    with pytest.raises(RuleError, match=r"cues\.csv: missing column\(s\) \['negatable'\]"):
        quality.load_rules(cues_path=path)


def test_seed_checklist_examples(seeds):
    """Spot checks on the seeds, each against the sentence that decides it."""
    long = quality.checklist(seeds.sentences).set_index(["doc_id", "criterion"])
    # 004 calls long-term safety data limited; 002 never mentions side effects
    assert "004_f3384b2a33291e0f:0032" in long.loc[("004_f3384b2a33291e0f", "evidence_quality"), "evidence_ids"]
    assert not long.loc[("002_1d4fc39c1c0a0362", "names_harms"), "present"]
    # no seed gives a number for a benefit or harm, and none cites a source
    for criterion in ("quantifies_benefits", "quantifies_harms", "cites_sources"):
        assert not long.xs(criterion, level="criterion")["present"].any()
    # 001 is the only seed without hype words
    hype = long.xs("uses_hype", level="criterion")["present"]
    assert list(hype[~hype].index) == ["001_0dc9bdc987acac3b"]


def test_read_checklist_long_and_wide(tmp_path):
    long_path = tmp_path / "long.csv"
    pd.DataFrame({"doc_id": ["a", "a"], "criterion": ["names_harms", "uses_hype"],
                  "present": ["yes", "0"]}).to_csv(long_path, index=False)
    long = quality.read_checklist(long_path)
    assert long["present"].tolist() == [True, False]
    wide_path = tmp_path / "wide.csv"
    pd.DataFrame({"doc_id": ["a"], "names_harms": ["true"], "uses_hype": ["false"]}).to_csv(wide_path, index=False)
    assert quality.read_checklist(wide_path).equals(long)
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"doc_id": ["a"], "criterion": ["names_harms"], "present": ["maybe"]}).to_csv(bad, index=False)
    with pytest.raises(ValueError, match=r"bad\.csv: present is not true/false"):
        quality.read_checklist(bad)


def test_compare_and_agreement():
    auto = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "criterion": ["names_harms", "uses_hype"] * 2,
                         "present": [True, False, True, True]})
    hand = auto.assign(present=[True, False, False, True])
    compared = quality.compare_checklists(auto, hand)
    assert compared[["doc_id", "criterion"]].values.tolist() == [
        ["a", "names_harms"], ["a", "uses_hype"], ["b", "names_harms"], ["b", "uses_hype"]]
    assert compared["agree"].tolist() == [True, True, False, True]
    table = quality.checklist_agreement(compared).set_index("criterion")
    assert table.loc["all", "n"] == 4 and table.loc["all", "n_agree"] == 3
    assert table.loc["uses_hype", "share_agree"] == 1.0
    assert table.loc["uses_hype", "kappa"] == pytest.approx(1.0)
    # auto says yes twice, hand splits: half agreement, kappa 0 (no better than chance)
    assert table.loc["names_harms", "share_agree"] == 0.5
    assert table.loc["names_harms", "kappa"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="one side only"):
        quality.compare_checklists(auto, hand.iloc[:3])


def test_agreement_kappa_undefined_when_both_coders_constant():
    auto = pd.DataFrame({"doc_id": ["a", "b"], "criterion": ["cites_sources"] * 2, "present": [False, False]})
    table = quality.checklist_agreement(quality.compare_checklists(auto, auto)).set_index("criterion")
    assert table.loc["cites_sources", "share_agree"] == 1.0
    assert pd.isna(table.loc["cites_sources", "kappa"])


def test_plot_checklist_rows_columns_and_counts():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    long = quality.checklist(_sentences())
    from framing.views.figures import checklist_grid

    fig = checklist_grid(long, labels={"a": "Source A"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Source A", "b"]
    assert len(ax.get_xticklabels()) == len(quality.CRITERIA)
    # one count label per met criterion: a has 2, b has 3 (harms, alternatives, hype)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "1", "1", "1"]
    plt.close(fig)
