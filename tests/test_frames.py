"""Rule-based framing: sentences written for the purpose pin each rule of the codebook."""

import re

import pandas as pd
import pytest

from framing.measures import frames as frames_module
from framing.measures.frames import (COLUMNS, FRAMES, HYPE_CUES, PROB_COLUMNS, PROMISE_CUES, RISK_CUES, SUBTHEMES,
                            cue_lexicon)


def label(texts):
    """The rule coder (``method="rules"``): every test in this file pins a rule."""
    return frames_module.label(texts, method="rules")


def one(text):
    return label([text]).iloc[0]


def frame(text):
    return one(text)["frame"]


# ------------------------------------------------------------------ shape

def test_empty_list_gives_empty_frame_with_columns():
    out = label([])
    assert len(out) == 0
    assert list(out.columns) == COLUMNS + PROB_COLUMNS
    for col in ["frame", "hype", "hedge", "promise_cues", "risk_cues", "hype_cues", "hedge_cues", "subthemes", *SUBTHEMES]:
        assert col in out.columns


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_text_is_neutral_without_cues(text):
    row = one(text)
    assert row["frame"] == "neutral"
    assert not row["hype"] and not row["hedge"]
    assert row["promise_cues"] == row["risk_cues"] == row["hype_cues"] == row["hedge_cues"] == row["subthemes"] == ""
    assert not any(row[t] for t in SUBTHEMES)


def test_one_row_per_text_in_order_and_types():
    texts = ["Ketamine is a breakthrough.", "", "Ketamine can cause dissociation.", "Depression is common."]
    out = label(texts)
    assert list(out["frame"]) == ["promise", "neutral", "risk", "neutral"]
    assert out["hype"].dtype == bool and out["hedge"].dtype == bool
    assert all(out[t].dtype == bool for t in SUBTHEMES)
    assert set(out["frame"]) <= set(FRAMES)


def test_label_refuses_a_bare_string_and_unknown_methods():
    with pytest.raises(TypeError):
        label("Ketamine offers hope.")
    with pytest.raises(ValueError, match="method"):
        frames_module.label(["Ketamine offers hope."], method="magic")


def test_learned_default_keeps_the_columns_and_the_rules_evidence():
    texts = ["Ketamine can cause dissociation and nausea.", "", "Book a free consultation today",
             "Patients described rapid relief within hours."]
    learned = frames_module.label(texts)
    rules = label(texts)
    assert list(learned.columns) == COLUMNS + PROB_COLUMNS
    for col in ["promise_cues", "risk_cues", "hype_cues", "hedge_cues", "boilerplate_cues", "notes"]:
        assert learned[col].tolist() == rules[col].tolist()  # the cues stay as evidence
    assert learned.loc[1, "frame"] == "neutral" and not learned.loc[1, ["hype", "hedge", *SUBTHEMES]].any()
    p = learned[PROB_COLUMNS].to_numpy()
    assert abs(p.sum(axis=1) - 1).max() < 1e-9
    assert rules[PROB_COLUMNS].isna().all().all()
    subthemes = learned["subthemes"].str.split("; ")
    for i, row in learned.iterrows():
        assert set(filter(None, subthemes[i])) == {t for t in SUBTHEMES if row[t]}
        if row["frame"] not in ("risk", "mixed"):
            assert not row[list(SUBTHEMES)].any()


def test_accepts_any_iterable_and_series():
    texts = pd.Series(["Ketamine offers hope.", "Ketamine can cause nausea."], index=[10, 20])
    assert list(label(texts)["frame"]) == ["promise", "risk"]
    assert list(label(iter(texts))["frame"]) == ["promise", "risk"]


def test_lexicons_are_named_and_unique():
    names = [n for n, _ in PROMISE_CUES] + [n for n, _, _ in RISK_CUES] + [n for n, _ in HYPE_CUES]
    assert len(names) == len(set(names))
    assert {t for _, t, _ in RISK_CUES} - {""} == set(SUBTHEMES)
    table = cue_lexicon()
    assert {"promise", "risk", "hype", "hedge", "boilerplate"} == set(table["kind"])
    assert table["cue"].str.len().gt(0).all()


# ------------------------------------------------------------------ frames

@pytest.mark.parametrize("text, expected", [
    ("Esketamine offers rapid relief for treatment-resistant depression.", "promise"),
    ("Ketamine can reduce suicidal thoughts within hours.", "promise"),
    ("By blocking NMDA receptors, the drug boosts synapse growth, leading to improved mood.", "promise"),
    ("Patients often report that the infusions are well tolerated.", "promise"),
    ("Ketamine can raise blood pressure and cause nausea.", "risk"),
    ("Ketamine has a history of recreational abuse.", "risk"),
    ("The nasal spray is expensive and often not covered by insurance.", "risk"),
    ("Side effects may include dizziness, which is generally mild and transient.", "mixed"),
    ("While safe but not universal, it offers hope.", "mixed"),
    ("Ketamine works quickly, but its effects fade within a week.", "mixed"),
    ("Depression affects millions of people worldwide.", "neutral"),
    ("Ketamine blocks NMDA receptors in the brain.", "neutral"),
    ("The spray is given twice a week in a clinic.", "neutral"),
    ("Ketamine was first synthesised in 1962.", "neutral"),
])
def test_frames(text, expected):
    assert frame(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Mechanism of Action", "neutral"),
    ("How Esketamine Is Given", "neutral"),
    ("Advantages of Esketamine", "promise"),
    ("Possible Adverse Reactions", "risk"),
])
def test_headings(text, expected):
    assert frame(text) == expected


def test_eligibility_as_plain_fact_is_neutral_but_not_for_everyone_is_risk():
    assert frame("It is prescribed for adults who have tried two antidepressants without success.") == "neutral"
    row = one("The treatment is not suitable for everyone with depression.")
    assert row["frame"] == "risk" and row["not_for_everyone"]


def test_conventional_background_is_neutral_unless_contrasted_with_ketamine():
    row = one("Traditional antidepressants often take weeks to work and may not work at all for some people.")
    assert row["frame"] == "neutral"
    assert "conventional_background" in row["notes"]
    assert frame("Standard antidepressants are effective for many patients.") == "neutral"
    assert frame("Unlike traditional antidepressants, which take weeks, ketamine works within hours.") == "promise"
    assert frame("While standard antidepressants take weeks, esketamine acts within hours.") == "promise"


def test_supervision_as_safety_matter_is_risk_but_logistics_are_neutral():
    row = one("Patients must be monitored for at least two hours after each dose because of sedation.")
    assert row["frame"] == "risk" and row["monitoring_supervision"]
    assert frame("Each infusion is given by a nurse and monitored by a doctor.") == "neutral"
    assert frame("Trials demonstrated the safety of esketamine when used under medical supervision.") == "promise"


# ------------------------------------------------------------------ negation

@pytest.mark.parametrize("text, expected, cue", [
    ("Ketamine is not dangerous at these doses.", "promise", "no_harm_words"),
    ("The trial found no serious side effects.", "promise", "no_side_effects"),
    ("Esketamine is free from addiction risk in this setting.", "promise", "no_addiction_dependence"),
    ("Low doses prevent relapse for months.", "promise", "no_repeated_dosing"),
    ("Ketamine is not a cure for depression.", "risk", "not_cure"),
    ("For some patients esketamine is not effective.", "risk", "not_effective"),
    ("Ketamine does not offer lasting relief.", "risk", "not_relief"),
])
def test_negation_flips(text, expected, cue):
    row = one(text)
    assert row["frame"] == expected
    assert cue in row["promise_cues"].split("; ") + row["risk_cues"].split("; ")


def test_negated_risk_gives_no_subtheme():
    row = one("The trial found no serious side effects.")
    assert not row["acute_effects"] and row["subthemes"] == ""


def test_does_not_work_for_everyone_is_risk_not_promise():
    row = one("Ketamine does not work for everyone.")
    assert row["frame"] == "risk" and row["not_for_everyone"]
    assert row["promise_cues"] == ""


def test_negated_hype_is_not_hype():
    row = one("Ketamine is not a miracle cure.")
    assert not row["hype"]
    assert row["frame"] == "risk"
    assert one("Ketamine is a miracle cure.")["hype"]


def test_non_negating_not():
    row = one("Ketamine is not only effective but also fast.")
    assert row["frame"] == "promise" and "effective" in row["promise_cues"].split("; ")
    row = one("Ketamine is not without risks, such as dissociation.")
    assert row["frame"] == "risk" and "dissociation" in row["risk_cues"].split("; ")
    assert row["promise_cues"] == ""


def test_negation_about_patient_history_is_ignored():
    row = one("It is prescribed for people who have not seen improvement with two antidepressants.")
    assert row["frame"] == "neutral"
    assert "patient_history" in row["notes"]
    row = one("These clinics make ketamine more accessible for people who may not have access to care.")
    assert row["frame"] == "promise" and not row["cost_access"]


def test_negation_is_limited_to_the_clause():
    # the "not" belongs to the first clause and does not flip the risk in the second
    row = one("Ketamine is not approved as a pill, and it can cause dissociation.")
    assert "dissociation" in row["risk_cues"].split("; ")


# ------------------------------------------------------------------ contrast

@pytest.mark.parametrize("text", [
    "However, ketamine can cause dissociation, although it brings rapid relief.",
    "Despite concerns about abuse, ketamine offers new options for treatment-resistant depression.",
    "Although the relief is rapid, the benefits often wear off within days.",
])
def test_contrast_with_both_weighted_is_mixed(text):
    assert frame(text) == "mixed"


def test_risk_only_referred_to_is_not_counted():
    assert frame("Despite these considerations, future prospects look promising.") == "promise"
    assert frame("Despite the challenges, ketamine offers new hope.") == "promise"


def test_benefits_only_referred_to_are_not_counted():
    assert frame("However, maintaining these benefits often requires repeated infusions.") == "risk"


def test_research_goals_are_not_claims():
    assert frame("Researchers are exploring the efficacy and safety of ketamine.") == "neutral"
    row = one("Further research is needed to ensure safe and effective use of ketamine.")
    assert row["frame"] == "risk" and row["evidence_gaps"]
    assert frame("Further research is essential to explore ketamine's potential, potentially revolutionizing care.") == "promise"


# ------------------------------------------------------------------ hype and hedge

@pytest.mark.parametrize("text", [
    "Esketamine is a breakthrough for depression.",
    "Ketamine could be a game-changer.",
    "This revolutionary therapy is changing psychiatry.",
    "Ketamine offers a ray of hope to patients.",
    "A potentially life-saving treatment for people in crisis.",
    "Esketamine brings renewed hope.",
    "The results were remarkable.",
    "It may transform the lives of millions.",
])
def test_hype_present(text):
    row = one(text)
    assert row["hype"] and row["hype_cues"]


@pytest.mark.parametrize("text", [
    "Esketamine was approved in 2019.",
    "Ketamine offers hope to patients.",
    "The trial showed a moderate improvement in mood.",
])
def test_hype_absent(text):
    assert not one(text)["hype"]


@pytest.mark.parametrize("text, cue", [
    ("Ketamine may relieve symptoms.", "may"),
    ("It might help some patients.", "might"),
    ("Ketamine could be useful.", "could"),
    ("The drug potentially reduces suicidal thoughts.", "potential"),
    ("It appears to act on glutamate.", "appears"),
    ("Research suggests rapid effects.", "suggests"),
    ("It is thought to promote synapse growth.", "is_thought"),
    ("How it works is not fully understood.", "not_understood"),
    ("Its mechanism is still being studied.", "still_studied"),
    ("More research is needed on dosing.", "research_needed"),
    ("There are limited data on long-term use.", "limited_data"),
])
def test_hedge_present(text, cue):
    row = one(text)
    assert row["hedge"]
    assert cue in row["hedge_cues"].split("; ")


@pytest.mark.parametrize("text", [
    "Ketamine relieves symptoms within hours.",
    "Esketamine was approved in May 2019.",
    "Doses are adjusted to ensure the best possible outcomes.",
])
def test_hedge_absent(text):
    assert not one(text)["hedge"]


# ------------------------------------------------------------------ sub-themes

@pytest.mark.parametrize("text, theme", [
    ("Common side effects include dissociation and dizziness.", "acute_effects"),
    ("Ketamine has a potential for abuse and misuse.", "abuse_misuse"),
    ("The long-term safety of repeated use remains unknown.", "long_term_unknowns"),
    ("Frequent users have reported bladder damage.", "long_term_unknowns"),
    ("There is little evidence from head-to-head trials.", "evidence_gaps"),
    ("It must be given in a certified clinic under supervision.", "monitoring_supervision"),
    ("Infusions are expensive and rarely covered by insurance.", "cost_access"),
    ("Ketamine is not suitable for people with a history of psychosis.", "not_for_everyone"),
    ("The antidepressant effects fade after a week, so repeated infusions are needed.", "effects_fade"),
])
def test_subtheme_present(text, theme):
    row = one(text)
    assert row[theme], (text, row["risk_cues"])
    assert theme in row["subthemes"].split("; ")
    assert row["frame"] in ("risk", "mixed")


@pytest.mark.parametrize("theme, text", [
    ("acute_effects", "Ketamine is a dissociative anesthetic used in surgery."),
    ("abuse_misuse", "Ketamine works independently of serotonin."),
    ("long_term_unknowns", "The combination provides long-term relief."),
    ("evidence_gaps", "Large trials have shown clear benefits."),
    ("monitoring_supervision", "Regular monitoring is used to optimise the dose."),
    ("cost_access", "New clinics make the therapy more accessible."),
    ("not_for_everyone", "Esketamine is approved for adults with treatment-resistant depression."),
    ("effects_fade", "Side effects are transient and resolve within two hours."),
])
def test_subtheme_absent(theme, text):
    assert not one(text)[theme]


def test_subtheme_columns_match_subtheme_list():
    row = one("Ketamine can cause nausea, is expensive and its effects wear off.")
    listed = set(row["subthemes"].split("; "))
    assert listed == {t for t in SUBTHEMES if row[t]}
    assert {"acute_effects", "cost_access", "effects_fade"} <= listed


# ------------------------------------------------------------------ boilerplate

@pytest.mark.parametrize("text", [
    "Current location: homepage > Mental Health",
    "This site participates in affiliate marketing and other forms of advertising.",
    "Would you like to comment?",
    "If you liked this post, please share it with your friends!",
    "#Ketamine #Depression #MentalHealth",
    "Guess you like it",
    "Related posts",
    "微信公众号",
    "New Study Links Childhood Screen Time to Higher Blood Pressure in Adults",
    "Copyright 2024 Health Media. All rights reserved.",
])
def test_boilerplate(text):
    row = one(text)
    assert row["frame"] == "boilerplate"
    assert row["boilerplate_cues"]
    assert not row["hype"] and row["risk_cues"] == "" and row["subthemes"] == ""


@pytest.mark.parametrize("text", [
    "Introduction",
    "Who Can Benefit From Ketamine Treatment",
    "The Rise of Ketamine as an Antidepressant",
    "Depression is a serious illness that affects how people feel and think.",
])
def test_not_boilerplate(text):
    assert one(text)["frame"] != "boilerplate"


# ------------------------------------------------------------------ further negation and scope cases

def test_absence_of_evidence_stays_a_risk():
    row = one("There are no head-to-head trials comparing ketamine and ECT.")
    assert row["frame"] == "risk" and row["evidence_gaps"]


def test_contracted_negation_in_limits():
    row = one("Esketamine isn't right for everyone.")
    assert row["frame"] == "risk" and row["not_for_everyone"]
    row = one("Ketamine's effects are not long-lasting.")
    assert row["frame"] == "risk" and row["effects_fade"]


def test_coordinated_negation_reaches_every_item():
    row = one("Ketamine does not cause weight gain or sexual side effects.")
    assert row["frame"] == "promise" and not row["acute_effects"]


def test_comparator_clause_harms_belong_to_the_comparator():
    row = one("Unlike SSRIs, which can cause sexual side effects, ketamine is generally well tolerated.")
    assert row["frame"] == "promise"
    assert "comparator_clause" in row["notes"] and not row["acute_effects"]


def test_patients_at_risk_is_not_a_treatment_risk():
    assert frame("People with depression are at higher risk of suicide.") == "neutral"


def test_insurance_cover_is_reassurance_and_missing_cover_is_a_barrier():
    assert frame("Spravato is usually covered by insurance.") == "promise"
    row = one("Infusions are rarely covered by insurance and cost hundreds of dollars.")
    assert row["frame"] == "risk" and row["cost_access"]


# ------------------------------------------------------------------ speed-up gates never change a result

def _cue_table_with(tmp_path, **changes):
    import pandas as pd

    from framing.io.datafiles import data_path
    from framing.measures.frames import CUES_FILE

    table = pd.read_csv(str(data_path(CUES_FILE)), dtype=str, keep_default_na=False)
    row = table.index[table["name"] == "side_effects"][0]
    for column, value in changes.items():
        table.loc[row, column] = value
    path = tmp_path / "cues.csv"
    table.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("changes, message", [
    ({"anchors": "effect|sedation"}, r"anchors \['sedation'\] are not lower-case literal parts"),
    ({"anchors": "Effect"}, "not lower-case"),
    ({"pattern": r"\bside[- ]effects?("}, "side_effects"),
    ({"subtheme": "cost"}, "is not one of"),
    ({"flags": "claim"}, "flags must be"),
    ({"kind": "tone"}, "kind must be one of"),
])
def test_a_broken_cue_table_fails_naming_the_file_and_row(tmp_path, changes, message):
    from framing.io.datafiles import RuleError
    from framing.measures.frames import _read_cues

    path = _cue_table_with(tmp_path, **changes)
    with pytest.raises(RuleError, match=message) as err:
        _read_cues(path)
    assert str(path) in str(err.value)
    assert len(_read_cues(_cue_table_with(tmp_path))) == len(_read_cues())  # unchanged table loads


def test_anchors_are_written_out_not_derived():
    """No private ``re`` internals: the package never imports re._parser or re._constants."""
    from pathlib import Path

    import framing

    for path in Path(framing.__file__).parent.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bre\._|_sre_|from re import _", text), path


def test_gates_pass_whenever_the_cue_matches():
    import framing
    from framing.io.annotations import coding_units
    from framing.measures import frames as F

    from framing.io.annotations import training_units
    from framing.measures import negation

    texts = coding_units(framing.load_corpus("data/raw"))["text"].tolist() + training_units()["text"].tolist()
    texts += [
        "Ketamine works quickly, but its effects fade within a week.",
        "Nothing here is FREE FROM risk; it can't be; zero cases; non-addictive; hardly any; LACKING data.",
        "Copyright 2024. All rights reserved. Posted in: News | Read more: related",
        "Unlike SSRIs, this approach in spite of its limits: REDUCES relapse, minimises harm.",
        "Spravato carries a BOXED WARNING for sedation and ABUSE.",
        "It must be given in a certified clinic under supervision; patients cannot drive.",
        "Esketamine isn't right for everyone and is not FDA-approved as a pill.",
        "Many patients felt better within 24 hours; 70 percent responded to ketamine.",
    ]
    cues = [(("promise", n), rx) for n, rx, _ in F._PROMISE] + [(("hype", n), rx) for n, rx, _ in F._HYPE]
    cues += [(("hedge", n), rx) for n, rx, _ in F._HEDGE] + [(("risk", n), rx) for n, _, rx, _, _ in F._RISK]
    cues += [(("gate", "negator"), negation.NEG_ANY), (("gate", "reverser"), re.compile(negation.RISK_REVERSERS, re.I)),
             (("gate", "reference"), F._REFERENCE), (("gate", "comparator"), F._COMPARATOR),
             (("gate", "conventional"), F._CONVENTIONAL), (("gate", "ketamine"), F._KETAMINE),
             (("gate", "anaphor"), F._ANAPHOR)]
    cues += [(("gate", f"boilerplate:{n}"), rx) for n, rx in F._BOILER]
    fired = 0
    for text in texts:
        text = F.normalise(text)
        present = F._present(F._gate_text(text))
        for key, rx in cues:
            if rx.search(text):
                fired += 1
                assert key in present, (key, text)
    assert fired > 8_000  # the check saw many cues fire


def test_one_scan_finds_exactly_the_cues_whose_anchors_occur():
    """_present (one trie regex pass) equals the plain definition: any anchor is a substring."""
    import framing
    from framing.io.annotations import coding_units
    from framing.measures import frames as F

    texts = coding_units(framing.load_corpus("data/raw"))["text"].tolist()
    texts += ["side effects and the effectiveness of misuse", "abuse, ABUSE; caution!", "", "mayhem may"]
    for text in texts:
        lower = F._gate_text(F.normalise(text))
        expected = {key for key, anchors in F._CUE_ANCHORS if anchors is None or any(a in lower for a in anchors)}
        assert F._present(lower) == expected, text


def test_characters_that_re_matches_to_ascii_letters_do_not_hide_a_cue():
    """re.I matches "ſ" to s, "ı" and "İ" to i, the Kelvin sign to k: the anchor scan must too."""
    from framing.measures import frames as F

    assert one("Patients felt a new optimiſm about ketamine treatment.")["frame"] == "promise"
    assert one("Ketamine can cauſe DIZZİNESS.")["frame"] == "risk"
    assert one("It is a breakthrough for Ketamine patients.")["hype"]
    for text in ["optimiſm", "dızzıness", "DİZZİNESS", "Ketamine is a miracle"]:
        present = F._present(F._gate_text(text))
        for key, rx in [(("promise", n), rx) for n, rx, _ in F._PROMISE] + [(("risk", n), rx) for n, _, rx, _, _ in F._RISK] \
                + [(("hype", n), rx) for n, rx, _ in F._HYPE]:
            if rx.search(text):
                assert key in present, (key, text)


def test_trie_regex_finds_the_longest_word_and_its_prefixes_count():
    import re
    from framing.measures.frames import _trie_regex

    rx = re.compile("(?=(" + _trie_regex(["effect", "effective", "ff", "side"]) + "))")
    found = [(m.start(), m.group(1)) for m in rx.finditer("a side effective effect")]
    assert found == [(2, "side"), (7, "effective"), (8, "ff"), (17, "effect"), (18, "ff")]
    assert re.fullmatch(_trie_regex(["a.b", "a"]), "a.b") and not re.fullmatch(_trie_regex(["a.b"]), "axb")


def test_missing_values_are_empty_and_conventional_hype_is_not_hype():
    out = label([float("nan"), None])
    assert list(out["frame"]) == ["neutral", "neutral"]
    row = one("Traditional antidepressants were hailed as a breakthrough in the 1980s.")
    assert row["frame"] == "neutral" and not row["hype"]


@pytest.mark.parametrize("text, expected, theme", [
    ("Critics say the evidence base remains thin.", "risk", "evidence_gaps"),
    ("For now, ketamine remains an experimental treatment for depression.", "risk", "evidence_gaps"),
    ("Patients need to be driven home after each session.", "risk", "monitoring_supervision"),
    ("Ketamine clinics have proliferated with little regulation.", "risk", "monitoring_supervision"),
    ("Some people report feeling spaced out during the session.", "risk", "acute_effects"),
    ("Ketamine can be habit-forming if misused.", "risk", "abuse_misuse"),
    ("Ketamine offers hope, yet questions remain about its long-term safety.", "mixed", "long_term_unknowns"),
    ("Ketamine, a popular party drug, is now being hailed as a new treatment.", "mixed", "abuse_misuse"),
    ("Most side effects disappear within two hours.", "mixed", "acute_effects"),
])
def test_news_style_sentences(text, expected, theme):
    row = one(text)
    assert row["frame"] == expected
    assert row[theme]


@pytest.mark.slow
def test_gated_structural_patterns_change_no_label(monkeypatch):
    """The anchor gates (of the cues, the negators, reversers, the ketamine, conventional,
    reference, comparator and anaphor patterns and the boilerplate cues) only skip searches that
    cannot match: the rule coder's whole table is the same with every gate held open."""
    from framing.io.annotations import training_units
    from framing.measures import frames as F

    texts = training_units()["text"].tolist() + [
        "Without doubt it helps, though it isn\u2019t for everyone and can\u2019t cure.",
        "Unlike SSRIs, which take weeks, ketamine acts in hours; REDUCED dissociation is rare.",
        "Despite these concerns, this treatment is NOT without risks. Regardless of cost, none.",
        "Patients who never responded to standard antidepressants; this approach lacks data.",
        "Free of side effects? Hardly. Seldom, if ever, abuse. Minimise misuse; few relapse.",
        "\u0130NFUSION KETALAR nasal spray ſpravato", "", "no", "Subscribe to our newsletter",
    ]
    gated = F._rules(texts)
    every = frozenset(key for key, _ in F._CUE_ANCHORS)
    monkeypatch.setattr(F, "_present_keys", lambda text: every)
    assert F._rules(texts).equals(gated)


def _gate_texts() -> list[str]:
    """Real text (the seed units, the coded units, the NYT editorial snippets when fetched) and
    generated adversarial text: cue words and their near misses in random case and order, with
    the punctuation, negators, lookbehind words and control characters the patterns care about."""
    import random
    from pathlib import Path

    import framing
    from framing.checks import nyt
    from framing.io.annotations import coding_units, training_units
    from framing.measures import frames as F

    texts = coding_units(framing.load_corpus("data/raw"))["text"].tolist() + training_units()["text"].tolist()
    nyt_file = Path(__file__).resolve().parents[1] / "data" / "external" / nyt.NYT_FILE
    if nyt_file.is_file():
        texts += nyt.load_nyt(nyt_file)["text"].tolist()
    words = sorted({a for _, anchors in F._CUE_ANCHORS if anchors for a in anchors})
    words += ["these", "those", "such", "risks and", "at", "higher", "side", "covered by", "false", "not", "no",
              "without", "who", "unlike", "ketamine", "Spravato", "this treatment", "traditional antidepressants",
              "only", "longer", "doubt", "just", "disease", "best possible", "in", "of", "a", "the", "2"]
    seps = [" ", " ", " ", "-", ", ", "; ", ". ", "'", "n't ", " (", ") ", "\u2014", "\x1c", "\t", "  ", "", "\u017f", "\u0130"]
    rng = random.Random(0)
    for _ in range(6000):
        parts = []
        for _ in range(rng.randint(1, 9)):
            w = rng.choice(words)
            w = rng.choice([w, w.upper(), w.title(), w.capitalize()])
            parts += [w, rng.choice(seps)]
        texts.append("".join(parts).strip())
    return texts


@pytest.mark.slow
def test_the_hyperscan_gate_passes_every_cue_that_matches_and_keeps_the_anchor_gates():
    """On printable ASCII the gate is Hyperscan's (prefiltered patterns, literal anchors): every
    cue or whole-unit pattern that Python's re matches is reported, and the clause and
    stripped-line gates (negators, reversers, boilerplate cues) are exactly their anchor tests."""
    from framing.measures import frames as F
    from framing.measures import negation

    scanner = F._scanner()
    assert scanner is not None, "the hyperscan package is pinned in requirements.txt"
    patterns = [(("promise", n), rx) for n, rx, _ in F._PROMISE] + [(("hype", n), rx) for n, rx, _ in F._HYPE]
    patterns += [(("hedge", n), rx) for n, rx, _ in F._HEDGE] + [(("risk", n), rx) for n, _, rx, _, _ in F._RISK]
    patterns += [(("gate", g), re.compile(p, re.I)) for g, p in F._WHOLE_UNIT_GATES.items()]
    literal = [key for key, anchors in F._CUE_ANCHORS if key[0] == "gate" and key[1] not in F._WHOLE_UNIT_GATES]
    assert ("gate", "negator") in literal and negation.NEGATOR_ANCHORS
    fired = fast = 0
    for text in _gate_texts():
        text = F.normalise(text)
        if not (text.isascii() and text.isprintable()):
            assert F._present_keys(text) == F._present(F._gate_text(text))  # the reference path
            continue
        fast += 1
        present, anchored = F._present_keys(text), F._present(F._gate_text(text))
        for key, rx in patterns:
            if rx.search(text):
                fired += 1
                assert key in present, (key, text)
        assert {k for k in present if k in literal} == {k for k in anchored if k in literal}, text
    assert fast > 15_000 and fired > 10_000  # most texts took the fast gate, and many cues fired


def test_the_hyperscan_gate_gives_the_reference_table(monkeypatch):
    """The rule coder's whole table is the same with the Hyperscan gate and with the anchor scan."""
    from framing.measures import frames as F

    texts = _gate_texts()
    assert F._scanner() is not None
    fast = F._rules(texts)
    monkeypatch.setattr(F, "_SCANNER", None)
    assert F._rules(texts).equals(fast)
    assert (fast["frame"] != "neutral").sum() > 5_000


@pytest.mark.parametrize("method", ["learned", "rules"])
def test_no_texts_give_an_empty_table_with_every_column(method):
    empty = frames_module.label([], method=method)
    assert len(empty) == 0 and list(empty.columns) == COLUMNS + PROB_COLUMNS
    assert empty.dtypes.equals(frames_module.label([], method="rules").dtypes)
    assert len(frames_module.label([], doc=[], method=method)) == 0
