"""Properties of the domain-adapted VADER scorer (framing.measures.sentiment)."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from framing.measures import sentiment

EXAMPLE = "Esketamine offers rapid relief for treatment-resistant depression."

# Sentences written for this test in the style of the seed articles, coded by the codebook's
# definitions (data/annotations/codebook.md): promise = favourable light on the treatment,
# risk = harms or limits. They are not the project's hand coding.
PROMISE = [
    EXAMPLE,
    "Many patients report a significant improvement in their mood within hours of their first "
    "ketamine infusion.",
    "For individuals with treatment-resistant depression, ketamine offers a glimmer of hope.",
    "Clinical trials have shown that esketamine can ease depressive symptoms faster than "
    "traditional antidepressants.",
    "Ketamine's rapid onset of action makes it a promising option for people with severe "
    "depression.",
    "The FDA approval of esketamine nasal spray brings new hope to adults who have not responded "
    "to other treatments.",
    "Patients who had struggled for years finally found relief with ketamine therapy.",
    "Research suggests that ketamine may help reduce suicidal thoughts within a day.",
    "Its unique mechanism of action provides benefits for people who have tried several "
    "antidepressants without success.",
    "When combined with psychotherapy, ketamine treatment can lead to lasting improvements in "
    "well-being.",
    "Esketamine has been found to be particularly effective in major depressive disorder that "
    "resists other treatments.",
    "Experts are optimistic about the future of ketamine-based treatments for depression.",
    "By blocking NMDA receptors, ketamine promotes the growth of new synaptic connections, "
    "leading to improved mood.",
    "The treatment was well tolerated, and most patients felt better after the first session.",
    "This innovative therapy is a game-changer for people living with depression and anxiety.",
]
RISK = [
    "Ketamine can cause dissociation, dizziness, nausea and a rise in blood pressure.",
    "Because of its potential for abuse and misuse, esketamine is only available through a "
    "restricted program.",
    "Ketamine has a long history of illicit use as a recreational party drug.",
    "The long-term safety of repeated ketamine use remains unknown.",
    "Frequent ketamine use has been linked to serious bladder damage and memory problems.",
    "Patients must be monitored for at least two hours after each dose because of the risk of "
    "sedation and dissociation.",
    "Esketamine carries a boxed warning for sedation, dissociation, abuse and suicidal thoughts.",
    "The effects of a single infusion often fade within a week, so patients need repeated doses.",
    "Critics warn that the evidence is limited and that the trials were short.",
    "The treatment does not work for everyone, and some patients see no benefit at all.",
    "Ketamine infusions are expensive and rarely covered by insurance, which puts them out of "
    "reach for many patients.",
    "Some users experience frightening hallucinations and feel disconnected from reality.",
    "Doctors caution that ketamine is not suitable for people with a history of psychosis or "
    "substance abuse.",
    "Unregulated ketamine clinics raise concerns about inadequate screening and patient safety.",
    "There is a danger that patients may become dependent on the drug.",
]


@pytest.fixture(scope="module")
def stock_lexicon():
    """A freshly built stock lexicon, independent of the package's cached analyzers."""
    return dict(SentimentIntensityAnalyzer().lexicon)


# --------------------------------------------------------------------------- behaviour


def test_example_is_negative_raw_and_positive_adapted():
    raw, adapted = sentiment.score([EXAMPLE], adapted=False)[0], sentiment.score([EXAMPLE])[0]
    assert -0.2 < raw < -0.1  # the -0.15 quoted in research-anchors.md
    assert adapted >= sentiment.POSITIVE_THRESHOLD  # "relief" now decides the sentence


def test_adapted_is_the_default():
    texts = [EXAMPLE, "Depression is common."]
    np.testing.assert_array_equal(sentiment.score(texts), sentiment.score(texts, adapted=True))
    assert not np.array_equal(sentiment.score(texts), sentiment.score(texts, adapted=False))


def test_topic_only_sentence_is_neutral_when_adapted():
    """The neutralised topic words carry nothing; what remains is the learned layer's mild lean
    (here "common", as in "common side effects", capped at the domain words' 1.0)."""
    import pandas as pd

    text = "Depression and anxiety are common in people with chronic pain."
    assert sentiment.score([text], adapted=False)[0] < -0.5
    no_learned = sentiment.with_lexicon(pd.DataFrame({"word": [], "valence": []}))
    assert no_learned.polarity_scores(text)["compound"] == 0.0
    learned = sentiment.learned().set_index("word")["valence"]
    assert all(abs(learned.get(w, 0.0)) <= sentiment.LEARN_DOMAIN_CAP for w in text.lower().rstrip(".").split())
    assert abs(sentiment.score([text])[0]) < 0.5


def test_booster_before_a_neutralised_word_adds_nothing():
    # "major" is a VADER booster; had the topic words been kept in the lexicon with valence 0,
    # VADER would add the booster increment and score the diagnosis as positive.
    assert sentiment.score(["major depressive disorder"], adapted=False)[0] < 0
    assert sentiment.score(["major depressive disorder"])[0] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Relief and hope with ketamine.",  # promise stance
        "The results were promising and the treatment was effective.",
        "Ketamine abuse is dangerous and can do harm.",  # risk stance
        "The results were depressing.",  # evaluation, not the condition's name
        "Patients suffering from grief were anxious.",
    ],
)
def test_sentences_without_adapted_words_score_the_same(text):
    adapted_words = set(sentiment.adaptations()["word"]) | set(sentiment.additions()["word"]) | set(sentiment.learned()["word"])
    assert not adapted_words & set(text.lower().replace(".", "").replace(",", "").split())
    assert sentiment.score([text])[0] == sentiment.score([text], adapted=False)[0]
    assert sentiment.score([text])[0] != 0.0


def test_stance_words_keep_their_valence(stock_lexicon):
    lex = sentiment.analyzer().lexicon
    for word in ["relief", "hope", "promising", "effective", "safe", "miracle", "remarkable",
                 "risk", "risks", "danger", "dangerous", "harm", "adverse", "warning", "abuse",
                 "illegal", "depressing", "suffering", "severe"]:
        assert lex[word] == stock_lexicon[word], word
    assert lex["relief"] > 0 and lex["abuse"] < 0


def test_promise_framed_sentences_score_higher_than_risk_framed():
    assert len(PROMISE) == 15 and len(RISK) == 15
    promise, risk = sentiment.score(PROMISE), sentiment.score(RISK)
    assert promise.mean() > 0 > risk.mean()
    assert promise.mean() > risk.mean()
    # and the adaptation widens the gap that stock VADER shows
    gap_adapted = promise.mean() - risk.mean()
    gap_raw = sentiment.score(PROMISE, adapted=False).mean() - sentiment.score(RISK, adapted=False).mean()
    assert gap_adapted > gap_raw


# --------------------------------------------------------------------------- input and output


def test_empty_list_gives_empty_float_array():
    out = sentiment.score([])
    assert isinstance(out, np.ndarray) and out.shape == (0,) and out.dtype == float


def test_empty_strings_score_zero():
    np.testing.assert_array_equal(sentiment.score(["", "", "   "]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(sentiment.score([""], adapted=False), [0.0])


def test_length_order_and_range():
    texts = PROMISE[:5] + [""] + RISK[:5]
    out = sentiment.score(texts)
    assert out.shape == (len(texts),)
    assert ((out >= -1) & (out <= 1)).all()
    one_by_one = np.array([sentiment.score([t])[0] for t in texts])
    np.testing.assert_array_equal(out, one_by_one)
    np.testing.assert_array_equal(sentiment.score(texts[::-1]), out[::-1])


def test_accepts_a_pandas_series():
    texts = pd.Series([EXAMPLE, "Ketamine abuse is dangerous."], index=[10, 3])
    np.testing.assert_array_equal(sentiment.score(texts), sentiment.score(list(texts)))


def test_rejects_a_bare_string_and_non_strings():
    with pytest.raises(TypeError, match="not a single string"):
        sentiment.score(EXAMPLE)
    with pytest.raises(TypeError, match="position 1"):
        sentiment.score(["fine", None])
    with pytest.raises(TypeError, match="position 0"):
        sentiment.score([float("nan")])


def test_raw_and_adapted_frame():
    texts = [EXAMPLE, "Ketamine abuse is dangerous.", ""]
    frame = sentiment.raw_and_adapted(texts)
    assert list(frame.columns) == ["text", "raw", "adapted", "change"]
    assert frame["text"].tolist() == texts
    np.testing.assert_array_equal(frame["raw"], sentiment.score(texts, adapted=False))
    np.testing.assert_array_equal(frame["adapted"], sentiment.score(texts))
    np.testing.assert_allclose(frame["change"], frame["adapted"] - frame["raw"])


def test_analyzers_are_built_once():
    assert sentiment.analyzer() is sentiment.analyzer()
    assert sentiment.analyzer(adapted=False) is sentiment.analyzer(adapted=False)
    assert sentiment.analyzer() is not sentiment.analyzer(adapted=False)


# --------------------------------------------------------------------------- documented lexicon


def test_every_lexicon_change_is_documented_and_nothing_else_changed(stock_lexicon):
    table = sentiment.adaptations()
    adapted = sentiment.analyzer().lexicon
    removed = set(stock_lexicon) - set(adapted)
    added = set(adapted) - set(stock_lexicon)
    changed = {w for w in set(adapted) & set(stock_lexicon) if adapted[w] != stock_lexicon[w]}
    assert added == set(sentiment.additions()["word"]) | set(sentiment.learned()["word"])
    assert removed == set(table.loc[table["new_valence"] == 0.0, "word"])
    assert changed == set(table.loc[table["new_valence"] != 0.0, "word"])
    for row in table.itertuples():
        assert row.original_valence == stock_lexicon[row.word], row.word
        assert adapted.get(row.word, 0.0) == row.new_valence, row.word
        assert row.reason.strip() and row.category.strip()


def test_additions_are_new_words_with_their_stated_valence(stock_lexicon):
    table = sentiment.additions()
    adapted = sentiment.analyzer().lexicon
    assert len(table) > 0
    assert not set(table["word"]) & set(stock_lexicon)
    assert not set(table["word"]) & set(sentiment.adaptations()["word"])
    for row in table.itertuples():
        assert adapted[row.word] == row.new_valence != 0.0, row.word
        assert row.analogue in stock_lexicon and row.reason.strip(), row.word


def test_harms_and_reassurance_from_the_issue_point_the_right_way():
    # Issue 11: removing "pressure" silenced raised blood pressure; harms unknown to VADER scored 0.
    harm, reassurance = sentiment.score([
        "Ketamine can raise blood pressure and cause nausea and dissociation.",
        "Trials found the spray well-tolerated, and most patients reached remission.",
    ])
    assert harm < -0.05 < 0.05 < reassurance


def test_stock_analyzer_is_not_modified(stock_lexicon):
    assert sentiment.analyzer(adapted=False).lexicon == stock_lexicon


def test_table_covers_the_named_topic_words():
    table = sentiment.adaptations().set_index("word")
    for word, valence in [("depression", -2.7), ("suicidal", -3.5), ("depressive", -1.6)]:
        assert table.loc[word, "original_valence"] == valence
        assert table.loc[word, "new_valence"] == 0.0
    assert "relief" not in table.index and "abuse" not in table.index


def test_reviewed_but_kept_words_are_unchanged(stock_lexicon):
    kept = sentiment.reviewed_kept()
    lex = sentiment.analyzer().lexicon
    assert len(kept) > 0
    assert not set(kept["word"]) & set(sentiment.adaptations()["word"])
    for row in kept.itertuples():
        assert lex[row.word] == stock_lexicon[row.word], row.word
        assert row.reason.strip()


def test_adaptations_returns_a_copy():
    table = sentiment.adaptations()
    table.loc[0, "new_valence"] = 3.0
    assert sentiment.adaptations().loc[0, "new_valence"] == 0.0


@pytest.fixture
def table_dir(tmp_path, monkeypatch):
    """Point the package's data lookup at tmp_path; the caches are rebuilt afterwards."""
    monkeypatch.setattr(sentiment, "data_path", lambda name: tmp_path / name)
    sentiment._adaptations.cache_clear()
    sentiment._adapted_analyzer.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    sentiment._adaptations.cache_clear()
    sentiment._adapted_analyzer.cache_clear()


def test_table_that_disagrees_with_the_installed_lexicon_is_refused(table_dir):
    (table_dir / sentiment.ADAPTATIONS_FILE).write_text(
        "word,original_valence,new_valence,category,reason\n"
        "depression,-1.0,0.0,condition name,wrong original valence\n"
        "ketamine,0.0,0.0,substance,not a VADER word\n"
    )
    with pytest.raises(sentiment.AdaptationError) as err:
        sentiment.adaptations()
    message = str(err.value)
    assert sentiment.ADAPTATIONS_FILE in message
    assert "'depression': original_valence -1.0" in message and "-2.7" in message
    assert "'ketamine' is not in the installed VADER lexicon" in message


def test_table_with_wrong_columns_is_refused(table_dir):
    (table_dir / sentiment.ADAPTATIONS_FILE).write_text("word,valence\ndepression,0\n")
    with pytest.raises(sentiment.AdaptationError, match="columns are"):
        sentiment.adaptations()


# --------------------------------------------------------------------------- learned layer


def _units(rows):
    texts, frames_ = zip(*rows)
    return list(texts), list(frames_)


def test_learned_valences_follow_the_promise_risk_contrast():
    """Known answer: "zorblax" only in promise units, "quibbet" only in risk units, "flenk" in both."""
    rows = [(f"The zorblax flenk came back {i}.", "promise") for i in range(12)]
    rows += [(f"A quibbet flenk was found {i}.", "risk") for i in range(12)]
    rows += [(f"Plain flenk sentence {i}.", "neutral") for i in range(12)]
    texts, frames_ = _units(rows)
    table = sentiment.learn_lexicon(texts, frames_, stance_words=["zorblax", "quibbet", "flenk"]).set_index("word")
    assert table.loc["zorblax", "valence"] > 0 > table.loc["quibbet", "valence"]
    assert "flenk" not in table.index  # as common on both sides: |z| below the threshold
    assert table.loc["zorblax", "promise_units"] == 12 and table.loc["zorblax", "risk_units"] == 0
    assert abs(table.loc["zorblax", "valence"]) <= sentiment.LEARN_CAP
    # the reviewer's verdict decides eligibility: without it, no word is learned
    assert sentiment.learn_lexicon(texts, frames_, stance_words=["flenk"]).empty


def test_a_negated_word_counts_for_the_other_side():
    """VADER flips a word after "not": "not a zorblax" in risk units is promise evidence for zorblax."""
    rows = [(f"It is not a zorblax {i}.", "risk") for i in range(10)] + [(f"A zorblax {i}.", "promise") for i in range(10)]
    table = sentiment.learn_lexicon(*_units(rows), stance_words=["zorblax"]).set_index("word")
    assert table.loc["zorblax", "promise_units"] == 20 and table.loc["zorblax", "risk_units"] == 0


def test_stock_stop_and_listed_words_are_never_learned(stock_lexicon):
    rows = [(f"They afford relief and depression {i}.", "promise") for i in range(10)]
    rows += [(f"Could not {i}.", "risk") for i in range(10)]
    words = ["they", "relief", "depression", "could", "afford"]
    table = sentiment.learn_lexicon(*_units(rows), stance_words=words)
    assert set(table["word"]) <= {"afford"}
    assert "relief" in stock_lexicon and "depression" in set(sentiment.adaptations()["word"])


def test_the_learned_layer_is_rebuilt_byte_for_byte(tmp_path):
    from framing.io.datafiles import data_path

    out = sentiment.write_learned(tmp_path / sentiment.LEARNED_FILE)
    assert out.read_bytes() == data_path(sentiment.LEARNED_FILE).read_bytes()


def test_learned_words_were_reviewed_as_learnable_and_hold_their_valence():
    table, review = sentiment.learned(), sentiment.stance_review().set_index("word")
    lex = sentiment.analyzer().lexicon
    assert len(table) > 50
    for row in table.itertuples():
        assert review.loc[row.word, "stance"] in ("stance", "domain"), row.word
    names = review.index[review["stance"] == "none"]
    assert not set(table["word"]) & set(names)  # names, function words, reporting verbs, drug names: never
    assert {"achebe", "according", "able"} <= set(names)
    for row in table.itertuples():
        assert lex[row.word] == row.valence and (row.valence > 0) == (row.z > 0), row.word
    for word in ["said", "years", "patients", "depression", "ketamine", "the"]:
        assert word not in set(table["word"])


def test_with_lexicon_replaces_only_the_learned_layer(stock_lexicon):
    import pandas as pd

    sia = sentiment.with_lexicon(pd.DataFrame({"word": ["zorblax"], "valence": [2.5]}))
    assert sia.lexicon["zorblax"] == 2.5
    assert not set(sentiment.learned()["word"]) & set(sia.lexicon)
    assert sia.lexicon["relief"] == stock_lexicon["relief"] and "depression" not in sia.lexicon
    assert sentiment.analyzer() is not sia


def test_a_learned_word_already_in_vader_is_refused(table_dir):
    import shutil

    from framing.io.datafiles import data_path

    for name in (sentiment.ADAPTATIONS_FILE, sentiment.ADDITIONS_FILE, sentiment.KEPT_FILE):
        shutil.copy(str(data_path(name)), table_dir / name)
    (table_dir / sentiment.LEARNED_FILE).write_text(
        "word,valence,z,promise_units,risk_units,reason\nrelief,1.0,2.0,5,0,stock word\n")
    sentiment._learned.cache_clear()
    try:
        with pytest.raises(sentiment.AdaptationError, match="already in the VADER lexicon"):
            sentiment.learned()
    finally:
        sentiment._learned.cache_clear()


def _vader_texts() -> list[str]:
    """Real text (the seed units, the coded units, the NYT snippets when fetched) and generated
    text made of the words VADER's rules turn on: boosters, negators, "no", "but", "kind of",
    "least", "never so", "without doubt", special cases, capitals, emphasis, emoticons, emoji."""
    import random
    from pathlib import Path

    import framing
    from framing.checks import nyt
    from framing.io.annotations import coding_units, training_units
    from vaderSentiment import vaderSentiment as V

    texts = coding_units(framing.load_corpus("data/raw"))["text"].tolist() + training_units()["text"].tolist()
    nyt_file = Path(__file__).resolve().parents[1] / "data" / "external" / nyt.NYT_FILE
    if nyt_file.is_file():
        texts += nyt.load_nyt(nyt_file)["text"].tolist()
    stock = sorted(SentimentIntensityAnalyzer().lexicon)
    adapted = sorted(set(sentiment.analyzer(True).lexicon) - set(stock))
    rules = (list(V.BOOSTER_DICT) + V.NEGATE + [w for k in V.SPECIAL_CASES for w in k.split()]
             + ["no", "No", "NO", "but", "BUT", "kind", "of", "least", "at", "very", "never", "so", "this", "without",
                "doubt", "or", "nor", "isn't", "n't", ":)", ":-(", ":D", "<3", "!!!", "?", "??", "????", "(good)", "'bad'",
                "\u2764\ufe0f", "\U0001f600", "caf\u00e9", "the"])
    rng = random.Random(0)
    for _ in range(20000):
        words = []
        for _ in range(rng.randint(0, 14)):
            pool = rng.choice([rules, rules, stock, adapted])
            w = rng.choice(pool)
            words.append(rng.choice([w, w, w.upper(), w.capitalize()]) + rng.choice(["", "", "", ",", "!", ".", "?"]))
        texts.append(rng.choice(["", " ", "  "]) + " ".join(words) + rng.choice(["", "!", "!!", "?", " "]))
    return texts


@pytest.mark.slow
def test_the_fast_compound_is_vaders_bit_for_bit_for_both_lexicons():
    """framing.measures._vader gives polarity_scores' compound exactly (bytes equal) on real and
    generated text, for the stock and the adapted lexicon, alone and scored together."""
    texts = _vader_texts()
    both = sentiment.raw_and_adapted(texts)
    for adapted, column in ((False, "raw"), (True, "adapted")):
        reference = sentiment.score_reference(texts, adapted=adapted)
        assert sentiment.score(texts, adapted=adapted).tobytes() == reference.tobytes()
        assert both[column].to_numpy().tobytes() == reference.tobytes()
        assert (reference != 0).sum() > 20_000  # the check saw many scored texts
    # and every shortcut of the fast path, many times: no rule, the idiom check only, all rules
    from framing.measures import _vader

    known = set(sentiment.analyzer(True).lexicon) | set(sentiment.analyzer(False).lexicon)
    needs = Counter(need for t in texts if (prepared := _vader.tokens(t)) is not None
                    for _, _, need in _vader._context(prepared[1], prepared[2], known))
    assert min(needs[_vader.INERT], needs[_vader.IDIOMS], needs[_vader.FULL]) > 5_000, needs
