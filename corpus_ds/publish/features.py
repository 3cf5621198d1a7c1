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

from typing import Any

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

#: Configs whose rows are another config's rows, but for their own columns: ``mentions_iob``
#: has the sentences and tokens of ``ner`` and tags of its own. A build makes the shared columns
#: once (the declarations below are what makes them equal: same rows, same features).
SAME_ROWS_AS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mentions_iob": ("ner", ("ner_tags",)),
}

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

#: What each field means, for the card's field tables (and the Croissant descriptions). A
#: field's description is found under ``CONFIG:PATH``, then ``PATH``, then its last two path
#: parts, then its name; ``PATH`` joins struct keys with ``.`` and marks list items with ``[]``
#: (``quotes:source.start``, ``content[].text``). A test fails when a field has none.
FIELD_DESCRIPTIONS: dict[str, str] = {
    # ids and keys
    "id": "id of the row",
    "documents:id": "document id: the first 16 hex digits of the text's sha256",
    "doc_id": "document id (`id` of the `documents` config)",
    "document_id": "document id (`id` of the `documents` config)",
    "ner:id": "row id: `DOC_ID-NNNN`, the document id and the sentence index",
    "mentions_iob:id": "row id: `DOC_ID-NNNN`, the document id and the sentence index",
    "bigbio_kb:id": "example id (the document id)",
    "mention_id": "mention id, unique in its document (`m12`)",
    "mention_key": "corpus-wide mention key `DOC_ID:MENTION_ID`",
    "entity_id": "entity id, unique in its document (`e3`): the coreference chain",
    "entity_key": "corpus-wide entity key `DOC_ID:ENTITY_ID` (`e1` is NATO in one document, Russia in another)",
    "quote_id": "quote id, unique in its document (`q2`)",
    "quote_key": "corpus-wide quote key `DOC_ID:QUOTE_ID`",
    "event_id": "event id, unique in its document (`v7`)",
    "event_key": "corpus-wide event key `DOC_ID:EVENT_ID`",
    "cluster": "event coreference cluster id, unique in its document (a singleton is its own cluster)",
    "cluster_id": "event coreference cluster id, unique in its document",
    "cluster_key": "corpus-wide cluster key `DOC_ID:CLUSTER_ID`",
    "parent": "id of the quote this quote is embedded in (null: none)",
    "parent_key": "corpus-wide key of the parent quote (null: none)",
    # spans
    "start": "start offset (Unicode code points into the document's `text`)",
    "end": "end offset, exclusive",
    "text": "the covered text: `text[start:end]` of the document",
    "documents:text": "the document's text, exactly as received (line ends kept)",
    # documents
    "title": "headline as printed (null when the text has none)",
    "publisher": "the outlet that published the text",
    "publisher.name": "outlet name (null when not credited)",
    "publisher.certainty": "how the outlet is known: stated in the text, inferred, or unknown",
    "publisher.evidence": "the words of the text the outlet is known from",
    "published": "when the text was published",
    "published.value": "publication date, ISO 8601 cut to its precision",
    "published.precision": "precision of `value`",
    "published.not_before": "earliest possible publication date",
    "published.not_after": "latest possible publication date",
    "published.evidence": "what the date is known from",
    "language": "language of the text (BCP 47)",
    "source_file": "the raw text file, relative to the source repository",
    "text_sha256": "sha256 of the text's UTF-8 bytes",
    "licence": "the licence of the text and of its annotations, in words",
    "schema_version": "version of the annotation file schema",
    "provenance": "who annotated and checked each layer, and when",
    "provenance.<layer>": "one layer (`zones`, `entities`, `quotes`, `events`)",
    "status": "state of the layer's annotation",
    "annotated_by": "annotators of the layer",
    "annotated_on": "date of the annotation",
    "checked_by": "reviewers of the layer",
    "checked_on": "date of the review",
    "notes": "free notes on the layer",
    "zones": "the document's zones (title, body, byline, boilerplate, ...), covering every non-space character",
    "zones[].id": "zone id, unique in its document",
    "zones[].type": "zone type",
    "documents:entities": "the entities (coreference chains)",
    "documents:entities[].id": "entity id, unique in its document",
    "documents:entities[].type": "entity type (ACE 2005 types plus TIME)",
    "documents:entities[].name": "canonical name",
    "documents:mentions": "the entity mentions",
    "documents:mentions[].id": "mention id, unique in its document",
    "entity": "id of the mention's entity",
    "documents:mentions[].type": "entity type of the mention (its entity's)",
    "documents:quotes": "the quotes",
    "documents:quotes[].id": "quote id, unique in its document",
    "documents:quotes[].type": "direct, indirect or mixed (PARC 3.0)",
    "documents:quotes[].source": "mention id of the speaker",
    "documents:quotes[].via": "mention id of the relaying outlet or person (null: none)",
    "documents:quotes[].addressee": "mention id of the addressee (null: none)",
    "documents:events": "the event mentions",
    "documents:events[].id": "event id, unique in its document",
    "mention": "mention id of the argument",
    "wikipedia": "English Wikipedia title of the entity (null: none certain)",
    "value": "TIMEX3 value of a TIME entity (null for other types)",
    "mod": "TIMEX3 mod of a TIME entity (null: none)",
    "name": "canonical name of the entity",
    # mentions
    "mentions:type": "entity type",
    "mention_type": "NAM (name), NOM (nominal) or PRO (pronoun)",
    "metonymy": "true when the mention stands for a related entity (\"Moscow\" for the Russian government)",
    "entity_name": "canonical name of the mention's entity",
    "entity_wikipedia": "English Wikipedia title of the entity (null: none certain)",
    "entity_value": "TIMEX3 value of a TIME entity (null for other types)",
    "entity_mod": "TIMEX3 mod of a TIME entity (null: none)",
    "zone": "type of the zone the span lies in",
    "sentence": "text of the sentence the span lies in (null outside every sentence, e.g. in boilerplate)",
    "sentence_start": "start offset of that sentence",
    "sentence_end": "end offset of the sentence, exclusive",
    "sentence_index": "index of the sentence in its document: the `ner` row `DOC_ID-NNNN` (null outside every sentence)",
    # quotes
    "quotes:type": "direct, indirect or mixed (PARC 3.0)",
    "quotes:start": "start of the first content span",
    "quotes:end": "end of the last content span",
    "content": "the quoted content, one span per stretch",
    "content_text": "the content spans' texts joined with ` … `",
    "cue": "the cue (\"said\", \"told\") spans; [] when the quote has none",
    "cue_text": "the cue spans' texts joined with ` … ` (null when there is no cue)",
    "source": "the speaker: a mention and its entity",
    "via": "the outlet or person that relays the quote (null: none)",
    "addressee": "whom the quote is addressed to (null: none)",
    "implicit_source": "true when the speaker is not named near the quote and was resolved from context",
    "mention_text": "text of the mention",
    # events
    "events:type": "PLOVER event type",
    "documents:events[].type": "PLOVER event type",
    "realis": "actual, generic or other (Rich ERE)",
    "trigger": "the word or phrase that expresses the event",
    "arguments": "the event's participants",
    "arguments[].role": "role: actor, recipient, place or time",
    "role": "argument role",
    # tagged sentences
    "tokens": "the tokens of the sentence (cut at every mention edge)",
    "ner_tags": "IOB2 tag of each token",
    "ner:ner_tags": "IOB2 tag of each token: names only (every NAM mention, TIME included)",
    "mentions_iob:ner_tags": "IOB2 tag of each token: every mention (NAM, NOM, PRO)",
    "token_offsets": "offsets of each token in the document's `text`, aligned with `tokens`",
    # coref
    "coref:entities": "entity clusters (coreference chains), in order of their first mention",
    "coref:entities[].type": "entity type",
    "singleton": "true when the cluster has one member (CoNLL-2012 scoring drops these)",
    "coref:entities[].mentions": "the cluster's mentions in text order",
    "token_start": "index of the first token of the span in its `ner` sentence",
    "token_end": "index after the last token of the span (exclusive)",
    "event_clusters": "event coreference clusters, in order of their first trigger",
    "event_clusters[].type": "PLOVER event type (shared by the cluster)",
    "coref:event_clusters[].events": "the cluster's event mentions: trigger spans in text order",
    # bigbio_kb
    "passages": "the zones, in text order; their texts joined by single spaces are the text all offsets point into",
    "passages[].type": "zone type",
    "passages[].id": "passage id `DOC_ID_ZONE_ID`",
    "offsets": "[start, end] pairs into the passages' joined text, one per text piece",
    "bigbio_kb:entities": "the mentions (type = entity type) and the quotes' contents and cues (types `direct_quote`, `indirect_quote`, `mixed_quote`, `quote_cue`)",
    "bigbio_kb:entities[].id": "`DOC_ID_MENTION_ID`, `DOC_ID_QUOTE_ID_content` or `DOC_ID_QUOTE_ID_cue`",
    "bigbio_kb:entities[].type": "entity type, or a quote part",
    "bigbio_kb:entities[].text": "the text pieces (a quote's content may have several)",
    "normalized": "links: `wikipedia` titles, and TIMEX3 values (`timex3`) of TIME mentions",
    "db_name": "the resource (`wikipedia` or `timex3`)",
    "db_id": "the identifier in it",
    "bigbio_kb:events": "the event mentions",
    "bigbio_kb:events[].id": "`DOC_ID_EVENT_ID`",
    "bigbio_kb:events[].type": "PLOVER event type",
    "bigbio_kb:events[].trigger": "the trigger",
    "bigbio_kb:events[].arguments[].role": "argument role (actor, recipient, place, time)",
    "ref_id": "id of the argument's mention entity",
    "coreferences": "one per entity: the ids of its mentions",
    "coreferences[].id": "`DOC_ID_ENTITY_ID`",
    "entity_ids": "the mentions of the entity",
    "relations": "quotes as relations from the content (`arg1_id`) to its source, implicit source, cue, via, addressee or parent quote (`arg2_id`)",
    "relations[].id": "`DOC_ID_r_QUOTE_ID_ROLE`",
    "relations[].type": "`quote_source`, `quote_implicit_source`, `quote_cue`, `quote_via`, `quote_addressee` or `quote_parent`",
    "arg1_id": "the quote content entity",
    "arg2_id": "the other part: a mention, the cue or the parent quote's content",
    "bigbio_kb:passages[].text": "the zone's text (one piece)",
    "bigbio_kb:events[].trigger.text": "the trigger's text (one piece)",
    "bigbio_kb:relations[].normalized": "always [] (relations carry no links)",
    "bigbio_kb:relations[].normalized[].db_name": "(unused)",
    "bigbio_kb:relations[].normalized[].db_id": "(unused)",
}
for _config in ("ner", "mentions_iob"):
    FIELD_DESCRIPTIONS.update({
        f"{_config}:sentence_index": "index of the sentence in its document, from 0",
        f"{_config}:zone": "type of the zone the sentence lies in",
        f"{_config}:sentence_start": "start offset of the sentence in the document's `text`",
        f"{_config}:token_offsets[].start": "start offset of the token in the document's `text`",
        f"{_config}:token_offsets[].end": "end offset of the token, exclusive",
    })


def label_set_name(feature: ClassLabel) -> str:
    """The name of a ClassLabel's label set (``entity_type``, ..., ``ner_tags``)."""
    names = tuple(feature.names)
    if names == labels.iob2_tags():
        return "ner_tags"
    for name, values in labels.LABEL_SETS.items():
        if values == names:
            return name
    raise KeyError(f"no label set has the names {names[:4]}…")


def config_label_sets() -> dict[str, ClassLabel]:
    """Every label set the configs use, by name, in the order the configs first use them."""
    found: dict[str, ClassLabel] = {}

    def collect(feature: Any) -> None:
        if isinstance(feature, ClassLabel):
            found.setdefault(label_set_name(feature), feature)
        elif isinstance(feature, List):
            collect(feature.feature)
        elif isinstance(feature, dict):
            for sub in feature.values():
                collect(sub)

    for features in CONFIG_FEATURES.values():
        collect(dict(features))
    return found


def field_paths(features: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Every field of a config, depth first: ``(path, feature)``. Struct keys join with ``.``,
    list items add ``[]``; the per-layer structs of ``provenance`` are shown once, as
    ``provenance.<layer>``."""
    found: list[tuple[str, Any]] = []
    if isinstance(features, dict) and set(features) == set(labels.LAYERS) and prefix:
        return [(f"{prefix}.<layer>", features[labels.LAYERS[0]]),
                *field_paths(features[labels.LAYERS[0]], f"{prefix}.<layer>")]
    for key, feature in features.items():
        path = f"{prefix}.{key}" if prefix else key
        found.append((path, feature))
        inner, inner_path = feature, path
        while isinstance(inner, List):
            inner, inner_path = inner.feature, inner_path + "[]"
        if isinstance(inner, dict):
            found += field_paths(inner, inner_path)
    return found


def describe(config: str, path: str) -> str | None:
    """The description of a field (see ``FIELD_DESCRIPTIONS``), or None."""
    parts = path.replace("[]", "").split(".")
    bare = path.replace("[]", "")
    for candidate in (f"{config}:{path}", path, f"{config}:{bare}", bare, ".".join(parts[-2:]), parts[-1]):
        if candidate in FIELD_DESCRIPTIONS:
            return FIELD_DESCRIPTIONS[candidate]
    return None


def type_name(feature: Any) -> str:
    """A short name of a feature's type for the card: ``string``, ``list of int32``, ..."""
    if isinstance(feature, ClassLabel):
        return f"ClassLabel `{label_set_name(feature)}`"
    if isinstance(feature, List):
        return f"list of {type_name(feature.feature)}"
    if isinstance(feature, dict):
        return "struct"
    return str(feature.dtype)
