"""The one negation rule (framing.measures.negation), as the frame coder and the quality checklist use it.

PHRASES is the specification: (text, the cue in it, whether the cue is negated). Each
expectation is a reading of the phrase, not the function's output copied.
"""

import re

import pytest

from framing.measures import frames, negation, quality

PHRASES = [
    ("There is no abuse.", "abuse", True),
    ("It isn't abused.", "abused", True),
    ("It cannot cause addiction.", "addiction", True),
    ("Ketamine is non-addictive.", "addictive", True),
    ("There were zero cases of abuse.", "abuse", True),
    ("The drug is free of side effects.", "side effects", True),
    ("Neither abuse nor dependence was seen.", "dependence", True),
    ("Side effects are rarely serious.", "serious", True),
    ("There is absolutely no serious risk of abuse.", "abuse", True),        # three words between
    ("There is no sign whatsoever of real abuse.", "abuse", False),          # four words between
    ("There is no evidence, but abuse happens.", "abuse", False),            # another clause
    ("Patients no longer feel side effects.", "side effects", False),        # "no longer" is not a negation
    ("It is not only addictive but dangerous.", "addictive", False),         # "not only" adds
    ("It has no doubt side effects.", "side effects", False),
    ("Without doubt it is addictive.", "addictive", False),
    ("The treatment is not without risks.", "risks", False),                 # two negations
    ("Patients who have not responded to pills report side effects.", "side effects", False),
    ("Patients who have not responded may try it.", "responded", True),      # history: about the patients
]


@pytest.mark.parametrize("text, cue, negated", PHRASES)
def test_negation_rule(text, cue, negated):
    assert negation.is_negated(text, text.index(cue)) is negated


@pytest.mark.parametrize("text, cue, negated", PHRASES)
def test_quality_checklist_uses_the_same_rule(text, cue, negated):
    rule = {"requires": [], "regex": re.compile(re.escape(cue)), "negatable": True}
    assert quality._fires(rule, text) is (not negated)


def test_frame_coder_uses_the_same_rule():
    """A negated harm is reassurance (promise), a harm that stands is a risk."""
    coded = frames.label(["Ketamine is non-addictive.", "There were zero cases of abuse.",
                          "The drug is free of side effects.", "Without doubt it is addictive.",
                          "The treatment is not without side effects."], method="rules")
    assert list(coded["frame"]) == ["promise", "promise", "promise", "risk", "risk"]
    assert coded.loc[0, "promise_cues"].startswith("no_") and coded.loc[1, "promise_cues"].startswith("no_")
