"""The published folder as third-party tools read it: the card's metadata (huggingface_hub and
the option lists datasets ships), its field tables and examples, the plot, the licence,
Croissant (mlcroissant), the SQL views (DuckDB) and the README's DuckDB example."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest
import yaml
from datasets import ClassLabel, List, load_dataset

from corpus_ds.load import CorpusPaths
from corpus_ds.model.labels import SPLITS
from corpus_ds.publish.build import build
from corpus_ds.publish.citation import Citation
from corpus_ds.publish.features import CONFIG_FEATURES, describe, field_paths

ROOT = Path(__file__).resolve().parent.parent
# The Hub's task ids for token classification (huggingface.js, packages/tasks/src/pipelines.ts,
# PIPELINE_DATA["token-classification"].subtasks): not shipped by any Python package.
HUB_TOKEN_CLASSIFICATION_TASK_IDS = {"named-entity-recognition", "part-of-speech", "parsing", "lemmatization",
                                     "word-sense-disambiguation", "coreference-resolution"}


@pytest.fixture(scope="module")
def released(root, tmp_path_factory):
    """The real corpus built as a release would be (a citation with version, date and commit)."""
    out = tmp_path_factory.mktemp("released") / "2.0.0"
    card = (root / "DATACARD.md").read_text(encoding="utf-8").replace("<!-- version -->", "release note")
    build(CorpusPaths(root), out, card_text=card, citation=Citation("2.0.0", "2026-12-06", "a" * 40))
    return out


def _front(folder):
    return yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])


def test_card_metadata_validates_with_huggingface_hub_and_datasets(released):
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard, DatasetCardData

    card = DatasetCard.load(released / "README.md")
    assert isinstance(card.data, DatasetCardData)
    data = card.data.to_dict()
    DatasetCardData(**data, ignore_metadata_errors=False)
    options = resources.files("datasets.utils.resources")
    creators = json.loads((options / "creators.json").read_text(encoding="utf-8"))
    assert set(data["annotations_creators"]) <= set(creators["annotations"])
    assert set(data["language_creators"]) <= set(creators["language"])
    assert set(data["multilinguality"]) <= set(json.loads((options / "multilingualities.json").read_text()))
    assert set(data["size_categories"]) <= set(json.loads((options / "size_categories.json").read_text()))
    assert set(data["language"]) <= set(json.loads((options / "languages.json").read_text(encoding="utf-8")))
    assert data["source_datasets"] == ["original"]
    assert data["task_categories"] == ["token-classification"]
    assert set(data["task_ids"]) <= HUB_TOKEN_CLASSIFICATION_TASK_IDS and "coreference-resolution" in data["task_ids"]
    assert {"quote-attribution", "event-extraction"} <= set(data["tags"])
    # the licence: not cc-by-4.0 for the whole; the Hub's `other` with a name and a link to a file
    assert data["license"] == "other" and data["license_name"] and (released / data["license_link"]).is_file()
    # datasets reads the configs and infos from the card as load_dataset does
    configs = MetadataConfigs.from_dataset_card_data(card.data)
    assert set(configs) == set(CONFIG_FEATURES) and configs.get_default_config_name() == "documents"
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert {name: info.features for name, info in infos.items()} == CONFIG_FEATURES


def _section(card, config):
    start = card.index(f"#### `{config}`\n")
    end = card.find("\n#### ", start + 1)
    return card[start:end if end != -1 else len(card)]


def test_every_field_of_every_config_is_in_its_table_with_an_example(released):
    card = (released / "README.md").read_text(encoding="utf-8")
    config_table = card[card.index("| config | one row per |"):]
    for config, features in CONFIG_FEATURES.items():
        assert f"`{config}`" in config_table.split("\n\n")[0]
        section = _section(card, config)
        for path, _ in field_paths(dict(features)):
            assert describe(config, path), (config, path)
            assert f"| `{path}` |" in section, (config, path)
        example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))
        assert list(example) == list(features)
    assert "<!--" not in card.replace("<!-- BEGIN GENERATED: labels -->", "").replace(
        "<!-- END GENERATED: labels -->", "").replace("<!-- agreement -->", "").replace("<!-- /agreement -->", "")


def test_the_plot_is_an_svg_the_card_embeds(released):
    card = (released / "README.md").read_text(encoding="utf-8")
    assert "](label_distribution.svg)" in card
    svg = ET.parse(released / "label_distribution.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    bars = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.find("{http://www.w3.org/2000/svg}title") is not None]
    assert len(bars) == (9 + 16) * len(SPLITS)  # entity types and event types, one bar per split
    assert any(float(r.get("width")) > 0 for r in bars)


def test_licensing_names_every_outlet_from_the_data(released, root):
    card = (released / "README.md").read_text(encoding="utf-8")
    licensing = card[card.index("## Licensing"):card.index("## Citation")]
    licence_file = (released / "LICENSE.md").read_text(encoding="utf-8")
    for path in sorted((root / "annotations").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))["document"]
        outlet = document["publisher"]["name"]
        row = next(line for line in licensing.splitlines() if f"`{document['id']}`" in line)
        assert (outlet or "not credited") in row and document["licence"] in row.replace("\\|", "|")
        if outlet:
            assert outlet in licence_file
    assert "CC BY 4.0" in licensing and "MIT" in licensing
    assert "license: cc-by-4.0" not in card


def test_croissant_validates_and_mlcroissant_reads_the_records(released):
    """mlcroissant validates the metadata and reads every record set it can (lists nested at
    most one level deep; its 1.1 reader stops there), record for record equal to load_dataset."""
    import mlcroissant as mlc

    dataset = mlc.Dataset(released / "croissant.json")
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    labels = {r["labels_entity_type/id"]: r["labels_entity_type/name"]
              for r in dataset.records(record_set="labels_entity_type")}
    assert labels == dict(enumerate(CONFIG_FEATURES["mentions"]["type"].names))
    assert [r["splits/name"] for r in dataset.records(record_set="splits")] == list(SPLITS)

    def plain(value, prefix):
        if isinstance(value, bytes):
            return value.decode("utf-8")
        if isinstance(value, list):
            return [plain(v, prefix) for v in value]
        if isinstance(value, dict):
            out = {k.rsplit("/", 1)[-1]: plain(v, prefix) for k, v in value.items()}
            return None if all(v is None for v in out.values()) else out
        return value

    for config in ("mentions", "quotes", "events", "ner", "mentions_iob"):
        expected = load_dataset(str(released), config)
        records = list(dataset.records(record_set=config))
        assert len(records) == sum(expected[s].num_rows for s in expected)
        by_split = {s: iter(expected[s]) for s in expected}
        for record in sorted(records, key=lambda r: SPLITS.index(r[f"{config}/split"].decode())):
            row = plain(record, config)
            split = row.pop("split")
            want = next(by_split[split])
            assert row == want, (config, split)


def test_croissant_describes_every_config_from_the_features(released):
    metadata = json.loads((released / "croissant.json").read_text(encoding="utf-8"))
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert metadata["version"] == "2.0.0" and metadata["datePublished"] == "2026-12-06"
    assert "a" * 40 in metadata["citeAs"]
    record_sets = {r["@id"]: r for r in metadata["recordSet"]}

    def walk(fields, feature_dict, prefix):
        assert [f["@id"] for f in fields] == [f"{prefix}/{k}" for k in feature_dict]
        for field, feature in zip(fields, feature_dict.values()):
            inner = feature
            while isinstance(inner, List):
                assert field["isArray"] is True
                inner = inner.feature
            if isinstance(inner, dict):
                walk(field["subField"], inner, field["@id"])
            elif isinstance(inner, ClassLabel):
                target = field["references"]["field"]["@id"].split("/")[0]
                assert [d[f"{target}/name"] for d in record_sets[target]["data"]] == inner.names

    for config, features in CONFIG_FEATURES.items():
        fields = record_sets[config]["field"]
        assert fields[0]["@id"] == f"{config}/split"
        walk(fields[1:], dict(features), config)


def test_sql_views_show_label_names_in_duckdb(released):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{released}'")
    con.execute((released / "duckdb_views.sql").read_text(encoding="utf-8"))
    raw = con.sql(f"select type from read_parquet('{released}/mentions/*.parquet') order by mention_key").fetchall()
    named = con.sql("select type from mentions order by mention_key").fetchall()
    names = CONFIG_FEATURES["mentions"]["type"].names
    assert [names[t] for (t,) in raw] == [t for (t,) in named]
    ((tags,),) = con.sql("select ner_tags from ner where id = '49dcc0d175ee9227-0007'").fetchall()
    assert "B-PER" in tags and all(isinstance(t, str) for t in tags)
    ((count,),) = con.sql("select count(*) from labels where label_set = 'ner_tags'").fetchall()
    assert count == len(CONFIG_FEATURES["ner"]["ner_tags"].feature.names)
    for config in CONFIG_FEATURES:  # every config has its view, with the split of every row
        splits = {s for (s,) in con.sql(f'select distinct split from "{config}"').fetchall()}
        assert splits <= set(SPLITS) and splits
    nested = con.sql("select e.type from coref, unnest(entities) as u(e) limit 1").fetchall()
    assert nested[0][0] in CONFIG_FEATURES["mentions"]["type"].names


def test_readme_duckdb_example_runs(released, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme[readme.index("## SQL"):], re.S).group(1)
    shutil.copytree(released, tmp_path / "dist")
    monkeypatch.chdir(tmp_path)
    printed = []
    exec(compile(code, "README.md (SQL)", "exec"), {"print": printed.append})
    types, (ner,), nato = printed
    assert types[0][0] in CONFIG_FEATURES["mentions"]["type"].names
    assert all(isinstance(t, str) for t in ner[1]) and nato and all(row[0] for row in nato)


def test_an_unreleased_build_says_to_cite_a_release(built):
    card = (built.out / "README.md").read_text(encoding="utf-8")
    citation = card[card.index("## Citation"):]
    assert "Unreleased build" in citation and "VERSION" not in citation and "COMMIT" not in citation
