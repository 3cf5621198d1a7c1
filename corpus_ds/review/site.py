"""A static, self-contained HTML review site of the corpus, for annotators to work in.

``index.html`` lists the documents, one row each (metadata, split, counts; the provenance
behind a disclosure). ``<doc_id>.html`` shows one document: a toolbar with layer toggles
(zones, entities, quotes, events), a search box over mentions, entities, quotes and events,
and a line describing what is selected; the text with zones shaded, mentions coloured by
entity type, quote content underlined, cues in bold and event triggers framed; and a side
panel listing entities (with their chains of mentions), quotes and events.

A click on a mention lights up its coreference chain; a click on a quote or a trigger (or its
entry in the side panel) lights up all its parts, and a trigger shows its roles (actor,
recipient, place, time) on its argument mentions, on hover too. Every mention, quote and
event has a permalink (``#m12``, ``#q3``, ``#v7``; ``#e5`` for an entity) that scrolls to and
highlights it. The layout is one column on narrow windows and two on wide ones.

The pages carry their CSS and JavaScript inline and load nothing, so they open from the file
system; a Content-Security-Policy allows only the one script below (by its hash). Every value
from the data is escaped into text or attribute values; the script reads those values and
never writes HTML. A page is rendered in one sweep over sorted annotation boundaries, so its
cost grows linearly with the annotations.
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
from ..model.problems import printable
from ..model.records import AnnotationFile

COLOURS = ENTITY_COLOURS

_TYPE_CSS = "".join(f".L-entities .m.t-{t}{{background-color:{c}}}.ty.t-{t}{{background:{c}}}"
                    for t, c in ENTITY_COLOURS.items())

CSS = """
:root{--bar:5rem}
*{box-sizing:border-box}
body{font:15px/1.6 system-ui,sans-serif;margin:0;color:#212529;background:#f8f9fa}
a{color:#1864ab}
[id]{scroll-margin-top:calc(var(--bar) + 1.5rem)}
header.top{padding:10px 16px;background:#343a40;color:#fff;overflow-wrap:anywhere}header.top a{color:#a5d8ff}
.bar{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;
 padding:8px 16px;background:#fff;border-bottom:1px solid #dee2e6;font-size:14px}
.layers{display:flex;flex-wrap:wrap;gap:2px 12px;align-items:center}.layers label{white-space:nowrap;cursor:pointer}
.search{position:relative;flex:1 1 16rem;max-width:30rem}
#find{width:100%;padding:4px 8px;font:inherit;border:1px solid #adb5bd;border-radius:4px}
.drop{position:absolute;left:0;right:0;top:100%;margin-top:2px;max-height:60vh;overflow:auto;background:#fff;
 border:1px solid #adb5bd;border-radius:4px;box-shadow:0 4px 12px rgba(0,0,0,.15);padding:4px 0;font-size:13px}
.drop p{margin:2px 10px;color:#495057}.drop ol{list-style:none;margin:0;padding:0}
.drop li a{display:block;padding:2px 10px;color:#212529;text-decoration:none;overflow-wrap:anywhere}
.drop li a:hover,.drop li a:focus{background:#e7f5ff}
#info{flex:1 1 100%;height:2.8em;line-height:1.4em;overflow-y:auto;color:#495057;font-size:13px;overflow-wrap:anywhere}
main.doc{display:grid;grid-template-columns:minmax(0,1fr) minmax(18rem,26rem);gap:16px;padding:12px 16px;
 align-items:start}
#text{background:#fff;padding:16px 20px;border:1px solid #dee2e6;white-space:pre-wrap;overflow-wrap:anywhere;
 max-width:54rem;line-height:1.9}
#side{position:sticky;top:calc(var(--bar) + 8px);max-height:calc(100vh - var(--bar) - 16px);overflow:auto;
 background:#fff;border:1px solid #dee2e6;padding:6px 12px;font-size:13px;min-width:0}
@media (max-width:900px){main.doc{grid-template-columns:minmax(0,1fr)}#side{position:static;max-height:none}
 #text{max-width:none;padding:12px 14px}}
.zl{display:none}.L-zones .zl{display:inline}
.zl::before{content:attr(data-zone);font:10px/1 system-ui,sans-serif;color:#868e96;border:1px solid #ced4da;
 border-radius:3px;padding:1px 3px;margin-right:4px;vertical-align:2px;user-select:none}
.L-zones .z-boilerplate{opacity:.45}.L-zones .z-title,.L-zones .z-subheading{font-weight:600}
.L-zones .z-dateline,.L-zones .z-byline{font-style:italic}
.L-entities .m{border-radius:3px;cursor:pointer}.L-entities .m.nom{border-bottom:2px dotted #495057}
.L-entities .m.pro{border-bottom:2px dashed #495057}.L-entities .m.met{outline:1px dashed #868e96}
.L-quotes .qc{background-image:linear-gradient(transparent 84%,#fab005 84%);cursor:pointer}
.L-quotes .cue{font-weight:700;color:#c92a2a;cursor:pointer}
.L-quotes .spk::after{content:"\\201D";color:#e8590c;font-weight:700;font-size:.9em;vertical-align:super;line-height:0}
.L-events .trig{box-shadow:inset 0 0 0 1.5px #5f3dc4;border-radius:3px;cursor:pointer}
[data-role],[data-peek]{position:relative}
[data-role]::before,[data-peek]::before{content:attr(data-role);position:absolute;left:0;bottom:100%;z-index:1;
 font:600 10px/1 system-ui,sans-serif;color:#fff;background:#5f3dc4;border-radius:3px;padding:1px 4px;
 white-space:nowrap;pointer-events:none;user-select:none}
[data-peek]::before{content:attr(data-peek);background:#7950f2}
#text .arg,#text .peekarg{outline:2px solid #7950f2;outline-offset:1px}
#text .chain{outline:2px solid #e8590c;outline-offset:1px}
#text .found{outline:2px dotted #1c7ed6;outline-offset:1px}
#text .sel{background-color:#ffe066!important;box-shadow:0 3px 0 #c92a2a}
#side details{border-bottom:1px solid #dee2e6;padding:4px 0}#side summary{font-weight:600;cursor:pointer;padding:2px 0}
#side ul,#side ol{list-style:none;margin:0;padding:0}
#side li{padding:4px 6px;border-top:1px solid #f1f3f5;cursor:pointer;overflow-wrap:anywhere}
#side li:hover{background:#f8f9fa}#side li.sel{background:#fff3bf;box-shadow:inset 3px 0 0 #c92a2a}
.id{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:#495057;text-decoration:none}
.ty{font-size:11px;padding:0 4px;border-radius:3px;background:#e9ecef;white-space:nowrap}
.name{display:inline-block;max-width:100%;font-weight:600;overflow-wrap:anywhere;vertical-align:top}
.chain a{color:inherit;text-decoration:none;border-bottom:1px dotted #868e96}
.sub{display:block;color:#495057}
.legend{display:flex;flex-wrap:wrap;gap:4px 8px;margin:4px 0 6px}
.legend span{padding:0 5px;border-radius:3px;white-space:nowrap}
main.index{padding:12px 16px}
table.docs{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
.docs td,.docs th{border-bottom:1px solid #dee2e6;padding:5px 8px;text-align:left;vertical-align:top}
.docs th{background:#f1f3f5;white-space:nowrap}.docs .docid{font-family:ui-monospace,monospace;font-size:13px}
.docs .title{overflow-wrap:anywhere;min-width:8rem}.docs .nowrap{white-space:nowrap}.docs .n{text-align:right}

.docs details summary{cursor:pointer;white-space:nowrap}
.docs details ul{margin:4px 0 0;padding-left:18px;font-size:13px}
@media (max-width:900px){.docs thead{display:none}table.docs,.docs tbody,.docs tr{display:block}
 .docs tr{padding:6px 8px;border-bottom:1px solid #dee2e6}.docs td{display:inline;border:0;padding:0 10px 0 0}
 .docs td.title{font-weight:600;padding-right:0}.docs td.title::after{content:"\\A";white-space:pre}
 .docs td.n::after{content:" " attr(data-label)}
 .docs details{display:inline-block;vertical-align:top}}
""" + _TYPE_CSS

JS = r"""
(function () {
  'use strict';
  var text = document.getElementById('text');
  if (!text) { return; }
  var body = document.body;
  var bar = document.querySelector('.bar');
  var info = document.getElementById('info');
  var find = document.getElementById('find');
  var drop = document.getElementById('results');
  var hits = document.getElementById('hits');
  var count = document.getElementById('count');
  var LAYER = {m: 'entities', e: 'entities', q: 'quotes', v: 'events'};
  var hint = info.textContent;
  var current = null;
  var shown = '';
  var peeked = null;

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function words(value) { return value ? value.split(' ') : []; }
  function kindOf(id) { return /^[eqmv][0-9]+$/.test(id) ? id.charAt(0) : null; }
  function flat(value) { return value.replace(/\s+/g, ' ').trim(); }

  function fit() { document.documentElement.style.setProperty('--bar', bar.offsetHeight + 'px'); }
  fit();
  window.addEventListener('resize', fit);

  // Every piece of text, once, by the ids it belongs to (mention, entity, quote, event).
  var pieces = Object.create(null);
  var firsts = Object.create(null);
  function file(id, el) { (pieces[id] = pieces[id] || []).push(el); }
  all('#text span[data-mid],#text span[data-q],#text span[data-v]').forEach(function (el) {
    var d = el.dataset;
    if (d.mid) { file(d.mid, el); file(d.e, el); if (d.mstart) { firsts[d.mid] = el; } }
    words(d.q).forEach(function (id) { file(id, el); });
    words(d.v).forEach(function (id) { file(id, el); });
  });
  function partsOf(id) { return pieces[id] || []; }
  function entry(id) { return document.getElementById(kindOf(id) === 'e' ? id : 'side-' + id); }

  function layerOn(name) { return body.classList.contains('L-' + name); }
  function setLayer(name, on) {
    body.classList.toggle('L-' + name, on);
    all('input[data-layer]').forEach(function (box) { if (box.dataset.layer === name) { box.checked = on; } });
  }
  all('input[data-layer]').forEach(function (box) {
    body.classList.toggle('L-' + box.dataset.layer, box.checked);
    box.addEventListener('change', function () { setLayer(box.dataset.layer, box.checked); fit(); });
  });

  function unmark(cls, attr) {
    all('#text .' + cls).forEach(function (el) { el.classList.remove(cls); });
    if (attr) { all('#text [' + attr + ']').forEach(function (el) { el.removeAttribute(attr); }); }
  }
  function roles(id, attr, cls) {
    var li = entry(id);
    words(li && li.dataset.roles).forEach(function (pair) {
      var cut = pair.indexOf(':');
      var role = pair.slice(0, cut);
      var mid = pair.slice(cut + 1);
      var first = firsts[mid];
      if (first) { first.setAttribute(attr, first.hasAttribute(attr) ? first.getAttribute(attr) + '/' + role : role); }
      partsOf(mid).forEach(function (el) { el.classList.add(cls); });
    });
  }
  var findable = Object.create(null);
  all('[data-find]').forEach(function (el) { findable[el.dataset.find] = el; });
  function describe(id) {
    var el = findable[id];
    if (!el) { return id; }
    if (kindOf(id) === 'm') { return flat(el.title); }
    if (kindOf(id) !== 'q') { return flat(el.textContent); }
    return flat(Array.prototype.map.call(el.childNodes, function (node) {
      return node.nodeType === 1 && node.classList.contains('sub') ? '' : node.textContent;
    }).join(''));
  }
  function reveal(li) {
    var box = document.getElementById('side');
    var fold = li.closest('details');
    if (fold && !fold.open) { fold.open = true; }
    if (box.scrollHeight <= box.clientHeight + 1) { return; }
    var r = li.getBoundingClientRect();
    var b = box.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) { box.scrollTop += r.top - b.top - b.height / 3; }
  }

  // Select one item: light up its parts (and its chain, roles or speaker) and its entry.
  function select(id) {
    unmark('sel'); unmark('chain'); unmark('arg', 'data-role');
    all('#side li.sel').forEach(function (el) { el.classList.remove('sel'); });
    current = null;
    shown = '';
    var kind = kindOf(id);
    var li = kind ? entry(id) : null;
    var parts = kind ? partsOf(id) : [];
    if (kind === 'm') {
      if (!parts.length) { info.textContent = hint; return null; }
      partsOf(parts[0].dataset.e).forEach(function (el) { el.classList.add('chain'); });
      li = document.getElementById(parts[0].dataset.e);
    } else if (kind === 'e') {
      parts.forEach(function (el) { el.classList.add('chain'); });
    } else if (kind) {
      roles(id, 'data-role', 'arg');
    }
    if (!li && !parts.length) { info.textContent = hint; return null; }
    if (kind !== 'e') { parts.forEach(function (el) { el.classList.add('sel'); }); }
    if (li) { li.classList.add('sel'); reveal(li); }
    if (!layerOn(LAYER[kind])) { setLayer(LAYER[kind], true); fit(); }
    current = id;
    shown = describe(id);
    info.textContent = shown;
    return kind === 'm' ? firsts[id] || parts[0] : parts[0] || li;
  }
  function go(id, scroll) {
    var target = select(id);
    if (target && scroll) { target.scrollIntoView({block: 'center'}); }
  }
  function link(id) {
    try { history.replaceState(null, '', '#' + id); } catch (error) { /* a page may not rewrite its address */ }
  }
  function visit(id) {
    if (location.hash === '#' + id) { go(id, true); } else { location.hash = id; }
  }
  function fromAddress() {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { id = ''; }
    if (id) { go(id, true); }
  }
  window.addEventListener('hashchange', fromAddress);

  // What a click on a piece of text means, in turn: its event(s), its mention, its quote(s).
  function choices(el) {
    var d = el.dataset;
    var out = [];
    if (layerOn('events')) { out = out.concat(words(d.v)); }
    if (d.mid && layerOn('entities')) { out.push(d.mid); }
    if (layerOn('quotes')) { out = out.concat(words(d.q).reverse()); }
    return out;
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    var anchor = target.closest('a[href^="#"]');
    if (anchor) {
      if (anchor.closest('#results')) { drop.hidden = true; }
      if (anchor.getAttribute('href') === location.hash) { event.preventDefault(); go(location.hash.slice(1), true); }
      return;
    }
    var li = target.closest('#side li[data-id]');
    if (li) { visit(li.dataset.id); return; }
    if (!target.closest('#text')) { return; }
    var piece = target.closest('span[data-mid],span[data-q],span[data-v]');
    var options = piece ? choices(piece) : [];
    if (!options.length) { select(''); return; }
    var next = options[(options.indexOf(current) + 1) % options.length];
    select(next);
    link(next);
  });

  // Hovering a trigger shows its event's roles on the argument mentions.
  function unpeek() {
    if (!peeked) { return; }
    peeked = null;
    unmark('peekarg', 'data-peek');
    info.textContent = shown || hint;
  }
  document.addEventListener('mouseover', function (event) {
    var piece = event.target.closest ? event.target.closest('#text span[data-v]') : null;
    if (!layerOn('events')) { piece = null; }
    if (piece === peeked) { return; }
    unpeek();
    if (!piece) { return; }
    peeked = piece;
    words(piece.dataset.v).forEach(function (id) { roles(id, 'data-peek', 'peekarg'); });
    info.textContent = words(piece.dataset.v).map(describe).join(' | ');
  });

  // Search over mentions, entities, quotes and events: a list of permalinks, matches outlined.
  var index = null;
  function entries() {
    if (!index) {
      index = Object.keys(findable).map(function (id) {
        return {id: id, label: describe(id), hay: (id + ' ' + flat(findable[id].textContent)).toLowerCase()};
      });
    }
    return index;
  }
  function search() {
    var needle = flat(find.value).toLowerCase();
    unmark('found');
    while (hits.firstChild) { hits.removeChild(hits.firstChild); }
    if (!needle) { drop.hidden = true; return []; }
    var found = entries().filter(function (item) { return item.hay.indexOf(needle) >= 0; });
    count.textContent = found.length + (found.length === 1 ? ' match' : ' matches') +
      (found.length > 200 ? ' (the first 200 listed)' : '');
    found.slice(0, 200).forEach(function (item) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + item.id;
      a.textContent = item.label.length > 160 ? item.label.slice(0, 159) + '\u2026' : item.label;
      li.appendChild(a);
      hits.appendChild(li);
    });
    found.forEach(function (item) { partsOf(item.id).forEach(function (el) { el.classList.add('found'); }); });
    drop.hidden = false;
    return found;
  }
  find.addEventListener('input', search);
  find.addEventListener('focus', function () { if (flat(find.value)) { drop.hidden = false; } });
  find.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      var found = search();
      if (found.length) { drop.hidden = true; visit(found[0].id); }
    } else if (event.key === 'Escape') {
      find.value = '';
      search();
    }
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === '/' && document.activeElement !== find && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      find.focus();
    }
  });
  document.addEventListener('mousedown', function (event) {
    if (!event.target.closest('.search')) { drop.hidden = true; }
  });

  fromAddress();
}());
"""

#: The pages load nothing and run only the script written above: a Content-Security-Policy
#: that allows that script by its hash, inline styles, and nothing else (no network at all).
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       f"script-src 'sha256-{base64.b64encode(hashlib.sha256(JS.encode('utf-8')).digest()).decode('ascii')}'; "
       "base-uri 'none'; form-action 'none'")

LAYER_HELP = {"zones": "zone labels and shading", "entities": "entity mentions",
              "quotes": "quote content, cues, speakers", "events": "event triggers"}


def _page(title: str, body: str, body_class: str = "") -> str:
    classes = f" class=\"{html.escape(body_class)}\"" if body_class else ""
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(CSP)}\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body{classes}>{body}<script>{JS}</script></body></html>\n")


def _shown(value: object) -> str:
    """A value from the data as escaped text, its control characters made visible."""
    return html.escape(printable(str(value)))


def _legend() -> str:
    chips = "".join(f"<span class=\"ty t-{t}\">{t}</span>" for t in ENTITY_TYPES)
    return (f"<div class=\"legend\">{chips}</div><div class=\"legend\"><span>NOM: dotted</span>"
            "<span>PRO: dashed</span><span>metonymy: dashed frame</span><span>quote: underlined</span>"
            "<span>cue: bold red</span><span>speaker: ”</span><span>trigger: framed</span></div>")


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


def _piece_text(text: str, start: int, end: int) -> str:
    """The text of one piece as the page shows it: a line end is one line break, even when a
    piece boundary falls between the \\r and the \\n of a CRLF."""
    piece = text[start:end]
    if piece.endswith("\r") and text.startswith("\n", end):
        piece = piece[:-1]
    return piece.replace("\r\n", "\n")


def _text_html(record: AnnotationFile, text: str) -> str:
    """The document text with every annotation as classes and data attributes of its pieces."""
    esc = html.escape
    entity_of = {e.id: e for e in record.entities}
    speakers = {q.source for q in record.quotes if q.source}
    anchors: dict[int, list[str]] = defaultdict(list)
    for m in record.mentions:
        anchors[m.start].append(m.id)
    for q in record.quotes:
        if q.content:
            anchors[min(s.start for s in q.content)].append(q.id)
    for v in record.events:
        anchors[v.trigger.start].append(v.id)
    zone_starts = {z.start: z for z in record.zones}

    out = []
    for start, end, covering in _segments(record, text):
        zone = zone_starts.get(start)
        if zone is not None:
            out.append(f"<span class=\"zl\" data-zone=\"{esc(zone.type)}\"></span>")
        out.extend(f"<span id=\"{esc(i)}\"></span>" for i in anchors.get(start, ()))
        classes: list[str] = []
        attrs: dict[str, str] = {}
        titles: list[str] = []
        quote_ids: list[str] = []
        cue_ids: list[str] = []
        event_ids: list[str] = []
        zone_done = False
        for kind, item in covering:
            if kind == "zone" and not zone_done:
                classes.append(f"z-{item.type}")
                zone_done = True
            elif kind == "mention":
                m = item
                classes += ["m", f"t-{m.type}", m.mention_type.lower()] + (["met"] if m.metonymy else [])
                if m.end == end and m.id in speakers:
                    classes.append("spk")
                entity = entity_of.get(m.entity)
                attrs["data-mid"] = m.id
                attrs["data-e"] = m.entity
                if m.start == start:
                    attrs["data-mstart"] = "1"
                titles.append(f"{m.id} {m.type} {m.mention_type}{' metonymy' if m.metonymy else ''} → "
                              f"{m.entity} {printable(entity.name) if entity else '?'}")
            elif kind == "content":
                quote_ids.append(item.id)
            elif kind == "cue":
                cue_ids.append(item.id)
            elif kind == "trigger":
                event_ids.append(item.id)
                titles.append(f"{item.id} {item.type} ({item.realis})")
        if quote_ids:
            classes.append("qc")
            titles.append("quote " + " ".join(quote_ids))
        if cue_ids:
            classes.append("cue")
            titles.append("cue of " + " ".join(cue_ids))
        if quote_ids or cue_ids:
            attrs["data-q"] = " ".join(dict.fromkeys(quote_ids + cue_ids))
        if event_ids:
            classes.append("trig")
            attrs["data-v"] = " ".join(event_ids)
        if titles:
            attrs["title"] = "\n".join(titles)
        piece = esc(_piece_text(text, start, end))
        if classes or attrs:
            attr_text = "".join(f" {k}=\"{esc(v)}\"" for k, v in attrs.items())
            out.append(f"<span class=\"{esc(' '.join(dict.fromkeys(classes)))}\"{attr_text}>{piece}</span>")
        else:
            out.append(piece)
    return "".join(out)


def _side_html(record: AnnotationFile) -> str:
    """The side panel: entities with their chains, quotes and events; each entry selectable."""
    esc = html.escape
    entity_of = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}

    def who(mid: str | None) -> str:
        if mid is None or mid not in mentions:
            return "?"
        m = mentions[mid]
        entity = entity_of.get(m.entity)
        return f"“{_shown(m.text)}” ({_shown(entity.name) if entity else '?'})"

    chains: dict[str, list[str]] = defaultdict(list)
    for m in record.mentions:
        name = _shown(entity_of[m.entity].name) if m.entity in entity_of else "?"
        chains[m.entity].append(
            f"<a href=\"#{esc(m.id)}\" data-find=\"{esc(m.id)}\" title=\"{esc(m.id)} “{_shown(m.text)}” "
            f"{esc(m.mention_type)} → {esc(m.entity)} {name}\">{_shown(m.text)}</a>")
    side = [f"<details open><summary>Legend</summary>{_legend()}</details>",
            f"<details open><summary>Entities ({len(record.entities)}) · mentions ({len(record.mentions)})"
            "</summary><ul>"]
    for e in record.entities:
        wiki = f" <span class=\"sub\">Wikipedia: {_shown(e.wikipedia)}</span>" if e.wikipedia else ""
        value = (f" <span class=\"sub\">value {_shown(e.value)}{' ' + _shown(e.mod) if e.mod else ''}</span>"
                 if e.value else "")
        side.append(f"<li id=\"{esc(e.id)}\" data-id=\"{esc(e.id)}\"><div data-find=\"{esc(e.id)}\">"
                    f"<a class=\"id\" href=\"#{esc(e.id)}\">{esc(e.id)}</a> <span class=\"ty t-{esc(e.type)}\">"
                    f"{esc(e.type)}</span> <b class=\"name\">{_shown(e.name)}</b>{wiki}{value}</div>"
                    f"<div class=\"chain\">{' · '.join(chains[e.id])}</div></li>")
    side.append(f"</ul></details><details open><summary>Quotes ({len(record.quotes)})</summary><ol>")
    for q in record.quotes:
        cue = " … ".join(_shown(s.text) for s in q.cue) if q.cue else "(continuation, no cue)"
        parties = [("speaker", q.source), ("via", q.via), ("to", q.addressee)]
        roles = " ".join(f"{role}:{mid}" for role, mid in parties if mid)
        extra = "".join(f" · {label} {who(value)}" for label, value in parties[1:] if value)
        parent = f" · inside {esc(q.parent)}" if q.parent else ""
        side.append(f"<li id=\"side-{esc(q.id)}\" data-id=\"{esc(q.id)}\" data-find=\"{esc(q.id)}\" "
                    f"data-roles=\"{esc(roles)}\"><a class=\"id\" href=\"#{esc(q.id)}\">{esc(q.id)}</a> "
                    f"{esc(q.type)} · speaker {who(q.source)}{' (implicit)' if q.implicit_source else ''} · "
                    f"cue <i>{cue}</i>{extra}{parent}"
                    f" <span class=\"sub\">{' … '.join(_shown(s.text) for s in q.content)}</span></li>")
    side.append(f"</ol></details><details open><summary>Events ({len(record.events)})</summary><ol>")
    for v in record.events:
        args = "; ".join(f"{esc(a.role)}: {who(a.mention)}" for a in v.arguments) or "no arguments"
        roles = " ".join(f"{a.role}:{a.mention}" for a in v.arguments)
        side.append(f"<li id=\"side-{esc(v.id)}\" data-id=\"{esc(v.id)}\" data-find=\"{esc(v.id)}\" "
                    f"data-roles=\"{esc(roles)}\"><a class=\"id\" href=\"#{esc(v.id)}\">{esc(v.id)}</a> "
                    f"<b>{esc(v.type)}</b> “{_shown(v.trigger.text)}” · {esc(v.realis)} · cluster {esc(v.cluster)}"
                    f" <span class=\"sub\">{args}</span></li>")
    side.append("</ol></details>")
    return "".join(side)


def render_document(record: AnnotationFile, text: str) -> str:
    """One document's review page; every value from the data is escaped."""
    doc = record.document
    head = (f"<header class=\"top\"><a href=\"index.html\">← all documents</a> · <b>{_shown(doc.id)}</b> · "
            f"{_shown(doc.title or '(no title)')} · {_shown(doc.publisher.name or 'publisher unknown')} · "
            f"{_shown(doc.published.value or '?')} · split {_shown(doc.split)}</header>")
    toggles = "".join(f"<label title=\"{LAYER_HELP.get(layer, layer)}\"><input type=\"checkbox\" "
                      f"data-layer=\"{layer}\" checked> {layer}</label>" for layer in LAYERS)
    toolbar = (f"<div class=\"bar\"><div class=\"layers\" role=\"group\" aria-label=\"Layers\"><b>Layers</b>"
               f"{toggles}</div><div class=\"search\"><input id=\"find\" type=\"search\" autocomplete=\"off\" "
               "placeholder=\"Search mentions, entities, quotes, events ( / )\" aria-label=\"Search mentions, "
               "entities, quotes and events\"><div id=\"results\" class=\"drop\" hidden><p id=\"count\"></p>"
               "<ol id=\"hits\"></ol></div></div><div id=\"info\" aria-live=\"polite\">"
               f"{len(record.mentions)} mentions, {len(record.entities)} entities, {len(record.quotes)} quotes, "
               f"{len(record.events)} events. Click a mention for its chain, a quote or a trigger for its parts "
               "(again for what lies under it); hover a trigger for its roles.</div></div>")
    body = (f"{head}{toolbar}<main class=\"doc\"><div id=\"text\">{_text_html(record, text)}</div>"
            f"<aside id=\"side\">{_side_html(record)}</aside></main>")
    return _page(f"{doc.id} · corpus_ds", body, " ".join(f"L-{layer}" for layer in LAYERS))


def _provenance(record: AnnotationFile) -> str:
    """The provenance of each layer behind a disclosure whose summary says how far it is."""
    statuses = {layer: record.provenance[layer].status for layer in LAYERS}
    if len(set(statuses.values())) == 1:
        summary = next(iter(statuses.values())).replace("_", " ")
    else:
        summary = ", ".join(f"{layer} {status.replace('_', ' ')}" for layer, status in statuses.items())
    lines = []
    for layer in LAYERS:
        p = record.provenance[layer]
        line = f"{layer}: {p.status}"
        if p.annotated_by:
            line += f" by {', '.join(p.annotated_by)}" + (f" ({p.annotated_on})" if p.annotated_on else "")
        if p.checked_by:
            line += f", checked by {', '.join(p.checked_by)}" + (f" ({p.checked_on})" if p.checked_on else "")
        if p.notes:
            line += f"; {p.notes}"
        lines.append(f"<li>{_shown(line)}</li>")
    return f"<details><summary>{_shown(summary)}</summary><ul>{''.join(lines)}</ul></details>"


def _short_ids(ids: list[str], least: int = 4) -> dict[str, int]:
    """For each id, how many of its first characters tell it apart from every other id (at
    least ``least``): neighbours in sorted order are the only ids it can share a prefix with."""
    ordered = sorted(set(ids))
    length = dict.fromkeys(ordered, least)
    for a, b in zip(ordered, ordered[1:]):
        common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        length[a] = max(length[a], common + 1)
        length[b] = max(length[b], common + 1)
    return length


def render_index(records: list[AnnotationFile]) -> str:
    """The list of documents, one row each: metadata, counts, provenance behind a disclosure."""
    esc = html.escape
    short = _short_ids([r.doc_id for r in records])
    rows = []
    for r in records:
        d = r.document
        cut = short[d.id]
        counts = "".join(f"<td class=\"n\" data-label=\"{label}\">{n}</td>" for n, label in (
            (len(r.mentions), "mentions"), (len(r.entities), "entities"), (len(r.quotes), "quotes"),
            (len(r.events), "events")))
        rows.append(
            f"<tr><td class=\"docid\"><a href=\"{esc(d.id)}.html\" title=\"{esc(d.id)}\"><b>{esc(d.id[:cut])}</b>"
            f"</a></td>"
            f"<td class=\"title\">{_shown(d.title or '(no title)')}</td>"
            f"<td class=\"nowrap\">{_shown(d.publisher.name or 'unknown')}</td>"
            f"<td class=\"nowrap\" title=\"precision: {_shown(d.published.precision)}\">"
            f"{_shown(d.published.value or '?')}</td><td>{_shown(d.split)}</td>"
            f"{counts}<td class=\"prov\">{_provenance(r)}</td></tr>")
    body = (f"<header class=\"top\"><b>corpus_ds</b> · review site · {len(records)} documents</header>"
            "<main class=\"index\"><table class=\"docs\"><thead><tr><th>id</th><th>title</th>"
            "<th>publisher</th><th>published</th><th>split</th><th class=\"n\">mentions</th>"
            "<th class=\"n\">entities</th><th class=\"n\">quotes</th><th class=\"n\">events</th>"
            "<th>provenance</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></main>")
    return _page("corpus_ds review", body)


def write_site(corpus: Corpus, out: Path) -> int:
    """Write the review site of a loaded corpus into ``out`` (replaced as a whole); pages written."""
    with staged_folder(out, corpus.root) as tmp:
        (tmp / "index.html").write_text(render_index([d.record for d in corpus]), encoding="utf-8")
        for document in corpus:
            (tmp / f"{document.doc_id}.html").write_text(render_document(document.record, document.text),
                                                         encoding="utf-8")
    return len(corpus) + 1
