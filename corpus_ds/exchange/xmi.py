"""INCEpTION: UIMA CAS XMI with a type system (needs ``corpus_ds[xmi]``, i.e. dkpro-cassis).

``corpus-ds export xmi OUT`` writes ``OUT/TypeSystem.xml`` and ``OUT/DOC.xmi`` (XML 1.0, the
flavour INCEpTION calls "UIMA CAS XMI (XML 1.0)"); ``corpus-ds import xmi SOURCE`` reads such a
folder back (or one ``.xmi`` file, or the ZIP files INCEpTION exports, one per document with its
XMI and type system), through the shared import step: validated, all files or none.

Layers, INCEpTION's built-in ones where they fit:

- ``de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData``: id, title, language;
- ``...segmentation.type.Sentence`` / ``Token``: the one tokenisation (read back, never imported);
- ``...ner.type.NamedEntity`` per mention: ``value`` = entity type, ``identifier`` = the Wikipedia
  address (``https://en.wikipedia.org/wiki/TITLE``), and features added to the built-in layer:
  ``mentionId``, ``metonymy``, ``entityId``, ``entityName``, ``timexValue``, ``timexMod``;
- ``...coref.type.CoreferenceChain`` per entity (singletons too) and ``CoreferenceLink`` per
  mention, at the same offsets as its NamedEntity: ``referenceType`` = mention type (NAM, NOM,
  PRO), ``referenceRelation`` = ``coreferential``;
- custom layers: ``webanno.custom.Zone`` (``zoneType``, ``zoneId``); ``webanno.custom.Quote`` over
  the first content span (``quoteType``, ``quoteId``, ``implicitSource`` and the link features
  ``parties``, roles ``source``/``via``/``addressee`` to a NamedEntity, ``spans``, roles
  ``content`` (further content spans)/``cue`` to a ``webanno.custom.QuoteSpan``, ``parent`` to a
  Quote); ``webanno.custom.Event`` over the trigger (``eventType``, ``eventId``, ``realis``,
  ``cluster``, link feature ``arguments``, role = argument role, to a NamedEntity). Link types are
  named as INCEpTION names them: layer + feature + ``Link``, with ``role`` and ``target``.

Import keeps the existing file's metadata and provenance (the import step records the edit).
Annotations made in INCEpTION without our ids get fresh ids above every id in use; an entity
without a name gets the text of its longest name mention. A layer whose types the source's type
system lacks (an INCEpTION project without the custom layers) is kept as it is in the corpus.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ..fsutil import staged_folder
from ..load import Corpus, Document, is_doc_id
from ..load.files import MAX_INPUT_BYTES, ReadFailure, read_bounded
from ..model.labels import (
    ENTITY_TYPES,
    EVENT_TYPES,
    MENTION_TYPES,
    QUOTE_TYPES,
    REALIS,
    ROLES,
    ZONE_TYPES,
)
from ..model.problems import CorpusError, Problem, printable, quote_text
from ..model.records import (
    AnnotationFile,
    Argument,
    Entity,
    Event,
    Mention,
    Quote,
    Span,
    Zone,
    replace,
)
from ..model.segment import sentences
from .extras import require
from .imports import Change

TYPESYSTEM_FILE = "TypeSystem.xml"
STRING, BOOLEAN, FS_ARRAY, TOP = "uima.cas.String", "uima.cas.Boolean", "uima.cas.FSArray", "uima.cas.TOP"
DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CHAIN = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceChain"
LINK = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
ZONE = "webanno.custom.Zone"
QUOTE = "webanno.custom.Quote"
QUOTE_SPAN = "webanno.custom.QuoteSpan"
EVENT = "webanno.custom.Event"
#: INCEpTION's link (slot) features: host type, feature, link type, target type, allowed roles.
LINK_FEATURES = (
    (QUOTE, "parties", "webanno.custom.QuotePartiesLink", NAMED_ENTITY, ("source", "via", "addressee")),
    (QUOTE, "spans", "webanno.custom.QuoteSpansLink", QUOTE_SPAN, ("content", "cue")),
    (QUOTE, "parent", "webanno.custom.QuoteParentLink", QUOTE, ("parent",)),
    (EVENT, "arguments", "webanno.custom.EventArgumentsLink", NAMED_ENTITY, ROLES),
)
WIKIPEDIA = "https://en.wikipedia.org/wiki/"
REFERENCE_RELATION = "coreferential"


def _cassis() -> Any:
    return require("cassis", "dkpro-cassis", "xmi", "the XMI (INCEpTION) format")


def type_system() -> Any:
    """The type system of the export: DKPro Core's types (as cassis ships them), DocumentMetaData
    and the added NamedEntity features, and the custom layers."""
    cassis = _cassis()
    with warnings.catch_warnings():  # cassis reads its bundled file with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        ts = cassis.load_dkpro_core_typesystem()
    meta = ts.create_type(DOCUMENT_META, supertypeName="uima.tcas.DocumentAnnotation",
                          description="DKPro Core document metadata")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, name, STRING)
    ts.create_feature(meta, "isLastSegment", BOOLEAN)
    for name, kind in (("mentionId", STRING), ("metonymy", BOOLEAN), ("entityId", STRING),
                       ("entityName", STRING), ("timexValue", STRING), ("timexMod", STRING)):
        ts.create_feature(NAMED_ENTITY, name, kind)
    zone = ts.create_type(ZONE, description="corpus_ds zone")
    ts.create_feature(zone, "zoneType", STRING)
    ts.create_feature(zone, "zoneId", STRING)
    ts.create_type(QUOTE_SPAN, description="corpus_ds quote content (after the first span) or cue")
    quote_type = ts.create_type(QUOTE, description="corpus_ds quote, over its first content span")
    for name, kind in (("quoteType", STRING), ("quoteId", STRING), ("implicitSource", BOOLEAN)):
        ts.create_feature(quote_type, name, kind)
    event = ts.create_type(EVENT, description="corpus_ds event, over its trigger")
    for name in ("eventType", "eventId", "realis", "cluster"):
        ts.create_feature(event, name, STRING)
    for host, feature, link, target, _ in LINK_FEATURES:
        link_type = ts.create_type(link, supertypeName=TOP)
        ts.create_feature(link_type, "role", STRING)
        ts.create_feature(link_type, "target", target)
        ts.create_feature(host, feature, FS_ARRAY, elementType=link, multipleReferencesAllowed=False)
    return ts


def wikipedia_address(title: str | None) -> str | None:
    return None if title is None else WIKIPEDIA + quote(title.replace(" ", "_"), safe="")


def wikipedia_title(address: str) -> str | None:
    """The title of an English Wikipedia address, or None if it is not one."""
    for prefix in (WIKIPEDIA, "http://en.wikipedia.org/wiki/"):
        if address.startswith(prefix) and len(address) > len(prefix):
            return unquote(address[len(prefix):]).replace("_", " ")
    return None


# --- export ------------------------------------------------------------------------------


def to_cas(ts: Any, document: Document) -> Any:
    """The CAS of one document."""
    cassis = _cassis()
    record, text = document.record, document.text
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text
    T = ts.get_type
    cas.add(T(DOCUMENT_META)(begin=0, end=len(text), documentId=record.doc_id, documentTitle=record.document.title,
                             language=record.document.language))
    for i, sentence in enumerate(sentences(record, text), 1):
        cas.add(T(SENTENCE)(begin=sentence.start, end=sentence.end, id=f"s{i}"))
        for token in sentence.tokens:
            cas.add(T(TOKEN)(begin=token.start, end=token.end))
    for z in record.zones:
        cas.add(T(ZONE)(begin=z.start, end=z.end, zoneType=z.type, zoneId=z.id))
    entities = {e.id: e for e in record.entities}
    named: dict[str, Any] = {}
    links: dict[str, Any] = {}
    for m in record.mentions:
        e = entities[m.entity]
        named[m.id] = T(NAMED_ENTITY)(begin=m.start, end=m.end, value=m.type, identifier=wikipedia_address(e.wikipedia),
                                      mentionId=m.id, metonymy=m.metonymy, entityId=e.id, entityName=e.name,
                                      timexValue=e.value, timexMod=e.mod)
        links[m.id] = T(LINK)(begin=m.start, end=m.end, referenceType=m.mention_type)
        cas.add(named[m.id])
        cas.add(links[m.id])
    by_entity: dict[str, list[Mention]] = {}
    for m in sorted(record.mentions, key=lambda m: (m.start, m.end)):
        by_entity.setdefault(m.entity, []).append(m)
    for e in record.entities:
        chain = by_entity[e.id]
        for a, b in zip(chain, chain[1:]):
            links[a.id].next = links[b.id]
            links[a.id].referenceRelation = REFERENCE_RELATION
        cas.add(T(CHAIN)(first=links[chain[0].id]))

    def array(link_type: str, items: list[tuple[str, Any]]) -> Any:
        return T(FS_ARRAY)(elements=[T(link_type)(role=role, target=target) for role, target in items])

    quotes = {q.id: T(QUOTE)(begin=q.content[0].start, end=q.content[0].end, quoteType=q.type, quoteId=q.id,
                             implicitSource=q.implicit_source) for q in record.quotes}
    for q in record.quotes:
        spans = []
        for role, group in (("content", q.content[1:]), ("cue", q.cue or ())):
            for s in group:
                span = T(QUOTE_SPAN)(begin=s.start, end=s.end)
                cas.add(span)
                spans.append((role, span))
        fs = quotes[q.id]
        fs.parties = array(LINK_FEATURES[0][2], [(role, named[ref]) for role, ref in
                                                  (("source", q.source), ("via", q.via), ("addressee", q.addressee))
                                                  if ref is not None])
        fs.spans = array(LINK_FEATURES[1][2], spans)
        fs.parent = array(LINK_FEATURES[2][2], [("parent", quotes[q.parent])] if q.parent else [])
        cas.add(fs)
    for v in record.events:
        cas.add(T(EVENT)(begin=v.trigger.start, end=v.trigger.end, eventType=v.type, eventId=v.id, realis=v.realis,
                         cluster=v.cluster,
                         arguments=array(LINK_FEATURES[3][2], [(a.role, named[a.mention]) for a in v.arguments])))
    return cas


_XML10 = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_problems(document: Document) -> list[Problem]:
    """Characters XML 1.0 cannot hold: the text cannot be exported as XMI."""
    found = _XML10.search(document.text)
    if found is None:
        return []
    offset = found.start()
    line = document.text.count("\n", 0, offset) + 1
    column = offset - (document.text.rfind("\n", 0, offset) + 1) + 1
    return [Problem(f"texts/{document.doc_id}.txt", f"{line}:{column}", "xml-character",
                    f"the text holds {printable(found.group())} (character {offset}), which XML 1.0 cannot "
                    "carry; this document cannot be exported as XMI")]


def export_xmi(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write ``TypeSystem.xml`` and ``DOC.xmi`` for every document into the folder ``target``."""
    ts = type_system()
    problems = [p for document in documents for p in _xml_problems(document)]
    if problems:
        raise CorpusError(problems)
    with staged_folder(target, corpus_root, "TARGET") as tmp:
        (tmp / TYPESYSTEM_FILE).write_bytes(ts.to_xml().encode("utf-8"))
        for document in documents:
            to_cas(ts, document).to_xmi(tmp / f"{document.doc_id}.xmi", pretty_print=True)
    return (f"wrote {len(documents)} UIMA CAS XMI files and {TYPESYSTEM_FILE} to {target} "
            "(INCEpTION: UIMA CAS XMI (XML 1.0); the layers are listed in the README)")


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One XMI document to import: its bytes, its type system's bytes, and how to name it."""

    shown: str
    stem: str
    xmi: bytes
    typesystem: bytes | None


def _read(path: Path, shown: str, problems: list[Problem], inside: Path | None = None) -> bytes | None:
    try:
        return read_bounded(path, MAX_INPUT_BYTES, inside=inside)
    except ReadFailure as failure:
        problems.append(Problem(shown, "", failure.code, f"XMI source {failure.message}"))
        return None


def _typesystem_beside(folder: Path, problems: list[Problem]) -> bytes | None:
    for candidate in sorted(folder.iterdir()):
        if candidate.name.lower() == TYPESYSTEM_FILE.lower():
            return _read(candidate, str(candidate), problems, inside=folder)
    return None


def _from_zip(path: Path, problems: list[Problem], inside: Path | None = None) -> Iterator[Source]:
    data = _read(path, str(path), problems, inside)
    if data is None:
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.append(Problem(str(path), "", "bad-zip", f"not a readable ZIP file: {printable(str(exc))}"))
        return
    if sum(info.file_size for info in members) > MAX_INPUT_BYTES:
        problems.append(Problem(str(path), "", "file-too-large",
                                f"unpacks to more than the {MAX_INPUT_BYTES}-byte limit; not read"))
        return
    try:
        typesystem = next((archive.read(i) for i in members if Path(i.filename).name.lower() == TYPESYSTEM_FILE.lower()), None)
        xmis = [(i.filename, archive.read(i)) for i in members if i.filename.lower().endswith(".xmi")]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        problems.append(Problem(str(path), "", "bad-zip", f"cannot read the ZIP file: {printable(str(exc))}"))
        return
    if not xmis:
        problems.append(Problem(str(path), "", "no-xmi", "the ZIP file holds no .xmi file"))
    for name, xmi in xmis:
        yield Source(f"{path}:{name}", Path(name).stem, xmi, typesystem)


def sources(source: Path) -> tuple[list[Source], list[Problem]]:
    """The XMI documents a SOURCE holds: a folder (of ``.xmi`` with ``TypeSystem.xml``, and/or
    INCEpTION's ZIP files), one ``.xmi`` file or one ZIP file."""
    problems: list[Problem] = []
    found: list[Source] = []
    if source.is_dir():
        typesystem = _typesystem_beside(source, problems)
        for path in sorted(source.iterdir()):
            if path.suffix.lower() == ".xmi":
                data = _read(path, str(path), problems, inside=source)
                if data is not None:
                    found.append(Source(str(path), path.stem, data, typesystem))
            elif path.suffix.lower() == ".zip":
                found += _from_zip(path, problems, inside=source)
    elif source.suffix.lower() == ".zip":
        found += _from_zip(source, problems)
    elif source.suffix.lower() == ".xmi":
        data = _read(source, str(source), problems)
        if data is not None:
            found.append(Source(str(source), source.stem, data, _typesystem_beside(source.parent, problems)))
    else:
        problems.append(Problem(str(source), "", "not-xmi",
                                "expected a folder of .xmi files (with TypeSystem.xml) or INCEpTION ZIP files, "
                                "an .xmi file or a .zip file"))
    if not found and not problems:
        problems.append(Problem(str(source), "", "nothing-to-import", "holds no .xmi or .zip file"))
    return found, problems


class _Where:
    """``line:column`` of each XMI element by its ``xmi:id`` (for located problems)."""

    def __init__(self, xmi: bytes) -> None:
        self.lines = xmi.decode("utf-8", errors="replace").split("\n")
        self.by_id: dict[int, str] = {}
        for number, line in enumerate(self.lines, 1):
            for match in re.finditer(r'<[^<>]*?\bxmi:id="(\d+)"', line):
                self.by_id.setdefault(int(match.group(1)), f"{number}:{match.start() + 1}")

    def __call__(self, fs: Any) -> str:
        return self.by_id.get(getattr(fs, "xmiID", None) or -1, "")


def _has(fs: Any, name: str) -> bool:
    """Whether the type of ``fs`` has the feature (an INCEpTION project may lack the added ones)."""
    return fs.type.get_feature(name) is not None


def _feature(fs: Any, name: str) -> Any:
    """A feature's value, or None when it is unset or not in the type system."""
    return fs.get(name) if _has(fs, name) else None


class _Ids:
    """Ids for what a CAS holds: the id its feature carries when well formed and not yet taken,
    else the id of the annotation the existing file has at the same place, else a fresh id above
    every id in use (as recompiling a draft does)."""

    def __init__(self, base: AnnotationFile) -> None:
        self.used: dict[str, set[int]] = {p: set() for p in "zemqvc"}
        self.taken: dict[str, set[str]] = {p: set() for p in "zemqvc"}
        for items, prefix in ((base.zones, "z"), (base.entities, "e"), (base.mentions, "m"), (base.quotes, "q"),
                              (base.events, "v")):
            self.reserve(prefix, [item.id for item in items])
        self.reserve("c", [v.cluster for v in base.events])

    def reserve(self, prefix: str, ids: Sequence[Any]) -> None:
        for value in ids:
            if isinstance(value, str) and re.fullmatch(prefix + r"[1-9][0-9]*", value):
                self.used[prefix].add(int(value[1:]))

    def take(self, prefix: str, *candidates: Any, shared: bool = False) -> str:
        """The first candidate that is a well-formed id not yet taken (any, if ``shared``), or a fresh one."""
        for wanted in candidates:
            if isinstance(wanted, str) and re.fullmatch(prefix + r"[1-9][0-9]*", wanted) and (
                    shared or wanted not in self.taken[prefix]):
                self.taken[prefix].add(wanted)
                return wanted
        number = max(self.used[prefix], default=0) + 1
        self.used[prefix].add(number)
        fresh = f"{prefix}{number}"
        self.taken[prefix].add(fresh)
        return fresh


def _links(fs: Any, feature: str) -> list[Any]:
    value = _feature(fs, feature)
    if value is None:
        return []
    return list(getattr(value, "elements", None) or [])


def record_from_cas(cas: Any, base: AnnotationFile, text: str, shown: str, where: _Where) -> AnnotationFile:
    """The annotations of a CAS put into ``base`` (whose metadata and provenance are kept);
    CorpusError with every problem, located at the XMI element (``line:column``)."""
    problems: list[Problem] = []
    ts = cas.typesystem

    def problem(fs: Any, code: str, message: str) -> None:
        problems.append(Problem(shown, where(fs), code, message))

    def has(type_name: str) -> bool:
        return ts.contains_type(type_name)

    def select(type_name: str) -> list[Any]:
        return sorted(cas.select(type_name), key=lambda fs: (fs.begin, fs.end, fs.xmiID)) if has(type_name) else []

    def span_of(fs: Any, what: str) -> Span | None:
        begin, end = getattr(fs, "begin", None), getattr(fs, "end", None)
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin < end <= len(text)):
            problem(fs, "xmi-offsets", f"{what} has offsets [{begin}, {end}): empty or outside the text")
            return None
        return Span(begin, end, text[begin:end])

    def label(fs: Any, feature: str, allowed: Sequence[str], what: str, default: str | None = None) -> str | None:
        value = _feature(fs, feature)
        if value in (None, "") and default is not None:
            return default
        if value not in allowed:
            given = "nothing" if value in (None, "") else quote_text(str(value))
            problem(fs, "xmi-label", f"{what} has {feature} {given}; expected one of {', '.join(allowed)}")
            return None
        return str(value)

    ids = _Ids(base)
    for type_name, feature, prefix in ((ZONE, "zoneId", "z"), (NAMED_ENTITY, "mentionId", "m"),
                                       (NAMED_ENTITY, "entityId", "e"), (QUOTE, "quoteId", "q"),
                                       (EVENT, "eventId", "v"), (EVENT, "cluster", "c")):
        ids.reserve(prefix, [_feature(fs, feature) for fs in select(type_name)])
    # What the existing file has at each place: ids (and values the source's type system cannot
    # carry) are kept from it when the source does not say.
    base_zone = {(z.start, z.end): z for z in base.zones}
    base_mention = {(m.start, m.end): m for m in base.mentions}
    base_entity = {e.id: e for e in base.entities}
    base_quote = {(q.content[0].start, q.content[0].end): q for q in base.quotes}
    base_event = {(v.trigger.start, v.trigger.end): v for v in base.events}

    zones = list(base.zones)
    if has(ZONE):
        zones = []
        for fs in select(ZONE):
            span, zone_type = span_of(fs, "zone"), label(fs, "zoneType", ZONE_TYPES, "zone")
            if span and zone_type:
                old = base_zone.get((span.start, span.end))
                zones.append(Zone(ids.take("z", _feature(fs, "zoneId"), old and old.id), zone_type,
                                  span.start, span.end, span.text))

    # Mentions: one NamedEntity each; its CoreferenceLink (same offsets) gives mention type and chain.
    links_at: dict[tuple[int, int], Any] = {}
    for fs in select(LINK):
        key = (fs.begin, fs.end)
        if key in links_at:
            problem(fs, "xmi-stacked", f"two coreference links on the same text {quote_text(text[fs.begin:fs.end])}")
        links_at[key] = fs
    mention_of: dict[int, Mention] = {}  # NamedEntity xmiID -> mention
    ne_at: dict[tuple[int, int], Any] = {}
    for fs in select(NAMED_ENTITY):
        key = (fs.begin, fs.end)
        if key in ne_at:
            problem(fs, "xmi-stacked", f"two named entities on the same text {quote_text(text[fs.begin:fs.end])}")
            continue
        ne_at[key] = fs
        span = span_of(fs, "named entity")
        entity_type = label(fs, "value", ENTITY_TYPES, "named entity")
        link = links_at.get(key)
        mention_type = label(link, "referenceType", MENTION_TYPES, "coreference link", "NAM") if link else "NAM"
        if span and entity_type and mention_type:
            old = base_mention.get(key)
            metonymy = bool(_feature(fs, "metonymy")) if _has(fs, "metonymy") else bool(old and old.metonymy)
            mention_of[fs.xmiID] = Mention(ids.take("m", _feature(fs, "mentionId"), old and old.id), "", entity_type,
                                           mention_type, span.start, span.end, span.text, metonymy)
    for key, link in links_at.items():
        if key not in ne_at:
            problem(link, "xmi-link-without-entity",
                    f"coreference link on {quote_text(text[key[0]:key[1]])} has no named entity on the same text; "
                    "every mention needs a Named Entity with its type")
    # Entities: the mentions of each chain; a named entity in no chain is an entity of its own.
    groups: list[list[Any]] = []
    in_chain: set[int] = set()
    for chain in cas.select(CHAIN) if has(CHAIN) else []:
        group, link, seen = [], _feature(chain, "first"), set()
        while link is not None:
            if link.xmiID in seen:
                problem(chain, "xmi-chain-cycle", "coreference chain loops back on itself")
                break
            seen.add(link.xmiID)
            ne = ne_at.get((link.begin, link.end))
            if ne is not None and ne.xmiID in in_chain:
                problem(link, "xmi-two-chains", f"{quote_text(text[link.begin:link.end])} is in two coreference chains")
            elif ne is not None:
                group.append(ne)
                in_chain.add(ne.xmiID)
            link = _feature(link, "next")
        if group:
            groups.append(group)
    groups += [[ne] for ne in ne_at.values() if ne.xmiID not in in_chain]
    mentions: list[Mention] = []
    entities: list[Entity] = []
    for group in sorted(groups, key=lambda g: min((ne.begin, ne.end) for ne in g)):
        members = sorted((ne for ne in group if ne.xmiID in mention_of), key=lambda ne: (ne.begin, ne.end))
        if not members:
            continue
        carried = [_feature(ne, "entityId") for ne in members]
        before = [old.entity for ne in members if (old := base_mention.get((ne.begin, ne.end))) is not None]
        entity_id = ids.take("e", *carried, *before)
        old_entity = base_entity.get(entity_id)
        wikipedia = old_entity.wikipedia if old_entity and not _has(members[0], "identifier") else None
        addresses = {_feature(ne, "identifier") for ne in members} - {None, ""}
        if len(addresses) > 1:
            problem(members[0], "xmi-identifier", "the mentions of one coreference chain link to different "
                    f"pages: {', '.join(sorted(quote_text(a) for a in addresses))}")
        elif addresses:
            address = addresses.pop()
            wikipedia = wikipedia_title(address)
            if wikipedia is None:
                problem(members[0], "xmi-identifier", f"identifier {quote_text(address)} is not an English Wikipedia "
                        f"address ({WIKIPEDIA}TITLE)")

        def entity_value(feature: str, fallback: Any, members: list[Any] = members) -> Any:
            """The first value a member carries; the existing entity's when the type system lacks the feature."""
            if not _has(members[0], feature):
                return fallback
            return next((_feature(ne, feature) for ne in members if _feature(ne, feature) not in (None, "")), None)

        chain_mentions = [mention_of[ne.xmiID]._replace(entity=entity_id) for ne in members]
        names = [m.text for m in chain_mentions if m.mention_type == "NAM"] or [chain_mentions[0].text]
        name = entity_value("entityName", old_entity.name if old_entity else None) or max(names, key=len)
        entities.append(Entity(entity_id, chain_mentions[0].type, name, wikipedia,
                               entity_value("timexValue", old_entity.value if old_entity else None),
                               entity_value("timexMod", old_entity.mod if old_entity else None)))
        for ne, m in zip(members, chain_mentions):
            mention_of[ne.xmiID] = m
        mentions += chain_mentions

    reported = {ne.xmiID for ne in ne_at.values()} - set(mention_of)  # named entities already found wrong

    def mention_id(link: Any, what: str) -> str | None:
        target = _feature(link, "target")
        m = mention_of.get(getattr(target, "xmiID", -1))
        if m is None:
            if getattr(target, "xmiID", -1) not in reported:
                problem(link, "xmi-link-target", f"{what} does not point at a named entity of this document")
            return None
        return m.id

    quotes = list(base.quotes)
    if has(QUOTE):
        quotes = []
        quote_fs = select(QUOTE)
        quote_ids = {}
        for fs in quote_fs:
            old = base_quote.get((fs.begin, fs.end))
            quote_ids[fs.xmiID] = ids.take("q", _feature(fs, "quoteId"), old and old.id)
        for fs in quote_fs:
            span, quote_type = span_of(fs, "quote"), label(fs, "quoteType", QUOTE_TYPES, "quote")
            parties: dict[str, str | None] = {}
            content, cue, parent = [], [], None
            for link in _links(fs, "parties"):
                role = label(link, "role", LINK_FEATURES[0][4], "quote party link")
                if role in parties:
                    problem(link, "xmi-link-role", f"the quote has two links with role {role}")
                elif role:
                    parties[role] = mention_id(link, f"the {role} of the quote")
            for link in _links(fs, "spans"):
                role, target = label(link, "role", LINK_FEATURES[1][4], "quote span link"), _feature(link, "target")
                if target is None:
                    problem(link, "xmi-link-target", "quote span link points at nothing")
                    continue
                part = span_of(target, f"quote {role or 'span'}")
                if part and role:
                    (content if role == "content" else cue).append(part)
            for link in _links(fs, "parent"):
                target = _feature(link, "target")
                if getattr(target, "xmiID", None) not in quote_ids or parent is not None:
                    problem(link, "xmi-link-target", "a quote has at most one parent, and it is a quote")
                else:
                    parent = quote_ids[target.xmiID]
            if "source" not in parties:
                problem(fs, "xmi-quote-source", f"quote {quote_text(text[fs.begin:fs.end])} has no link with role source")
            if span and quote_type and parties.get("source"):
                quotes.append(Quote(quote_ids[fs.xmiID], quote_type, (span, *sorted(content)), tuple(sorted(cue)) or None,
                                    parties["source"] or "", bool(_feature(fs, "implicitSource")), parties.get("via"),
                                    parties.get("addressee"), parent))

    events = list(base.events)
    if has(EVENT):
        events = []
        for fs in select(EVENT):
            span, event_type = span_of(fs, "event trigger"), label(fs, "eventType", EVENT_TYPES, "event")
            realis = label(fs, "realis", REALIS, "event", "actual")
            arguments = []
            for link in _links(fs, "arguments"):
                role = label(link, "role", ROLES, "event argument link")
                target = mention_id(link, f"the {role or 'argument'} of the event")
                if role and target:
                    arguments.append(Argument(role, target))
            if span and event_type and realis:
                old = base_event.get((span.start, span.end))
                events.append(Event(ids.take("v", _feature(fs, "eventId"), old and old.id), event_type, span, realis,
                                    tuple(arguments),
                                    ids.take("c", _feature(fs, "cluster"), old and old.cluster, shared=True)))
    if problems:
        raise CorpusError(problems)
    by_position = lambda item: (item.start, item.end)  # noqa: E731
    first_mention: dict[str, tuple[int, int]] = {}
    for m in sorted(mentions, key=by_position):
        first_mention.setdefault(m.entity, (m.start, m.end))
    return replace(
        base,
        zones=tuple(sorted(zones, key=by_position)),
        entities=tuple(sorted(entities, key=lambda e: first_mention[e.id])),
        mentions=tuple(sorted(mentions, key=by_position)),
        quotes=tuple(sorted(quotes, key=lambda q: (q.content[0].start, q.content[0].end))),
        events=tuple(sorted(events, key=lambda v: (v.trigger.start, v.trigger.end))),
    )


def _load_cas(src: Source, own_ts: Any) -> tuple[Any, list[Problem]]:
    """The CAS of one source, or the problems that stop reading it."""
    cassis = _cassis()
    from lxml import etree

    try:
        etree.fromstring(src.xmi, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        return None, [Problem(src.shown, f"{line}:{column}", "xmi-syntax", f"not well-formed XML: {printable(exc.msg)}")]
    ts = own_ts
    if src.typesystem is not None:
        try:
            ts = cassis.load_typesystem(io.BytesIO(src.typesystem))
        except Exception as exc:  # a third-party parser: any failure is the file's
            return None, [Problem(src.shown, "", "xmi-typesystem",
                                  f"its {TYPESYSTEM_FILE} cannot be read: {printable(str(exc))[:200]}")]
    try:
        return cassis.load_cas_from_xmi(io.BytesIO(src.xmi), typesystem=ts, lenient=True), []
    except Exception as exc:  # a third-party parser: any failure is the file's
        return None, [Problem(src.shown, "", "xmi-cas", f"cannot be read as a UIMA CAS with "
                              f"{'its' if src.typesystem else 'the export'}'s type system: {printable(str(exc))[:200]}")]


def read_xmi(source: Path, corpus: Corpus) -> list[Change]:
    """The documents an XMI source describes; CorpusError with every problem."""
    _cassis()
    found, problems = sources(source)
    own_ts = type_system()
    by_id = {document.doc_id: document for document in corpus}
    changes: list[Change] = []
    for src in found:
        cas, read_problems = _load_cas(src, own_ts)
        if cas is None:
            problems += read_problems
            continue
        where = _Where(src.xmi)
        metas = cas.select(DOCUMENT_META) if cas.typesystem.contains_type(DOCUMENT_META) else []
        candidates = [str(_feature(metas[0], "documentId") or "")] if metas else []
        candidates.append(src.stem)
        doc_id = next((c for c in candidates if is_doc_id(c) and c in by_id), None)
        if doc_id is None:
            problems.append(Problem(src.shown, "", "unknown-document",
                                    f"neither its DocumentMetaData documentId nor its file name "
                                    f"({printable(src.stem[:40])}) is the id of a document in the corpus"))
            continue
        document = by_id[doc_id]
        if cas.sofa_string != document.text:
            sofa = cas.get_sofa()
            given = cas.sofa_string or ""
            at = next((i for i, (a, b) in enumerate(zip(given, document.text)) if a != b),
                      min(len(given), len(document.text)))
            problems.append(Problem(src.shown, where(sofa), "xmi-text",
                                    f"its document text differs from texts/{doc_id}.txt from character {at} on; "
                                    "annotations can only be imported onto the same text"))
            continue
        try:
            changes.append(Change(doc_id, record_from_cas(cas, document.record, document.text, src.shown, where),
                                  src.shown))
        except CorpusError as error:
            problems += error.problems
    if problems:
        raise CorpusError(problems)
    return changes
