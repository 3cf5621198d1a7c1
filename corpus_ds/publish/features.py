"""The ``datasets.Features`` of every published config, declared once.

The Parquet files (their Arrow schema and embedded metadata) and the dataset
card's ``dataset_info`` are both generated from ``CONFIG_FEATURES``. Every closed
label set is a ``ClassLabel`` whose names come from :mod:`corpus_ds.labels`.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from ..model import labels


def _label(name: str) -> ClassLabel:
    return ClassLabel(names=list(labels.LABEL_SETS[name]))


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
    **_SPAN,
    "type": _label("entity_type"),
    "mention_type": _label("mention_type"),
    "metonymy": _BOOL,
    "entity_id": _STR,
    "entity_name": _STR,
    "entity_wikipedia": _STR,
    "entity_value": _STR,
    "entity_mod": _label("time_mod"),
    "zone": _label("zone_type"),
    "sentence": _STR,
    "sentence_start": _INT,
})

_PARTY = {"mention_id": _STR, "text": _STR, "entity_id": _STR, "entity_name": _STR}

QUOTES = Features({
    "doc_id": _STR,
    "quote_id": _STR,
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
    "zone": _label("zone_type"),
})

EVENTS = Features({
    "doc_id": _STR,
    "event_id": _STR,
    "type": _label("event_type"),
    "realis": _label("realis"),
    "trigger": _SPAN,
    "arguments": List({"role": _label("role"), **_PARTY, "start": _INT, "end": _INT}),
    "cluster": _STR,
    "sentence": _STR,
    "sentence_start": _INT,
})

NER = Features({
    "doc_id": _STR,
    "sentence_index": _INT,
    "zone": _label("zone_type"),
    "sentence_start": _INT,
    "sentence_end": _INT,
    "tokens": List(_STR),
    "ner_tags": List(ClassLabel(names=list(labels.iob2_tags()))),
    "token_starts": List(_INT),
    "token_ends": List(_INT),
})

#: Config name -> features, in the order the card lists them; ``documents`` is the default.
CONFIG_FEATURES: dict[str, Features] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "quotes": QUOTES,
    "events": EVENTS,
    "ner": NER,
}
DEFAULT_CONFIG = "documents"
