"""Plain-text rendering of a document with its annotations inline, for review.

Markers: ``[Sergey Lavrov]PER:e3`` a mention (``/NOM``, ``/PRO`` and ``~met``
added when they apply), ``⟨q1 … q1⟩`` quote content, ``{said}q1`` a cue,
``<meeting>CONSULT:v3`` an event trigger, and ``§title`` where a zone begins.
"""

from __future__ import annotations

from collections import defaultdict

from ..model.records import AnnotationFile

ALL_LAYERS = ("zones", "entities", "quotes", "events")


def render(record: AnnotationFile, text: str, layers: tuple[str, ...] = ALL_LAYERS) -> str:
    """The document text with inline markers, then a legend of entities, quotes and events."""
    opens: dict[int, list[tuple[int, str]]] = defaultdict(list)
    closes: dict[int, list[tuple[int, str]]] = defaultdict(list)

    def mark(start: int, end: int, before: str, after: str, rank: int) -> None:
        # Wider spans open first and close last; rank orders equal spans.
        opens[start].append((-(end - start) * 10 - rank, before))
        closes[end].append(((end - start) * 10 + rank, after))

    if "zones" in layers:
        for z in record.zones:
            opens[z.start].append((-10**12, f"§{z.type}({z.id}) "))
    if "entities" in layers:
        for m in record.mentions:
            extra = "" if m.mention_type == "NAM" else f"/{m.mention_type}"
            extra += "~met" if m.metonymy else ""
            mark(m.start, m.end, "[", f"]{m.type}:{m.entity}{extra}", 1)
    if "quotes" in layers:
        for q in record.quotes:
            for s in q.content:
                mark(s.start, s.end, f"⟨{q.id} ", f" {q.id}⟩", 3)
            for s in q.cue or ():
                mark(s.start, s.end, "{", f"}}{q.id}", 2)
    if "events" in layers:
        for v in record.events:
            mark(v.trigger.start, v.trigger.end, "<", f">{v.type}:{v.id}", 0)

    out: list[str] = []
    for pos in range(len(text) + 1):
        out.extend(after for _, after in sorted(closes.get(pos, ())))
        out.extend(before for _, before in sorted(opens.get(pos, ())))
        if pos < len(text):
            out.append(text[pos])
    return "".join(out) + "\n\n" + legend(record, layers)


def legend(record: AnnotationFile, layers: tuple[str, ...] = ALL_LAYERS) -> str:
    """One line per entity, quote and event, with references spelled out."""
    mentions = {m.id: m for m in record.mentions}
    entities = {e.id: e for e in record.entities}

    def who(mid: str | None) -> str:
        if mid is None:
            return "-"
        m = mentions.get(mid)
        if m is None:
            return f"{mid}(?)"
        e = entities.get(m.entity)
        return f"{mid}“{m.text}”={m.entity}({e.name if e else '?'})"

    lines = [f"# {record.doc_id}  split={record.document.split}  title={record.document.title!r}"]
    if "entities" in layers:
        lines.append(f"## entities ({len(record.entities)}) / mentions ({len(record.mentions)})")
        chains = defaultdict(list)
        for m in record.mentions:
            chains[m.entity].append(m.text)
        for e in record.entities:
            wiki = f" wiki={e.wikipedia!r}" if e.wikipedia else ""
            lines.append(f"{e.id} {e.type} {e.name!r}{wiki}: " + " | ".join(chains[e.id]))
    if "quotes" in layers:
        lines.append(f"## quotes ({len(record.quotes)})")
        for q in record.quotes:
            cue = " … ".join(s.text for s in q.cue) if q.cue else "(no cue)"
            extras = "".join(
                f" {name}={value}" for name, value in
                (("via", who(q.via) if q.via else None), ("to", who(q.addressee) if q.addressee else None),
                 ("parent", q.parent), ("implicit", "yes" if q.implicit_source else None)) if value
            )
            content = " … ".join(s.text for s in q.content)
            lines.append(f"{q.id} {q.type} source={who(q.source)} cue={cue!r}{extras}: {content}")
    if "events" in layers:
        lines.append(f"## events ({len(record.events)})")
        for v in record.events:
            args = ", ".join(f"{a.role}={who(a.mention)}" for a in v.arguments) or "no arguments"
            cluster = f" cluster={v.cluster}" if v.cluster else ""
            lines.append(f"{v.id} {v.type} <{v.trigger.text}> {v.realis}{cluster}: {args}")
    return "\n".join(lines) + "\n"
