"""The single source of truth for every closed label set of the corpus.

The JSON Schema (``schema/annotation.schema.json``), the validator, the Parquet
features and the label tables in the docs are all derived from these tuples;
``tests/test_labels.py`` fails if any of them drifts. Order matters: it is the
ClassLabel order of the published dataset, so new labels are appended, never
inserted (an insertion renumbers existing labels and is a MAJOR change).
"""

from __future__ import annotations

ENTITY_TYPES: tuple[str, ...] = (
    "PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "EVENT", "TIME",
)
MENTION_TYPES: tuple[str, ...] = ("NAM", "NOM", "PRO")
ZONE_TYPES: tuple[str, ...] = (
    "title", "subheading", "dateline", "byline", "body", "boilerplate",
)
QUOTE_TYPES: tuple[str, ...] = ("direct", "indirect", "mixed")
EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)
ROLES: tuple[str, ...] = ("actor", "recipient", "place", "time")
REALIS: tuple[str, ...] = ("actual", "generic", "other")
SPLITS: tuple[str, ...] = ("train", "validation", "test")
LAYERS: tuple[str, ...] = ("zones", "entities", "quotes", "events")
LAYER_STATUSES: tuple[str, ...] = ("not_started", "in_progress", "complete")
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
PUBLISHER_CERTAINTIES: tuple[str, ...] = ("stated", "inferred", "unknown")
#: TIMEX3 ``mod`` values: how a TIME expression narrows or loosens its ``value``
#: ("late May 2013" is 2013-05 with END; a mod comes only from words inside the span, SPEC §5.6).
TIME_MODS: tuple[str, ...] = (
    "START", "MID", "END", "APPROX", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER",
    "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE",
)

#: Which entity types may fill each event argument role (contract §5).
ROLE_FILLERS: dict[str, tuple[str, ...]] = {
    "actor": ("PER", "ORG", "GPE"),
    "recipient": ("PER", "ORG", "GPE"),
    "place": ("GPE", "LOC", "FAC"),
    "time": ("TIME",),
}
#: Entity types that may be the source, via or addressee of a quote (contract §4).
QUOTE_PARTY_TYPES: tuple[str, ...] = ("PER", "ORG", "GPE")
#: Zones whose text carries content; annotations outside them are errors.
CONTENT_ZONES: tuple[str, ...] = ("title", "subheading", "body")

#: The colour of each entity type wherever it is drawn (review site, brat's visual.conf).
ENTITY_COLOURS: dict[str, str] = {
    "PER": "#ffd8a8", "ORG": "#a5d8ff", "GPE": "#b2f2bb", "LOC": "#d0bfff", "FAC": "#ffc9c9",
    "VEH": "#99e9f2", "WEA": "#fcc2d7", "EVENT": "#ffec99", "TIME": "#dee2e6",
}

#: Every closed label set by the name the docs, schema and features use for it.
LABEL_SETS: dict[str, tuple[str, ...]] = {
    "entity_type": ENTITY_TYPES,
    "mention_type": MENTION_TYPES,
    "zone_type": ZONE_TYPES,
    "quote_type": QUOTE_TYPES,
    "event_type": EVENT_TYPES,
    "role": ROLES,
    "realis": REALIS,
    "split": SPLITS,
    "layer_status": LAYER_STATUSES,
    "date_precision": DATE_PRECISIONS,
    "publisher_certainty": PUBLISHER_CERTAINTIES,
    "time_mod": TIME_MODS,
}


def iob2_tags() -> tuple[str, ...]:
    """The IOB2 tag names of the ``ner`` config: ``O`` then B-/I- per entity type."""
    tags = ["O"]
    for entity_type in ENTITY_TYPES:
        tags += [f"B-{entity_type}", f"I-{entity_type}"]
    return tuple(tags)
