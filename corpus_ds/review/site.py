"""A static, self-contained HTML review site of the corpus.

``index.html`` lists the documents with metadata, split, counts and provenance;
``<doc_id>.html`` shows one document: zones shaded (boilerplate dimmed), entity
mentions coloured by type (a click highlights the whole coreference chain),
quotes with content, cue and speaker linked by their id badge (a click on a
quote in the side list highlights all three), and events with trigger, type,
realis and arguments. Pages carry their CSS and JavaScript inline and load
nothing from the network, so they open from the file system.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..fsutil import staged_folder
from ..load import Corpus
from ..model.labels import ENTITY_COLOURS, ENTITY_TYPES, LAYERS
from ..model.records import AnnotationFile

COLOURS = ENTITY_COLOURS

CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#212529;background:#f8f9fa}
header{padding:12px 20px;background:#343a40;color:#fff}header a{color:#a5d8ff}
main{display:flex;gap:16px;padding:16px 20px;align-items:flex-start}
#text{flex:3;background:#fff;padding:16px 20px;border:1px solid #dee2e6;white-space:pre-wrap;max-width:900px}
aside{flex:2;max-height:90vh;overflow:auto;background:#fff;border:1px solid #dee2e6;padding:8px 12px;font-size:13px}
.z-boilerplate{opacity:.4}.z-title,.z-subheading{font-weight:600}.z-dateline,.z-byline{font-style:italic}
.zlabel{font-size:10px;color:#868e96;border:1px solid #ced4da;border-radius:3px;padding:0 3px;margin-right:3px;user-select:none}
.m{border-radius:3px;cursor:pointer;padding:0 1px}.m.nom{border-bottom:2px dotted #495057}.m.pro{border-bottom:2px dashed #495057}
.m.met{outline:1px dashed #868e96}.m.chain{outline:2px solid #e8590c;box-shadow:0 0 0 2px #ffd8a8}
.qc{background:linear-gradient(transparent 80%,#ffe066 80%)}.cue{font-weight:700;color:#c92a2a}
.trig{border:1.5px solid #5f3dc4;border-radius:3px}.badge{font-size:10px;vertical-align:super;padding:0 3px;border-radius:3px;margin:0 1px;user-select:none}
.bq{background:#fab005;color:#000}.bs{background:#e8590c;color:#fff}.bv{background:#5f3dc4;color:#fff}
.hl{outline:2px solid #c92a2a!important;background-color:#fff3bf}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #dee2e6;padding:3px 6px;text-align:left;vertical-align:top}
.legend span{display:inline-block;margin:2px 4px;padding:0 6px;border-radius:3px;color:#212529}
li{margin-bottom:4px}.item{cursor:pointer}.item:hover{background:#f1f3f5}
"""

JS = """
document.addEventListener('click', function (event) {
  var target = event.target.closest('[data-e],[data-quote],[data-event]');
  document.querySelectorAll('.chain,.hl').forEach(function (el) { el.classList.remove('chain', 'hl'); });
  if (!target) { return; }
  if (target.dataset.e) {
    document.querySelectorAll('.m[data-e="' + target.dataset.e + '"]').forEach(function (el) { el.classList.add('chain'); });
    var row = document.getElementById('entity-' + target.dataset.e);
    if (row) { row.classList.add('hl'); }
  } else if (target.dataset.quote) {
    document.querySelectorAll('[data-q~="' + target.dataset.quote + '"],[data-src~="' + target.dataset.quote + '"]')
      .forEach(function (el) { el.classList.add('hl'); });
  } else if (target.dataset.event) {
    document.querySelectorAll('[data-v~="' + target.dataset.event + '"],[data-arg~="' + target.dataset.event + '"]')
      .forEach(function (el) { el.classList.add('hl'); });
  }
});
"""


#: The pages load nothing and run only the script written above: a Content-Security-Policy
#: that allows that script by its hash, inline styles, and nothing else (no network at all).
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       f"script-src 'sha256-{base64.b64encode(hashlib.sha256(JS.encode('utf-8')).digest()).decode('ascii')}'; "
       "base-uri 'none'; form-action 'none'")


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(CSP)}\">"
            f"<title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{body}<script>{JS}</script></body></html>\n")


def _legend() -> str:
    return "<div class=\"legend\">" + "".join(
        f"<span style=\"background:{COLOURS[t]}\">{t}</span>" for t in ENTITY_TYPES) + \
        " <span class=\"nom\">NOM: dotted</span> <span>PRO: dashed</span> <span>metonymy: dashed frame</span></div>"


def _segments(record: AnnotationFile, text: str) -> list[tuple[int, int, list[Any]]]:
    """The text cut at every annotation boundary, each piece with the annotations covering it.

    One sweep over sorted boundaries: the cost grows with the number of annotations and
    pieces (times the few annotations that overlap at one place), never with their product.
    """
    starts: dict[int, list[Any]] = defaultdict(list)
    ends: dict[int, list[Any]] = defaultdict(list)

    def add(item: Any, start: int, end: int) -> None:
        if 0 <= start < end <= len(text):
            starts[start].append(item)
            ends[end].append(item)

    for z in record.zones:
        add(("zone", z), z.start, z.end)
    for m in record.mentions:
        add(("mention", m), m.start, m.end)
    for q in record.quotes:
        for s in q.content:
            add(("content", q), s.start, s.end)
        for s in q.cue or ():
            add(("cue", q), s.start, s.end)
    for v in record.events:
        add(("trigger", v), v.trigger.start, v.trigger.end)
    points = sorted({0, len(text), *starts, *ends})
    active: list[Any] = []
    pieces = []
    for start, end in zip(points, points[1:]):
        if start in ends:
            gone = {id(item) for item in ends[start]}
            active = [item for item in active if id(item) not in gone]
        active.extend(starts.get(start, ()))
        pieces.append((start, end, list(active)))
    return pieces


def render_document(record: AnnotationFile, text: str) -> str:
    """One document's review page; every value from the data is escaped."""
    entity_of = {e.id: e for e in record.entities}
    esc = html.escape
    sources: dict[str, list[str]] = defaultdict(list)
    badges_before: dict[int, list[str]] = defaultdict(list)
    for q in record.quotes:
        sources[q.source].append(q.id)
        badges_before[q.content[0].start].append(
            f"<span class=\"badge bq\" data-quote=\"{esc(q.id)}\" data-q=\"{esc(q.id)}\">{esc(q.id)}</span>")
    arg_of: dict[str, list[str]] = defaultdict(list)
    for v in record.events:
        for a in v.arguments:
            arg_of[a.mention].append(v.id)
    zone_starts = {z.start: z.type for z in record.zones}
    cue_ends: dict[int, list[str]] = defaultdict(list)
    for q in record.quotes:
        if q.cue:
            cue_ends[q.cue[-1].end].append(q.id)

    out = []
    for start, end, covering in _segments(record, text):
        if start in zone_starts:
            out.append(f"<span class=\"zlabel\">{esc(zone_starts[start])}</span>")
        out.extend(badges_before.get(start, ()))
        classes: list[str] = []
        attrs: dict[str, str] = {}
        quote_ids: list[str] = []
        cue_ids: list[str] = []
        events = []
        ended_mentions = []
        zone_done = False
        for kind, item in covering:
            if kind == "zone" and not zone_done:
                classes.append(f"z-{item.type}")
                zone_done = True
            elif kind == "mention":
                m = item
                classes += ["m", m.mention_type.lower()] + (["met"] if m.metonymy else [])
                entity = entity_of.get(m.entity)
                attrs.update({"data-e": m.entity, "data-mid": m.id,
                              "title": f"{m.id} {m.type} {m.mention_type} → {m.entity} "
                                       f"{entity.name if entity else '?'}",
                              "style": f"background:{COLOURS.get(m.type, '#eee')}"})
                if m.start == start:
                    attrs["data-mstart"] = "1"
                if sources.get(m.id):
                    attrs["data-src"] = " ".join(sources[m.id])
                if arg_of.get(m.id):
                    attrs["data-arg"] = " ".join(arg_of[m.id])
                if m.end == end:
                    ended_mentions.append(m)
            elif kind == "content":
                quote_ids.append(item.id)
            elif kind == "cue":
                cue_ids.append(item.id)
            elif kind == "trigger":
                events.append(item)
        if quote_ids:
            classes.append("qc")
        if cue_ids:
            classes.append("cue")
        if quote_ids or cue_ids:
            attrs["data-q"] = " ".join(dict.fromkeys(quote_ids + cue_ids))
        if events:
            classes.append("trig")
            attrs["data-v"] = " ".join(v.id for v in events)
            attrs["title"] = "; ".join(f"{v.id} {v.type} ({v.realis})" for v in events)
        piece = esc(text[start:end])
        if classes or attrs:
            attr_text = "".join(f" {k}=\"{esc(v)}\"" for k, v in attrs.items())
            out.append(f"<span class=\"{esc(' '.join(dict.fromkeys(classes)))}\"{attr_text}>{piece}</span>")
        else:
            out.append(piece)
        for qid in cue_ends.get(end, ()):
            out.append(f"<span class=\"badge bq\" data-quote=\"{esc(qid)}\" data-q=\"{esc(qid)}\">{esc(qid)}</span>")
        for m in ended_mentions:
            out.append("".join(f"<span class=\"badge bs\" data-quote=\"{esc(qid)}\">{esc(qid)} speaker</span>"
                               for qid in sources.get(m.id, ())))
        for v in events:
            if v.trigger.end == end:
                out.append(f"<span class=\"badge bv\" data-event=\"{esc(v.id)}\">{esc(v.id)} "
                           f"{esc(v.type)}·{esc(v.realis)}</span>")

    mentions = {m.id: m for m in record.mentions}

    def who(mid: str | None) -> str:
        if mid is None or mid not in mentions:
            return ""
        m = mentions[mid]
        entity = entity_of.get(m.entity)
        return f"“{esc(m.text)}” ({esc(entity.name if entity else '?')})"

    side = ["<h3>Entities</h3><table>"]
    chains: dict[str, list[str]] = defaultdict(list)
    for m in record.mentions:
        chains[m.entity].append(m.text)
    for e in record.entities:
        wiki = f" · {esc(e.wikipedia)}" if e.wikipedia else ""
        value = f" · {esc(e.value)}{' ' + esc(e.mod) if e.mod else ''}" if e.value else ""
        side.append(f"<tr id=\"entity-{esc(e.id)}\" class=\"item\" data-e=\"{esc(e.id)}\"><td>{esc(e.id)}</td>"
                    f"<td style=\"background:{COLOURS.get(e.type, '#eee')}\">{esc(e.type)}</td><td>{esc(e.name)}"
                    f"{wiki}{value}<br><small>{esc(' | '.join(chains[e.id]))}</small></td></tr>")
    side.append("</table><h3>Quotes</h3><ul>")
    for q in record.quotes:
        cue = " … ".join(s.text for s in q.cue) if q.cue else "(continuation, no cue)"
        extra = "".join(f"<br>{label}: {who(value)}" for label, value in
                        (("via", q.via), ("addressee", q.addressee)) if value)
        parent = f"<br>inside {esc(q.parent)}" if q.parent else ""
        side.append(f"<li class=\"item quote\" data-quote=\"{esc(q.id)}\"><b>{esc(q.id)}</b> {esc(q.type)} · speaker "
                    f"{who(q.source)}{' (implicit)' if q.implicit_source else ''} · cue <i>{esc(cue)}</i>"
                    f"{extra}{parent}<br><small>{esc(' … '.join(s.text for s in q.content))}</small></li>")
    side.append("</ul><h3>Events</h3><ul>")
    for v in record.events:
        args = "; ".join(f"{esc(a.role)}: {who(a.mention)}" for a in v.arguments) or "no arguments"
        side.append(f"<li class=\"item event\" data-event=\"{esc(v.id)}\"><b>{esc(v.id)}</b> {esc(v.type)} · "
                    f"<i>{esc(v.trigger.text)}</i> · {esc(v.realis)} · cluster {esc(v.cluster)}"
                    f"<br><small>{args}</small></li>")
    side.append("</ul>")
    doc = record.document
    head = (f"<header><a href=\"index.html\">← all documents</a> · <b>{esc(doc.id)}</b> · "
            f"{esc(doc.title or '(no title)')} · {esc(doc.publisher.name or 'publisher unknown')} · "
            f"{esc(doc.published.value or '?')} · split {esc(doc.split)}</header>")
    counts = (f"<p>{len(record.mentions)} mentions, {len(record.entities)} entities, "
              f"{len(record.quotes)} quotes, {len(record.events)} events. Click a mention to see its "
              f"chain; click a quote or event in the list (or a badge) to see its parts.</p>")
    body = (f"{head}<main><div><div id=\"legend\">{_legend()}</div>{counts}"
            f"<div id=\"text\">{''.join(out)}</div></div><aside>{''.join(side)}</aside></main>")
    return _page(f"{doc.id} · corpus_ds", body)


def render_index(records: list[AnnotationFile]) -> str:
    """The list of documents with metadata, counts per layer and provenance (all escaped)."""
    esc = html.escape
    rows = []
    for r in records:
        d = r.document
        prov = "<br>".join(
            esc(f"{layer}: {r.provenance[layer].status}"
                + (f" by {', '.join(r.provenance[layer].annotated_by)}" if r.provenance[layer].annotated_by else "")
                + (f", checked by {', '.join(r.provenance[layer].checked_by)}" if r.provenance[layer].checked_by else ""))
            for layer in LAYERS)
        rows.append(
            f"<tr><td><a href=\"{esc(d.id)}.html\">{esc(d.id)}</a></td><td>{esc(d.title or '(no title)')}</td>"
            f"<td>{esc(d.publisher.name or 'unknown')}</td><td>{esc(d.published.value or '?')}"
            f" ({esc(str(d.published.precision))})</td><td>{esc(d.split)}</td><td>{len(r.zones)}</td>"
            f"<td>{len(r.mentions)}</td><td>{len(r.entities)}</td><td>{len(r.quotes)}</td><td>{len(r.events)}</td>"
            f"<td><small>{prov}</small></td></tr>")
    body = ("<header><b>corpus_ds</b> · review site</header><main><div style=\"flex:1\"><table><tr><th>document</th>"
            "<th>title</th><th>publisher</th><th>published</th><th>split</th><th>zones</th><th>mentions</th>"
            "<th>entities</th><th>quotes</th><th>events</th><th>provenance</th></tr>"
            + "".join(rows) + "</table></div></main>")
    return _page("corpus_ds review", body)


def write_site(corpus: Corpus, out: Path) -> int:
    """Write the review site of a loaded corpus into ``out`` (replaced as a whole); pages written."""
    with staged_folder(out, corpus.root) as tmp:
        (tmp / "index.html").write_text(render_index([d.record for d in corpus]), encoding="utf-8")
        for document in corpus:
            (tmp / f"{document.doc_id}.html").write_text(render_document(document.record, document.text),
                                                         encoding="utf-8")
    return len(corpus) + 1
