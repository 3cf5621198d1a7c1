"""The load stage: the one reader of a corpus (see :mod:`.corpus`)."""

from .corpus import (
    Corpus,
    Document,
    FileOutcome,
    Progress,
    check_document,
    check_file,
    iter_files,
    load_corpus,
    load_one,
    resolve_doc_id,
    shown_paths,
)
from .paths import CorpusPaths, find_root, is_doc_id

__all__ = [
    "Corpus", "CorpusPaths", "Document", "FileOutcome", "Progress", "check_document", "check_file", "find_root",
    "is_doc_id", "iter_files", "load_corpus", "load_one", "resolve_doc_id", "shown_paths",
]
