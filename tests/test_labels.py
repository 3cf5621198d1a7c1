"""One source of truth: the schema, the validator and the docs read the label lists."""


from corpus_ds.model import labels
from corpus_ds.model.schema import annotation_schema


def _enums(node, found):
    if isinstance(node, dict):
        if "enum" in node:
            found.append(tuple(node["enum"]))
        for value in node.values():
            _enums(value, found)
    elif isinstance(node, list):
        for value in node:
            _enums(value, found)
    return found


def test_every_schema_enum_is_a_label_set():
    sets = set(labels.LABEL_SETS.values())
    enums = _enums(annotation_schema(), [])
    assert enums and all(e in sets for e in enums)
    schema_defs = annotation_schema()["$defs"]
    assert tuple(schema_defs["entity"]["properties"]["type"]["enum"]) == labels.ENTITY_TYPES
    assert tuple(schema_defs["event"]["properties"]["type"]["enum"]) == labels.EVENT_TYPES


def test_role_fillers_cover_every_role_with_known_types():
    assert set(labels.ROLE_FILLERS) == set(labels.ROLES)
    for types in labels.ROLE_FILLERS.values():
        assert set(types) <= set(labels.ENTITY_TYPES)


def test_iob2_tags_are_o_then_begin_inside_per_type():
    tags = labels.iob2_tags()
    assert tags[0] == "O" and len(tags) == 1 + 2 * len(labels.ENTITY_TYPES)
    assert tags[1:3] == ("B-PER", "I-PER")


def test_docs_label_tables_are_generated_from_the_label_list(root):
    from corpus_ds.model.label_docs import DOC_FILES, labels_markdown, refresh
    for name in DOC_FILES:
        text = (root / name).read_text(encoding="utf-8")
        assert refresh(text) == text, f"{name}: run corpus-ds docs --write"
        assert labels_markdown() in text
    for label in labels.EVENT_TYPES + labels.ENTITY_TYPES:
        assert f"`{label}`" in labels_markdown()
