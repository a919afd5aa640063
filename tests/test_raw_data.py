"""data/raw holds the seeds byte for byte, described by manifest.csv."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_every_raw_file_matches_its_manifest_checksum(raw_dir):
    manifest = pd.read_csv(raw_dir / "manifest.csv", dtype=str, keep_default_na=False)
    files = sorted(p.name for p in raw_dir.glob("*.txt"))
    assert sorted(manifest["file"]) == files, "manifest.csv and the .txt files in data/raw disagree"
    for row in manifest.itertuples():
        digest = hashlib.sha256((raw_dir / row.file).read_bytes()).hexdigest()
        assert digest == row.sha256, f"{row.file} changed: sha256 {digest} != manifest {row.sha256}"


def test_manifest_columns_are_complete(raw_dir):
    manifest = pd.read_csv(raw_dir / "manifest.csv", dtype=str, keep_default_na=False)
    for column in ["doc_id", "file", "sha256", "outlet", "title", "language", "label", "note"]:
        assert column in manifest.columns
    assert manifest["doc_id"].is_unique and manifest["label"].is_unique
    assert (manifest["note"].str.len() > 20).all(), "each file needs a note on what is unusual in it"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not beside the project")
def test_raw_files_are_the_shared_seeds_byte_for_byte(raw_dir):
    seeds = sorted(SHARED_SEEDS.glob("*.txt"))
    assert seeds
    for seed in seeds:
        assert (raw_dir / seed.name).read_bytes() == seed.read_bytes(), seed.name
