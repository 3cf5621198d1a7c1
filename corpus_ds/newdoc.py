"""Creating the annotation file of a document that enters the corpus."""

from __future__ import annotations

import hashlib

from .model import SCHEMA_VERSION, AnnotationFile, Metadata, PublicationDate, Publisher, empty_provenance
from .splits import assign_split

LICENCE_TEMPLATE = (
    "Text: copyright of its publisher{publisher}, included unchanged for non-commercial "
    "research on annotation; not covered by the annotation licence. "
    "Annotations: CC BY 4.0."
)


def text_sha256(data: bytes) -> str:
    """The hex sha256 recorded for a raw text."""
    return hashlib.sha256(data).hexdigest()


def document_id(data: bytes) -> str:
    """The id of a text added with ``corpus-ds add``: the first 16 hex digits of its sha256.

    (The five seed texts keep the ids in their source file names.)
    """
    return text_sha256(data)[:16]


def new_annotation_file(
    doc_id: str,
    text: bytes,
    *,
    source_file: str,
    title: str | None,
    publisher: Publisher,
    published: PublicationDate,
    language: str = "en",
) -> AnnotationFile:
    """The annotation file of a new document: metadata, rule-given split, empty layers."""
    named = f" ({publisher.name})" if publisher.name else ""
    metadata = Metadata(
        id=doc_id,
        title=title,
        publisher=publisher,
        published=published,
        language=language,
        split=assign_split(doc_id),
        source_file=source_file,
        text_sha256=text_sha256(text),
        licence=LICENCE_TEMPLATE.format(publisher=named),
    )
    return AnnotationFile(schema_version=SCHEMA_VERSION, document=metadata,
                          provenance=empty_provenance())
