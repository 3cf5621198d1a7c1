"""``croissant.json``: Croissant 1.1 metadata (JSON-LD, MLCommons) of a build, generated from
the one features declaration.

One FileSet per config (its Parquet files), one RecordSet per config with a field per column
(struct fields as ``subField``, lists as ``isArray``), the split of every record taken from
its file name and checked against a ``splits`` record set, and the names of every
``ClassLabel`` as a categorical record set (``sc:Enumeration``: id and name), which the
label fields reference. The description of every field is the card's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from datasets import ClassLabel, List

from ..model.labels import SPLITS
from .citation import AUTHORS, TITLE, Citation, bibtex
from .features import CONFIG_FEATURES, config_label_sets, describe, label_set_name

CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_VALUE_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "int64": "sc:Integer", "bool": "sc:Boolean"}
LICENSE_URLS = ("https://creativecommons.org/licenses/by/4.0/", "https://opensource.org/licenses/MIT")


def _label_record_set_id(name: str) -> str:
    return f"labels_{name}"


def _field(config: str, path: str, field_id: str, feature: Any, fileset: str, column: str,
           json_path: list[str]) -> dict[str, Any]:
    """The Croissant field of one feature (recursively for structs and lists)."""
    array = False
    inner = feature
    while isinstance(inner, List):
        array, inner = True, inner.feature
        path += "[]"
    field: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": field_id.rsplit("/", 1)[-1]}
    description = describe(config, path)
    if description:
        field["description"] = description
    if isinstance(inner, dict):
        field["subField"] = [
            _field(config, f"{path}.{key}", f"{field_id}/{key}", sub, fileset, column, [*json_path, key])
            for key, sub in inner.items()]
    else:
        source: dict[str, Any] = {"fileSet": {"@id": fileset}, "extract": {"column": column}}
        if json_path:
            source["transform"] = {"jsonPath": ".".join(json_path)}
        field["source"] = source
        if isinstance(inner, ClassLabel):
            field["dataType"] = "sc:Integer"
            name = label_set_name(inner)
            field["references"] = {"field": {"@id": f"{_label_record_set_id(name)}/id"}}
            field["description"] = (f"{description}; " if description else "") + \
                f"ClassLabel id, names in record set {_label_record_set_id(name)}"
        else:
            field["dataType"] = _VALUE_TYPES[inner.dtype]
    if array:
        field["isArray"] = True
        field["arrayShape"] = "-1"
    return field


def croissant(rows: dict[str, dict[str, int]], citation: Citation) -> dict[str, Any]:
    """The Croissant JSON-LD of a build whose configs have ``rows[config][split]`` rows."""
    configs = [config for config in CONFIG_FEATURES if sum(rows[config].values())]
    distribution = [{
        "@type": "cr:FileSet", "@id": f"parquet-{config}", "name": f"parquet-{config}",
        "description": f"Parquet files of the config {config}",
        "encodingFormat": "application/x-parquet", "includes": f"{config}/*.parquet",
    } for config in configs]
    record_sets: list[dict[str, Any]] = [{
        "@type": "cr:RecordSet", "@id": "splits", "name": "splits", "dataType": "cr:Split",
        "description": "The splits: a document's split follows from its id (see the card).",
        "key": {"@id": "splits/name"},
        "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "dataType": "sc:Text"}],
        "data": [{"splits/name": split} for split in SPLITS],
    }]
    for name, feature in config_label_sets().items():
        set_id = _label_record_set_id(name)
        record_sets.append({
            "@type": "cr:RecordSet", "@id": set_id, "name": set_id, "dataType": "sc:Enumeration",
            "description": f"Names of the ClassLabel {name}: the id stored in the Parquet files, and its name.",
            "key": {"@id": f"{set_id}/id"},
            "field": [{"@type": "cr:Field", "@id": f"{set_id}/id", "name": "id", "dataType": "sc:Integer"},
                      {"@type": "cr:Field", "@id": f"{set_id}/name", "name": "name", "dataType": "sc:Text"}],
            "data": [{f"{set_id}/id": i, f"{set_id}/name": label} for i, label in enumerate(feature.names)],
        })
    # Idempotent (it also matches its own output): mlcroissant applies it again when it joins
    # the record to the splits record set.
    split_regex = f"^(?:.*/)?(?:CONFIG/)?({'|'.join(SPLITS)})(?:-[0-9]+-of-[0-9]+\\.parquet)?$"
    for config in configs:
        fileset = f"parquet-{config}"
        fields = [{
            "@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
            "description": "the split of the record (from its file name)",
            "source": {"fileSet": {"@id": fileset}, "extract": {"fileProperty": "fullpath"},
                       "transform": {"regex": split_regex.replace("CONFIG", re.escape(config))}},
            "references": {"field": {"@id": "splits/name"}},
        }]
        fields += [_field(config, column, f"{config}/{column}", feature, fileset, column, [])
                   for column, feature in CONFIG_FEATURES[config].items()]
        record_sets.append({"@type": "cr:RecordSet", "@id": config, "name": config,
                            "description": f"The config {config}.", "field": fields})
    released = citation.version is not None
    metadata: dict[str, Any] = {
        "@context": _CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": "corpus_ds",
        "alternateName": TITLE,
        "description": ("Five English news articles (2010-2013) on Russia-NATO relations with zones, entity "
                        "mentions and coreference, quote attribution and PLOVER events; one record set per "
                        "config of the Hugging Face dataset. Annotations CC BY 4.0, code MIT, article texts "
                        "the copyright of their publishers (see LICENSE.md)."),
        "license": list(LICENSE_URLS),
        "url": "README.md",
        "creator": [{"@type": "Organization", "name": a["name"]} for a in AUTHORS],
        "keywords": ["named entity recognition", "coreference", "quote attribution", "event extraction",
                     "PLOVER", "English", "news"],
        "inLanguage": "en",
        "citeAs": bibtex(citation),
        "version": citation.version if released else "0.0.0",
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if citation.date:
        metadata["datePublished"] = citation.date
    return metadata


def croissant_json(rows: dict[str, dict[str, int]], citation: Citation) -> str:
    return json.dumps(croissant(rows, citation), indent=1, ensure_ascii=False) + "\n"
