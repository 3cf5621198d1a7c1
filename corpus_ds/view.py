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

import html
from collections import defaultdict

from .labels import ENTITY_TYPES, LAYERS
from .model import AnnotationFile

COLOURS = {
    "PER": "#ffd8a8", "ORG": "#a5d8ff", "GPE": "#b2f2bb", "LOC": "#d0bfff", "FAC": "#ffc9c9",
    "VEH": "#99e9f2", "WEA": "#fcc2d7", "EVENT": "#ffec99", "TIME": "#dee2e6",
}

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


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{body}<script>{JS}</script></body></html>\n")


def _legend() -> str:
    return "<div class=\"legend\">" + "".join(
        f"<span style=\"background:{COLOURS[t]}\">{t}</span>" for t in ENTITY_TYPES) + \
        " <span class=\"nom\">NOM: dotted</span> <span>PRO: dashed</span> <span>metonymy: dashed frame</span></div>"


def render_document(record: AnnotationFile, text: str) -> str:
    """One document's review page."""
    bounds = {0, len(text)}
    for z in record.zones:
        bounds |= {z.start, z.end}
    for m in record.mentions:
        bounds |= {m.start, m.end}
    for q in record.quotes:
        for s in (*q.content, *(q.cue or ())):
            bounds |= {s.start, s.end}
    for v in record.events:
        bounds |= {v.trigger.start, v.trigger.end}
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    entity_of = {e.id: e for e in record.entities}
    badges_before: dict[int, list[str]] = defaultdict(list)
    sources = defaultdict(list)
    for q in record.quotes:
        sources[q.source].append(q.id)
        badges_before[q.content[0].start].append(f"<span class=\"badge bq\" data-quote=\"{q.id}\" data-q=\"{q.id}\">{q.id}</span>")
    arg_of = defaultdict(list)
    for v in record.events:
        for a in v.arguments:
            arg_of[a.mention].append(v.id)
    zone_starts = {z.start: z.type for z in record.zones}

    out = []
    for start, end in zip(points, points[1:]):
        if start in zone_starts:
            out.append(f"<span class=\"zlabel\">{zone_starts[start]}</span>")
        out.extend(badges_before.get(start, ()))
        classes, attrs = [], {}
        zone = next((z for z in record.zones if z.start <= start and end <= z.end), None)
        if zone:
            classes.append(f"z-{zone.type}")
        for m in record.mentions:
            if m.start <= start and end <= m.end:
                classes += ["m", m.mention_type.lower()] + (["met"] if m.metonymy else [])
                attrs.update({"data-e": m.entity, "data-mid": m.id,
                              "title": f"{m.id} {m.type} {m.mention_type} → {m.entity} {entity_of[m.entity].name}",
                              "style": f"background:{COLOURS[m.type]}"})
                if m.start == start:
                    attrs["data-mstart"] = "1"
                if sources.get(m.id):
                    attrs["data-src"] = " ".join(sources[m.id])
                if arg_of.get(m.id):
                    attrs["data-arg"] = " ".join(arg_of[m.id])
        quote_ids = [q.id for q in record.quotes if any(s.start <= start and end <= s.end for s in q.content)]
        cue_ids = [q.id for q in record.quotes if any(s.start <= start and end <= s.end for s in q.cue or ())]
        if quote_ids:
            classes.append("qc")
        if cue_ids:
            classes.append("cue")
        if quote_ids or cue_ids:
            attrs["data-q"] = " ".join(quote_ids + cue_ids)
        events = [v for v in record.events if v.trigger.start <= start and end <= v.trigger.end]
        if events:
            classes.append("trig")
            attrs["data-v"] = " ".join(v.id for v in events)
            attrs["title"] = "; ".join(f"{v.id} {v.type} ({v.realis})" for v in events)
        piece = html.escape(text[start:end])
        if classes or attrs:
            attr_text = "".join(f" {k}=\"{html.escape(v)}\"" for k, v in attrs.items())
            out.append(f"<span class=\"{' '.join(classes)}\"{attr_text}>{piece}</span>")
        else:
            out.append(piece)
        for q in record.quotes:
            if q.cue and q.cue[-1].end == end:
                out.append(f"<span class=\"badge bq\" data-quote=\"{q.id}\" data-q=\"{q.id}\">{q.id}</span>")
        for m in record.mentions:
            if m.end == end and sources.get(m.id):
                out.append("".join(f"<span class=\"badge bs\" data-quote=\"{qid}\">{qid} speaker</span>"
                                   for qid in sources[m.id]))
        for v in events:
            if v.trigger.end == end:
                out.append(f"<span class=\"badge bv\" data-event=\"{v.id}\">{v.id} {v.type}·{v.realis}</span>")

    mentions = {m.id: m for m in record.mentions}

    def who(mid: str | None) -> str:
        if mid is None:
            return ""
        m = mentions[mid]
        return f"“{html.escape(m.text)}” ({html.escape(entity_of[m.entity].name)})"

    side = ["<h3>Entities</h3><table>"]
    chains = defaultdict(list)
    for m in record.mentions:
        chains[m.entity].append(m.text)
    for e in record.entities:
        wiki = f" · {html.escape(e.wikipedia)}" if e.wikipedia else ""
        side.append(f"<tr id=\"entity-{e.id}\" class=\"item\" data-e=\"{e.id}\"><td>{e.id}</td>"
                    f"<td style=\"background:{COLOURS[e.type]}\">{e.type}</td><td>{html.escape(e.name)}{wiki}"
                    f"<br><small>{html.escape(' | '.join(chains[e.id]))}</small></td></tr>")
    side.append("</table><h3>Quotes</h3><ul>")
    for q in record.quotes:
        cue = " … ".join(s.text for s in q.cue) if q.cue else "(continuation, no cue)"
        extra = "".join(f"<br>{label}: {who(value)}" for label, value in
                        (("via", q.via), ("addressee", q.addressee)) if value)
        parent = f"<br>inside {q.parent}" if q.parent else ""
        side.append(f"<li class=\"item quote\" data-quote=\"{q.id}\"><b>{q.id}</b> {q.type} · speaker "
                    f"{who(q.source)}{' (implicit)' if q.implicit_source else ''} · cue <i>{html.escape(cue)}</i>"
                    f"{extra}{parent}<br><small>{html.escape(' … '.join(s.text for s in q.content))}</small></li>")
    side.append("</ul><h3>Events</h3><ul>")
    for v in record.events:
        args = "; ".join(f"{a.role}: {who(a.mention)}" for a in v.arguments) or "no arguments"
        cluster = f" · cluster {v.cluster}" if v.cluster else ""
        side.append(f"<li class=\"item event\" data-event=\"{v.id}\"><b>{v.id}</b> {v.type} · "
                    f"<i>{html.escape(v.trigger.text)}</i> · {v.realis}{cluster}<br><small>{args}</small></li>")
    side.append("</ul>")
    doc = record.document
    head = (f"<header><a href=\"index.html\">← all documents</a> · <b>{doc.id}</b> · "
            f"{html.escape(doc.title or '(no title)')} · {html.escape(doc.publisher.name or 'publisher unknown')} · "
            f"{html.escape(doc.published.value or '?')} · split {doc.split}</header>")
    counts = (f"<p>{len(record.mentions)} mentions, {len(record.entities)} entities, "
              f"{len(record.quotes)} quotes, {len(record.events)} events. Click a mention to see its "
              f"chain; click a quote or event in the list (or a badge) to see its parts.</p>")
    body = (f"{head}<main><div><div id=\"legend\">{_legend()}</div>{counts}"
            f"<div id=\"text\">{''.join(out)}</div></div><aside>{''.join(side)}</aside></main>")
    return _page(f"{doc.id} · corpus_ds", body)


def render_index(records: list[AnnotationFile]) -> str:
    """The list of documents with metadata, counts per layer and provenance."""
    rows = []
    for r in records:
        d = r.document
        prov = "<br>".join(
            f"{layer}: {r.provenance[layer].status}"
            + (f" by {', '.join(r.provenance[layer].annotated_by)}" if r.provenance[layer].annotated_by else "")
            + (f", checked by {', '.join(r.provenance[layer].checked_by)}" if r.provenance[layer].checked_by else "")
            for layer in LAYERS)
        rows.append(
            f"<tr><td><a href=\"{d.id}.html\">{d.id}</a></td><td>{html.escape(d.title or '(no title)')}</td>"
            f"<td>{html.escape(d.publisher.name or 'unknown')}</td><td>{html.escape(d.published.value or '?')}"
            f" ({d.published.precision})</td><td>{d.split}</td><td>{len(r.zones)}</td><td>{len(r.mentions)}</td>"
            f"<td>{len(r.entities)}</td><td>{len(r.quotes)}</td><td>{len(r.events)}</td><td><small>{prov}</small></td></tr>")
    body = ("<header><b>corpus_ds</b> · review site</header><main><div style=\"flex:1\"><table><tr><th>document</th>"
            "<th>title</th><th>publisher</th><th>published</th><th>split</th><th>zones</th><th>mentions</th>"
            "<th>entities</th><th>quotes</th><th>events</th><th>provenance</th></tr>"
            + "".join(rows) + "</table></div></main>")
    return _page("corpus_ds review", body)
