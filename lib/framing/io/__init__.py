"""Reading: the corpus folder, cleaning with an audit, sentences, the coded data, the package's data files."""
