"""framing.checks.nyt: NYT ground truth fetch/load and the agreement metrics of Hutto & Gilbert."""

import io
import subprocess
import tarfile
from pathlib import Path

import numpy as np
import pytest

from framing.checks import nyt as nyt_benchmark
from framing.checks.nyt import BenchmarkError, load_nyt, nyt_agreement
from framing.measures import sentiment

REPO = Path(__file__).resolve().parents[1]
REAL_NYT = REPO / "data" / "external" / nyt_benchmark.NYT_FILE


# --------------------------------------------------------------------------- metrics


def test_agreement_on_a_hand_worked_example():
    # truth classes (rating sign):      +   +   -   -   0   +
    ratings = [2.0, 1.0, -1.0, -2.0, 0.0, 1.0]
    # predicted (>= .05 / <= -.05):     +   0   -   +   0   +
    scores = [0.5, 0.0, -0.3, 0.2, 0.01, 0.6]
    # pos: 3 true, 3 predicted, 2 hits -> P 2/3 R 2/3 F1 2/3
    # neg: 2 true, 1 predicted, 1 hit  -> P 1   R 1/2 F1 2/3
    # neu: 1 true, 2 predicted, 1 hit  -> P 1/2 R 1   F1 2/3
    weighted = nyt_agreement(scores, ratings)  # supports 3, 2, 1 out of 6
    assert weighted["n"] == 6 and weighted["average"] == "weighted"
    assert weighted["precision"] == pytest.approx((3 * 2 / 3 + 2 * 1 + 1 * 0.5) / 6)  # 0.75
    assert weighted["recall"] == pytest.approx(4 / 6)  # equals accuracy: items 0, 2, 4, 5
    assert weighted["f1"] == pytest.approx(2 / 3)
    macro = nyt_agreement(scores, ratings, average="macro")
    assert macro["precision"] == pytest.approx(13 / 18)
    assert macro["recall"] == pytest.approx(13 / 18)
    assert macro["f1"] == pytest.approx(2 / 3)
    micro = nyt_agreement(scores, ratings, average="micro")
    assert micro["precision"] == micro["recall"] == micro["f1"] == pytest.approx(4 / 6)


def test_pearson_r_on_a_hand_worked_example():
    # deviations: ratings -1.5 -0.5 0.5 1.5, scores -0.15 0.05 -0.05 0.15
    # r = 0.4 / sqrt(5 * 0.05) = 0.8
    out = nyt_agreement([0.1, 0.3, 0.2, 0.4], [1.0, 2.0, 3.0, 4.0])
    assert out["r"] == pytest.approx(0.8)
    # every item is positive on both sides; classes with no support do not pull the average down
    assert out["precision"] == out["recall"] == out["f1"] == 1.0


def test_class_thresholds():
    np.testing.assert_array_equal(
        nyt_benchmark.compound_classes([0.05, 0.0499, -0.0499, -0.05, 0.0, 1.0, -1.0]),
        [1, 0, 0, -1, 0, 1, -1],
    )
    np.testing.assert_array_equal(
        nyt_benchmark.rating_classes([0.05, 0.0, -0.05, 4.0, -4.0]), [1, 0, -1, 1, -1]
    )


def test_agreement_rejects_bad_input():
    with pytest.raises(ValueError, match="3 scores but 2 ratings"):
        nyt_agreement([0.1, 0.2, 0.3], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        nyt_agreement([0.1, float("nan")], [1.0, 2.0])


def test_averaging_variants_lists_six_and_matches_agreement():
    ratings, scores = [2.0, 1.0, -1.0, -2.0, 0.0, 1.0], [0.5, 0.0, -0.3, 0.2, 0.01, 0.6]
    table = nyt_benchmark.averaging_variants(scores, ratings)
    assert len(table) == 6
    row = table[(table["classes"] == "neg, neu, pos") & (table["average"] == "weighted")].iloc[0]
    assert row["precision"] == pytest.approx(nyt_agreement(scores, ratings)["precision"])


# --------------------------------------------------------------------------- loading


def test_load_nyt_reads_three_tab_separated_fields(tmp_path):
    path = tmp_path / "nyt.txt"
    path.write_bytes(b"1_1\t0.4\tA good day.\r\n1_2\t-1.15\tA bad day, ''quoted''.\r\n1_3\t0\tFacts.")
    frame = load_nyt(path)
    assert list(frame.columns) == ["id", "rating", "text"]
    assert frame["id"].tolist() == ["1_1", "1_2", "1_3"]
    assert frame["rating"].tolist() == [0.4, -1.15, 0.0]
    assert frame["text"].tolist() == ["A good day.", "A bad day, ''quoted''.", "Facts."]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("1_1\t0.4\tfine\n1_2\t-0.3\n", "line 2: expected 3 tab-separated fields"),
        ("1_1\tpositive\ttext\n", "line 1: rating 'positive' is not a number"),
        ("1_1\t5.5\ttext\n", "line 1: rating 5.5 outside -4..4"),
        ("1_1\t0.1\ta\n1_1\t0.2\tb\n", "duplicate ids"),
        ("", "no snippets"),
        ("1_1\t0.4\ttab\tinside\n", "found 4"),
    ],
)
def test_load_nyt_names_the_file_and_the_reason(tmp_path, content, reason):
    path = tmp_path / "broken_nyt.txt"
    path.write_text(content)
    with pytest.raises(BenchmarkError) as err:
        load_nyt(path)
    assert "broken_nyt.txt" in str(err.value) and reason in str(err.value)


def test_load_nyt_missing_file(tmp_path):
    with pytest.raises(BenchmarkError, match="absent.txt: cannot be read"):
        load_nyt(tmp_path / "absent.txt")


# --------------------------------------------------------------------------- fetching (offline)


def _fake_sdist(folder: Path, ground_truth: bytes) -> Path:
    """A vaderSentiment-like sdist: the ground truth nested in additional_resources/*.tar.gz."""
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as tar:
        for name, data in [("hutto_ICWSM_2014/" + nyt_benchmark.NYT_FILE, ground_truth),
                           ("hutto_ICWSM_2014/tweets_GroundTruth.txt", b"t1\t1.0\tyay\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path = folder / "vaderSentiment-3.3.2.tar.gz"
    with tarfile.open(path, mode="w:gz") as tar:
        info = tarfile.TarInfo("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz")
        info.size = len(inner.getvalue())
        tar.addfile(info, io.BytesIO(inner.getvalue()))
    return path


def test_fetch_extracts_only_the_ground_truth_and_is_idempotent(tmp_path, monkeypatch):
    truth = b"1_1\t0.4\tA good day.\r\n1_2\t-1.0\tA bad day.\r\n"
    calls = []

    def fake_pip(cmd, **kwargs):
        calls.append(cmd)
        _fake_sdist(Path(cmd[cmd.index("-d") + 1]), truth)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(nyt_benchmark.subprocess, "run", fake_pip)
    dest = tmp_path / "external"
    path = nyt_benchmark.fetch_nyt(dest)
    assert path == dest / nyt_benchmark.NYT_FILE and path.read_bytes() == truth
    assert [p.name for p in dest.iterdir()] == [nyt_benchmark.NYT_FILE]
    assert calls[0][1:4] == ["-m", "pip", "download"]
    assert "--no-binary" in calls[0] and "vaderSentiment==3.3.2" in calls[0]
    nyt_benchmark.fetch_nyt(dest)
    assert len(calls) == 1  # second call found the file and did not download


def test_fetch_failure_is_reported_and_make_target_exits_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        nyt_benchmark.subprocess, "run",
        lambda cmd, **kw: subprocess.CompletedProcess(cmd, 1, "", "ERROR: network is unreachable"),
    )
    dest = tmp_path / "external"
    with pytest.raises(BenchmarkError, match="network is unreachable"):
        nyt_benchmark.fetch_nyt(dest)
    assert nyt_benchmark.main(["fetch-nyt", str(dest)]) == 0
    err = capsys.readouterr().err
    assert "NYT benchmark not fetched" in err and "network is unreachable" in err
    assert not (dest / nyt_benchmark.NYT_FILE).exists()


def test_fetch_refuses_an_archive_without_the_file(tmp_path, monkeypatch):
    def fake_pip(cmd, **kwargs):
        (Path(cmd[cmd.index("-d") + 1]) / "other-1.0.tar.gz").write_bytes(b"not a tar")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(nyt_benchmark.subprocess, "run", fake_pip)
    with pytest.raises(BenchmarkError, match="other-1.0.tar.gz: cannot read the archive"):
        nyt_benchmark.fetch_nyt(tmp_path)


# --------------------------------------------------------------------------- the real benchmark


@pytest.fixture(scope="module")
def nyt():
    if not REAL_NYT.is_file():
        pytest.skip(f"{REAL_NYT} absent (run `make nyt`)")
    return load_nyt(REAL_NYT)


def test_real_file_has_the_papers_size(nyt):
    assert len(nyt) == 5190  # "5,190 sentence-level snippets" (Hutto & Gilbert 2014)
    assert nyt["rating"].between(-4, 4).all()


def test_raw_vader_reproduces_table_4(nyt):
    out = nyt_agreement(sentiment.score(nyt["text"], adapted=False), nyt["rating"])
    paper = nyt_benchmark.PAPER_TABLE4_NYT
    assert abs(out["r"] - paper["r"]) <= 0.02
    # the paper reports two decimals; VADER 3.3.2 is not the 2014 code, so allow 0.01 beyond that
    for key in ("precision", "recall", "f1"):
        assert abs(out[key] - paper[key]) <= 0.01, (key, out[key])


def test_adapted_scorer_is_no_worse_on_nyt(nyt):
    raw = nyt_agreement(sentiment.score(nyt["text"], adapted=False), nyt["rating"])
    adapted = nyt_agreement(sentiment.score(nyt["text"]), nyt["rating"])
    assert adapted["r"] >= raw["r"] - 0.01
