"""The split rule: a document's split follows from its id alone.

``bucket = int(sha256("corpus_ds-split-v1:" + doc_id)[:8], 16) % 100``;
buckets 0-59 are ``train``, 60-79 ``validation``, 80-99 ``test`` (60/20/20).
The rule is applied once, when a document enters the corpus; the split is then
stored in its annotation file and never changes after a release, even if this
rule is ever revised.
"""

from __future__ import annotations

import hashlib

SALT = "corpus_ds-split-v1"


def split_bucket(doc_id: str) -> int:
    """The document's bucket, 0-99."""
    digest = hashlib.sha256(f"{SALT}:{doc_id}".encode("ascii")).hexdigest()
    return int(digest[:8], 16) % 100


def assign_split(doc_id: str) -> str:
    """The split the rule gives a new document."""
    bucket = split_bucket(doc_id)
    if bucket < 60:
        return "train"
    if bucket < 80:
        return "validation"
    return "test"
