"""A health-news quality checklist per article, from transparent regex cues.

The criteria are adapted from HealthNewsReview's ten criteria and DISCERN
(see ``/work/shared/notes/research-anchors.md``). Each criterion is met by an
article when at least one of its sentences (headings included) fires one of the
criterion's named cues. Every answer carries the sentences that justify it.

The rules are data, not code:

* ``framing/data/quality_cues.csv`` -- one row per cue: criterion, cue name,
  regex ``pattern``, ``requires`` (names of macros that must *also* match
  somewhere in the sentence), ``negatable``, ``ignore_case`` and a ``note``
  that states the edge decisions.
* ``framing/data/quality_macros.csv`` -- named regex fragments (``{HARM}``,
  ``{NUM}``, ...) used inside patterns and in ``requires``.

Decisions on the edges (also in the notes of the CSV):

* quantifies_benefits: a proportion (40 %, 7 in 10, half of patients), an
  effect size with a number, or points on a rating scale, in a sentence that
  also carries a benefit word and names the treatment or a study. A duration
  ("within hours", "up to a week") is *not* a quantified benefit, nor is
  "significant improvement".
* names_harms: a named harm or "side effects" / "adverse effects". Generic
  "risks" names no harm. "dissociative anaesthetic" is a drug class, not a harm.
* quantifies_harms: a proportion in a sentence naming a harm, a number needed
  to harm, or a blood-pressure change in mmHg. "Common" and "goes away after a
  few hours" are not numbers of harm.
* evidence_quality: a named design (randomised, placebo-controlled, open-label,
  meta-analysis, ...), a study size, evidence called limited / preliminary /
  small, "more/further research is needed", or long-term effects stated as
  unknown or under study. Bare "studies have shown" and "rigorous clinical
  trials" do not describe quality; uncertainty about the *mechanism* is not about
  the evidence of benefit or harm.
* costs_access: cost, price, insurance, or access stated as limited / a barrier
  (specialised clinics). A bare "provide access to this therapy" does not count.
* compares_alternatives: an explicit comparison word (unlike, compared with,
  faster than, instead of, alternative to, while/whereas with the drug in the
  sentence) tied to a named alternative (antidepressants, ECT, psychotherapy,
  infusions, standard treatments ...). Naming an alternative without comparing
  does not count. Qualitative comparisons (onset, mechanism) count.
* not_for_everyone: "not for everyone / not universal / not one-size-fits-all",
  eligibility, contraindications, screening, "prescribed for people who have not
  responded to ...".
* supervision_monitoring: monitoring, supervision, certified settings, REMS,
  two-hour observation, "keep a close eye on patients".
* abuse_misuse: abuse, misuse, diversion, addiction, dependence, recreational or
  illicit use, scheduling.
* cites_sources: a link, a named journal, "et al.", an author-year or numbered
  reference, "published in ...", "according to the FDA / Dr X", researchers at a
  named institution, a named trial. Vague "research shows" does not count.
* uses_hype: the codebook's hype words and HealthNewsReview red flags
  (breakthrough, game-changer, revolutionary, groundbreaking, remarkable,
  miracle, cure, ray/glimmer of hope, renewed/new hope, unlocking hope or
  potential, life-saving, transform lives). Not "promising", "novel",
  "innovative". The FDA's "Breakthrough Therapy designation" is not hype.

Negation: for cues marked ``negatable`` (harms, abuse/misuse, hype) a match is
discarded when it is negated by the project's one negation rule, the frame coder's
(:func:`framing.measures.negation.is_negated`: a negator such as no, not, never, without, non-,
zero, free of, lack of, n't at most three words before it in the same clause; "not only"
and "no longer" are not negations). If every match of a cue in a sentence is negated the
cue does not fire. Cues that already contain their negation ("not for everyone") are not
negatable.

Scoring (:func:`checklist_score`): the ten quality criteria are every
criterion except ``uses_hype``; score = (criteria met - 1 if the article uses
hype) / 10, so it runs from -0.1 to 1.0. Hype counts as one lost criterion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names in annotations only
    import os
    from collections.abc import Iterable, Sequence

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from framing.io.datafiles import RuleError, compile_pattern, data_path, join_ids, join_texts, read_rule_table
from framing.measures.negation import is_negated

__all__ = [
    "CRITERIA", "QUALITY_CRITERIA", "HYPE_CRITERION", "CUE_COLUMNS", "MACRO_COLUMNS",
    "cue_table", "macro_table", "load_rules", "sentence_criteria", "checklist",
    "checklist_wide", "checklist_score", "read_checklist", "compare_checklists", "checklist_agreement", "unmet_criteria",
]

#: All criteria, in the fixed order of every table and figure.
CRITERIA = (
    "quantifies_benefits", "names_harms", "quantifies_harms", "evidence_quality", "costs_access",
    "compares_alternatives", "not_for_everyone", "supervision_monitoring", "abuse_misuse",
    "cites_sources", "uses_hype",
)
#: The criterion that counts against an article.
HYPE_CRITERION = "uses_hype"
#: The ten criteria an article should meet.
QUALITY_CRITERIA = tuple(c for c in CRITERIA if c != HYPE_CRITERION)

CUE_COLUMNS = ["criterion", "cue", "pattern", "requires", "negatable", "ignore_case", "note"]
MACRO_COLUMNS = ["name", "pattern", "note"]

_TRUTH = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}




def _as_bool(value: str, *, path: str | os.PathLike[str], row: int, rule_id: str, column: str) -> bool:
    key = value.strip().lower()
    if key not in _TRUTH:
        raise RuleError(f"{path}: row {row} ({rule_id!r}), column {column}: {value!r} is not true/false")
    return _TRUTH[key]


def macro_table(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The named regex fragments (name, pattern, note) used by the cues."""
    path = path or data_path("quality_macros.csv")
    table = read_rule_table(path, MACRO_COLUMNS, "name")
    dup = table.loc[table["name"].duplicated(), "name"].tolist()
    if dup:
        raise RuleError(f"{path}: duplicated macro name(s) {dup}")
    return table


def cue_table(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The cue table (criterion, cue, pattern, requires, negatable, ignore_case, note), as stored."""
    path = path or data_path("quality_cues.csv")
    table = read_rule_table(path, CUE_COLUMNS, "cue")
    unknown = sorted(set(table["criterion"]) - set(CRITERIA))
    if unknown:
        raise RuleError(f"{path}: unknown criterion {unknown}; expected one of {list(CRITERIA)}")
    absent = [c for c in CRITERIA if c not in set(table["criterion"])]
    if absent:
        raise RuleError(f"{path}: no cue for criterion {absent}")
    dup = table.loc[table.duplicated(["criterion", "cue"]), ["criterion", "cue"]].values.tolist()
    if dup:
        raise RuleError(f"{path}: duplicated (criterion, cue) {dup}")
    return table


def load_rules(cues_path: str | os.PathLike[str] | None = None, macros_path: str | os.PathLike[str] | None = None) -> list[dict]:
    """Compile the cue table into rules: dicts with criterion, cue, regex, requires, negatable.

    Raises :class:`framing.io.datafiles.RuleError` naming the file, row and column of a
    pattern that does not compile, an unknown macro or a bad true/false value.
    """
    macros_path = macros_path or data_path("quality_macros.csv")
    macros_df = macro_table(macros_path)
    macros = dict(zip(macros_df["name"], macros_df["pattern"]))
    compiled_macros = {}
    for i, (name, pattern) in enumerate(macros.items(), start=1):
        compiled_macros[name] = compile_pattern(pattern, path=macros_path, row=i, rule_id=name, column="pattern")
    cues_path = cues_path or data_path("quality_cues.csv")
    rules = []
    for i, row in enumerate(cue_table(cues_path).itertuples(index=False), start=1):
        where = dict(path=cues_path, row=i, rule_id=row.cue)
        ignore_case = _as_bool(row.ignore_case, column="ignore_case", **where)
        regex = compile_pattern(row.pattern, column="pattern", macros=macros,
                                flags=re.IGNORECASE if ignore_case else 0, **where)
        if regex is None:
            raise RuleError(f"{cues_path}: row {i} ({row.cue!r}), column pattern: empty pattern")
        requires = row.requires.split()
        unknown = [m for m in requires if m not in compiled_macros]
        if unknown:
            raise RuleError(f"{cues_path}: row {i} ({row.cue!r}), column requires: unknown macro(s) {unknown}")
        rules.append({
            "criterion": row.criterion,
            "cue": row.cue,
            "regex": regex,
            "requires": tuple(compiled_macros[m] for m in requires),
            "negatable": _as_bool(row.negatable, column="negatable", **where),
        })
    return rules


@lru_cache(maxsize=1)
def _default_rules() -> tuple:
    return tuple(load_rules())


def _fires(rule: dict, text: str) -> bool:
    if not all(req.search(text) for req in rule["requires"]):
        return False
    for match in rule["regex"].finditer(text):
        if not (rule["negatable"] and is_negated(text, match.start())):
            return True
    return False


def sentence_criteria(texts: Iterable[str], rules: Sequence[dict] | None = None) -> pd.DataFrame:
    """One row per text: a bool column per criterion (in :data:`CRITERIA` order) and ``cues``.

    ``cues`` lists the cues that fired as ``criterion:cue`` joined by "; ".
    The index is the index of ``texts`` when it is a Series, else 0..n-1.
    """
    rules = _default_rules() if rules is None else rules
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts))
    rows = []
    for text in series.astype(str):
        fired = [r for r in rules if _fires(r, text)]
        met = {r["criterion"] for r in fired}
        row = {c: c in met for c in CRITERIA}
        row["cues"] = "; ".join(f"{r['criterion']}:{r['cue']}" for r in fired)
        rows.append(row)
    return pd.DataFrame(rows, index=series.index, columns=[*CRITERIA, "cues"]).astype(
        {c: bool for c in CRITERIA})


def checklist(sentences: pd.DataFrame, rules: Sequence[dict] | None = None, hype: pd.Series | None = None) -> pd.DataFrame:
    """The checklist of every article in long form.

    ``sentences`` needs doc_id, sentence_id and text. Returns one row per
    (doc_id, criterion), docs sorted, criteria in :data:`CRITERIA` order, with
    present (bool), n_sentences, evidence_ids ("; "-joined sentence ids in
    reading order), evidence (the texts, " | "-joined) and cues (the cues that
    fired in those sentences).

    ``hype``: optional per-sentence booleans (indexed like ``sentences``) from
    another hype coder; when given they replace the ``uses_hype`` cues (the
    cue is then reported as ``external``), so the checklist and a hype rate
    can share one definition.
    """
    missing = {"doc_id", "sentence_id", "text"} - set(sentences.columns)
    if missing:
        raise ValueError(f"checklist: sentences lack column(s) {sorted(missing)}")
    ordered = sentences.sort_values(["doc_id", "sentence_id"], kind="stable")
    hits = sentence_criteria(ordered["text"], rules=rules)
    if hype is not None:
        lacking = ordered.index.difference(hype.index)
        if len(lacking):
            raise ValueError(f"checklist: hype has no value for {len(lacking)} sentence(s), e.g. index {lacking[0]}")
        flags = hype.reindex(ordered.index).astype(bool)
        kept = hits["cues"].map(lambda cell: [c for c in cell.split("; ") if c and not c.startswith(HYPE_CRITERION + ":")])
        hits[HYPE_CRITERION] = flags
        hits["cues"] = [
            "; ".join(cues + ([f"{HYPE_CRITERION}:external"] if flag else [])) for cues, flag in zip(kept, flags)
        ]
    table = pd.concat([ordered[["doc_id", "sentence_id", "text"]], hits], axis=1)
    rows = []
    for doc_id, part in table.groupby("doc_id", sort=True):
        for criterion in CRITERIA:
            hit = part[part[criterion]]
            cues = sorted({c.split(":", 1)[1] for cell in hit["cues"]
                           for c in cell.split("; ") if c.startswith(criterion + ":")})
            rows.append({
                "doc_id": doc_id,
                "criterion": criterion,
                "present": len(hit) > 0,
                "n_sentences": len(hit),
                "evidence_ids": join_ids(hit["sentence_id"]),
                "evidence": join_texts(hit["text"]),
                "cues": ", ".join(cues),
            })
    return pd.DataFrame(rows, columns=["doc_id", "criterion", "present", "n_sentences", "evidence_ids",
                                       "evidence", "cues"])


def checklist_wide(long: pd.DataFrame, value: str = "present") -> pd.DataFrame:
    """The doc x criterion view of :func:`checklist` (``value`` column), criteria in fixed order."""
    wide = long.pivot(index="doc_id", columns="criterion", values=value)
    wide = wide.reindex(columns=[c for c in CRITERIA if c in wide.columns]).sort_index()
    wide.columns.name = None
    return wide


def checklist_score(long: pd.DataFrame) -> pd.DataFrame:
    """Per article: n_met (of the ten quality criteria), uses_hype, score.

    score = (n_met - uses_hype) / 10: the share of the ten quality criteria met,
    with hype counted as one lost criterion (range -0.1 to 1.0).
    """
    wide = checklist_wide(long).astype(bool)
    absent = [c for c in CRITERIA if c not in wide.columns]
    if absent:
        raise ValueError(f"checklist_score: checklist lacks criteria {absent}")
    n_met = wide[list(QUALITY_CRITERIA)].sum(axis=1).astype(int)
    hype = wide[HYPE_CRITERION].astype(bool)
    out = pd.DataFrame({
        "n_met": n_met,
        "n_criteria": len(QUALITY_CRITERIA),
        "uses_hype": hype,
        "score": (n_met - hype.astype(int)) / len(QUALITY_CRITERIA),
    })
    return out.reset_index()


def read_checklist(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a hand-coded checklist into long form (doc_id, criterion, present).

    Accepts either a long file with columns doc_id, criterion, present, or a
    wide file with doc_id and one column per criterion. Values may be
    true/false, yes/no or 1/0. Raises ValueError naming the file and the reason.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: hand-coded checklist not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.columns = [c.strip() for c in table.columns]
    if "doc_id" not in table.columns:
        raise ValueError(f"{path}: no doc_id column; found {list(table.columns)}")
    if {"criterion", "present"} <= set(table.columns):
        long = table[["doc_id", "criterion", "present"]].copy()
    else:
        crit_cols = [c for c in table.columns if c in CRITERIA]
        if not crit_cols:
            raise ValueError(f"{path}: neither criterion/present columns nor criterion columns {list(CRITERIA)}")
        long = table.melt(id_vars="doc_id", value_vars=crit_cols, var_name="criterion", value_name="present")
    unknown = sorted(set(long["criterion"]) - set(CRITERIA))
    if unknown:
        raise ValueError(f"{path}: unknown criterion {unknown}")
    values = long["present"].str.strip().str.lower()
    bad = long.loc[~values.isin(list(_TRUTH)), ["doc_id", "criterion"]].values.tolist()
    if bad:
        raise ValueError(f"{path}: present is not true/false for {bad[:10]}")
    long["present"] = values.map(_TRUTH).astype(bool)
    if long.duplicated(["doc_id", "criterion"]).any():
        dup = long.loc[long.duplicated(["doc_id", "criterion"]), ["doc_id", "criterion"]].values.tolist()
        raise ValueError(f"{path}: duplicated (doc_id, criterion) {dup[:10]}")
    return long.sort_values(["doc_id", "criterion"], kind="stable").reset_index(drop=True)


def compare_checklists(auto: pd.DataFrame, hand: pd.DataFrame) -> pd.DataFrame:
    """Join an automatic and a hand checklist (both long) on (doc_id, criterion).

    Returns doc_id, criterion, auto, hand, agree, plus the automatic evidence
    when present. Pairs coded on one side only raise ValueError (listing them).
    """
    a = auto.rename(columns={"present": "auto"})
    h = hand[["doc_id", "criterion", "present"]].rename(columns={"present": "hand"})
    merged = a.merge(h, on=["doc_id", "criterion"], how="outer", indicator=True)
    lonely = merged.loc[merged["_merge"] != "both", ["doc_id", "criterion", "_merge"]]
    if len(lonely):
        raise ValueError(f"compare_checklists: pairs coded on one side only: {lonely.values.tolist()[:10]}")
    merged = merged.drop(columns="_merge")
    merged["auto"] = merged["auto"].astype(bool)
    merged["hand"] = merged["hand"].astype(bool)
    merged["agree"] = merged["auto"] == merged["hand"]
    order = {c: i for i, c in enumerate(CRITERIA)}
    merged = merged.sort_values(["doc_id", "criterion"], key=lambda s: s.map(order) if s.name == "criterion" else s,
                                kind="stable")
    front = ["doc_id", "criterion", "auto", "hand", "agree"]
    return merged[front + [c for c in merged.columns if c not in front]].reset_index(drop=True)


def checklist_agreement(compared: pd.DataFrame) -> pd.DataFrame:
    """Per criterion and overall ('all'): n, n_agree, share_agree, Cohen's kappa, auto and hand counts.

    Kappa is NaN when it is undefined (both codings constant), which happens
    easily with five articles; the share of agreement is then the figure to read.
    """
    rows = []
    groups = [(c, compared[compared["criterion"] == c]) for c in CRITERIA if (compared["criterion"] == c).any()]
    for name, part in [*groups, ("all", compared)]:
        a, h = part["auto"].astype(bool).to_numpy(), part["hand"].astype(bool).to_numpy()
        if len(set(a) | set(h)) < 2:
            kappa = np.nan
        else:
            kappa = float(cohen_kappa_score(h, a))
        rows.append({"criterion": name, "n": len(part), "n_agree": int((a == h).sum()),
                     "share_agree": float((a == h).mean()) if len(part) else np.nan, "kappa": kappa,
                     "auto_yes": int(a.sum()), "hand_yes": int(h.sum())})
    return pd.DataFrame(rows)


def unmet_criteria(checklist: pd.DataFrame) -> list[str]:
    """The quality criteria (not hype) that no article meets, as words ("names harms"), alphabetically."""
    met = checklist[checklist["criterion"] != HYPE_CRITERION].groupby("criterion")["present"].sum()
    return [c.replace("_", " ") for c, n in met.items() if n == 0]
