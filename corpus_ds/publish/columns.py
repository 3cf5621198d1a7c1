"""Columns of a config, built directly: a flat list per leaf field, offsets for nested lists.

A config's builder (:mod:`.rows`) describes one document's rows as a :data:`Block`: a dict
from field name to a column, where a column is

- a Python ``list`` of values for a leaf field (label *names* for a ClassLabel field),
- :class:`Nested` (``offsets`` and the column of all items) for a ``List`` field,
- :class:`Struct` (a block of child columns, and which rows are null) for a struct field.

Blocks of many documents are concatenated (:func:`concat`) and turned into one Arrow table
(:func:`to_table`) following the one ``datasets.Features`` declaration of the config: label
names become ClassLabel ids, and a block whose fields differ from the declared ones (a
missing or an extra field, at any depth) is a :class:`RowShapeError`, never a column of nulls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain
from typing import Any, Union

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value


class RowShapeError(ValueError):
    """Columns whose fields differ from their config's declared features (a bug, never bad input)."""


@dataclass
class Nested:
    """A ``List`` column: row ``i`` holds items ``offsets[i]`` to ``offsets[i + 1]`` of ``items``."""

    offsets: list[int]
    items: Column


@dataclass
class Struct:
    """A struct column: child columns, and ``valid[i]`` False where row ``i`` is null (None: none is)."""

    block: Block
    valid: list[bool] | None = field(default=None)


Column = Union[list, Nested, Struct]
Block = dict[str, Column]


def nested(rows_of_items: list[list[Any]]) -> Nested:
    """A ``List`` column of leaf values from one list per row."""
    return Nested([0, *accumulate(map(len, rows_of_items))], list(chain.from_iterable(rows_of_items)))


def nested_blocks(counts: list[int], block: Block) -> Nested:
    """A ``List`` column of structs: row ``i`` holds the next ``counts[i]`` rows of ``block``."""
    return Nested([0, *accumulate(counts)], Struct(block))


def length(column: Column) -> int:
    """The number of rows of a column."""
    if isinstance(column, Nested):
        return len(column.offsets) - 1
    if isinstance(column, Struct):
        return length(next(iter(column.block.values()))) if column.block else len(column.valid or ())
    return len(column)


def concat(columns: list[Column]) -> Column:
    """One column of the rows of several (of one kind, with the same fields)."""
    first = columns[0]
    if isinstance(first, Nested):
        offsets = [0]
        for column in columns:
            assert isinstance(column, Nested)
            offsets.extend(map(offsets[-1].__add__, column.offsets[1:]))
        return Nested(offsets, concat([column.items for column in columns]))  # type: ignore[union-attr]
    if isinstance(first, Struct):
        blocks = [column.block for column in columns]  # type: ignore[union-attr]
        valid = None
        if any(column.valid is not None for column in columns):  # type: ignore[union-attr]
            valid = [flag for column in columns
                     for flag in (column.valid if column.valid is not None else [True] * length(column))]  # type: ignore[union-attr]
        return Struct(concat_blocks(blocks), valid)
    joined: list[Any] = []
    for column in columns:
        joined.extend(column)  # type: ignore[arg-type]
    return joined


def concat_blocks(blocks: list[Block]) -> Block:
    """The rows of several blocks (of one config) as one block."""
    if len(blocks) == 1:
        return blocks[0]
    return {name: concat([block[name] for block in blocks]) for name in blocks[0]}


def _shape_error(where: str, declared: Any, given: Block) -> RowShapeError:
    missing, extra = sorted(set(declared) - set(given)), sorted(set(given) - set(declared))
    return RowShapeError(f"{where}: row keys differ from the declared features (missing {missing}, "
                         f"not declared {extra})")


@lru_cache(maxsize=None)
def _label_ids(names: tuple[str, ...]) -> dict[str, int]:
    return {name: index for index, name in enumerate(names)}


def _array(column: Column, feature: Any, where: str) -> pa.Array:
    if isinstance(feature, ClassLabel):
        if not isinstance(column, list):
            raise RowShapeError(f"{where}: a label column must be a list of label names")
        ids = _label_ids(tuple(feature.names))
        if None in column:
            return pa.array([None if value is None else ids[value] for value in column], pa.int64())
        return pa.array(list(map(ids.__getitem__, column)), pa.int64())
    if isinstance(feature, Value):
        if not isinstance(column, list):
            raise RowShapeError(f"{where}: a {feature.dtype} column must be a list of values")
        return pa.array(column, feature.pa_type)
    if isinstance(feature, List):
        if not isinstance(column, Nested):
            raise RowShapeError(f"{where}: a list column must be Nested (a list is never null)")
        return pa.ListArray.from_arrays(pa.array(column.offsets, pa.int32()),
                                        _array(column.items, feature.feature, f"{where}[]"))
    if isinstance(feature, dict):
        if not isinstance(column, Struct):
            raise RowShapeError(f"{where}: a struct column must be a Struct")
        if column.block.keys() != feature.keys():
            raise _shape_error(where, feature, column.block)
        block = column.block
        if column.valid is not None and not all(column.valid):
            block = {name: _placeholders(child, sub, column.valid) for name, (child, sub)
                     in ((name, (block[name], sub)) for name, sub in feature.items())}
        children = [_array(block[name], sub, f"{where}.{name}") for name, sub in feature.items()]
        fields = [pa.field(name, child.type) for name, child in zip(feature, children)]
        mask = None if column.valid is None or all(column.valid) else pa.array([not v for v in column.valid])
        return pa.StructArray.from_arrays(children, fields=fields, mask=mask)
    raise RowShapeError(f"{where}: no column kind for {feature!r}")


_DEFAULTS = {"string": "", "bool": False}


def _placeholders(column: Column, feature: Any, valid: list[bool]) -> Column:
    """A leaf column with the default value (not null) in the rows of a null struct, as Arrow
    itself fills them: the struct's own validity says the row is null."""
    if not isinstance(column, list):
        return column
    default = 0 if isinstance(feature, ClassLabel) else _DEFAULTS.get(getattr(feature, "dtype", ""), 0)
    if isinstance(feature, ClassLabel):
        default = feature.names[0]
    return [value if ok or value is not None else default for value, ok in zip(column, valid)]


def to_table(config: str, features: Features, block: Block) -> pa.Table:
    """The Arrow table of a config's block, with the declared schema (ids for label names)."""
    if block.keys() != features.keys():
        raise _shape_error(config, features, block)
    arrays = [_array(block[name], feature, f"{config}.{name}") for name, feature in features.items()]
    return pa.Table.from_arrays(arrays, schema=_schema(config, features))


def with_own_columns(config: str, features: Features, base: pa.Table, own: Block) -> pa.Table:
    """The table of a config whose rows are ``base``'s (a config with the same features for
    them): ``base``'s columns, but for those in ``own``, converted here."""
    if not own.keys() <= features.keys():
        raise _shape_error(config, features, own)
    arrays = [_array(own[name], feature, f"{config}.{name}") if name in own else base.column(name)
              for name, feature in features.items()]
    return pa.Table.from_arrays(arrays, schema=_schema(config, features))


_SCHEMAS: dict[tuple[str, int], pa.Schema] = {}


def _schema(config: str, features: Features) -> pa.Schema:
    """``features.arrow_schema`` (which ``datasets`` recomputes, metadata and all, on every call)."""
    key = (config, id(features))
    if key not in _SCHEMAS:
        _SCHEMAS[key] = features.arrow_schema
    return _SCHEMAS[key]


def take_rows(block: Block, keep: list[int]) -> Block:
    """The rows ``keep`` of a block (in that order)."""
    return {name: _take(column, keep) for name, column in block.items()}


def _take(column: Column, keep: list[int]) -> Column:
    if isinstance(column, Nested):
        offsets = [0]
        chosen: list[int] = []
        for row in keep:
            start, end = column.offsets[row], column.offsets[row + 1]
            chosen.extend(range(start, end))
            offsets.append(len(chosen))
        return Nested(offsets, _take(column.items, chosen))
    if isinstance(column, Struct):
        valid = None if column.valid is None else [column.valid[row] for row in keep]
        return Struct(take_rows(column.block, keep), valid)
    return [column[row] for row in keep]


def rows_of(block: Block) -> list[dict[str, Any]]:
    """The block as row dicts (label names kept): for tests, not the build."""
    count = length(next(iter(block.values()))) if block else 0
    return [row_of(block, row) for row in range(count)]


def row_of(block: Block, row: int) -> dict[str, Any]:
    """Row ``row`` of a block as a dict (label names kept): for the card's examples."""
    return {name: _value(column, row) for name, column in block.items()}


def _value(column: Column, row: int) -> Any:
    if isinstance(column, Nested):
        return [_value(column.items, item) for item in range(column.offsets[row], column.offsets[row + 1])]
    if isinstance(column, Struct):
        if column.valid is not None and not column.valid[row]:
            return None
        return {name: _value(child, row) for name, child in column.block.items()}
    return column[row]
