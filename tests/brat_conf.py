"""brat's configuration grammar and annotation checks, for tests (brat itself is not installable here).

Written from brat's documentation and its behaviour in ``server/src/projectconfig.py`` (how
``annotation.conf`` and ``visual.conf`` are read) and ``server/src/verify_annotations.py``
(what brat reports about an ``.ann`` file against them): sections, term hierarchies,
macros, argument repetition (``Role*``, ``Role?``, ``Role+``, ``Role{N-M}``), reserved
names, ``<OVERLAP>`` rules, equivalences, attribute targets and values. Every finding is a
message naming the file and line, so a test shows what a brat user would meet in the tool.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

RESERVED = ("ANY", "ENTITY", "RELATION", "EVENT", "NONE", "EMPTY", "REL-TYPE", "URL", "URLBASE", "UNICODE",
            "GLYPH-POS", "DEFAULT", "NORM", "OVERLAP", "OVL-TYPE", "INHERIT")
RESERVED_STRINGS = tuple(f"<{name}>" for name in RESERVED)
SPECIAL_RELATIONS = ("<OVERLAP>", "ENTITY-NESTING")
ANNOTATION_SECTIONS = ("entities", "relations", "events", "attributes")
VISUAL_SECTIONS = ("options", "labels", "drawing")
DRAWING_KEYS = {"fgColor", "bgColor", "borderColor", "color", "dashArray", "arrowHead", "labelArrow",
                "glyphColor", "box", "glyph", "position"}
DRAWING_DEFAULTS = {"SPAN_DEFAULT", "ARC_DEFAULT", "ATTRIBUTE_DEFAULT"}
_STORAGE = re.compile(r"^[a-zA-Z0-9_-]+$")


@dataclass
class Node:
    """One line of a section: its terms (the first is the stored name), arguments and depth."""

    terms: list[str]
    line: int
    depth: int
    #: argument name -> allowed types; argument name -> (minimum, maximum) count
    args: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    special: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.terms[0]


@dataclass
class Config:
    sections: dict[str, list[Node]]
    errors: list[str]


def parse(text: str, file: str, expected: tuple[str, ...], optional: tuple[str, ...] = ()) -> Config:
    """The sections of a brat configuration file, and every error brat would report reading it."""
    errors: list[str] = []
    lines_of: dict[str, list[tuple[int, str]]] = {"general": []}
    section = "general"
    for number, line in enumerate(text.split("\n"), 1):
        header = re.match(r"^\s*\[(.*)\]\s*$", line)
        if header:
            section = {"spans": "entities"}.get(header.group(1), header.group(1))
            if section not in expected:
                errors.append(f"{file}:{number}: unexpected section [{section}]")
            lines_of.setdefault(section, [])
        else:
            lines_of[section].append((number, line))
    for number, line in lines_of.pop("general"):
        if line.strip() and not line.lstrip().startswith("#"):
            errors.append(f"{file}:{number}: text before the first section: {line!r}")
    for name in expected:
        if name not in lines_of and name not in optional:
            errors.append(f"{file}: missing section [{name}]")
    sections = {name: _hierarchy(lines, name, file, errors) for name, lines in lines_of.items()}
    return Config(sections, errors)


def _hierarchy(lines: list[tuple[int, str]], section: str, file: str, errors: list[str]) -> list[Node]:
    nodes: list[Node] = []
    last_at_depth: dict[int, Node] = {}
    macros: dict[str, str] = {}
    for number, line in lines:
        where = f"{file}:{number}"
        if not line.strip() or re.match(r"^\s*#", line) or re.match(r"^\s*-+\s*$", line):
            continue
        macro = re.match(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$", line)
        if macro:
            if macro.group(1) in RESERVED:
                errors.append(f"{where}: <{macro.group(1)}> is reserved and cannot be redefined")
            macros[f"<{macro.group(1)}>"] = macro.group(2)
            continue
        for name, value in macros.items():
            line = line.replace(name, value)
        for used in re.findall(r"<.*?>", line):
            if used not in RESERVED_STRINGS:
                errors.append(f"{where}: undefined macro {used}")
        match = (re.match(r"^(\s*)([^\t]+)(?:\t(.*))?$", line) if section == "labels"
                 else re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", line))
        if not match:
            errors.append(f"{where}: cannot read {line!r}")
            continue
        indent, terms_field, args_field = match.groups()
        terms = [t.strip() for t in terms_field.split("|") if t.strip()]
        if not terms:
            errors.append(f"{where}: empty term")
            continue
        if section != "labels" and terms[0] not in SPECIAL_RELATIONS and not _STORAGE.match(terms[0]):
            errors.append(f"{where}: {terms[0]!r} is not a storable name (brat would rename it)")
        node = Node(terms, number, len(indent))
        if node.depth and node.depth - 1 not in last_at_depth:
            errors.append(f"{where}: indented under no parent")
        last_at_depth[node.depth] = node
        args = [a.strip() for a in (args_field or "").split(",") if a.strip()]
        if section == "labels":
            args = []  # the labels section has display forms only
        for arg in args:
            _argument(node, arg, where, errors)
        nodes.append(node)
    return nodes


def _argument(node: Node, arg: str, where: str, errors: list[str]) -> None:
    match = re.match(r"^(\S*?):(\S*)$", arg)
    if not match:
        errors.append(f"{where}: cannot read the argument {arg!r}")
        return
    key, types = match.groups()
    if key in RESERVED_STRINGS:
        node.special[key] = types.split("-") if key == "<REL-TYPE>" else types.split("|")
        return
    repeat = re.match(r"^(\S+?)(\{\S+\}|\?|\*|\+|)$", key)
    if not repeat:
        errors.append(f"{where}: cannot read the argument name {key!r}")
        return
    key, mark = repeat.groups()
    if mark == "":
        low, high = 1, 1
    elif mark == "?":
        low, high = 0, 1
    elif mark == "*":
        low, high = 0, sys.maxsize
    elif mark == "+":
        low, high = 1, sys.maxsize
    else:
        bounds = re.match(r"^\{(\d+)(?:-(\d+))?\}$", mark)
        if not bounds:
            errors.append(f"{where}: cannot read the repetition {mark!r}")
            return
        low = int(bounds.group(1))
        high = int(bounds.group(2)) if bounds.group(2) else low
        if high == 0 or low > high:
            errors.append(f"{where}: impossible repetition {mark!r}")
    if high > 1 and key[-1].isdigit():
        errors.append(f"{where}: {key!r} ends with a digit and cannot repeat")
    if key in node.args:
        errors.append(f"{where}: argument {key!r} twice")
    if not types or any(not t.strip() for t in types.split("|")):
        errors.append(f"{where}: empty type in {arg!r}")
    node.args[key] = types.split("|")
    node.counts[key] = (low, high)
    node.order.append(key)


@dataclass
class Scheme:
    """What an annotation.conf declares, ready to check annotations against."""

    entities: set[str]
    events: dict[str, Node]
    relations: dict[str, list[Node]]
    attributes: dict[str, Node]
    overlaps: list[Node]
    errors: list[str]

    def is_type(self, name: str) -> bool:
        return name in self.entities or name in self.events

    def fits(self, allowed: list[str], actual: str) -> bool:
        """Whether a type is among ``allowed`` (with brat's <ANY>, <ENTITY>, <EVENT>)."""
        return (actual in allowed or "<ANY>" in allowed or (actual in self.entities and "<ENTITY>" in allowed)
                or (actual in self.events and "<EVENT>" in allowed))

    def overlap(self, inner: str, outer: str) -> set[str]:
        kinds: set[str] = set()
        for node in self.overlaps:
            if len(node.order) == 2 and self.fits(node.args[node.order[0]], inner) \
                    and self.fits(node.args[node.order[1]], outer):
                for value in node.special.get("<OVL-TYPE>", []):
                    kinds |= set(value.split("|"))
        return kinds

    def may(self, kind: str, a: str, b: str) -> bool:
        """brat's span_can_contain (a inside b), spans_can_be_equal, spans_can_cross."""
        if kind == "contain":
            return bool(self.overlap(a, b) & {"contain", "<ANY>"}) or "<ANY>" in self.overlap(b, a)
        return bool((self.overlap(a, b) | self.overlap(b, a)) & {kind, "<ANY>"})


def scheme(annotation_conf: str, file: str = "annotation.conf") -> Scheme:
    config = parse(annotation_conf, file, ANNOTATION_SECTIONS)
    errors = list(config.errors)
    s = config.sections
    entities = {n.name for n in s.get("entities", [])}
    events = {n.name: n for n in s.get("events", [])}
    relations: dict[str, list[Node]] = defaultdict(list)
    overlaps = []
    for node in s.get("relations", []):
        if node.name == "<OVERLAP>":
            overlaps.append(node)
            if "<OVL-TYPE>" not in node.special:
                errors.append(f"{file}:{node.line}: <OVERLAP> without <OVL-TYPE>")
            for value in node.special.get("<OVL-TYPE>", []):
                for kind in value.split("|"):
                    if kind not in ("contain", "equal", "cross", "<ANY>"):
                        errors.append(f"{file}:{node.line}: unknown <OVL-TYPE> {kind!r}")
        else:
            relations[node.name].append(node)
        if len(node.order) != 2:
            errors.append(f"{file}:{node.line}: relation {node.name} has {len(node.order)} arguments, not 2")
    attributes = {n.name: n for n in s.get("attributes", [])}
    result = Scheme(entities, events, dict(relations), attributes, overlaps, errors)
    declared = entities | set(events)
    for node in [*events.values(), *(n for nodes in relations.values() for n in nodes), *overlaps]:
        for key, types in node.args.items():
            for t in types:
                if t not in declared and t not in RESERVED_STRINGS:
                    errors.append(f"{file}:{node.line}: {node.name} {key}: type {t!r} is not declared")
    for node in attributes.values():
        if "Arg" not in node.args:
            errors.append(f"{file}:{node.line}: attribute {node.name} has no Arg")
        for t in node.args.get("Arg", []):
            if t not in declared and t not in relations and t not in RESERVED_STRINGS:
                errors.append(f"{file}:{node.line}: attribute {node.name} applies to undeclared {t!r}")
        if set(node.args) - {"Arg", "Value"}:
            errors.append(f"{file}:{node.line}: attribute {node.name}: unknown arguments "
                          f"{sorted(set(node.args) - {'Arg', 'Value'})}")
    for name in declared & set(relations):
        errors.append(f"{file}: {name} is declared both as a type and as a relation")
    return result


def check_visual(visual_conf: str, known: Scheme, file: str = "visual.conf") -> list[str]:
    """visual.conf: its grammar, and every label and drawing naming a declared type, role or relation."""
    config = parse(visual_conf, file, VISUAL_SECTIONS, optional=("options",))
    errors = list(config.errors)
    names = (known.entities | set(known.events) | set(known.relations) | set(known.attributes)
             | {role for node in known.events.values() for role in node.args} | DRAWING_DEFAULTS)
    for node in config.sections.get("labels", []):
        if node.name not in names:
            errors.append(f"{file}:{node.line}: label for undeclared {node.name!r}")
    for node in config.sections.get("drawing", []):
        if node.name not in names:
            errors.append(f"{file}:{node.line}: drawing for undeclared {node.name!r}")
        for key in node.args:
            if key not in DRAWING_KEYS:
                errors.append(f"{file}:{node.line}: unknown drawing key {key!r}")
    return errors


def check_ann(ann: str, known: Scheme, file: str) -> list[str]:
    """What brat's verify_annotations would say about an .ann file under this scheme."""
    errors: list[str] = []
    textbounds: dict[str, tuple[str, list[tuple[int, int]], int]] = {}
    kinds: dict[str, str] = {}
    lines = [(n, line) for n, line in enumerate(ann.split("\n"), 1) if line.strip()]
    for number, line in lines:
        if line.startswith("T"):
            tid, body, _ = line.split("\t")
            label, spans = body.split(" ", 1)
            textbounds[tid] = (label, [tuple(map(int, s.split())) for s in spans.split(";")], number)
            kinds[tid] = label
            if not known.is_type(label):
                errors.append(f"{file}:{number}: {tid}: {label} is not a declared entity or event type")
        elif line.startswith("E"):
            kinds[line.split("\t")[0]] = line.split("\t")[1].split(":")[0]
        elif line.startswith("R"):
            kinds[line.split("\t")[0]] = line.split("\t")[1].split()[0]
    for number, line in lines:
        head = line.split("\t")[0]
        if line.startswith("E"):
            etype, trigger = line.split("\t")[1].split()[0].split(":")
            if etype not in known.events:
                errors.append(f"{file}:{number}: {head}: {etype} is not a declared event type")
                continue
            if kinds.get(trigger) != etype:
                errors.append(f"{file}:{number}: {head}: trigger {trigger} is {kinds.get(trigger)}, not {etype}")
            node = known.events[etype]
            counts: dict[str, int] = defaultdict(int)
            for arg in line.split("\t")[1].split()[1:]:
                role, target = arg.split(":")
                role = re.sub(r"\d+$", "", role)
                counts[role] += 1
                if role not in node.args:
                    errors.append(f"{file}:{number}: {head}: {etype} takes no {role} argument")
                elif target not in kinds or not known.fits(node.args[role], kinds[target]):
                    errors.append(f"{file}:{number}: {head}: {etype} {role} cannot be a {kinds.get(target)} "
                                  f"({target})")
            for role, (low, high) in node.counts.items():
                if not low <= counts[role] <= high:
                    errors.append(f"{file}:{number}: {head}: {etype} takes {low}..{high} {role}, "
                                  f"not {counts[role]}")
        elif line.startswith("R"):
            label, arg1, arg2 = line.split("\t")[1].split()
            (name1, t1), (name2, t2) = arg1.split(":"), arg2.split(":")
            if label not in known.relations:
                errors.append(f"{file}:{number}: {head}: {label} is not a declared relation")
                continue
            if not any(node.order == [name1, name2] and known.fits(node.args[name1], kinds.get(t1, ""))
                       and known.fits(node.args[name2], kinds.get(t2, "")) for node in known.relations[label]):
                errors.append(f"{file}:{number}: {head}: {label} {name1}:{kinds.get(t1)} {name2}:{kinds.get(t2)} "
                              "is not allowed")
        elif line.startswith("*"):
            label, *members = line.split("\t")[1].split()
            nodes = known.relations.get(label, [])
            if not any({"symmetric", "transitive"} <= set(n.special.get("<REL-TYPE>", [])) for n in nodes):
                errors.append(f"{file}:{number}: {label} is not a declared equivalence (symmetric-transitive)")
            types = {kinds.get(m) for m in members}
            for a in types:
                for b in types:
                    if not any(known.fits(n.args[n.order[0]], a) and known.fits(n.args[n.order[1]], b)
                               for n in nodes if len(n.order) == 2):
                        errors.append(f"{file}:{number}: {label} not allowed between {a} and {b}")
        elif line.startswith(("A", "M")):
            name, target, *value = line.split("\t")[1].split()
            node = known.attributes.get(name)
            if node is None:
                errors.append(f"{file}:{number}: {head}: {name} is not a declared attribute")
                continue
            target_type = kinds.get(target, "")
            allowed = node.args.get("Arg", [])
            if not (known.fits(allowed, target_type) or (target_type in known.relations and "<RELATION>" in allowed)):
                errors.append(f"{file}:{number}: {head}: a {target_type} cannot take a {name} attribute")
            values = node.args.get("Value")
            if values is None and value:
                errors.append(f"{file}:{number}: {head}: {name} is binary but has the value {value[0]}")
            if values is not None and (len(value) != 1 or value[0] not in values):
                errors.append(f"{file}:{number}: {head}: {name} value {value} is not one of {values}")
        elif line.startswith("#"):
            target = line.split("\t")[1].split()[1]
            if target not in kinds:
                errors.append(f"{file}:{number}: {head}: note on undefined {target}")
    triggers = {line.split("\t")[1].split()[0].split(":")[1] for _, line in lines if line.startswith("E")}
    for tid, (label, _, number) in textbounds.items():
        if label in known.events and tid not in triggers:
            errors.append(f"{file}:{number}: {tid}: {label} is an event type, but no event has it as trigger")
    physical = [(tid, label, spans[0][0], spans[-1][1], number)
                for tid, (label, spans, number) in textbounds.items() if label in known.entities]
    physical.sort(key=lambda item: item[2])
    for i, (t1, l1, s1, e1, n1) in enumerate(physical):
        for t2, l2, s2, e2, _ in physical[i + 1:]:
            if s2 >= e1:
                break
            if (s1, e1) == (s2, e2):
                kind, inner, outer = "equal", l1, l2
            elif s1 <= s2 and e2 <= e1:
                kind, inner, outer = "contain", l2, l1
            elif s2 <= s1 and e1 <= e2:
                kind, inner, outer = "contain", l1, l2
            else:
                kind, inner, outer = "cross", l1, l2
            if not known.may(kind, inner, outer):
                what = {"equal": "the same span as", "contain": "inside", "cross": "crossing"}[kind]
                errors.append(f"{file}:{n1}: {t1}/{t2}: a {inner} {what} a {outer} is not allowed (<OVERLAP>)")
    return errors
