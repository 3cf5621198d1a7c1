"""The ``datasets.Features`` of every published config, declared once.

Everything published about a config is generated from ``CONFIG_FEATURES``: the Parquet files
(their Arrow schema and embedded metadata), the card's ``dataset_info`` and its field tables
(with the descriptions in ``FIELD_DESCRIPTIONS``), the Croissant record sets and the SQL label
views. Every closed label set is a ``ClassLabel`` whose names come from
:mod:`corpus_ds.model.labels`.

Ids: every per-document id (``e1``, ``m3``, ``q2``, ``v7``, cluster ``c4``) is unique only inside
its document; next to each one stands a corpus-wide key, ``DOC_ID:ID`` (``entity_key``,
``mention_key``, ``quote_key``, ``event_key``, ``cluster_key``), so that joins across
documents need one column. A list is never null: an empty list means none.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from ..model import labels


def _label(name: str) -> ClassLabel:
    return ClassLabel(names=list(labels.LABEL_SETS[name]))


def _iob2() -> ClassLabel:
    return ClassLabel(names=list(labels.iob2_tags()))


_STR = Value("string")
_INT = Value("int32")
_BOOL = Value("bool")
_SPAN = {"start": _INT, "end": _INT, "text": _STR}

_LAYER_PROVENANCE = {
    "status": _label("layer_status"),
    "annotated_by": List(_STR),
    "annotated_on": _STR,
    "checked_by": List(_STR),
    "checked_on": _STR,
    "notes": _STR,
}

DOCUMENTS = Features({
    "id": _STR,
    "title": _STR,
    "text": _STR,
    "publisher": {"name": _STR, "certainty": _label("publisher_certainty"), "evidence": _STR},
    "published": {
        "value": _STR, "precision": _label("date_precision"),
        "not_before": _STR, "not_after": _STR, "evidence": _STR,
    },
    "language": _STR,
    "source_file": _STR,
    "text_sha256": _STR,
    "licence": _STR,
    "schema_version": _STR,
    "provenance": {layer: _LAYER_PROVENANCE for layer in labels.LAYERS},
    "zones": List({"id": _STR, "type": _label("zone_type"), **_SPAN}),
    "entities": List({"id": _STR, "type": _label("entity_type"), "name": _STR, "wikipedia": _STR,
                      "value": _STR, "mod": _label("time_mod")}),
    "mentions": List({
        "id": _STR, "entity": _STR, "type": _label("entity_type"),
        "mention_type": _label("mention_type"), **_SPAN, "metonymy": _BOOL,
    }),
    "quotes": List({
        "id": _STR, "type": _label("quote_type"), "content": List(_SPAN), "cue": List(_SPAN),
        "source": _STR, "implicit_source": _BOOL, "via": _STR, "addressee": _STR, "parent": _STR,
    }),
    "events": List({
        "id": _STR, "type": _label("event_type"), "trigger": _SPAN, "realis": _label("realis"),
        "arguments": List({"role": _label("role"), "mention": _STR}), "cluster": _STR,
    }),
})

MENTIONS = Features({
    "doc_id": _STR,
    "mention_id": _STR,
    "mention_key": _STR,
    **_SPAN,
    "type": _label("entity_type"),
    "mention_type": _label("mention_type"),
    "metonymy": _BOOL,
    "entity_id": _STR,
    "entity_key": _STR,
    "entity_name": _STR,
    "entity_wikipedia": _STR,
    "entity_value": _STR,
    "entity_mod": _label("time_mod"),
    "zone": _label("zone_type"),
    "sentence": _STR,
    "sentence_start": _INT,
    "sentence_index": _INT,
})

#: A mention that fills a role (quote source, via, addressee; event argument): where it is
#: and which entity it refers to.
_PARTY = {
    "mention_id": _STR, "mention_key": _STR, "start": _INT, "end": _INT, "text": _STR,
    "entity_id": _STR, "entity_key": _STR, "entity_name": _STR,
}

QUOTES = Features({
    "doc_id": _STR,
    "quote_id": _STR,
    "quote_key": _STR,
    "type": _label("quote_type"),
    "start": _INT,
    "end": _INT,
    "content": List(_SPAN),
    "content_text": _STR,
    "cue": List(_SPAN),
    "cue_text": _STR,
    "source": _PARTY,
    "implicit_source": _BOOL,
    "via": _PARTY,
    "addressee": _PARTY,
    "parent": _STR,
    "parent_key": _STR,
    "zone": _label("zone_type"),
})

EVENTS = Features({
    "doc_id": _STR,
    "event_id": _STR,
    "event_key": _STR,
    "type": _label("event_type"),
    "realis": _label("realis"),
    "trigger": _SPAN,
    "arguments": List({"role": _label("role"), **_PARTY}),
    "cluster": _STR,
    "cluster_key": _STR,
    "sentence": _STR,
    "sentence_start": _INT,
    "sentence_index": _INT,
})

#: One row per sentence, tokens with their offsets, IOB2 tags: ``ner`` and ``mentions_iob``
#: differ only in which mentions the tags carry.
_TAGGED_SENTENCES = {
    "id": _STR,
    "doc_id": _STR,
    "sentence_index": _INT,
    "zone": _label("zone_type"),
    "sentence_start": _INT,
    "sentence_end": _INT,
    "tokens": List(_STR),
    "ner_tags": List(_iob2()),
    "token_offsets": List({"start": _INT, "end": _INT}),
}
NER = Features(_TAGGED_SENTENCES)
MENTIONS_IOB = Features(_TAGGED_SENTENCES)

#: Where a span lies in the ``ner`` tokenisation: its sentence and its tokens (end exclusive).
_TOKEN_SPAN = {"sentence_index": _INT, "token_start": _INT, "token_end": _INT}

COREF = Features({
    "doc_id": _STR,
    "entities": List({
        "entity_id": _STR,
        "entity_key": _STR,
        "type": _label("entity_type"),
        "name": _STR,
        "wikipedia": _STR,
        "value": _STR,
        "mod": _label("time_mod"),
        "singleton": _BOOL,
        "mentions": List({
            "mention_id": _STR, "mention_key": _STR, **_SPAN,
            "mention_type": _label("mention_type"), "metonymy": _BOOL, **_TOKEN_SPAN,
        }),
    }),
    "event_clusters": List({
        "cluster_id": _STR,
        "cluster_key": _STR,
        "type": _label("event_type"),
        "singleton": _BOOL,
        "events": List({
            "event_id": _STR, "event_key": _STR, **_SPAN, "realis": _label("realis"), **_TOKEN_SPAN,
        }),
    }),
})

#: BigBIO's KB schema (``kb_features`` of bigbio/hub/bigbiohub.py in
#: github.com/bigscience-workshop/biomedical), field for field: plain strings, no ClassLabel.
_BIGBIO_OFFSETS = List(List(_INT))
_BIGBIO_NORMALIZED = List({"db_name": _STR, "db_id": _STR})
BIGBIO_KB = Features({
    "id": _STR,
    "document_id": _STR,
    "passages": List({"id": _STR, "type": _STR, "text": List(_STR), "offsets": _BIGBIO_OFFSETS}),
    "entities": List({"id": _STR, "type": _STR, "text": List(_STR), "offsets": _BIGBIO_OFFSETS,
                      "normalized": _BIGBIO_NORMALIZED}),
    "events": List({
        "id": _STR, "type": _STR,
        "trigger": {"text": List(_STR), "offsets": _BIGBIO_OFFSETS},
        "arguments": List({"role": _STR, "ref_id": _STR}),
    }),
    "coreferences": List({"id": _STR, "entity_ids": List(_STR)}),
    "relations": List({"id": _STR, "type": _STR, "arg1_id": _STR, "arg2_id": _STR,
                       "normalized": _BIGBIO_NORMALIZED}),
})

#: Config name -> features, in the order the card lists them; ``documents`` is the default.
CONFIG_FEATURES: dict[str, Features] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "quotes": QUOTES,
    "events": EVENTS,
    "ner": NER,
    "mentions_iob": MENTIONS_IOB,
    "coref": COREF,
    "bigbio_kb": BIGBIO_KB,
}
DEFAULT_CONFIG = "documents"

#: What one row of each config is (the card's config table).
CONFIG_ROWS: dict[str, str] = {
    "documents": "document",
    "mentions": "entity mention",
    "quotes": "quote",
    "events": "event mention",
    "ner": "sentence",
    "mentions_iob": "sentence",
    "coref": "document",
    "bigbio_kb": "document",
}

#: What each config is for, one line (the card's config table).
CONFIG_SUMMARIES: dict[str, str] = {
    "documents": "the whole annotation file and its text, exactly",
    "mentions": "every entity mention with its entity, zone and sentence",
    "quotes": "every quote: content, cue, source, via and addressee with offsets",
    "events": "every event mention: trigger, type, realis, arguments, cluster",
    "ner": "named-entity recognition, names only (`NAM` mentions, TIME included), IOB2 tags",
    "mentions_iob": "every mention (names, nominals, pronouns) as IOB2 tags: mention detection, not NER",
    "coref": "entity and event coreference clusters, singletons marked, with token positions",
    "bigbio_kb": "BigBIO's KB schema: passages, entities, events, coreferences, quotes as relations",
}
