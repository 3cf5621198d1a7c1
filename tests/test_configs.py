"""The configs added or changed in corpus 2.0.0, read back with `datasets` as a user would:
`coref`, `bigbio_kb` (checked with BigBIO's harness rules), corpus-wide keys, quote speakers
with offsets, and no null where a list is declared."""

from collections import defaultdict

import datasets
import pytest
from datasets import ClassLabel, List, load_dataset

from corpus_ds import validate_file
from corpus_ds.load import CorpusPaths
from corpus_ds.publish.features import CONFIG_FEATURES


@pytest.fixture(scope="module")
def sources(built):
    corpus = CorpusPaths(built.root)
    records = [validate_file(p, corpus.texts).record for p in corpus.annotation_files()]
    return {r.doc_id: (r, corpus.text_file(r.doc_id).read_text(encoding="utf-8")) for r in records}


def _rows(built, config):
    ds = load_dataset(str(built.out), config)
    return [(split, row) for split in ds for row in ds[split]]


def _names(feature, value):
    """Label ids back to names (the datasets way: ClassLabel.int2str), recursively."""
    if isinstance(feature, ClassLabel):
        return None if value is None else feature.int2str(value)
    if isinstance(feature, List):
        return [_names(feature.feature, v) for v in value]
    if isinstance(feature, dict):
        return None if value is None else {k: _names(f, value[k]) for k, f in feature.items()}
    return value


def _null_lists(feature, value, path):
    if isinstance(feature, List):
        if value is None:
            yield path
            return
        for i, item in enumerate(value):
            yield from _null_lists(feature.feature, item, f"{path}[{i}]")
    elif isinstance(feature, dict) and value is not None:
        for key, sub in feature.items():
            yield from _null_lists(sub, value[key], f"{path}.{key}")


def test_no_null_where_a_list_is_declared(built):
    for config, features in CONFIG_FEATURES.items():
        for _, row in _rows(built, config):
            assert list(_null_lists(features, row, config)) == []


def test_a_quote_without_cue_has_an_empty_cue_list(built, sources):
    cueless = {(d, q.id) for d, (r, _) in sources.items() for q in r.quotes if q.cue is None}
    rows = {(row["doc_id"], row["quote_id"]): row for _, row in _rows(built, "quotes")}
    for found in cueless:
        assert rows[found]["cue"] == [] and rows[found]["cue_text"] is None
    documents = {row["id"]: row for _, row in _rows(built, "documents")}
    for doc_id, quote_id in cueless:
        (quote,) = [q for q in documents[doc_id]["quotes"] if q["id"] == quote_id]
        assert quote["cue"] == []


def test_quote_parties_carry_offsets_and_keys(built, sources):
    checked = 0
    for _, row in _rows(built, "quotes"):
        record, text = sources[row["doc_id"]]
        mentions = {m.id: m for m in record.mentions}
        assert row["quote_key"] == f"{row['doc_id']}:{row['quote_id']}"
        assert row["parent_key"] == (f"{row['doc_id']}:{row['parent']}" if row["parent"] else None)
        for role in ("source", "via", "addressee"):
            party = row[role]
            if party is None:
                continue
            assert text[party["start"]:party["end"]] == party["text"] == mentions[party["mention_id"]].text
            assert party["mention_key"] == f"{row['doc_id']}:{party['mention_id']}"
            assert party["entity_key"] == f"{row['doc_id']}:{party['entity_id']}"
            checked += 1
    assert checked


def test_corpus_wide_keys_are_unique_and_join_across_configs(built):
    import duckdb

    keys = defaultdict(set)
    for config, column in (("mentions", "mention_key"), ("quotes", "quote_key"), ("events", "event_key")):
        rows = _rows(built, config)
        keys[config] = {row[column] for _, row in rows}
        assert len(keys[config]) == len(rows)
    out = built.out
    # every event argument joins to its mention row by one key column, across documents
    ((unmatched,),) = duckdb.sql(f"""
        select count(*) from (select unnest(arguments) as a from read_parquet('{out}/events/*.parquet')) e
        anti join read_parquet('{out}/mentions/*.parquet') m on m.mention_key = e.a.mention_key""").fetchall()
    assert unmatched == 0
    ((per_doc,),) = duckdb.sql(f"select count(distinct entity_id) from read_parquet('{out}/mentions/*.parquet')").fetchall()
    ((corpus_wide,),) = duckdb.sql(f"select count(distinct entity_key) from read_parquet('{out}/mentions/*.parquet')").fetchall()
    assert corpus_wide >= per_doc


def test_coref_clusters_are_the_entities_with_singletons_marked(built, sources):
    features = CONFIG_FEATURES["coref"]
    ner = {(row["doc_id"], row["sentence_index"]): row for _, row in _rows(built, "ner")}
    seen = set()
    for split, raw in _rows(built, "coref"):
        row = _names(features, raw)
        record, text = sources[row["doc_id"]]
        assert record.document.split == split
        seen.add(row["doc_id"])
        expected = defaultdict(set)
        for m in record.mentions:
            expected[m.entity].add((m.start, m.end, m.mention_type))
        got = {e["entity_id"]: {(m["start"], m["end"], m["mention_type"]) for m in e["mentions"]}
               for e in row["entities"]}
        assert got == dict(expected)
        entities = {e.id: e for e in record.entities}
        for cluster in row["entities"]:
            entity = entities[cluster["entity_id"]]
            assert (cluster["type"], cluster["name"], cluster["wikipedia"], cluster["value"], cluster["mod"]) == (
                entity.type, entity.name, entity.wikipedia, entity.value, entity.mod)
            assert cluster["singleton"] == (len(cluster["mentions"]) == 1)
            assert cluster["entity_key"] == f"{row['doc_id']}:{cluster['entity_id']}"
            for m in cluster["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
                sentence = ner[row["doc_id"], m["sentence_index"]]
                offsets = sentence["token_offsets"][m["token_start"]:m["token_end"]]
                assert (offsets[0]["start"], offsets[-1]["end"]) == (m["start"], m["end"])
        # events: one cluster per cluster id, every event in it, one type
        by_cluster = defaultdict(set)
        for v in record.events:
            by_cluster[v.cluster].add((v.id, v.type, v.trigger.start, v.trigger.end))
        got_events = {c["cluster_id"]: {(v["event_id"], c["type"], v["start"], v["end"]) for v in c["events"]}
                      for c in row["event_clusters"]}
        assert got_events == dict(by_cluster)
        for cluster in row["event_clusters"]:
            assert cluster["singleton"] == (len(cluster["events"]) == 1)
            for v in cluster["events"]:
                sentence = ner[row["doc_id"], v["sentence_index"]]
                offsets = sentence["token_offsets"][v["token_start"]:v["token_end"]]
                assert offsets[0]["start"] <= v["start"] and v["end"] <= offsets[-1]["end"]
    assert seen == set(sources)


def test_coref_singletons_can_be_dropped_as_conll_2012_scoring_does(built):
    ds = load_dataset(str(built.out), "coref")
    split = next(iter(ds))
    kept = ds[split].map(lambda row: {"entities": [e for e in row["entities"] if not e["singleton"]]})
    for row in kept:
        assert all(len(e["mentions"]) > 1 for e in row["entities"])


# BigBIO's KB schema as bigbio/hub/bigbiohub.py declares it (github.com/bigscience-workshop/biomedical),
# written with datasets.Sequence as BigBIO writes it: the config must load with exactly these features.
def _bigbio_kb_features():
    S, V = datasets.Sequence, datasets.Value
    offsets = S([V("int32")])
    normalized = [{"db_name": V("string"), "db_id": V("string")}]
    return datasets.Features({
        "id": V("string"), "document_id": V("string"),
        "passages": [{"id": V("string"), "type": V("string"), "text": S(V("string")), "offsets": offsets}],
        "entities": [{"id": V("string"), "type": V("string"), "text": S(V("string")), "offsets": offsets,
                      "normalized": normalized}],
        "events": [{"id": V("string"), "type": V("string"),
                    "trigger": {"text": S(V("string")), "offsets": offsets},
                    "arguments": [{"role": V("string"), "ref_id": V("string")}]}],
        "coreferences": [{"id": V("string"), "entity_ids": S(V("string"))}],
        "relations": [{"id": V("string"), "type": V("string"), "arg1_id": V("string"), "arg2_id": V("string"),
                       "normalized": normalized}],
    })


def _ids(value, found):
    """Every value of an `id` key, at any depth (BigBIO's _assert_ids_globally_unique walk)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                _ids(v, found)
            elif k == "id":
                found.append(v)
    elif isinstance(value, list):
        for item in value:
            _ids(item, found)
    return found


def test_bigbio_kb_follows_the_bigbio_harness_rules(built, sources):
    """The checks of BigBIO's test_bigbio_hub.py, as hard failures: schema, ids unique in a split,
    references resolve to the right kind, passages one text and one offset pair each, and every
    offset gives back its text in the passages joined by single spaces."""
    ds = load_dataset(str(built.out), "bigbio_kb")
    mention_count = 0
    for split in ds:
        assert ds[split].features == _bigbio_kb_features()
        seen = []
        for example in ds[split]:
            seen += _ids(example, [])
            entities = {e["id"] for e in example["entities"]}
            events = {v["id"] for v in example["events"]}
            for event in example["events"]:
                for argument in event["arguments"]:
                    assert argument["ref_id"] in entities | events
            for coreference in example["coreferences"]:
                assert set(coreference["entity_ids"]) <= entities
            for relation in example["relations"]:
                assert {relation["arg1_id"], relation["arg2_id"]} <= entities
            text = " ".join(t for p in example["passages"] for t in p["text"])
            for passage in example["passages"]:
                assert len(passage["text"]) == len(passage["offsets"]) == 1
                (start, end), = passage["offsets"]
                assert text[start:end] == passage["text"][0]
            spans = [(e["offsets"], e["text"]) for e in example["entities"]]
            spans += [(v["trigger"]["offsets"], v["trigger"]["text"]) for v in example["events"]]
            for offsets, texts in spans:
                assert all(len(pair) == 2 for pair in offsets) and len(offsets) == len(texts)
                assert [text[s:e] for s, e in offsets] == texts
            # the mentions are the entities of an entity type, with their Wikipedia titles
            record, _ = sources[example["document_id"]]
            titles = {e.id: e.wikipedia for e in record.entities}
            by_id = {e["id"]: e for e in example["entities"]}
            for m in record.mentions:
                entity = by_id[f"{record.doc_id}_{m.id}"]
                assert (entity["type"], entity["text"]) == (m.type, [m.text])
                wiki = [n["db_id"] for n in entity["normalized"] if n["db_name"] == "wikipedia"]
                assert wiki == ([titles[m.entity]] if titles[m.entity] else [])
                mention_count += 1
            assert len(example["events"]) == len(record.events)
            assert len([r for r in example["relations"] if r["type"] in ("quote_source", "quote_implicit_source")]) \
                == len(record.quotes)
        assert len(seen) == len(set(seen))
    assert mention_count == sum(len(r.mentions) for r, _ in sources.values())


def test_bigbio_kb_of_a_document_whose_zones_are_not_annotated_yet(sources):
    """Without zones the whole text is one passage, and offsets are the text's."""
    from corpus_ds.publish.columns import to_table
    from corpus_ds.publish.features import CONFIG_FEATURES
    from corpus_ds.publish.rows import config_blocks, config_rows

    record, text = next(iter(sources.values()))
    bare = record._replace(zones=())
    to_table("bigbio_kb", CONFIG_FEATURES["bigbio_kb"], config_blocks(bare, text)["bigbio_kb"])  # fits its features
    (row,) = config_rows(bare, text)["bigbio_kb"]
    assert [(p["type"], p["offsets"]) for p in row["passages"]] == [("document", [[0, len(text)]])]
    for entity in row["entities"]:
        assert [text[s:e] for s, e in entity["offsets"]] == entity["text"]


def test_a_config_with_another_configs_rows_equals_its_table_made_whole(sources):
    """``mentions_iob`` takes ``ner``'s sentence and token columns (SAME_ROWS_AS): the features
    must agree on them, and the table so made equals the one made from its own full block."""
    from corpus_ds.load import Document
    from corpus_ds.publish.build import batch_tables
    from corpus_ds.publish.columns import concat_blocks, to_table
    from corpus_ds.publish.features import SAME_ROWS_AS
    from corpus_ds.publish.rows import config_blocks

    documents = [Document(record, text, None, doc_id) for doc_id, (record, text) in sources.items()]
    tables = batch_tables(documents).tables
    assert SAME_ROWS_AS
    for config, (base, own) in SAME_ROWS_AS.items():
        shared = {name: feature for name, feature in CONFIG_FEATURES[config].items() if name not in own}
        assert shared == {name: feature for name, feature in CONFIG_FEATURES[base].items() if name not in own}
        for split in {d.record.document.split for d in documents}:
            blocks = [config_blocks(d.record, d.text)[config] for d in documents if d.record.document.split == split]
            whole = to_table(config, CONFIG_FEATURES[config], concat_blocks(blocks))
            assert tables[config, split].equals(whole)
            assert tables[config, split].column("ner_tags") != tables[base, split].column("ner_tags")


def test_spans_are_placed_in_sentences_and_tokens_as_by_bisection(sources):
    """The token-index shortcut of rows._Located agrees with plain bisection for every span:
    mentions, triggers, quote pieces, and spans that cut tokens or cross sentences."""
    from bisect import bisect_left, bisect_right

    from corpus_ds.model.segment import SentenceFinder, sentences
    from corpus_ds.publish.rows import _Located

    for record, text in sources.values():
        sents = sentences(record, text)
        located, find = _Located(sents, text), SentenceFinder(sents)
        spans = [(m.start, m.end) for m in record.mentions] + [(v.trigger.start, v.trigger.end) for v in record.events]
        spans += [(s.start, s.end) for q in record.quotes for s in q.content]
        spans += [(start, min(start + width, len(text))) for start in range(0, len(text) - 1, 7) for width in (1, 5, 40)]
        expected_index, expected_first, expected_last = [], [], []
        for start, end in spans:
            found = find(start, end)
            if found is None:
                expected_index.append(None), expected_first.append(None), expected_last.append(None)
                continue
            low, high = bisect_right(found.token_ends, start), bisect_left(found.token_starts, end)
            expected_index.append(sents.index(found))
            expected_first.append(low if low < high else None)
            expected_last.append(high if low < high else None)
        assert located.token_columns(spans) == {"sentence_index": expected_index, "token_start": expected_first,
                                                "token_end": expected_last}
        columns = located.sentence_columns(spans)
        assert columns["sentence_index"] == expected_index
        assert columns["sentence"] == [None if i is None else text[sents[i].start:sents[i].end] for i in expected_index]
