"""The published dataset: layout, features, round trip, determinism, atomicity."""

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from datasets import Features, load_dataset

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths
from corpus_ds.model.labels import SPLITS
from corpus_ds.publish.build import build
from corpus_ds.publish.features import CONFIG_FEATURES
from corpus_ds.publish.rows import annotation_value_from_row, decode


def _sources(root):
    corpus = CorpusPaths(root)
    records = [validate_file(p, corpus.texts).record for p in corpus.annotation_files()]
    return {r.doc_id: (r, corpus.text_file(r.doc_id).read_text(encoding="utf-8")) for r in records}


def _card_yaml(folder: Path) -> dict:
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _expected_rows(root):
    counts = {config: {split: 0 for split in SPLITS} for config in ("documents", "mentions", "quotes", "events")}
    for record, _ in _sources(root).values():
        split = record.document.split
        counts["documents"][split] += 1
        counts["mentions"][split] += len(record.mentions)
        counts["quotes"][split] += len(record.quotes)
        counts["events"][split] += len(record.events)
    return counts


def test_layout_is_the_hub_layout(built):
    out = built.out
    assert (out / "README.md").exists()
    for config, splits in built.rows.items():
        for split, n in splits.items():
            files = sorted((out / config).glob(f"{split}-*.parquet")) if (out / config).exists() else []
            assert (len(files) >= 1) == (n > 0)
            for i, f in enumerate(files):
                assert f.name == f"{split}-{i:05d}-of-{len(files):05d}.parquet"
    top_files = sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    assert top_files == sorted(["README.md", "LICENSE.md", "label_distribution.svg", "duckdb_views.sql",
                                "croissant.json"])
    assert [p.relative_to(out).as_posix() for p in out.rglob("*.json")] == ["croissant.json"]


def test_card_features_equal_the_declared_ones(built):
    meta = _card_yaml(built.out)
    assert [c["config_name"] for c in meta["configs"]][0] == "documents"
    assert meta["configs"][0]["default"] is True
    for info in meta["dataset_info"]:
        declared = CONFIG_FEATURES[info["config_name"]]
        assert Features._from_yaml_list(info["features"]) == declared


def test_load_dataset_every_config(built):
    expected = _expected_rows(built.root)
    for config in built.rows:
        if not any(built.rows[config].values()):
            continue
        ds = load_dataset(str(built.out), config)
        nonempty = [s for s in SPLITS if built.rows[config][s]]
        assert sorted(ds.keys()) == sorted(nonempty)
        for split in nonempty:
            assert ds[split].features == CONFIG_FEATURES[config]
            if config in expected:
                assert ds[split].num_rows == expected[config][split]
    default = load_dataset(str(built.out))
    first = next(iter(default.values()))
    assert first.column_names == list(CONFIG_FEATURES["documents"])


def test_streaming_yields_the_same_first_row(built):
    split = next(s for s in SPLITS if built.rows["documents"][s])
    eager = load_dataset(str(built.out), "documents", split=split)
    stream = load_dataset(str(built.out), "documents", split=split, streaming=True)
    assert next(iter(stream)) == eager[0]


def test_round_trip_json_to_load_dataset(built):
    sources = _sources(built.root)
    from corpus_ds.model.records import to_json
    seen = set()
    ds = load_dataset(str(built.out), "documents")
    for split in ds:
        for row in ds[split]:
            decoded = decode(CONFIG_FEATURES["documents"], row)
            record, text = sources[decoded["id"]]
            assert decoded["text"] == text
            assert annotation_value_from_row(decoded, split) == to_json(record)
            seen.add(decoded["id"])
    assert seen == set(sources)


def _spans_in(value):
    if isinstance(value, dict):
        if {"start", "end", "text"} <= set(value) and isinstance(value.get("text"), str):
            yield value
        for v in value.values():
            yield from _spans_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _spans_in(v)


def test_every_span_of_every_config_matches_the_text(built):
    texts = {doc_id: text for doc_id, (_, text) in _sources(built.root).items()}
    checked = 0
    for config in built.rows:
        if not any(built.rows[config].values()):
            continue
        ds = load_dataset(str(built.out), config)
        for split in ds:
            for row in ds[split]:
                doc_id = row["id"] if config in ("documents", "bigbio_kb") else row["doc_id"]
                text = texts[doc_id]
                for span in _spans_in({k: v for k, v in row.items() if k != "text"} if config == "documents" else row):
                    assert text[span["start"]:span["end"]] == span["text"]
                    checked += 1
                if config in ("ner", "mentions_iob"):
                    assert len(row["token_offsets"]) == len(row["tokens"]) == len(row["ner_tags"])
                    for tok, offsets in zip(row["tokens"], row["token_offsets"]):
                        assert text[offsets["start"]:offsets["end"]] == tok
                        checked += 1
    if sum(built.rows["mentions"].values()):
        assert checked > sum(built.rows["mentions"].values())


def _tagged_spans(out, config):
    """(doc_id, start, end, type) of every B-/I- run of a tagged-sentences config."""
    names = CONFIG_FEATURES[config]["ner_tags"].feature
    found = set()
    ds = load_dataset(str(out), config)
    for split in ds:
        for row in ds[split]:
            assert row["id"] == f"{row['doc_id']}-{row['sentence_index']:04d}"
            tags = [names.int2str(t) for t in row["ner_tags"]]
            for i, tag in enumerate(tags):
                assert not tag.startswith("I-") or (i and tags[i - 1][2:] == tag[2:])  # IOB2
                if tag.startswith("B-"):
                    j = i + 1
                    while j < len(tags) and tags[j] == "I-" + tag[2:]:
                        j += 1
                    found.add((row["doc_id"], row["token_offsets"][i]["start"],
                               row["token_offsets"][j - 1]["end"], tag[2:]))
    return found


def test_mentions_iob_tags_give_back_every_mention_outside_boilerplate(built):
    if not sum(built.rows["mentions"].values()):
        pytest.skip("no mentions yet")
    expected = {(r.doc_id, m.start, m.end, m.type) for r, _ in _sources(built.root).values() for m in r.mentions}
    assert _tagged_spans(built.out, "mentions_iob") == expected


def test_ner_tags_give_back_exactly_the_names(built):
    """`ner` is names only: every NAM mention (TIME included), no nominal, no pronoun."""
    if not sum(built.rows["mentions"].values()):
        pytest.skip("no mentions yet")
    sources = _sources(built.root).values()
    expected = {(r.doc_id, m.start, m.end, m.type) for r, _ in sources for m in r.mentions if m.mention_type == "NAM"}
    found = _tagged_spans(built.out, "ner")
    assert found == expected
    not_names = {(r.doc_id, m.start, m.end) for r, _ in sources for m in r.mentions if m.mention_type != "NAM"}
    assert not_names and not {(d, s, e) for d, s, e, _ in found} & not_names
    assert any(t == "TIME" for *_, t in found)  # TIME expressions are tagged, as OntoNotes tags DATE/TIME


def test_pyarrow_reads_every_file(built):
    for path in built.out.rglob("*.parquet"):
        table = pq.read_table(path)
        config = path.parent.name
        assert table.num_rows == built.rows[config][path.name.split("-")[0]] or "-of-00001" not in path.name
        assert "huggingface" in json.dumps({k.decode(): v.decode() for k, v in table.schema.metadata.items()})


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built, tmp_path):
    second = build(CorpusPaths(built.root), tmp_path / "again", card_text=built.card)
    assert _digests(second.out) == _digests(built.out)


def _copy_corpus(root: Path, into: Path) -> CorpusPaths:
    shutil.copytree(root / "texts", into / "texts")
    shutil.copytree(root / "annotations", into / "annotations")
    return CorpusPaths(into)


def test_invalid_corpus_writes_nothing_and_keeps_dist(root, tmp_path, capsys):
    corpus = _copy_corpus(root, tmp_path)
    dist = tmp_path / "dist"
    assert main(["build", "--root", str(tmp_path), "--out", str(dist)]) == 0
    before = _digests(dist)
    path = corpus.annotation_files()[0]
    value = json.loads(path.read_text(encoding="utf-8"))
    value["document"]["split"] = "dev"
    path.write_text(json.dumps(value), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(tmp_path), "--out", str(dist)]) == 1
    out = capsys.readouterr().out
    assert '"dev" is not one of' in out and "nothing written" in out
    assert _digests(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "dist", "texts"]


def test_build_interrupted_midway_leaves_nothing(root, tmp_path):
    corpus = _copy_corpus(root, tmp_path)

    def boom(path):
        raise RuntimeError("killed after the first file")

    with pytest.raises(RuntimeError):
        build(corpus, tmp_path / "dist", after_file_written=boom)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "texts"]


def test_build_cli_prints_summary_and_load_line(root, tmp_path, capsys):
    _copy_corpus(root, tmp_path)
    assert main(["build", "--root", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "load_dataset(" in out and "train" in out and "validation" in out


def test_columns_equal_datasets_encoding_of_the_same_rows(built):
    """The columnar tables hold exactly what ``datasets`` makes of the rows (encode_example,
    then Arrow's own conversion), schema and metadata included."""
    import pyarrow as pa

    from corpus_ds.publish.columns import to_table
    from corpus_ds.publish.rows import config_blocks, config_rows
    for record, text in _sources(built.root).values():
        blocks, rows = config_blocks(record, text), config_rows(record, text)
        for config, features in CONFIG_FEATURES.items():
            expected = pa.Table.from_pylist([features.encode_example(row) for row in rows[config]],
                                            schema=features.arrow_schema)
            made = to_table(config, features, blocks[config])
            assert made.schema.equals(expected.schema, check_metadata=True)
            assert made.equals(expected), config


def test_sharded_build_reads_in_datasets_and_duckdb(fixture_corpus, tmp_path):
    import duckdb
    result = build(CorpusPaths(fixture_corpus), tmp_path / "sharded", max_shard_bytes=1, batch_rows=2)
    shards = sorted((result.out / "mentions").glob("validation-*.parquet"))
    assert len(shards) == 8  # 16 mentions, 2 per batch, every batch over the 1-byte limit
    assert shards[0].name == "validation-00000-of-00008.parquet"
    ds = load_dataset(str(result.out), "mentions", split="validation")
    assert ds.num_rows == 16
    assert ds["start"] == sorted(ds["start"])
    pattern = str(result.out / "mentions" / "*.parquet")
    ((count,),) = duckdb.sql(f"select count(*) from read_parquet('{pattern}')").fetchall()
    assert count == 16
    types = duckdb.sql(f"select distinct type from read_parquet('{pattern}') order by type").fetchall()
    assert [t for (t,) in types] == sorted({CONFIG_FEATURES['mentions']['type'].str2int(n)
                                           for n in ("PER", "ORG", "GPE", "TIME")})


def test_parallel_build_and_validation_equal_single_process(built, tmp_path, monkeypatch):
    from corpus_ds.load import iter_files, pool
    serial = build(CorpusPaths(built.root), tmp_path / "serial", card_text=built.card, jobs=1)
    monkeypatch.setattr(pool, "PARALLEL_MIN_JOBS", 1)
    parallel = build(CorpusPaths(built.root), tmp_path / "parallel", card_text=built.card, jobs=2)
    assert _digests(parallel.out) == _digests(serial.out)
    files = CorpusPaths(built.root).annotation_files()
    one = list(iter_files(files, CorpusPaths(built.root).texts, jobs=1))
    two = list(iter_files(files, CorpusPaths(built.root).texts, jobs=2))
    assert [r.problems for r in one] == [r.problems for r in two]
    assert [r.doc_id for r in one] == [r.doc_id for r in two]


def test_row_groups_and_statistics_follow_the_build_format(root, tmp_path):
    """Format 2 keeps statistics for keys only and packs batches into large row groups;
    format 1 (the old releases) has statistics everywhere and a row group per batch."""
    from corpus_ds.publish.formats import BUILD_FORMATS

    for number, layout in BUILD_FORMATS.items():
        out = tmp_path / f"format-{number}"
        build(CorpusPaths(root), out, build_format=number)
        for path in sorted(out.glob("mentions/*.parquet")):
            meta = pq.ParquetFile(path).metadata
            rows = meta.num_rows
            assert meta.num_row_groups == -(-rows // layout.row_group_rows)
            columns = {meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
                       for i in range(meta.num_columns)}
            assert columns["doc_id"].is_stats_set and columns["start"].is_stats_set
            assert columns["sentence"].is_stats_set == (layout.statistics == "all")


def test_every_config_with_a_row_per_document_gets_document_sized_row_groups(tmp_path):
    """In format 2, coref and bigbio_kb rows (one per document, as large as a documents row)
    are written in row groups of ``document_row_group_rows``, as documents are; a config with
    smaller rows keeps the large row groups. (With 8,192 whole documents pending per split, a
    build held most of a corpus in memory.)"""
    import importlib.util

    from corpus_ds.publish.features import CONFIG_ROWS
    from corpus_ds.publish.formats import BUILD_FORMATS

    script = Path(__file__).resolve().parent.parent / "scripts" / "synth_corpus.py"
    spec = importlib.util.spec_from_file_location("synth_corpus", script)
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.write_corpus(tmp_path / "corpus", 500, 1)
    layout = BUILD_FORMATS[2]
    out = build(CorpusPaths(tmp_path / "corpus"), tmp_path / "out", build_format=2).out
    per_document = {config for config, unit in CONFIG_ROWS.items() if unit == "document"}
    assert {"documents", "coref", "bigbio_kb"} <= per_document
    for config in per_document:
        meta = pq.ParquetFile(next(out.glob(f"{config}/train-*.parquet"))).metadata
        assert meta.num_rows > layout.document_row_group_rows
        assert meta.num_row_groups == -(-meta.num_rows // layout.document_row_group_rows), config
    mentions = pq.ParquetFile(next(out.glob("mentions/train-*.parquet"))).metadata
    assert mentions.row_group(0).num_rows >= layout.row_group_rows
