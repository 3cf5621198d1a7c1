"""Write a synthetic, valid corpus of realistic shape for benchmarks and scale tests.

    python scripts/synth_corpus.py --docs 1000 --seed 1 OUT

OUT gets ``texts/`` and ``annotations/``. Each document is 2-6 thousand characters
with about 60 mentions, 8 quotes and 8 events; across a corpus every zone type,
entity type, mention type, quote type, event type, role and realis occurs. The
output is a function of ``--docs`` and ``--seed`` only.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus_ds.model.fileformat import dumps_annotation  # noqa: E402
from corpus_ds.model.labels import (  # noqa: E402
    EVENT_TYPES,
    LAYERS,
    QUOTE_TYPES,
    REALIS,
    ROLE_FILLERS,
)
from corpus_ds.model.records import SCHEMA_VERSION  # noqa: E402
from corpus_ds.model.splits import assign_split  # noqa: E402

NAMES = {
    "PER": ["Sergey Lavrov", "Anders Fogh Rasmussen", "Dmitry Medvedev", "Barack Obama", "Guido Westerwelle",
            "Anatoly Serdyukov", "Alexander Vershbow", "John Kerry", "Sergei Shoigu", "Alexei Meshkov"],
    "ORG": ["NATO", "Interfax", "European Union", "NATO-Russia Council", "Federation Council", "Bloomberg"],
    "GPE": ["Russia", "United States", "Germany", "Georgia", "Afghanistan", "Poland", "Lisbon", "Moscow"],
    "LOC": ["Eastern Europe", "Northern Europe", "Europe"],
    "FAC": ["Kremlin Palace", "Pentagon"],
    "VEH": ["Mi-17 helicopters", "Tu-160 bombers"],
    "WEA": ["ballistic missiles", "Iskander missiles"],
    "EVENT": ["Cold War", "World War II"],
    "TIME": ["Monday", "late May", "2014", "the end of 2012", "last month", "September 26"],
}
#: The TIMEX3 value of each synthetic TIME name (the documents are dated 2012).
TIME_VALUES = {
    "Monday": "2012-XX-XX", "late May": "2012-05", "2014": "2014", "the end of 2012": "2012",
    "last month": "2012-XX", "September 26": "2012-09-26",
}
PRONOUNS = {"PER": ["he", "his"], "ORG": ["it", "its"], "GPE": ["it", "its"]}
NOMINALS = {"PER": "the minister", "ORG": "the alliance", "GPE": "the country"}
TRIGGERS = {
    "AGREE": "agreed", "CONSULT": "met", "SUPPORT": "praised", "CONCEDE": "conceded",
    "COOPERATE": "cooperated with", "AID": "delivered aid to", "RETREAT": "withdrew from",
    "REQUEST": "asked", "ACCUSE": "accused", "REJECT": "rejected", "THREATEN": "threatened",
    "PROTEST": "protested against", "SANCTION": "sanctioned", "MOBILIZE": "deployed troops near",
    "COERCE": "blockaded", "ASSAULT": "attacked",
}
FILLER = ("Officials described the situation in some detail and discussed several technical "
          "questions that remain open between the parties. ")


class Doc:
    """A text under construction, with the annotations whose offsets it records."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.size = 0
        self.entities: dict[tuple[str, str], str] = {}
        self.mentions: list[dict] = []
        self.quotes: list[dict] = []
        self.events: list[dict] = []
        self.zones: list[dict] = []

    def add(self, text: str) -> tuple[int, int]:
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        return start, self.size

    def mention(self, etype: str, name: str, surface: str | None = None, mtype: str = "NAM") -> str:
        key = (etype, name)
        if key not in self.entities:
            self.entities[key] = f"e{len(self.entities) + 1}"
        start, end = self.add(surface or name)
        mid = f"m{len(self.mentions) + 1}"
        self.mentions.append({"id": mid, "entity": self.entities[key], "type": etype,
                              "mention_type": mtype, "start": start, "end": end,
                              "text": surface or name, "metonymy": False})
        return mid

    def pick(self, etype: str) -> str:
        return self.rng.choice(NAMES[etype])

    def zone(self, ztype: str, start: int) -> None:
        text = "".join(self.parts)[start:self.size]
        stripped = text.rstrip()
        self.zones.append({"id": f"z{len(self.zones) + 1}", "type": ztype, "start": start,
                           "end": start + len(stripped), "text": stripped})

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _span(doc: Doc, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": doc.text[start:end]}


def cluster_of(doc: Doc, etype: str, n: int) -> str:
    """Every fifth event joins the document's one cluster of its type; the rest are singletons."""
    if n % 5 == 0:
        return f"c{1000 + EVENT_TYPES.index(etype)}"
    return f"c{len(doc.events) + 1}"


def _event_sentence(doc: Doc, etype: str, realis: str, cluster: str | None) -> None:
    actor_type = doc.rng.choice(ROLE_FILLERS["actor"])
    actor = doc.mention(actor_type, doc.pick(actor_type))
    doc.add(" ")
    trigger = doc.add(TRIGGERS[etype])
    doc.add(" ")
    recipient_type = doc.rng.choice(ROLE_FILLERS["recipient"])
    recipient = doc.mention(recipient_type, doc.pick(recipient_type))
    doc.add(" in ")
    place_type = doc.rng.choice(ROLE_FILLERS["place"])
    place = doc.mention(place_type, doc.pick(place_type))
    doc.add(" on ")
    time = doc.mention("TIME", doc.pick("TIME"))
    doc.add(". ")
    doc.events.append({"id": f"v{len(doc.events) + 1}", "type": etype, "trigger": _span(doc, *trigger),
                       "realis": realis, "arguments": [
                           {"role": "actor", "mention": actor}, {"role": "recipient", "mention": recipient},
                           {"role": "place", "mention": place}, {"role": "time", "mention": time}],
                       "cluster": cluster})


def _quote_sentence(doc: Doc, qtype: str) -> None:
    speaker = doc.pick("PER")
    if qtype == "direct":
        content = doc.add("“We are ready to discuss this with our partners,”")
        doc.add(" ")
        source = doc.mention("PER", speaker)
        doc.add(" ")
        cue = doc.add("said")
        doc.add(". ")
    elif qtype == "indirect":
        source = doc.mention("PER", speaker)
        doc.add(" ")
        cue = doc.add("said")
        doc.add(" that ")
        content = doc.add("the talks would continue next week")
        doc.add(". ")
    else:
        source = doc.mention("PER", speaker)
        doc.add(" ")
        cue = doc.add("stressed")
        doc.add(" that the parties were “closely observing” the situation")
        content = (doc.size - len("the parties were “closely observing” the situation"), doc.size)
        doc.add(". ")
    doc.quotes.append({"id": f"q{len(doc.quotes) + 1}", "type": qtype, "content": [_span(doc, *content)],
                       "cue": [_span(doc, *cue)], "source": source, "implicit_source": False,
                       "via": None, "addressee": None, "parent": None})


def synth_document(index: int, seed: int) -> tuple[str, str, dict]:
    """``(doc_id, text, annotation value)`` of synthetic document ``index``."""
    rng = random.Random(f"{seed}:{index}")
    doc = Doc(rng)
    start = doc.size
    doc.mention("PER", "Sergey Lavrov")
    doc.add(" meets ")
    doc.mention("ORG", "NATO")
    doc.add(" officials")
    doc.zone("title", start)
    doc.add("\n")
    start = doc.size
    doc.mention("GPE", "Moscow")
    doc.add(" —")
    doc.zone("dateline", start)
    doc.add("\n")
    start = doc.size
    target = rng.randint(2000, 5200)
    for n in range(32):
        kind = n % 4
        if kind == 0:
            etype = EVENT_TYPES[(index * 8 + n // 4) % len(EVENT_TYPES)]
            _event_sentence(doc, etype, REALIS[(index + n) % len(REALIS)], cluster_of(doc, etype, n))
        elif kind == 1:
            _quote_sentence(doc, QUOTE_TYPES[(index + n) % len(QUOTE_TYPES)])
        elif kind == 2:
            etype = rng.choice(["LOC", "FAC", "VEH", "WEA", "EVENT"])
            doc.add("Talk turned to ")
            doc.mention(etype, doc.pick(etype))
            doc.add(", after which ")
            doc.mention("PER", "Sergey Lavrov", "he", "PRO")
            doc.add(" left and ")
            doc.mention("PER", "Sergey Lavrov", "the minister", "NOM")
            doc.add(" spoke. ")
        else:
            doc.add(FILLER)
    while doc.size < target:
        doc.add(FILLER)
    doc.zone("body", start)
    doc.add("\n")
    start = doc.size
    doc.add("Background")
    doc.zone("subheading", start)
    doc.add("\n")
    start = doc.size
    doc.mention("PER", "Sergey Borisov")
    doc.add(", ")
    doc.mention("ORG", "RT")
    doc.zone("byline", start)
    doc.add("\n")
    start = doc.size
    doc.add("Leave a comment")
    doc.zone("boilerplate", start)
    text = doc.text
    data = text.encode("utf-8")
    doc_id = hashlib.sha256(data).hexdigest()[:16]
    value = {
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": doc_id, "title": text.split("\n", 1)[0],
            "publisher": {"name": "Synthetic News", "certainty": "stated", "evidence": "synthetic"},
            "published": {"value": "2012", "precision": "year", "not_before": None, "not_after": None,
                          "evidence": "synthetic"},
            "language": "en", "split": assign_split(doc_id), "source_file": f"synth_{doc_id}.txt",
            "text_sha256": hashlib.sha256(data).hexdigest(),
            "licence": "Synthetic text and annotations: CC0.",
        },
        "provenance": {layer: {"status": "complete", "annotated_by": ["synth_corpus.py"],
                               "annotated_on": "2026-11-23", "checked_by": [], "checked_on": None,
                               "notes": None} for layer in LAYERS},
        "zones": sorted(doc.zones, key=lambda z: z["start"]),
        "entities": [{"id": eid, "type": etype, "name": name, "wikipedia": None,
                      "value": TIME_VALUES[name] if etype == "TIME" else None, "mod": None}
                     for (etype, name), eid in doc.entities.items()],
        "mentions": doc.mentions,
        "quotes": doc.quotes,
        "events": doc.events,
    }
    return doc_id, text, value


def write_corpus(out: Path, docs: int, seed: int) -> None:
    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / "annotations").mkdir(parents=True, exist_ok=True)
    for index in range(docs):
        doc_id, text, value = synth_document(index, seed)
        (out / "texts" / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
        (out / "annotations" / f"{doc_id}.json").write_text(dumps_annotation(value), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    write_corpus(args.out, args.docs, args.seed)
    print(f"wrote {args.docs} documents to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
