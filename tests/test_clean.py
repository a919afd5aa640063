"""Cleaning: each rule fires on the furniture it names and spares article content."""

import pandas as pd
import pytest

from framing.io.clean import RULES, clean_text, normalise, rule_table

BODY = [
    "Ketamine for Depression: What the Evidence Says",
    "",
    "Ketamine is an anaesthetic that is now studied as a treatment for depression.",
    "",
    "Patients often share their experiences of rapid relief with their doctors.",
    "",
    "Clinics must monitor patients for two hours after each dose of esketamine.",
]


def _doc(*extra_before, after=()):
    return "\n".join(list(extra_before) + BODY + list(after)) + "\n"


def _rules(text):
    _, audit = clean_text(text, "d")
    return list(audit["rule"])


@pytest.mark.parametrize("line, rule", [
    ("Current location: homepage > Mental Health", "navigation_crumb"),
    ("You are here: Home > Health > Depression", "navigation_crumb"),
    ("Home > News > Health", "navigation_crumb"),
    ("This site participates in affiliate marketing and other forms of advertising.", "affiliate_disclaimer"),
    ("This post contains affiliate links; we may earn a commission at no cost to you.", "affiliate_disclaimer"),
    ("Would you like to comment?", "share_prompt"),
    ("Leave a comment below!", "share_prompt"),
    ("If you enjoyed this article, please share it with your friends.", "share_prompt"),
    ("Follow us on Instagram for more health tips", "share_prompt"),
    ("Guess you like it", "site_widget"),
    ("You may also like", "site_widget"),
    ("Related Articles", "site_widget"),
    ("#Ketamine #Depression #Health", "hashtag_list"),
    ("\u5fae\u4fe1\u516c\u4f17\u53f7", "foreign_site_label"),
    ("\u0413\u043b\u0430\u0432\u043d\u0430\u044f \u0441\u0442\u0440\u0430\u043d\u0438\u0446\u0430", "foreign_site_label"),
])
def test_furniture_before_the_article_is_removed_by_its_rule(line, rule):
    assert _rules(_doc(line, "")) == [rule]


@pytest.mark.parametrize("line", [
    "Patients often share their experiences of rapid relief with their doctors.",
    "Researchers commented that the affiliate hospital treated 40 patients.",
    "Home treatment is not recommended: esketamine is given in a clinic.",
    "The drug's use grew 3% > 2% last year according to the registry data.",
    "Some patients relapse after a few weeks.",
    "The treatment uses the #1 prescribed nasal spray in the clinic, according to reports.",
    "Read more about the risks in the FDA label, which lists sedation and dissociation.",
])
def test_article_sentences_that_look_like_furniture_are_kept(line):
    text = _doc(after=["", line])
    clean, audit = clean_text(text, "d")
    assert audit.empty, audit
    assert normalise(line) in clean


def test_repeated_title_keeps_first_copy_and_allows_extra_words():
    text = "My Title About Ketamine Therapy\n\nketamine My Title About Ketamine Therapy\nMY TITLE: about ketamine therapy!\n\n" + "\n".join(BODY[2:])
    clean, audit = clean_text(text, "d")
    assert list(audit["line"]) == [3, 4]
    assert set(audit["rule"]) == {"repeated_title"}
    assert clean.startswith("My Title About Ketamine Therapy\n\n")


def test_unrelated_trailing_headlines_are_removed_but_an_on_topic_last_heading_stays():
    off_topic = ["", "Childhood TV Habits Tied to Increased Risk of High Blood Pressure in Adulthood",
                 "", "Examining Diversity in Alzheimer's Neuroimaging Research: A Comprehensive Analysis"]
    _, audit = clean_text(_doc(after=off_topic), "d")
    assert list(audit["rule"]) == ["unrelated_trailing_headline"] * 2
    on_topic = ["", "More on esketamine and depression treatment in clinics"]
    _, audit = clean_text(_doc(after=on_topic), "d")
    assert audit.empty


def test_headline_followed_by_body_text_is_not_trailing():
    text = _doc(after=["", "Childhood TV Habits Tied to High Blood Pressure in Adulthood", "",
                       "Ketamine treatment continues to be studied in clinics."])
    _, audit = clean_text(text, "d")
    assert audit.empty


def test_normalisation_and_paragraphs():
    text = "Title\u00a0\n\n\n\nKetamine\u2019s effect is \u201crapid\u201d.\u00a0 \n"
    clean, audit = clean_text(text, "d")
    assert clean == "Title\n\nKetamine's effect is \"rapid\".\n"
    assert audit.empty


def test_hard_wrapped_lines_are_joined_into_one_paragraph():
    text = "Heading line\n\nKetamine is an anaesthetic that\nis now studied for depression.\nA new paragraph starts here.\n"
    clean, _ = clean_text(text, "d")
    assert clean.split("\n\n") == [
        "Heading line",
        "Ketamine is an anaesthetic that is now studied for depression.",
        "A new paragraph starts here.\n",
    ]


def test_every_rule_is_documented():
    table = rule_table()
    assert table["rule"].is_unique
    assert {r.name for r in RULES} < set(table["rule"])
    assert (table["description"].str.len() > 10).all()


# ------------------------------------------------------------------ the seeds
EXPECTED_REMOVALS = {
    # (file prefix, raw line number): rule  -- read off the raw files by hand
    ("000", 1): "navigation_crumb",
    ("000", 5): "repeated_title",
    ("000", 21): "site_widget",
    ("000", 23): "foreign_site_label",
    ("001", 1): "affiliate_disclaimer",
    ("001", 50): "share_prompt",
    ("001", 52): "share_prompt",
    ("002", 3): "repeated_title",
    ("002", 4): "repeated_title",
    ("002", 6): "repeated_title",
    ("002", 47): "hashtag_list",
    ("002", 49): "unrelated_trailing_headline",
    ("002", 51): "unrelated_trailing_headline",
}

MUST_STAY = [
    ("000", "Unlocking Hope Esketamine's Breakthrough in Depression Treatment"),
    ("001", "What Is Esketamine Depression Treatment and How Does It Work?"),
    ("001", "Possible Adverse Reactions"),
    ("001", "In Summary"),
    ("002", "Unlocking Hope: Ketamine emerges as a potential game-changer in treating severe depression"),
    ("002", "Introduction"),
    ("002", "In , ketamine has emerged as a potential game-changer"),
    ("003", "Treatment-resistant depression (TRD) poses a significant challenge"),
    ("004", "Ketamine, initially an anesthetic, shows promise as a rapid-acting therapy"),
    ("004", "Navigating Ketamine Therapy: Safety, Side Effects, and Future Prospects"),
]


def test_seed_audit_lists_exactly_the_furniture(seeds):
    found = {(d[:3], int(n)): r for d, n, r in zip(seeds.audit["doc_id"], seeds.audit["line"], seeds.audit["rule"])}
    assert found == EXPECTED_REMOVALS


@pytest.mark.parametrize("prefix, start", MUST_STAY)
def test_seed_content_lines_stay(seeds, prefix, start):
    clean = seeds.corpus.loc[seeds.corpus["doc_id"].str.startswith(prefix), "clean_text"].item()
    assert start in clean


def test_seed_cleaning_loses_no_other_line(seeds):
    """Every non-blank raw line is either in the audit or, normalised, in the clean text."""
    for row in seeds.corpus.itertuples():
        removed = set(seeds.audit.loc[seeds.audit["doc_id"] == row.doc_id, "line"])
        kept = set(row.clean_text.split("\n\n"))
        kept = {k.strip() for k in kept}
        for number, line in enumerate(row.text.split("\n"), start=1):
            if line.strip() and number not in removed:
                assert normalise(line).strip() in kept, (row.doc_id, number, line)


def test_cleaning_does_not_modify_the_input_frame(raw_dir):
    from framing.io.clean import clean_corpus
    from framing.io.corpus import load_corpus

    corpus = load_corpus(raw_dir)
    copy = corpus.copy()
    clean_corpus(corpus)
    pd.testing.assert_frame_equal(corpus, copy)
