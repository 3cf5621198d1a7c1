"""Inter-annotator agreement between two annotation sets of the same texts.

Pass A is taken as the reference and pass B as the response; every F1 here is
symmetric, so the choice only swaps precision and recall.

- Mentions: exact F1 (same span and type) and overlap F1 (overlapping spans of
  the same type, matched one to one), overall and per entity type.
- Coreference: MUC and B-cubed F1 over the mentions both passes annotated with
  the same span (the count of such mentions is reported beside them).
- Zones: the share of non-white-space characters given the same zone type.
- Quotes: content overlap F1 (one to one, by largest overlap); on matched quotes,
  speaker agreement (the two speaker entities share a mention span or their
  canonical names are equal), type agreement and Cohen's kappa; cue exact F1.
- Events: trigger exact and overlap F1; on matched triggers, type and realis
  agreement; argument F1 (same role, overlapping filler spans) over all events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..load import CorpusPaths, iter_files, shown_paths
from ..model.labels import ENTITY_TYPES
from ..model.problems import CorpusError, Problem, usage
from ..model.records import AnnotationFile, Mention

T = TypeVar("T")


@dataclass
class PRF:
    """Precision and recall as ratios: ``p_num / p_den`` and ``r_num / r_den``.

    For plain matching, both numerators are the matched count, ``r_den`` the
    reference (A) size and ``p_den`` the response (B) size (see ``counts``);
    MUC and B-cubed fill the four fields their own way.
    """

    r_num: float = 0
    r_den: float = 0
    p_num: float = 0
    p_den: float = 0
    counted: bool = False

    @classmethod
    def counts(cls, matched: int, n_a: int, n_b: int) -> PRF:
        return cls(matched, n_a, matched, n_b, counted=True)

    def add(self, other: PRF) -> None:
        self.counted = other.counted
        self.r_num += other.r_num
        self.r_den += other.r_den
        self.p_num += other.p_num
        self.p_den += other.p_den

    @property
    def precision(self) -> float:
        return self.p_num / self.p_den if self.p_den else 1.0

    @property
    def recall(self) -> float:
        return self.r_num / self.r_den if self.r_den else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.counted:
            out = {"matched": int(self.r_num), "n_a": int(self.r_den), "n_b": int(self.p_den)}
        return {**out, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Agreement:
    """Counts summed over all compared documents."""

    label: str
    matched: int = 0
    total: int = 0
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, a: str, b: str) -> None:
        self.total += 1
        self.matched += a == b
        self.pairs.append((a, b))

    @property
    def accuracy(self) -> float:
        return self.matched / self.total if self.total else 1.0

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa of the paired labels (None when undefined)."""
        if not self.pairs:
            return None
        n = len(self.pairs)
        ca = Counter(a for a, _ in self.pairs)
        cb = Counter(b for _, b in self.pairs)
        expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
        if expected == 1:
            return None
        return (self.accuracy - expected) / (1 - expected)

    def as_json(self) -> dict[str, Any]:
        kappa = self.kappa
        return {"matched": self.matched, "total": self.total, "accuracy": round(self.accuracy, 4),
                "kappa": None if kappa is None else round(kappa, 4)}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_one_to_one(items_a: Sequence[T], items_b: Sequence[T],
                     score: Callable[[T, T], float]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching by decreasing positive score (ties by position)."""
    candidates = [
        (-s, i, j) for i, a in enumerate(items_a) for j, b in enumerate(items_b)
        if (s := score(a, b)) > 0
    ]
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _span(m: Mention) -> tuple[int, int]:
    return (m.start, m.end)


def _chains(record: AnnotationFile, keep: set[tuple[int, int]]) -> list[set[tuple[int, int]]]:
    chains: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for m in record.mentions:
        if _span(m) in keep:
            chains[m.entity].add(_span(m))
    return list(chains.values())


def muc(key: list[set[Any]], response: list[set[Any]]) -> PRF:
    """MUC link-based counts (Vilain et al. 1995) as a PRF on links."""

    def partitions(chains: list[set[Any]], other: list[set[Any]]) -> tuple[int, int]:
        where = {m: i for i, c in enumerate(other) for m in c}
        num = den = 0
        for chain in chains:
            parts = {where.get(m, ("alone", m)) for m in chain}
            num += len(chain) - len(parts)
            den += len(chain) - 1
        return num, den

    r_num, r_den = partitions(key, response)
    p_num, p_den = partitions(response, key)
    return PRF(r_num, r_den, p_num, p_den)


def b_cubed(key: list[set[Any]], response: list[set[Any]]) -> PRF:
    """B-cubed (Bagga & Baldwin 1998) over the mentions of ``key`` and ``response``."""
    k_of = {m: c for c in key for m in c}
    r_of = {m: c for c in response for m in c}

    def side(of_a: dict[Any, set[Any]], of_b: dict[Any, set[Any]]) -> tuple[float, int]:
        total = 0.0
        for m, chain in of_a.items():
            other = of_b.get(m, {m})
            total += len(chain & other) / len(chain)
        return total, len(of_a)

    r_sum, r_n = side(k_of, r_of)
    p_sum, p_n = side(r_of, k_of)
    return PRF(r_sum, r_n, p_sum, p_n)


@dataclass
class DocumentPair:
    doc_id: str
    a: AnnotationFile
    b: AnnotationFile
    text: str


def _mention_scores(pairs: Iterable[DocumentPair]) -> dict[str, Any]:
    exact, overlap = PRF(), PRF()
    per_type = {t: (PRF(), PRF()) for t in ENTITY_TYPES}
    span_only = PRF()
    muc_total, b3_total = PRF(), PRF()
    shared_mentions = 0
    for pair in pairs:
        ma, mb = pair.a.mentions, pair.b.mentions
        for etype, (ex, ov) in per_type.items():
            ta = [m for m in ma if m.type == etype]
            tb = [m for m in mb if m.type == etype]
            ex_n = len({_span(m) for m in ta} & {_span(m) for m in tb})
            ov_n = len(match_one_to_one(ta, tb, lambda x, y: _overlap(_span(x), _span(y))))
            ex.add(PRF.counts(ex_n, len(ta), len(tb)))
            ov.add(PRF.counts(ov_n, len(ta), len(tb)))
            exact.add(PRF.counts(ex_n, len(ta), len(tb)))
            overlap.add(PRF.counts(ov_n, len(ta), len(tb)))
        common = {_span(m) for m in ma} & {_span(m) for m in mb}
        span_only.add(PRF.counts(len(common), len(ma), len(mb)))
        shared_mentions += len(common)
        ka, kb = _chains(pair.a, common), _chains(pair.b, common)
        muc_total.add(muc(ka, kb))
        b3_total.add(b_cubed(ka, kb))
    return {
        "exact": exact.as_json(),
        "exact_span_only": span_only.as_json(),
        "overlap": overlap.as_json(),
        "per_type": {t: {"exact": ex.as_json(), "overlap": ov.as_json()}
                     for t, (ex, ov) in per_type.items() if ex.r_den or ex.p_den},
        "coreference": {"shared_mentions": shared_mentions, "muc": muc_total.as_json(),
                        "b_cubed": b3_total.as_json()},
    }


def _zone_scores(pairs: Iterable[DocumentPair]) -> dict[str, Any]:
    same = total = 0
    for pair in pairs:
        def labels_of(record: AnnotationFile) -> list[str | None]:
            out: list[str | None] = [None] * len(pair.text)
            for z in record.zones:
                out[z.start:z.end] = [z.type] * (z.end - z.start)
            return out
        la, lb = labels_of(pair.a), labels_of(pair.b)
        for pos, char in enumerate(pair.text):
            if not char.isspace():
                total += 1
                same += la[pos] == lb[pos]
    return {"characters": total, "same_zone_type": same,
            "accuracy": round(same / total, 4) if total else 1.0}


def _entity_spans(record: AnnotationFile) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for m in record.mentions:
        spans[m.entity].add(_span(m))
    return spans


def _same_speaker(pair: DocumentPair, source_a: str, source_b: str) -> bool:
    ma = {m.id: m for m in pair.a.mentions}
    mb = {m.id: m for m in pair.b.mentions}
    ea = {e.id: e for e in pair.a.entities}
    eb = {e.id: e for e in pair.b.entities}
    if source_a not in ma or source_b not in mb:
        return False
    ent_a, ent_b = ma[source_a].entity, mb[source_b].entity
    if _entity_spans(pair.a)[ent_a] & _entity_spans(pair.b)[ent_b]:
        return True
    return ea[ent_a].name.casefold() == eb[ent_b].name.casefold()


def _quote_scores(pairs: Iterable[DocumentPair]) -> dict[str, Any]:
    content, cue = PRF(), PRF()
    speaker = Agreement("speaker")
    qtype = Agreement("type")
    for pair in pairs:
        qa, qb = pair.a.quotes, pair.b.quotes

        def overlap(x: Any, y: Any) -> int:
            return sum(_overlap((s.start, s.end), (t.start, t.end)) for s in x.content for t in y.content)

        matched = match_one_to_one(qa, qb, overlap)
        content.add(PRF.counts(len(matched), len(qa), len(qb)))
        cues_a = {(s.start, s.end) for q in qa for s in q.cue or ()}
        cues_b = {(s.start, s.end) for q in qb for s in q.cue or ()}
        cue.add(PRF.counts(len(cues_a & cues_b), len(cues_a), len(cues_b)))
        for i, j in matched:
            same = _same_speaker(pair, qa[i].source, qb[j].source)
            speaker.add("same", "same" if same else "different")
            qtype.add(qa[i].type, qb[j].type)
    return {"content_overlap": content.as_json(), "cue_exact": cue.as_json(),
            "speaker_on_matched": {k: v for k, v in speaker.as_json().items() if k != "kappa"},
            "type_on_matched": qtype.as_json()}


def _event_scores(pairs: Iterable[DocumentPair]) -> dict[str, Any]:
    exact, overlap, arguments = PRF(), PRF(), PRF()
    etype, realis = Agreement("type"), Agreement("realis")
    for pair in pairs:
        va, vb = pair.a.events, pair.b.events
        ma = {m.id: m for m in pair.a.mentions}
        mb = {m.id: m for m in pair.b.mentions}
        spans_a = {(v.trigger.start, v.trigger.end) for v in va}
        spans_b = {(v.trigger.start, v.trigger.end) for v in vb}
        exact.add(PRF.counts(len(spans_a & spans_b), len(va), len(vb)))
        matched = match_one_to_one(
            va, vb, lambda x, y: _overlap((x.trigger.start, x.trigger.end), (y.trigger.start, y.trigger.end)))
        overlap.add(PRF.counts(len(matched), len(va), len(vb)))
        args_matched = 0
        for i, j in matched:
            etype.add(va[i].type, vb[j].type)
            realis.add(va[i].realis, vb[j].realis)
            args_a = [(a.role, _span(ma[a.mention])) for a in va[i].arguments if a.mention in ma]
            args_b = [(a.role, _span(mb[a.mention])) for a in vb[j].arguments if a.mention in mb]
            args_matched += len(match_one_to_one(
                args_a, args_b, lambda x, y: _overlap(x[1], y[1]) if x[0] == y[0] else 0))
        arguments.add(PRF.counts(args_matched, sum(len(v.arguments) for v in va),
                          sum(len(v.arguments) for v in vb)))
    return {"trigger_exact": exact.as_json(), "trigger_overlap": overlap.as_json(),
            "type_on_matched": etype.as_json(), "realis_on_matched": realis.as_json(),
            "arguments": arguments.as_json()}


def agreement(pairs: list[DocumentPair]) -> dict[str, Any]:
    """Every agreement figure for the documents annotated in both sets."""
    return {
        "documents": [p.doc_id for p in pairs],
        "zones": _zone_scores(pairs),
        "mentions": _mention_scores(pairs),
        "quotes": _quote_scores(pairs),
        "events": _event_scores(pairs),
    }


def _rows(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """``(measure, P, R, F1 or accuracy, counts)`` for every figure, in report order."""
    rows: list[tuple[str, str, str, str, str]] = []

    def prf(name: str, d: dict[str, Any]) -> None:
        counts = f"{d['matched']}/{d['n_a']}/{d['n_b']}" if "matched" in d else ""
        rows.append((name, f"{d['precision']:.3f}", f"{d['recall']:.3f}", f"{d['f1']:.3f}", counts))

    def acc(name: str, d: dict[str, Any]) -> None:
        kappa = "" if d.get("kappa") is None else f" kappa {d['kappa']:.3f}"
        rows.append((name, "", "", f"{d['accuracy']:.3f}", f"{d['matched']}/{d['total']}{kappa}"))

    m = result["mentions"]
    prf("mentions exact (span+type)", m["exact"])
    prf("mentions exact span", m["exact_span_only"])
    prf("mentions overlap", m["overlap"])
    for etype, d in m["per_type"].items():
        prf(f"  {etype} exact", d["exact"])
        prf(f"  {etype} overlap", d["overlap"])
    prf(f"coref MUC ({m['coreference']['shared_mentions']} shared)", m["coreference"]["muc"])
    prf("coref B-cubed", m["coreference"]["b_cubed"])
    z = result["zones"]
    rows.append(("zones (char accuracy)", "", "", f"{z['accuracy']:.3f}", f"{z['same_zone_type']}/{z['characters']}"))
    q = result["quotes"]
    prf("quotes content overlap", q["content_overlap"])
    prf("quote cues exact", q["cue_exact"])
    acc("quote speaker (matched)", q["speaker_on_matched"])
    acc("quote type (matched)", q["type_on_matched"])
    v = result["events"]
    prf("event triggers exact", v["trigger_exact"])
    prf("event triggers overlap", v["trigger_overlap"])
    acc("event type (matched)", v["type_on_matched"])
    acc("event realis (matched)", v["realis_on_matched"])
    prf("event arguments", v["arguments"])
    return rows


def render_table(result: dict[str, Any]) -> str:
    """The agreement figures as a plain-text table."""
    rows = _rows(result)
    header = ("measure", "P", "R", "F1/acc", "matched/A/B")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = [f"documents: {', '.join(result['documents'])}"]
    for r in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                               for i, cell in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n"


def render_markdown(result: dict[str, Any]) -> str:
    """The agreement figures as a markdown table (for DATACARD.md)."""
    lines = [f"Documents: {', '.join(f'`{d}`' for d in result['documents'])}.", "",
             "| measure | P | R | F1 / accuracy | matched / A / B |", "|---|---|---|---|---|"]
    lines += [f"| {name.strip()} | {p} | {r} | {f} | {counts} |" for name, p, r, f, counts in _rows(result)]
    return "\n".join(lines) + "\n"


def load_pass(folder: Path, texts: Path) -> tuple[dict[str, AnnotationFile], dict[str, str], list[Problem]]:
    """The valid annotation files of one pass, by document id, their texts, and every problem."""
    files = sorted(folder.glob("*.json"))
    records: dict[str, AnnotationFile] = {}
    text_of: dict[str, str] = {}
    problems: list[Problem] = []
    for outcome in iter_files(files, texts, shown_paths(files)):
        problems += [p for p in outcome.problems if p.is_error]
        if outcome.document is not None:
            records[outcome.document.doc_id] = outcome.document.record
            text_of[outcome.document.doc_id] = outcome.document.text
    return records, text_of, problems


def compare_folders(corpus: CorpusPaths, dir_a: Path, dir_b: Path) -> dict[str, Any]:
    """Agreement between two folders of annotation files over the documents both hold."""
    for name, folder in (("DIR_A", dir_a), ("DIR_B", dir_b)):
        if not folder.is_dir():
            raise usage(name, "not-a-folder", f"{folder} is not a folder")
    set_a, texts, problems_a = load_pass(dir_a, corpus.texts)
    set_b, _, problems_b = load_pass(dir_b, corpus.texts)
    if problems_a or problems_b:
        raise CorpusError(problems_a + problems_b)
    common = sorted(set(set_a) & set(set_b))
    if not common:
        raise usage("DIR_B", "nothing-to-compare",
                                   f"no document is annotated in both {dir_a} and {dir_b}")
    return agreement([DocumentPair(d, set_a[d], set_b[d], texts[d]) for d in common])
