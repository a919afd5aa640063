"""The learned coder: it learns what synthetic data teaches, uses context, and is rebuilt byte for byte."""

import hashlib
import zipfile

import numpy as np
import pandas as pd
import pytest

from framing.measures import coder, frames

RISK_WORDS = ["dizziness", "nausea", "bladder damage", "dependence", "high blood pressure", "sedation"]
PROMISE_WORDS = ["rapid relief", "lasting remission", "quick improvement", "real recovery", "fast response"]
NEUTRAL_BITS = ["the clinic opens at nine", "the session takes forty minutes", "patients sit in a recliner",
                "the nurse explains the schedule", "the building has free parking"]


def _synthetic(n_articles=40, seed=0):
    """Articles whose unit frames are set by planted words, plus one context-only case per article.

    The context case: the unit "It happened to me as well." is risk when the unit before it is risk
    and promise when the unit before it is promise, so only a coder that sees the neighbour can
    get it right.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(n_articles):
        units = []
        for k in range(10):
            kind = rng.choice(["promise", "risk", "neutral"])
            if kind == "risk":
                text = f"Patient {a}-{k} reported {rng.choice(RISK_WORDS)} after the dose."
            elif kind == "promise":
                text = f"Patient {a}-{k} described {rng.choice(PROMISE_WORDS)} after the dose."
            else:
                text = f"On visit {a}-{k} {rng.choice(NEUTRAL_BITS)}."
            units.append((text, kind))
        lead = "risk" if a % 2 else "promise"
        word = rng.choice(RISK_WORDS if lead == "risk" else PROMISE_WORDS)
        verb = "reported" if lead == "risk" else "described"
        units.insert(4, (f"Another patient {verb} {word} after the dose.", lead))
        units.insert(5, ("It happened to me as well.", lead))
        for pos, (text, kind) in enumerate(units):
            rows.append({"article_id": f"a{a:02d}", "genre": f"g{a % 4}", "title": f"Article {a}", "position": pos,
                         "text": text, "frame": kind, "hype": False, "hedge": False,
                         "acute_effects": kind == "risk", **{t: False for t in frames.SUBTHEMES if t != "acute_effects"}})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def synthetic_model():
    table = _synthetic()
    return table, coder.fit_coder(table)


def test_learns_planted_words_on_new_articles(synthetic_model):
    _, model = synthetic_model
    test = _synthetic(n_articles=12, seed=1)
    test = test[test["text"] != "It happened to me as well."].reset_index(drop=True)
    pred = model.predict(test["text"].tolist())
    assert (pred["frame"] == test["frame"]).mean() >= 0.95
    risk = test["frame"] == "risk"
    assert pred.loc[risk, "acute_effects"].mean() >= 0.9
    assert not pred.loc[~pred["frame"].isin(["risk", "mixed"]), list(frames.SUBTHEMES)].any().any()


def test_context_decides_what_the_unit_alone_cannot(synthetic_model):
    _, model = synthetic_model
    test = _synthetic(n_articles=12, seed=2)
    target = (test["text"] == "It happened to me as well.").to_numpy()
    with_doc = model.predict(test["text"].tolist(), doc=test["article_id"].tolist())
    alone = model.predict(test["text"].tolist())
    truth = test.loc[target, "frame"].to_numpy()
    assert (with_doc.loc[target, "frame"].to_numpy() == truth).mean() >= 0.9
    # Alone, the identical text gets one label whatever its article: right for half of them at most.
    assert alone.loc[target, "frame"].nunique() == 1
    assert (alone.loc[target, "frame"].to_numpy() == truth).mean() <= 0.5


def test_probabilities_are_a_distribution_and_agree_with_the_label(synthetic_model):
    _, model = synthetic_model
    test = _synthetic(n_articles=4, seed=3)
    pred = model.predict(test["text"].tolist(), doc=test["article_id"].tolist())
    p = pred[[f"p_{f}" for f in frames.FRAMES]].to_numpy()
    assert np.allclose(p.sum(axis=1), 1.0) and (p >= 0).all()
    assert (np.asarray(frames.FRAMES, dtype=object)[p.argmax(axis=1)] == pred["frame"].to_numpy()).all()


def test_training_is_deterministic_and_the_file_round_trips(tmp_path):
    table = _synthetic(n_articles=16)
    paths = [tmp_path / "a.zip", tmp_path / "b.zip", tmp_path / "c.zip"]
    coder.save(coder.fit_coder(table), paths[0])
    coder.save(coder.fit_coder(table), paths[1])
    coder.save(coder.load(paths[0]), paths[2])
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    assert len(digests) == 1
    texts = table["text"].tolist()
    a = coder.fit_coder(table).predict(texts, doc=table["article_id"].tolist())
    b = coder.load(paths[0]).predict(texts, doc=table["article_id"].tolist())
    assert (a["frame"] == b["frame"]).all()
    assert np.abs(a["p_risk"] - b["p_risk"]).max() < 1e-4  # float32 weights in the file


def test_broken_model_file_names_the_file(tmp_path):
    bad = tmp_path / "model.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="model.zip"):
        coder.load(bad)
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("meta.json", '{"format": 99}')
    with pytest.raises(ValueError, match="model.zip.*make model"):
        coder.load(bad)


def test_doc_must_group_each_article_together(synthetic_model):
    _, model = synthetic_model
    with pytest.raises(ValueError, match="two separate runs"):
        model.predict(["a b c.", "d e f.", "g h i."], doc=["x", "y", "x"])
    with pytest.raises(ValueError, match="2 ids for 3 texts"):
        frames.label(["a.", "b.", "c."], doc=["x", "y"])


def test_embedding_ships_in_the_wheel_and_is_deterministic():
    a = coder.embed(["Ketamine can raise blood pressure.", "The clinic offers free parking."])
    b = coder.embed(["Ketamine can raise blood pressure.", "The clinic offers free parking."])
    assert a.shape == (2, 256) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_make_model_rebuilds_the_committed_model_byte_for_byte(tmp_path):
    from pathlib import Path

    from framing.io.datafiles import data_path

    rebuilt = coder.train(tmp_path / "model.zip")
    committed = Path(str(data_path(coder.MODEL_FILE)))
    assert hashlib.sha256(rebuilt.read_bytes()).hexdigest() == hashlib.sha256(committed.read_bytes()).hexdigest(), \
        "the committed model is not what 'make model' builds from data/annotations: run 'make model' and commit it"


def test_length_sorted_embedding_equals_wordllama_in_input_order_and_ignores_batch_mates():
    texts = ["Short one.", "A much longer sentence about ketamine clinics and their prices " * 3,
             "Mid-length text on dissociation after the dose.", "x", "Another, longer, line with more words here."] * 150
    direct = coder._wordllama().embed(texts, norm=True, return_np=True, batch_size=512)
    assert np.array_equal(coder.embed_reference(texts), direct.astype(np.float32))
    assert np.array_equal(coder.embed(texts), direct.astype(np.float32))
    assert np.array_equal(coder.embed(texts[2:3])[0], coder.embed(texts)[2])


def test_fast_embedding_is_wordllamas_bit_for_bit_on_real_and_adversarial_text(monkeypatch):
    """The unpadded, position-by-position pooling gives WordLlama's numbers exactly, in any block size."""
    from framing.io.annotations import training_units

    real = training_units()["text"].tolist()
    adversarial = ["", " ", "a", "I", "\u0130stanbul KETAMINE\u00a0infusion\u2003x", "tab\tand\nnew\r\nline", "x" * 3000,
                   "emoji \U0001f600 and \u0000 nul", "\u200b", "\ufeff", "\x00", "\u2014 \u201cquoted\u201d \u2014",
                   "ab" * 400, "\u00e9sk\u00e9tamine na\u00efve caf\u00e9", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"]
    for texts in (real, adversarial, real[:1]):
        assert np.array_equal(coder.embed(texts), coder.embed_reference(texts), equal_nan=True)
    monkeypatch.setattr(coder, "EMBED_BLOCK", 7)  # many blocks, lengths mixed within each
    assert np.array_equal(coder.embed(real[:500]), coder.embed_reference(real[:500]))
    assert coder.embed([]).shape == (0, 256)


def test_fast_char_tfidf_is_sklearns_transform_bit_for_bit():
    """The word-cached char n-gram path gives the same matrix as TfidfVectorizer.transform."""
    from framing.io.annotations import training_units
    from framing.io.clean import normalise

    char = coder.default_coder().vectorizers[1]
    real = [normalise(t) for t in training_units()["text"].tolist()]
    adversarial = ["", " ", "a", "I", "\u0130stanbul KETAMINE\u00a0infusion\u2003x", "tab\tand\nnew\r\nline",
                   "  double  spaces   ", "\u00e9sk\u00e9tamine na\u00efve caf\u00e9", "x" * 300, "\u2014 \u201cquoted\u201d \u2014",
                   "emoji \U0001f600 and \u0000 nul", "a b c d e f g h", "ab" * 40 + " " + "ba" * 40, "\u1680ogham\u2028sep"]
    for texts in (real, adversarial, real[:1]):
        fast, reference = coder.char_tfidf(char, list(texts)), char.transform(list(texts))
        assert fast.shape == reference.shape
        assert np.array_equal(fast.indptr, reference.indptr)
        assert np.array_equal(fast.indices, reference.indices)
        assert np.array_equal(fast.data, reference.data)


def test_fast_word_tfidf_is_sklearns_transform_bit_for_bit():
    """The batched word (1, 2)-gram path gives the same matrix as TfidfVectorizer.transform, and
    a vectorizer it does not cover (a bigram whose word is not a term) goes to sklearn."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.io.annotations import training_units
    from framing.io.clean import normalise

    word = coder.default_coder().vectorizers[0]
    real = [normalise(t) for t in training_units()["text"].tolist()]
    adversarial = ["", " ", "a", "I I I", "\u0130stanbul KETAMINE\u00a0infusion\u2003x", "tab\tand\nnew\r\nline",
                   "side effects side effects side effects", "don't can't won't", "x_y 12 34 12 34",
                   "\u00e9sk\u00e9tamine na\u00efve caf\u00e9", "the " * 300, "\u2014 \u201cquoted\u201d \u2014", "a b c d"]
    for texts in (real, adversarial, real[:1], adversarial[:1]):
        fast, reference = coder.word_tfidf(word, list(texts)), word.transform(list(texts))
        assert fast.shape == reference.shape
        assert np.array_equal(fast.indptr, reference.indptr)
        assert np.array_equal(fast.indices, reference.indices)
        assert np.array_equal(fast.data, reference.data)
    assert coder.word_tfidf(word, real[:50]).nnz > 500
    capped = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_features=40).fit(real[:300])
    assert coder._word_tables(capped) is None or all(
        " " not in t or all(p in capped.vocabulary_ for p in t.split(" ")) for t in capped.vocabulary_)
    fast, reference = coder.word_tfidf(capped, real[:300]), capped.transform(real[:300])
    assert np.array_equal(fast.toarray(), reference.toarray())


def test_context_features_carry_the_articles_topicality():
    """The stacked model sees whether a unit, and whether any and what share of its article's
    units, name ketamine: zeros for an article that never does."""
    texts = ["Statins lower cholesterol.", "They can cause muscle pain.",
             "Ketamine infusions act within hours.", "Side effects pass.", "Most patients improve.", "Costs vary."]
    doc = [0, 0, 1, 1, 1, 1]
    topical = coder._topical(texts)
    assert topical.tolist() == [False, False, True, False, False, False]
    prob = np.full((6, 5), 0.2)
    stacked = coder._stack_features(prob, coder._groups(doc, 6), topical)
    assert stacked[:, -3:].tolist() == [[0, 0, 0], [0, 0, 0], [1, 1, 0.25], [0, 1, 0.25], [0, 1, 0.25], [0, 1, 0.25]]
    assert np.array_equal(coder._stack_features(prob, coder._groups(doc, 6))[:, :-3], stacked[:, :-3])
