"""CoNLL-U with CorefUD coreference: ``corpus-ds export conllu OUT.conllu``.

One file, every document (``# newdoc id``), the one tokenisation's sentences (``# sent_id``,
``# text``) and tokens. Columns LEMMA to DEPS are ``_``: the corpus has no lemmas, tags or
dependency trees and none is invented. MISC holds ``SpaceAfter=No`` / ``SpacesAfter`` (so each
sentence's text is exact), ``TokenRange=START:END`` (code-point offsets into the document text,
as UDPipe writes them) and the CorefUD ``Entity`` annotation of every mention::

    # global.Entity = eid-etype-head-other-identity
    Entity=(33fe5f832a8a925d.e8-person-3-mtype:NAM,type:PER-Anders_Fogh_Rasmussen

- ``eid`` is ``DOC.ENTITY`` (unique across the documents of the file, as CorefUD requires);
- ``etype`` is CorefUD's entity type (:data:`COREFUD_TYPES`); the corpus's own type, the mention
  type and metonymy go in ``other`` (``type:PER,mtype:NAM,metonymy``);
- ``head`` is the mention's last token: a placeholder, since there is no tree (right for one-token
  mentions and for NOM spans, which end at their head; not for every multi-token name);
- ``identity`` is the Wikipedia title, spaces as ``_`` and ``%``-escapes for the characters
  CorefUD reserves (``Georgia_%28country%29``).

Per document, ``# meta::split``, ``# meta::title``, ``# meta::publisher``, ``# meta::date``;
per sentence, ``# zone``. Quotes and events have no place in CorefUD and are not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

from ..fsutil import atomic_write_text, check_output_file
from ..load import Document
from .tokens import TokenView, sentence_views

GLOBAL_ENTITY = "eid-etype-head-other-identity"
#: The corpus's entity types in CorefUD's universal entity types.
COREFUD_TYPES = {"PER": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
                 "VEH": "object", "WEA": "object", "EVENT": "event", "TIME": "time"}
#: Characters a CorefUD attribute value cannot hold as such (they separate attributes, mentions,
#: MISC items), plus ``%`` and ``_`` which the escaping itself uses.
_RESERVED = {c: f"%{ord(c):02X}" for c in "%-()|=,:[]_\\"}
_SPACES = str.maketrans({" ": "\\s", "\t": "\\t", "\r": "\\r", "\n": "\\n"})


def identity(title: str | None) -> str:
    """A Wikipedia title as a CorefUD ``identity`` value (``Georgia (country)`` -> ``Georgia_%28country%29``)."""
    if not title:
        return ""
    escaped = "".join(_RESERVED.get(c, c) for c in title)
    return "".join("%{:02X}".format(ord(c)) if c.isspace() and c != " " else c for c in escaped).replace(" ", "_")


def title_of(value: str) -> str | None:
    """The Wikipedia title an ``identity`` value holds (inverse of :func:`identity`)."""
    return unquote(value.replace("_", " ")) if value else None


def _space_after(gap: str) -> str | None:
    if gap == " ":
        return None
    if gap == "":
        return "SpaceAfter=No"
    return "SpacesAfter=" + gap.replace("\\", "\\\\").translate(_SPACES)


def _line(*columns: str) -> str:
    return "\t".join(columns)


def document_lines(document: Document, view: TokenView) -> list[str]:
    """The CoNLL-U lines of one document whose mentions are all whole tokens of one sentence."""
    record, text = document.record, document.text
    meta = record.document
    entities = {e.id: e for e in record.entities}
    opening: dict[tuple[int, int], list[str]] = {}
    closing: dict[tuple[int, int], list[str]] = {}
    for m in record.mentions:
        sentence, first, last, _, _ = view.locate(m.start, m.end)  # type: ignore[misc]
        entity = entities[m.entity]
        eid = f"{record.doc_id}.{entity.id}"
        other = f"mtype:{m.mention_type},type:{m.type}" + (",metonymy" if m.metonymy else "")
        attributes = [eid, COREFUD_TYPES[m.type], str(last - first + 1), other, identity(entity.wikipedia)]
        while attributes[-1] == "":
            attributes.pop()
        chunk = "(" + "-".join(attributes)
        if first == last:
            opening.setdefault((sentence, first), []).append(chunk + ")")
        else:
            opening.setdefault((sentence, first), []).append(chunk)
            closing.setdefault((sentence, last), []).append(eid + ")")
    lines = [f"# newdoc id = {record.doc_id}", f"# global.Entity = {GLOBAL_ENTITY}", f"# meta::split = {meta.split}"]
    for key, value in (("title", meta.title), ("publisher", meta.publisher.name), ("date", meta.published.value)):
        if value:
            lines.append(f"# meta::{key} = {' '.join(value.split())}")
    sents = view.sentences
    for i, sentence in enumerate(sents):
        lines += [f"# sent_id = {record.doc_id}-{i + 1}", f"# zone = {sentence.zone}",
                  f"# text = {sentence.text_of(text)}"]
        tokens = sentence.tokens
        for j, token in enumerate(tokens):
            misc = []
            # Mentions are flat, so at most one closes and one opens here (closing first: CorefUD rule 1).
            chunks = "".join(closing.get((i, j), ())) + "".join(opening.get((i, j), ()))
            if chunks:
                misc.append("Entity=" + chunks)
            if j + 1 < len(tokens):
                gap = _space_after(text[token.end:tokens[j + 1].start])
            else:  # glued to the next sentence ("saying.Moscow")
                glued = i + 1 < len(sents) and sents[i + 1].start == token.end
                gap = "SpaceAfter=No" if glued else None
            if gap:
                misc.append(gap)
            misc.append(f"TokenRange={token.start}:{token.end}")
            lines.append(_line(str(j + 1), token.text, "_", "_", "_", "_", "_", "_", "_", "|".join(misc)))
        lines.append("")
    return lines


def conllu_text(documents: Sequence[Document]) -> tuple[str, list[str]]:
    """The CoNLL-U text of the documents and the ids of those left out (no sentence at all);
    CorpusError with every mention it cannot hold."""
    views, skipped = sentence_views(documents, "CoNLL-U")
    lines = [line for document, view in views for line in document_lines(document, view)]
    return "".join(line + "\n" for line in lines), skipped


def export_conllu(documents: Sequence[Document], target: Path, corpus_root: Path | None) -> str:
    """Write every document into one CoNLL-U file ``target``."""
    check_output_file(target, corpus_root, "TARGET")
    text, skipped = conllu_text(documents)
    atomic_write_text(target, text)
    message = f"wrote {len(documents) - len(skipped)} documents as CoNLL-U with CorefUD Entity annotations to {target}"
    if skipped:
        message += f"; left out {len(skipped)} with no zones annotated, so no sentences: {', '.join(skipped)}"
    return message
