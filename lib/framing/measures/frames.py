"""Rule-based coding of promise and risk framing, hype and hedging, one unit at a time.

:func:`label` applies the codebook (``data/annotations/codebook.md``) to a list
of texts (sentences or heading lines) and returns one row per text with the
frame, the hype and hedge flags, every cue that fired and the risk sub-themes.

Everything the rules know is in the module-level lexicons below: each cue has a
name and a regular expression, so a reader can see why a unit got its label
(the ``*_cues`` columns) and a coder can argue with a single cue.

How a unit is coded, in order:

1. **boilerplate** when a cleaning rule of :mod:`framing.io.clean` fires on the
   text alone (navigation crumb, affiliate disclaimer, share prompt, site
   widget, hashtag list, foreign-script site label), when an extra page-furniture
   cue fires (:data:`BOILERPLATE_CUES`), or when the text is an off-topic
   headline (headline-like and no word about ketamine, depression or treatment).
2. Empty text: **neutral**, no cues.
3. Cues are matched. Each promise or risk match is checked for
   * **negation**: a negator ("not", "no", "never", "without", "n't", "lack of",
     "zero", "non-", ...; see :mod:`framing.measures.negation`) at most three words before the cue in the same
     clause flips it: a negated risk is reassurance about safety ("no serious
     side effects", "not dangerous": promise, cue ``no_<name>``), a negated
     promise or hype word is a limit ("not a cure", "not effective": risk, cue
     ``not_<name>``, and no hype). Risk cues are also reversed by "reduce",
     "prevent", "minimise", "few", "rare" ("prevents relapse"). Risk cues whose
     negation is still a risk are never flipped (:data:`UNFLIPPED_RISK_CUES`:
     "no head-to-head trials", "not covered"). A negator followed by a list with
     "or" reaches up to six words ("does not cause weight gain or sexual side
     effects"). "not only",
     "no longer", "no doubt" and "not without" do not negate. Limits that are
     themselves negative ("does not work for everyone", "not suitable for
     everyone", "not a one-size-fits-all solution") are risk cues of their own.
   * **patient history**: a negation inside a relative clause about patients
     ("those who have not responded", "who may not have access") describes the
     patients, not the treatment: the cue is dropped.
   * **reference only**: "despite these considerations", "despite the
     challenges" refer to a risk without naming it: cues inside such a phrase
     are dropped. Likewise "these benefits" only refers back to a promise.
   * **goals and research objects**: claim words ("effective", "efficacy",
     "safety", "potential", "benefits") that are the object of research or of a
     goal ("explore the efficacy", "to ensure safe and effective use",
     "delves into the potential") are not claims and are dropped.
   * **comparator clause**: "unlike traditional antidepressants, which ..." is
     about the other treatment: cues inside it are dropped and the unit gets
     the promise cue ``advantage_over_conventional``.
4. A unit about conventional antidepressants only (it names traditional,
   standard, other ... treatments and neither ketamine/esketamine nor "this
   treatment/approach") is **neutral** background: its promise and risk cues
   are dropped (noted as ``conventional_background``).
5. **Contrast**: promise and risk cues that both survive make the unit
   **mixed** (so "While safe but not universal, it offers hope" and "Side
   effects ..., which are generally mild and transient" are mixed: the harm
   minimiser is a promise cue); otherwise promise, risk or neutral.

Speed: every cue regex is compiled once at import, with its anchors: literal
strings one of which any match must contain (derived from the parsed pattern
with ``re._parser``, stable in the pinned Python 3.11). One trie-shaped regex
finds all anchors present in the lower-cased unit in a single pass, and only
the cues with an anchor present are run; the others cannot match.

``hype`` is true when a hype cue fires un-negated; ``hedge`` when any hedge cue
fires. Sub-themes are the named risk themes of the risk cues that survived.
"""

from __future__ import annotations

import re
from re import _constants as _sre_constants
from re import _parser as _sre_parser
from typing import Iterable

import pandas as pd

from framing.io.clean import normalise, RULES as _CLEAN_RULES
from framing.measures.negation import NEG_ANY as _NEG_ANY
from framing.measures.negation import NEGATORS, RISK_REVERSERS, negation
from framing.measures.negation import REV_END as _REV_END
from framing.measures.negation import WHO as _WHO
from framing.measures.negation import WINDOW as _WINDOW
from framing.measures.negation import clause_before as _clause_before

__all__ = [
    "label",
    "FRAMES",
    "SUBTHEMES",
    "COLUMNS",
    "PROMISE_CUES",
    "RISK_CUES",
    "HYPE_CUES",
    "HEDGE_CUES",
    "BOILERPLATE_CUES",
    "cue_lexicon",
    "PROB_COLUMNS",
    "METHODS",
]

FRAMES = ("promise", "risk", "mixed", "neutral", "boilerplate")

#: Risk sub-themes (names fixed by the project), in reporting order.
SUBTHEMES = (
    "acute_effects",
    "abuse_misuse",
    "long_term_unknowns",
    "evidence_gaps",
    "monitoring_supervision",
    "cost_access",
    "not_for_everyone",
    "effects_fade",
)

COLUMNS = [
    "frame", "hype", "hedge",
    "promise_cues", "risk_cues", "hype_cues", "hedge_cues", "boilerplate_cues",
    "subthemes", *SUBTHEMES, "notes",
]

# ----------------------------------------------------------------- lexicons
# Every pattern is matched case-insensitively against the unit after
# framing.io.clean.normalise (ASCII quotes, plain spaces).

#: Promise cues: (name, regex). Names in CLAIM_CUES are dropped when they are the
#: object of research or of a goal (see GOAL_BEFORE / UNDER_STUDY_AFTER).
PROMISE_CUES: tuple[tuple[str, str], ...] = (
    ("rapid_relief",
     r"\b(rapid|rapidly|quick|quickly|fast|faster|swift|swiftly|immediate|quicker)[- ]"
     r"(\w+[- ]){0,2}?(relief|onset|response|acting|effects?|improvements?|action|reaction|working|results?)\b"
     r"|\b(fast|rapid|quick)-acting\b|\bstarts? working\b|\bworks? (quickly|rapidly|fast)\b"
     r"|\beffects? (are|is) (often |usually )?(immediate|rapid|fast|quick|noticeable within)"
     r"|\bwithin (a few |several |\d+ )?(hours|minutes)\b"),
    ("relief", r"\b(relief|relieves?|relieving)\b"),
    ("alleviates", r"\balleviat\w*|\b(reduc\w+|lower\w*|eas\w+) (\w+ ){0,2}(symptoms|suicidal\w*|depression|depressive|anxiety)\b"
                   r"|\breduction in (\w+ ){0,2}(symptoms|suicidal\w*|depression)"
                   r"|\bhelps? (to )?(mitigate|relieve|restore|improve|reduce|alleviate)\b"),
    ("improvement", r"\bimprov(e|es|ed|ing|ement|ements)\b|\b(felt|feel|feeling|feels) better\b"
                    r"|\bresponded (well |quickly |rapidly )?to (ketamine|esketamine|the (drug|treatment|infusions?|spray))\b"),
    ("recovery", r"\b(recovery|remission)\b"),
    ("restores_function", r"\b(restor\w+|bring\w* back) (the )?balance\b|\bnormal functioning\b"),
    ("effective", r"\b(effective|effectively|efficacious)\b"),
    ("efficacy", r"\b(efficacy|effectiveness)\b"),
    ("potential", r"\b(its|the|their|remarkable|great|enormous|therapeutic|full|huge|significant|real|\w+'s) potential\b"
                  r"|\bpotential (to|in|for|as)\b"),
    ("promising", r"\bpromis(e|es|ing)\b"),
    ("hope", r"(?<!false )\bhope(ful)?\b|\boptimism\b|\boptimistic\b"),
    ("benefits", r"(?<!these )(?<!those )(?<!such )(?<!risks and )\bbenefi(ts?|cial)\b(?! and risks)"),
    ("advantage", r"\badvantage(s|ous)?\b|\bstands? out\b|\bsuperior\b|\bbetter than\b|\boutperform\w*"
                  r"|\bmore (effective|tolerable|rapid) than\b|\bsuccess(ful)?\b"
                  r"|\b(higher|greater|better|larger)\b[^.;]{0,40}\bthan (with |on )?placebo\b|\b(beat|beats|outperformed) placebo\b"),
    ("advantage_over_conventional",
     r"\bwhere (other|conventional|traditional|standard|existing|current|older)\b[^,.;]{0,40}"
     r"\b(fail|fails|failed|fall short|falls short|have failed|are ineffective|have been ineffective|ineffective)\b"),
    ("new_option", r"\boffer\w* (\w+ ){0,3}(option|alternative|avenue|pathway|possibilit\w+)\b"
                   r"|\bviable (option|alternative)\b|\bexpand\w* (\w+ ){0,2}options\b|\bprovid\w+ (\w+ ){0,2}options\b"
                   r"|\bnew (treatment )?options\b|\bunlock\w* (\w+ ){0,2}possibilities\b|\bopen\w* (the )?doors?\b"
                   r"|\btherapeutic option\b|\bhelp(s|ed)? (\w+ ){0,2}(patients|people|individuals|many|thousands|millions)\b"),
    ("novelty", r"\b(innovative|innovation|novel|noteworthy|impressive|encouraging|exciting|potent)\b"
                r"|(?<!disease )\bprogression\b|\badvancements?\b"),
    ("interest", r"\b(gained|garnered|attracted|generated|gaining) (\w+ ){0,2}(attention|interest)\b|\b(hailed|touted|heralded) as\b"),
    ("matters_for_patients", r"\b(crucial|critical|vital|essential) for (individuals|patients|people|those)\b|\blifeline\b"),
    ("safety_reassurance", r"\bsafe(ly)?\b|\bwell[- ]tolerated\b|\btolerab(le|ility)\b"
                           r"|\b(demonstrated|shown|proven|established|good|favou?rable|excellent|acceptable|overall) (the )?(\w+ )?safety\b"),
    ("harm_minimised", r"\b(generally|usually|typically|mostly|often|largely) (\w+ ){0,2}(mild|transient|short-lived|manageable|temporary|go(es)? away|resolv\w+|subsid\w+)\b"
                       r"|\bmild and (transient|short-lived|temporary)\b|\bgo(es)? away (after|within)\b"
                       r"|\bresolv\w+ (on their own|quickly|within)\b|\b(disappear\w*|subside\w*|wears? off) within\b"),
    ("accessible", r"\b(more )?(accessible|convenient)\b|\bcovered by (\w+ )?insurance\b|\binsurers? (now )?cover\b"),
    ("durable_effect", r"\b(long[- ]lasting|durable|sustained|lasting) (\w+ )?(relief|response|effects?|improvements?|benefits?|remission)\b"),
    ("synergy", r"\bsynergistic\b|\bpersonali[sz]ed (care|treatment)"),
    ("moves_closer", r"\bmoves? closer to\b|\bincreasingly evident\b|\blooks? (bright|promising)\b"),
)

#: Promise cues that are claims only when not the object of research or a goal.
CLAIM_CUES = frozenset({"effective", "efficacy", "potential", "safety_reassurance", "benefits", "improvement"})

#: Risk cues: (name, sub-theme or "", regex).
RISK_CUES: tuple[tuple[str, str, str], ...] = (
    # acute effects
    ("side_effects", "acute_effects", r"\bside[- ]effects?\b"),
    ("adverse_effects", "acute_effects", r"\badverse (effects?|events?|reactions?|outcomes?)\b"),
    ("dissociation", "acute_effects",
     r"\bdissociat(ion|ed|ing)\b|\bdissociative (effects?|symptoms?|experiences?|states?|side effects?|reactions?)\b"
     r"|\b(feel\w*|felt) (\w+ )?(detached|disconnected|unreal)\b|\bdisconnected from reality\b|\bout-of-body\b"
     r"|\bout of (their|your|one's|his|her) bod(y|ies)\b|\bspaced[- ]out\b|\bfloaty\b|\btrippy\b"),
    ("sedation", "acute_effects", r"\bsedat(ion|ed|ive effects?)\b|\bdrows\w+"),
    ("blood_pressure", "acute_effects",
     r"\b(increase[sd]?|elevat\w+|rais\w+|high|higher|spikes? in|rise in) (in )?(\w+ )?blood pressure\b|\bhypertensi\w+"),
    ("nausea_dizziness", "acute_effects", r"\bnause\w*|\bvomit\w*|\bdizz\w+|\bheadaches?\b|\bvertigo\b"),
    ("perceptual_effects", "acute_effects",
     r"\bhallucinat\w+|\bpsychotomimetic\b|\bperceptual (disturbances?|changes?)\b|\bunsettling\b"),
    # abuse and misuse
    ("abuse_misuse", "abuse_misuse", r"\b(ab|mis)us(e|ed|ing)\b"),
    ("recreational_illicit", "abuse_misuse",
     r"\brecreational(ly)?\b|\billicit(ly)?\b|\bstreet drug|\bparty drug|\bclub drug|\bspecial k\b|\bhorse tranquil\w+"),
    ("addiction_dependence", "abuse_misuse",
     r"\baddict\w*|\bdependen(ce|cy)\b|\bhabit[- ]forming\b|\bdiversion\b|\bdrug[- ]seeking\b"),
    # long-term safety unknown
    ("long_term_safety_unknown", "long_term_unknowns",
     r"\blong[- ]term (safety|effects?|side effects?|risks?|consequences|impact|use|harms?)\b"),
    ("organ_cognitive_harm", "long_term_unknowns",
     r"\bbladder\b|\bcystitis\b|\burinary (tract )?(problems|damage|symptoms|toxicity)\b|\bneurotoxic\w*"
     r"|\bmemory (loss|problems|impairment|deficits)\b|\bcognitive (impairment|decline|deficits?|problems)\b"
     r"|\bon cognitive (function|health)\b|\bcardiovascular (health|risks?|effects|events)\b"
     r"|\b(effects?|impact) on (the )?(\w+ ){0,2}(brain|bladder|memory|cognition|heart)\b"),
    # evidence gaps
    ("limited_evidence", "evidence_gaps",
     r"\b(limited|little|insufficient|scant|sparse|weak|inconclusive|lack(ing)? of|few|mixed|inconsistent) (\w+ ){0,2}(evidence|data|studies|trials|research)\b"
     r"|\b(evidence|data|research|studies)( base)? (is|are|remains?) (still )?(limited|lacking|scarce|sparse|insufficient|inconclusive|mixed|thin|weak|slim)\b"),
    ("research_needed", "evidence_gaps",
     r"\b(further|more|additional|continued|long-term|larger|rigorous|well-designed) (\w+ )?(research|studies|trials|investigations?|data) "
     r"(is |are )?(still )?(needed|required|essential|necessary|crucial|warranted|vital|important)\b"
     r"(?! to (further )?(explore|unlock|realize|realise|harness))"
     r"|\bneed for (further|more|additional) (research|studies|trials)\b"),
    ("long_term_efficacy_unknown", "evidence_gaps",
     r"\blong[- ]term (efficacy|effectiveness|benefits?|outcomes?|durability)\b"),
    ("open_questions", "evidence_gaps",
     r"\bquestions (about|regarding|remain|over)\b|\bunanswered questions\b|\b(it is|remains?|still) (unknown|unclear|uncertain)\b"
     r"|\bunclear whether\b|\b(no one|nobody) (yet )?knows\b|\bhow long (the )?(\w+ )?(benefits?|effects?|relief) (will )?last\b"),
    ("weak_design", "evidence_gaps",
     r"\bhead[- ]to[- ]head\b|\bsmall (sample|studies|trials)\b|\bshort[- ](term )?(trials?|studies|study|follow-up)\b|\b(a )?single (\w+ ){0,3}(trial|study)\b"
     r"|\b(remains?|still) (an? )?experimental\b|\bexperimental (treatment|therapy|drug)\b"
     r"|\b(trials|studies) (were|are|have been) (\w+ ){0,2}(small|short|brief)\b|\bfew (studies |trials )?(have )?(compared|tested|examined|followed)\b"
     r"|\bplacebo (response|effect)\b|\bunblinding\b|\boff[- ]label\b|\bnot (\w+ )?(fda[- ])?approved\b"),
    # monitoring and supervision as a safety matter
    ("supervision_required", "monitoring_supervision",
     r"\b(requir\w*|need\w*|must|only)\b[^.;,]{0,40}\b(monitor\w*|supervis\w*|observation|certified)\b"),
    ("monitoring_for_safety", "monitoring_supervision",
     r"\b(monitor\w*|supervis\w*|observ\w*|keep a close eye)\b[^.;]{0,130}?\b(side[- ]effects?|adverse|safety|risks?|negative (responses|reactions)|blood pressure|dissociat\w*|sedat\w*)\b"
     r"|\bto ensure (patient |their )?safety\b"),
    ("rems_setting", "monitoring_supervision",
     r"\bREMS\b|\bcertified (\w+ )?(setting|clinic|centre|center|provider|facility)|\bat least two hours\b"
     r"|\b(cannot|can't|should not|must not|shouldn't|not) drive\b|\bdriven home\b"
     r"|\b(little|lack of|no|poor|loose|lax|minimal) (\w+ )?(regulation|oversight)\b|\bunregulated\b"),
    # cost and access
    ("cost", "cost_access",
     r"\bcost(s|ly)?\b(?![- ]effective)(?! (are|is) (\w+ )?covered)|\bexpensive\b|\bpricey\b|\bprices?\b|\bout[- ]of[- ]pocket\b"
     r"|(?<!covered by )\binsurance\b"
     r"|\breimburs\w+|\bunaffordable\b|\b(cannot|can't|unable to) afford\b"),
    ("access_barrier", "cost_access",
     r"\b(lack of|limited|no|not have|without|barriers? to|restricted|unequal|difficult\w* (in )?(getting )?) (\w+ ){0,2}access\b"
     r"|\bnot (widely |yet )?available\b|\bonly available\b|\blimited availability\b"),
    # not for everyone
    ("not_for_everyone", "not_for_everyone",
     r"(\bnot|n't) (\w+ ){0,2}(suitable|appropriate|right|recommended|indicated|an option|safe) for (everyone|all|every|some|certain|anyone)\b"
     r"|(\bnot|n't) (\w+ ){0,2}(for everyone|for all|universal|universally|one[- ]size[- ]fits[- ]all)\b|\bnot everyone\b"
     r"|\bnot all (patients|people|individuals)\b"
     r"|\bonly (a minority|a fraction|a small (number|proportion|share)|some|a third|about a third|half) of (patients|people|participants|those)\b"
     r"|\b(does|do|did|will|may|might)(n't| not) (\w+ ){0,2}(work|help|respond)\b[^.;,]{0,20}?\b(for|in) (everyone|all|every|some|many)\b"),
    ("contraindicated", "not_for_everyone",
     r"\bcontraindicat\w+|\bscreened for\b|\b(should|must) not (be )?(use|used|take|taken|receive)\b"
     r"|\b(history of|with) (\w+ ){0,2}(psychosis|schizophrenia|substance use|aneurysm|uncontrolled hypertension)\b"),
    ("non_response", "not_for_everyone",
     r"\b(some|many|a (\w+ )?(portion|proportion|third|number) of) (patients|people|individuals)\b[^.;]{0,30}\b(do not|don't|fail to|does not) (respond|benefit|improve)\b"
     r"|\bnon-?respon(ders?|se)\b"),
    # effects fade, repeated dosing
    ("effects_fade", "effects_fade",
     r"(?<!side )(?<!side-)(?<!adverse )\b(effects?|benefits?|relief|improvements?|response)\b[^.;]{0,30}?"
     r"\b(fade[sd]?|fading|wear(s|ing)? off|wane[sd]?|waning|diminish\w*|short[- ]lived|temporary|last(s|ing)? only|do(es)? not last)\b"
     r"|(\bnot|n't) (\w+ )?(long[- ]lasting|durable|lasting|permanent)\b"
     r"|\b(only|typically|usually|generally) lasts?\b|\blast(s|ing)? (only|just|about|around|roughly) (a |one |two |several |a few )?(days?|weeks?)\b"),
    ("repeated_dosing", "effects_fade",
     r"\brepeated (administrations?|doses|dosing|infusions|treatments|sessions)\b"
     r"|\b(maintenance|booster|top-up) (doses|dosing|infusions|sessions)\b|\brelaps\w+"),
    # harms and limits without a sub-theme
    ("harm_words", "", r"\b(dangerous|harmful|unsafe|hazardous|toxic|toxicity|risky)\b|\bdangers? of\b"),
    ("safety_concern", "",
     r"\bsafety\b[^.;]{0,30}\bconcerns?\b|\bconcerns?\b[^.;]{0,25}\b(safety|misuse|abuse|side effects?|risks?|adverse)\b"
     r"|\b(raises?|raising) (\w+ ){0,2}concerns?\b|\bconcerns? (persist|remain)"),
    ("caution", "", r"\bcaution\w*|\bwarnings?\b|\bboxed\b|\bblack[- ]box\b|\blast resort\b"),
    ("limits", "",
     r"\bdrawbacks?\b|\bdownsides?\b|\blimitations?\b|\bcontrovers\w+|\bfalse hope\b|\bpanacea\b"
     r"|\bnot a (standalone|stand-alone|magic|silver|quick fix)|\bno substitute for\b"
     r"|\b(hype|hyped|overhyped|overstated|exaggerated|overblown)\b|\bworr(y|ies|ied)\b"
     r"|(\bnot|n't) (a )?first[- ]line\b|\bcritics?\b|\bcriticism\b|\bs[ck]eptic\w*"),
    ("named_risks", "",
     r"(?<!at )(?<!higher )(?<!high )(?<!increased )(?<!greater )(?<!elevated )\brisks? (of|associated|include|involved)\b|\b(serious|significant|known|health|safety) risks?\b"
     r"|\bcarr(y|ies|ying) (\w+ ){0,2}risks?\b|\b(weigh\w*|discuss\w*|consider\w*) (the )?(potential )?risks\b"),
)

#: Risk cues whose negation is still a risk ("no head-to-head trials", "not covered"): never flipped.
UNFLIPPED_RISK_CUES = frozenset({
    "limited_evidence", "research_needed", "long_term_efficacy_unknown", "open_questions", "weak_design",
    "not_for_everyone", "contraindicated", "non_response", "access_barrier", "effects_fade", "limits", "caution",
})

#: Risk cues that count only when the unit also matches this context (an uncertainty or a need).
RISK_CONTEXT = {
    "long_term_safety_unknown": r"\bunknown|\bunclear|\blimited|\bnot (yet )?(well |fully )?(known|understood|established|studied)"
                                r"|\bquestions?\b|\buncertain\w*|\bremains? to be|\black\w*|\bfew\b|\blittle\b|\bessential|\bneeded"
                                r"|\bnecessary|\brequired|\bconcerns?\b|\bunderstand\w*|\bstill\b",
    "long_term_efficacy_unknown": r"\bunknown|\bunclear|\blimited|\bnot (yet )?(well |fully )?(known|understood|established|studied)"
                                  r"|\bquestions?\b|\buncertain\w*|\bremains? to be|\black\w*|\bfew\b|\bneeded|\bconcerns?\b",
    "repeated_dosing": r"\brequir(e|es|ed|ing)\b|\bneed(s|ed)?\b|\bnecessar\w*|\bmust\b|\bongoing\b|\brelaps\w+",
    "organ_cognitive_harm": r"\bbladder|\bcystitis|\burinary|\bneurotoxic|\bmemory|\bimpairment|\bdecline|\bdeficit|\bproblems"
                            r"|\blong[- ]term|\bunknown|\bconcerns?\b|\brisks?\b",
}

#: Hype: promotional or superlative wording about the treatment (also promise cues).
HYPE_CUES: tuple[tuple[str, str], ...] = (
    ("breakthrough", r"\bbreakthroughs?\b"),
    ("game_changer", r"\bgame[- ]chang(er|ers|ing)\b"),
    ("revolution", r"\brevolution(ary|i[sz]e|i[sz]es|i[sz]ed|i[sz]ing|s)?\b"),
    ("groundbreaking", r"\bground[- ]?breaking\b"),
    ("remarkable", r"\bremarkabl[ey]\b"),
    ("miracle", r"\bmiracle\b|\bmiraculous\b|\bwonder drug\b|\bmagic bullet\b"),
    ("cure", r"\bcures?\b"),
    ("unlocking_hope", r"\bunlock\w* hope\b"),
    ("ray_of_hope", r"\b(ray|glimmer|beacon) of hope\b"),
    ("life_saving", r"\blife[- ]?saving\b"),
    ("transform_lives", r"\btransform\w* (the )?(\w+ )?(lives|life|landscape|field|treatment|way)\b|\blife[- ]changing\b"),
    ("new_hope", r"\b(renewed|new|fresh) (hope|optimism)\b"),
    ("unprecedented", r"\bunprecedented\b"),
    ("superlative", r"\bmost (promising|exciting)\b"),
)

#: Hedges: markers of uncertainty or tentativeness.
HEDGE_CUES: tuple[tuple[str, str], ...] = (
    ("may", r"(?<!\bin )(?<!\bof )\bmay\b(?! \d)"),
    ("might", r"\bmight\b"),
    ("could", r"\bcould\b"),
    ("possibly", r"\bpossibl[ey]\b(?<!best possible)(?<!worst possible)(?! to\b)"),
    ("potential", r"\bpotential(ly)?\b"),
    ("appears", r"\b(appear|appears|appeared|seem|seems|seemed) (to|that)\b"),
    ("suggests", r"\bsuggest(s|ed|ing)?\b|\bindicat(e|es|ed|ing) that\b"),
    ("is_thought", r"\b(is|are|was|were|been) (thought|believed|hypothesi[sz]ed|speculated|presumed)\b"),
    ("likely", r"\b(un)?likely\b|\bperhaps\b"),
    ("not_understood", r"\bnot (yet )?(fully |well |completely )?(understood|known|clear|established)\b"
                       r"|\b(do|does|did)(n't| not) (yet )?(fully )?(know|understand)\b|\b(no one|nobody) (yet )?knows\b"
                       r"|\b(unknown|unclear|uncertain|uncertainty)\b|\bremains? to be (seen|determined)\b"),
    ("still_studied", r"\b(still )?being (studied|investigated|researched|explored)\b|\bunder investigation\b"
                      r"|\b(ongoing|current) (research|studies|trials)\b[^.;]{0,20}\b(investigat|explor|examin|stud|delv)\w*"),
    ("research_needed", r"\b(further|more|additional|continued|long-term|larger) (\w+ )?(research|studies|trials|investigations?|data) "
                        r"(is |are )?(still )?(needed|required|essential|necessary|crucial|warranted)\b"
                        r"|\bneed for (further|more|additional) (research|studies|trials)\b"),
    ("limited_data", r"\blimited (\w+ )?(data|evidence)\b|\b(data|evidence) (is|are|remains?) (still )?(limited|lacking|scarce|preliminary)\b"
                     r"|\bpreliminary\b"),
)

#: Page furniture beyond the cleaning rules of framing.io.clean (which are applied first).
BOILERPLATE_CUES: tuple[tuple[str, str], ...] = (
    ("copyright", r"^\W*(copyright|\(c\)|©)|\ball rights reserved\b"),
    ("site_links", r"^\W*(privacy policy|terms (of use|and conditions)|cookie (policy|settings)|contact us|about us|sign up|log ?in|subscribe|menu|skip to (main )?content|back to top)\W*$"),
    ("post_meta", r"^\W*(tags?|categor(y|ies)|posted (in|on|by)|filed under|previous (post|article)|next (post|article)|source|image credit|photo credit)\s*[:|]"),
    ("teaser_link", r"^\W*(read more|read next|read also|also read|see also|related|recommended|you may also like|more on this)\s*[:|>\u00bb-]"),
    ("click_prompt", r"\bclick here\b|\bsign up for (our|the) newsletter\b|\bmuch appreciated\W*$"),
)


#: A claim word preceded, in its clause, by research or a goal is not a claim.
GOAL_BEFORE = (
    r"\b(explor\w*|investigat\w*|stud(y|ying|ies)|examin\w*|evaluat\w*|assess\w*|delv\w* (deeper )?into|understand\w*"
    r"|questions (about|regarding)|ensure|find|finding|search\w* for|need for|optimi[sz]\w*|determin\w*|focus\w* on|research into|navigat\w*|consider\w*)\b"
)
#: ... and a claim word followed, in its clause, by "is still being studied" or "not understood".
UNDER_STUDY_AFTER = (
    r"[^,;.]{0,40}\b(is|are|remains?) (still |not yet |not )?(being studied|being investigated|(fully )?understood|unclear|unknown)"
)

#: Phrases that only refer to risks or benefits named elsewhere: cues inside are dropped.
REFERENCE_ONLY = (
    r"\b(despite|notwithstanding|in spite of|regardless of)\s+(all\s+)?(these|those|the|such|its|their|this|any)\s+(\w+\s+)?"
    r"(considerations?|challenges?|concerns?|limitations?|risks?|drawbacks?|caveats?|issues?|uncertaint(y|ies)|hurdles?|questions?|benefits?|advantages?|promise)\b"
)
#: "Unlike traditional antidepressants, which ...": the clause is about the comparator.
COMPARATOR = (
    r"\bunlike (\w+ ){0,2}(traditional|conventional|standard|existing|typical|oral|older|other|most|current|first-line|ssris?|snris?|antidepressants?)\b[^,;]*(,\s*(which|that|who)\b[^,;]*)?"
)

#: Conventional treatments, named as such.
CONVENTIONAL = (
    r"\b(traditional|conventional|standard|existing|current|other|typical|oral|first-line|older|classic)\s+(\w+\s+)?"
    r"(antidepressants?|treatments?|therapies|therapy|medications?|drugs|methods|options)\b|\bssris?\b|\bsnris?\b"
)
#: The treatment the codebook is about: ketamine and relatives, or "this treatment/approach".
KETAMINE = r"\b\w*ketamine\b|\bspravato\b|\bketalar\b|\bnasal spray\b|\binfusions?\b"
ANAPHOR = (
    r"\bthis (\w+ )?(approach|treatment|therapy|method|medication|drug|option|intervention|anesthetic|anaesthetic|compound)\b"
)
#: Topic words: a headline without any of them is off topic.
TOPIC = (
    r"ketamine|spravato|depress|antidepress|treat|therap|medic|\bdrugs?\b|mental health|\bmood|suicid|psychiatr"
    r"|\btrd\b|\bmdd\b|\bdos(e|es|ing)\b|patient|clinic"
)

_FLAGS = re.I


def _anchors(pattern: str) -> frozenset[str] | None:
    """Lower-case literal strings one of which every match of ``pattern`` contains (None: no such set).

    Used as a gate (a cue runs only if one of its anchors occurs in the lower-cased
    unit, see :func:`_present`), so that most cues are never run. Derived from the
    parsed pattern and looked for in the text case-folded as ``re.I`` folds it
    (:func:`_gate_text`), so the gate never contradicts the regex.
    """
    C = _sre_constants

    def sequence(items) -> frozenset[str] | None:
        candidates, run = [], []
        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            if run:
                candidates.append(frozenset({"".join(run).lower()}))
                run = []
            found = None
            if op is C.SUBPATTERN:
                found = sequence(av[-1].data)
            elif op is C.ATOMIC_GROUP:
                found = sequence(av.data)
            elif op is C.BRANCH:
                parts = [sequence(branch.data) for branch in av[1]]
                found = None if any(p is None for p in parts) else frozenset().union(*parts)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
                found = sequence(av[2].data)
            if found:
                candidates.append(found)
        if run:
            candidates.append(frozenset({"".join(run).lower()}))
        if not candidates:
            return None
        return max(candidates, key=lambda c: (min(len(a) for a in c), -len(c)))

    return sequence(_sre_parser.parse(pattern, _FLAGS).data)


def _trie_regex(words) -> str:
    """A regex matching any of ``words``, written as a trie so that the longest word wins at each position."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(root)


def _compile(entries):
    return tuple((name, re.compile(pattern, _FLAGS), _anchors(pattern)) for name, pattern in entries)


_PROMISE = _compile(PROMISE_CUES)
_RISK = tuple((name, theme, re.compile(pattern, _FLAGS), _anchors(pattern),
               re.compile(RISK_CONTEXT[name], _FLAGS) if name in RISK_CONTEXT else None)
              for name, theme, pattern in RISK_CUES)
_HYPE = _compile(HYPE_CUES)
_HEDGE = _compile(HEDGE_CUES)

# One scan finds the anchors of every cue. At each position of the lower-cased unit the
# lookahead matches the longest anchor starting there; the anchors that are prefixes of it
# start there too, so each anchor maps to the cues of itself and of all its prefixes.
#: Patterns beside the cues that are run only when one of their anchors occurs (gate keys
#: ``("gate", name)``): the negators and reversers (every match of the negation patterns starts
#: with one of theirs, and a cue's clause is part of its unit), the structural patterns and
#: the boilerplate cues.
_GATED = {"negator": NEGATORS, "reverser": RISK_REVERSERS, "reference": REFERENCE_ONLY, "comparator": COMPARATOR,
          "conventional": CONVENTIONAL, "ketamine": KETAMINE, "anaphor": ANAPHOR,
          **{f"boilerplate:{n}": p for n, p in BOILERPLATE_CUES}}
_CUE_ANCHORS = ([(("promise", n), a) for n, _, a in _PROMISE] + [(("risk", n), a) for n, _, _, a, _ in _RISK]
                + [(("hype", n), a) for n, _, a in _HYPE] + [(("hedge", n), a) for n, _, a in _HEDGE]
                + [(("gate", n), _anchors(p)) for n, p in _GATED.items()])
_ALWAYS = frozenset(key for key, anchors in _CUE_ANCHORS if anchors is None)
_ALL_ANCHORS = sorted({a for _, anchors in _CUE_ANCHORS if anchors for a in anchors})
_CUES_OF = {a: frozenset(key for key, anchors in _CUE_ANCHORS if anchors and any(a.startswith(b) for b in anchors))
            for a in _ALL_ANCHORS}
_SCAN = re.compile("(?=(" + _trie_regex(_ALL_ANCHORS) + "))")


#: The characters other than ASCII letters that ``re.I`` matches to an ASCII letter, and that
#: ``str.lower`` does not turn into it (U+212A, the Kelvin sign, lower-cases to "k" already).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _gate_text(text: str) -> str:
    """The text the anchors are looked for in: case-folded the way ``re.I`` matches ASCII letters."""
    return text.translate(_FOLD).lower()


def _present(lower: str) -> set:
    """Keys (kind, name) of the cues with an anchor in ``lower`` (a :func:`_gate_text`): no other cue can match."""
    keys = set(_ALWAYS)
    for m in _SCAN.finditer(lower):
        keys |= _CUES_OF[m.group(1)]
    return keys


_BOILER = tuple((name, re.compile(pattern, _FLAGS)) for name, pattern in BOILERPLATE_CUES)
_GOAL = re.compile(GOAL_BEFORE, _FLAGS)
_UNDER_STUDY = re.compile(UNDER_STUDY_AFTER, _FLAGS)
_REFERENCE = re.compile(REFERENCE_ONLY, _FLAGS)
_COMPARATOR = re.compile(COMPARATOR, _FLAGS)
_CONVENTIONAL = re.compile(CONVENTIONAL, _FLAGS)
_KETAMINE = re.compile(KETAMINE, _FLAGS)
_ANAPHOR = re.compile(ANAPHOR, _FLAGS)
_TOPIC = re.compile(TOPIC, _FLAGS)
_STRONG_BREAK = re.compile(r"[;:()\u2014]|\b(but|however|although|though|while|whereas|yet)\b", _FLAGS)
_LIST_ITEM = re.compile(r"\s*(and|or)\b", _FLAGS)
_SENTENCE_END = re.compile(r"[.!?;,:]\W*$")
# Cleaning rules that judge a line by itself (the others need the whole page).
_CLEAN_CTX = {"script": "latin", "kept_headings": [], "kept_paragraphs": set()}
_STATELESS_RULES = tuple(r for r in _CLEAN_RULES if r.name not in ("repeated_title", "duplicate_paragraph"))



def cue_lexicon() -> pd.DataFrame:
    """Every cue of every lexicon: kind, name, sub-theme (risk cues) and pattern, for documentation."""
    rows = [("promise", n, "", p) for n, p in PROMISE_CUES]
    rows += [("risk", n, t, p) for n, t, p in RISK_CUES]
    rows += [("hype", n, "", p) for n, p in HYPE_CUES]
    rows += [("hedge", n, "", p) for n, p in HEDGE_CUES]
    rows += [("boilerplate", r.name, "", r.description) for r in _STATELESS_RULES]
    rows += [("boilerplate", "off_topic_headline", "", "headline-like line without a word about ketamine, depression or treatment")]
    rows += [("boilerplate", n, "", p) for n, p in BOILERPLATE_CUES]
    return pd.DataFrame(rows, columns=["kind", "cue", "subtheme", "pattern"])


def _claim_clause(text: str, pos: int) -> str:
    """Like :func:`_clause_before`, but a list item ("..., and its efficacy") reaches back to its list's head."""
    clause = _clause_before(text, pos)
    if not _LIST_ITEM.match(clause):
        return clause
    start = max(0, pos - 2 * _WINDOW)
    window = text[start:pos]
    last = None
    for last in _STRONG_BREAK.finditer(window):
        pass
    return window[last.end():] if last else window


def _status(text: str, pos: int, reverser: re.Pattern | None, notes: list, may_negate: bool = True) -> tuple[str, str]:
    """Negation status of a cue starting at ``pos`` (see :func:`framing.measures.negation.negation`) and its clause."""
    clause = _clause_before(text, pos)
    status = negation(clause, reverser, may_negate)
    if status == "history":
        notes.append("patient_history")
    return status, clause


def _in_spans(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


def _boilerplate(text: str, present: set | None = None) -> list[str]:
    stripped = text.strip()
    fired = []
    for rule in _STATELESS_RULES:
        if rule.name == "foreign_site_label" and stripped.isascii():
            continue
        if rule.test(stripped, _CLEAN_CTX):
            fired.append(rule.name)
    fired += [name for name, rx in _BOILER
              if (present is None or ("gate", f"boilerplate:{name}") in present) and rx.search(stripped)]
    words = stripped.split()
    if (len(words) >= 6 and not _SENTENCE_END.search(stripped) and not _TOPIC.search(stripped)):
        long_words = [w for w in words if len(w) > 3]
        capitalised = sum(1 for w in long_words if w[:1].isupper())
        if ":" in stripped or (long_words and capitalised >= 0.5 * len(long_words)):
            fired.append("off_topic_headline")
    return fired


def _unique(items):
    return list(dict.fromkeys(items))


def _first_hit(kind: str, name: str, rx: re.Pattern, text: str, spans, notes: list,
               gates: tuple[bool, bool] = (True, True)) -> str | None:
    """Negation status ('' or 'negated') of the first match of a cue that counts; None when none counts.

    A match counts unless it lies in ``spans`` (reference-only or comparator phrases) or in a
    patient-history clause. Risk cues (``kind`` "risk") are also reversed by "reduce", "few",
    ...; cues in :data:`UNFLIPPED_RISK_CUES` are never flipped; a risk cue that holds its own
    negator inside a who-clause is patient history. An un-negated promise claim word that is
    the object of research or of a goal does not count (noted ``not_a_claim``). ``gates``:
    whether the unit may hold a negator and a reverser (see :data:`_GATED`).
    """
    may_negate, may_reverse = gates
    for m in rx.finditer(text):
        if _in_spans(m.start(), spans):
            continue
        reverser = _REV_END if kind == "risk" and may_reverse else None
        status, clause = _status(text, m.start(), reverser, notes, may_negate)
        if kind == "risk":
            if status == "negated" and name in UNFLIPPED_RISK_CUES:
                status = ""
            if status == "" and may_negate and _NEG_ANY.search(m.group()) and _WHO.search(clause):
                status = "history"  # "who may not have access": the patients, not the treatment
                notes.append("patient_history")
        if status == "history":
            continue
        if (status == "" and kind == "promise" and name in CLAIM_CUES
                and (_GOAL.search(_claim_clause(text, m.start())) or _UNDER_STUDY.match(text, m.end()))):
            notes.append(f"not_a_claim:{name}")
            continue
        return status
    return None


def _label_one(raw: str) -> dict:
    row = {c: "" for c in COLUMNS}
    row.update({"hype": False, "hedge": False, **{t: False for t in SUBTHEMES}})
    text = normalise(raw) if isinstance(raw, str) else ""  # None and NaN count as empty
    if not text.strip():
        row["frame"] = "neutral"
        return row
    present = _present(_gate_text(text))
    boiler = _boilerplate(text, present)
    if boiler:
        row.update(frame="boilerplate", boilerplate_cues="; ".join(_unique(boiler)))
        return row

    notes = []
    promise, risk, hype = [], [], []
    themes = []
    reference_spans = [m.span() for m in _REFERENCE.finditer(text)] if ("gate", "reference") in present else []
    comparator_spans = [m.span() for m in _COMPARATOR.finditer(text)] if ("gate", "comparator") in present else []
    gates = (("gate", "negator") in present, ("gate", "reverser") in present)
    about_ketamine = ("gate", "ketamine") in present and _KETAMINE.search(text) is not None
    if reference_spans:
        notes.append("reference_only")
    dropped = reference_spans + comparator_spans

    for name, rx, _ in _PROMISE:
        if ("promise", name) in present:
            status = _first_hit("promise", name, rx, text, dropped, notes, gates)
            if status == "negated":
                risk.append(f"not_{name}")
                notes.append(f"negated:{name}")
            elif status == "":
                promise.append(name)

    for name, theme, rx, _, context in _RISK:
        if ("risk", name) in present and (context is None or context.search(text)):
            status = _first_hit("risk", name, rx, text, dropped, notes, gates)
            if status == "negated":
                promise.append(f"no_{name}")
                notes.append(f"negated:{name}")
            elif status == "":
                risk.append(name)
                if theme:
                    themes.append(theme)

    for name, rx, _ in _HYPE:
        if ("hype", name) in present:
            status = _first_hit("hype", name, rx, text, reference_spans, notes, gates)
            if status == "negated":
                risk.append(f"not_{name}")
                notes.append(f"negated:{name}")
            elif status == "":
                hype.append(name)
                promise.append(name)

    if comparator_spans and about_ketamine:
        promise.append("advantage_over_conventional")
        notes.append("comparator_clause")

    conventional = ([m for m in _CONVENTIONAL.finditer(text) if not _WHO.search(_clause_before(text, m.start()))]
                    if ("gate", "conventional") in present else [])
    if conventional and not about_ketamine and not (("gate", "anaphor") in present and _ANAPHOR.search(text)):
        if promise or risk or hype:
            notes.append("conventional_background")
        promise, risk, hype, themes = [], [], [], []

    hedges = [name for name, rx, _ in _HEDGE if ("hedge", name) in present and rx.search(text)]
    promise, risk, hype = _unique(promise), _unique(risk), _unique(hype)
    if promise and risk:
        frame = "mixed"
    elif promise:
        frame = "promise"
    elif risk:
        frame = "risk"
    else:
        frame = "neutral"
    themes = [t for t in SUBTHEMES if t in set(themes)]
    row.update(
        frame=frame, hype=bool(hype), hedge=bool(hedges),
        promise_cues="; ".join(promise), risk_cues="; ".join(risk),
        hype_cues="; ".join(hype), hedge_cues="; ".join(hedges),
        subthemes="; ".join(themes), notes="; ".join(_unique(notes)),
        **{t: True for t in themes},
    )
    return row


def _rules(texts) -> pd.DataFrame:
    rows = [_label_one(t) for t in texts]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"hype": bool, "hedge": bool, **{t: bool for t in SUBTHEMES}})


#: Frame probability columns of the learned coder (``p_promise`` ...), after :data:`COLUMNS`.
PROB_COLUMNS = [f"p_{f}" for f in FRAMES]
METHODS = ("learned", "rules")


def label(texts: Iterable[str], doc=None, method: str = "learned") -> pd.DataFrame:
    """Code every text (sentence or heading) by the codebook; one row per text, same order.

    Columns: frame (promise, risk, mixed, neutral, boilerplate), hype and hedge
    (bool), promise_cues, risk_cues, hype_cues, hedge_cues, boilerplate_cues and
    subthemes ('; '-joined names), one bool column per risk sub-theme
    (:data:`SUBTHEMES`), notes (structural rules that applied: negation,
    patient history, reference only, comparator clause, conventional background),
    and one calibrated probability per frame (:data:`PROB_COLUMNS`).

    ``method="learned"`` (the default) codes frame, hype, hedge and sub-themes with the
    learned coder (:mod:`framing.measures.coder`); the cue columns and notes are the rules'
    evidence for each text. ``method="rules"`` is the rule coder alone (probabilities
    are NaN). ``doc``: one article id per text, texts in reading order, each article's
    texts together; the learned coder then uses each unit's context (neighbouring units,
    the article's first unit and its other units). Without it every text is coded alone.
    ``None`` and empty strings are neutral without cues.
    """
    if isinstance(texts, str):
        raise TypeError("label() takes a list of texts, not a single string")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    texts = list(texts)
    if doc is not None:
        doc = list(doc)
        if len(doc) != len(texts):
            raise ValueError(f"doc has {len(doc)} ids for {len(texts)} texts")
    table = _rules(texts)
    if method == "rules":
        for col in PROB_COLUMNS:
            table[col] = float("nan")
        return table
    from framing.measures import coder

    learned = coder.predict([t if isinstance(t, str) else "" for t in texts], doc=doc, rules=table)
    empty = [not (isinstance(t, str) and t.strip()) for t in texts]
    learned.loc[empty, "frame"] = "neutral"
    learned.loc[empty, ["hype", "hedge", *SUBTHEMES]] = False
    table["frame"] = learned["frame"].to_numpy()
    for col in ["hype", "hedge", *SUBTHEMES]:
        table[col] = learned[col].to_numpy(dtype=bool)
    table["subthemes"] = ["; ".join(t for t in SUBTHEMES if row[t]) for row in table[list(SUBTHEMES)].to_dict("records")]
    for f, col in zip(FRAMES, PROB_COLUMNS):
        table[col] = learned[f"p_{f}"].to_numpy(dtype=float)
    return table
