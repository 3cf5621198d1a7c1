"""Benchmark validate and build against the floor and the peer, on synthetic corpora.

    python scripts/bench.py                 # N = 1,000 and 10,000
    python scripts/bench.py --full          # also N = 100,000
    python scripts/bench.py --sizes 200 --runs 1   # a quick look

For each N it times (median of --runs runs, each a fresh process; floor, validate, build
and the build floor's write alternate, round by round, so both sides of a ratio share the
machine's slow and fast spells) and measures the peak memory (max RSS) of:

- floor: read every text and annotation file and parse the JSON, nothing else;
- validate: ``corpus-ds validate`` on the whole corpus (all semantic checks);
- peer: ``check-jsonschema`` with the project's schema on the same annotation
  files (schema only; skipped above --peer-max documents: it is slow);
- build: ``corpus-ds build``;
- load: a first ``load_dataset`` of the built folder (fresh cache).

It prints one table, the ratios and whether each goal is met. Figures, not
assertions: tests never assert timings.

One-document scaling (``--one-doc 2000 8000 20000``, the default): a single document of M
mentions written without sentence punctuation (the worst case for anything that repeats a
sentence per mention), timed through ``build`` (wall, peak memory) and ``view`` (wall); the
cost of one document should grow linearly with M (20,000 / 2,000 mentions: 10x).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLOOR = """
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted((root / "annotations").glob("*.json")):
    json.loads(path.read_bytes())
    (root / "texts" / (path.stem + ".txt")).read_bytes()
"""
LOAD = "import sys; from datasets import load_dataset; load_dataset(sys.argv[1])"
#: The write half of the build floor: pyarrow writes the build's own tables again, with the same
#: compression, statistics and row groups (the tables are read first; only the writing is timed).
WRITE = """
import io, sys, time, resource
from pathlib import Path
import pyarrow.parquet as pq
from corpus_ds.publish.features import CONFIG_FEATURES
from corpus_ds.publish.formats import BUILD_FORMAT, BUILD_FORMATS
from corpus_ds.publish.writer import key_columns
layout = BUILD_FORMATS[BUILD_FORMAT]
tables = []
for path in sorted(Path(sys.argv[1]).glob("*/*.parquet")):
    f = pq.ParquetFile(path)
    tables.append((path.parent.name, [f.read_row_group(i) for i in range(f.num_row_groups)]))
wall, cpu = time.perf_counter(), time.process_time()
for config, groups in tables:
    statistics = True if layout.statistics == "all" else key_columns(CONFIG_FEATURES[config])
    writer = pq.ParquetWriter(io.BytesIO(), groups[0].schema, compression="zstd", write_statistics=statistics)
    for group in groups:
        writer.write_table(group, row_group_size=len(group))
    writer.close()
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """``(wall seconds, cpu seconds, peak RSS MB)`` of one run of ``command``."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        run = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *command],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, **(env or {})})
        if run.returncode not in (0,):
            raise SystemExit(f"failed ({run.returncode}): {' '.join(command)}\n{run.stderr[-2000:]}")
        wall, user, system, rss_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def median_of(runs: int, command: list[str], env: dict[str, str] | None = None,
              before: callable | None = None) -> tuple[float, float, float]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(command, env))
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


Figures = tuple[float, float, float]


def medians_interleaved(runs: int, steps: dict[str, Callable[[], Figures]]) -> dict[str, Figures]:
    """Each step once per round, ``runs`` rounds, so that a slow spell of the machine weighs on
    every step alike (and on both sides of every ratio); the medians per step (peak memory:
    the largest)."""
    results: dict[str, list[Figures]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            results[name].append(step())
    return {name: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), max(r[2] for r in rs))
            for name, rs in results.items()}


def corpus_for(n: int, cache: Path) -> Path:
    folder = cache / f"synth-{n}"
    if not (folder / "annotations").is_dir() or len(list((folder / "annotations").glob("*.json"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "synth_corpus.py"), "--docs", str(n),
                        "--seed", "1", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder


def bench_size(n: int, runs: int, cache: Path, peer_max: int) -> dict[str, Figures | None]:
    corpus = corpus_for(n, cache)
    out = cache / f"built-{n}"
    cli = str(BIN / "corpus-ds")
    home = cache / "hf-home"
    rows: dict[str, Figures | None] = {}

    def command(*argv: str) -> Callable[[], Figures]:
        return lambda: measure(list(argv))

    def write() -> Figures:
        """pyarrow writing the tables of the build just made (its own timing: reading excluded)."""
        done = subprocess.run([sys.executable, "-c", WRITE, str(out)], capture_output=True, text=True, check=True)
        wall, cpu = map(float, done.stdout.split())
        return wall, cpu, 0.0

    measure([sys.executable, "-c", FLOOR, str(corpus)])  # warm the page cache: no step reads cold
    # every ratio's two sides are measured in the same rounds: floor, validate, build, then the
    # build floor's writing of that build's tables
    rows.update(medians_interleaved(runs, {
        "floor": command(sys.executable, "-c", FLOOR, str(corpus)),
        "validate": command(cli, "validate", "--root", str(corpus), "--quiet"),
        "build": command(cli, "build", "--root", str(corpus), "--out", str(out), "--quiet"),
        "write": write,
    }))
    if n <= peer_max:
        files = sorted(str(p) for p in (corpus / "annotations").glob("*.json"))
        rows["peer"] = median_of(runs, [str(BIN / "check-jsonschema"), "--schemafile",
                                        str(ROOT / "schema" / "annotation.schema.json"), *files])
    else:
        rows["peer"] = None
    floor_wall, floor_cpu, floor_rss = rows["floor"]  # type: ignore[misc]
    write_wall, write_cpu, _ = rows["write"]  # type: ignore[misc]
    rows["b-floor"] = (floor_wall + write_wall, floor_cpu + write_cpu, floor_rss)
    rows["load"] = median_of(runs, [sys.executable, "-c", LOAD, str(out)],
                             env={"HF_HOME": str(home), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"},
                             before=lambda: shutil.rmtree(home, ignore_errors=True))
    return rows


def one_document_corpus(mentions: int, cache: Path) -> Path:
    """A corpus of one document with ``mentions`` mentions and no sentence punctuation."""
    import hashlib
    import json

    sys.path.insert(0, str(ROOT))
    from corpus_ds.model.fileformat import dumps_annotation
    from corpus_ds.model.records import SCHEMA_VERSION
    from corpus_ds.model.splits import assign_split

    folder = cache / f"one-doc-{mentions}"
    if (folder / "annotations").is_dir():
        return folder
    names = [("ORG", "NATO"), ("GPE", "Russia"), ("GPE", "Brussels")]
    pieces, spans = [], []
    position = 0
    for index in range(mentions):
        etype, name = names[index % 3]
        spans.append((etype, name, position, position + len(name)))
        piece = f"{name} and "
        pieces.append(piece)
        position += len(piece)
    text = "".join(pieces) + "more"
    data = text.encode("utf-8")
    doc_id = hashlib.sha256(data).hexdigest()[:16]
    entities = {name: f"e{i + 1}" for i, (_, name) in enumerate(names)}
    value = {
        "schema_version": SCHEMA_VERSION,
        "document": {"id": doc_id, "title": None,
                     "publisher": {"name": "Bench", "certainty": "stated", "evidence": "synthetic"},
                     "published": {"value": "2012", "precision": "year", "not_before": None, "not_after": None,
                                   "evidence": "synthetic"},
                     "language": "en", "split": assign_split(doc_id), "source_file": f"bench_{doc_id}.txt",
                     "text_sha256": hashlib.sha256(data).hexdigest(), "licence": "Synthetic: CC0."},
        "provenance": {layer: {"status": "complete", "annotated_by": ["bench"], "annotated_on": "2026-12-06",
                               "checked_by": [], "checked_on": None, "notes": None}
                       for layer in ("zones", "entities", "quotes", "events")},
        "zones": [{"id": "z1", "type": "body", "start": 0, "end": len(text), "text": text}],
        "entities": [{"id": eid, "type": etype, "name": name, "wikipedia": None, "value": None, "mod": None}
                     for (etype, name), eid in zip(names, entities.values())],
        "mentions": [{"id": f"m{i + 1}", "entity": entities[name], "type": etype, "mention_type": "NAM",
                      "start": start, "end": end, "text": name, "metonymy": False}
                     for i, (etype, name, start, end) in enumerate(spans)],
        "quotes": [], "events": [],
    }
    (folder / "texts").mkdir(parents=True)
    (folder / "annotations").mkdir()
    (folder / "texts" / f"{doc_id}.txt").write_bytes(data)
    (folder / "annotations" / f"{doc_id}.json").write_text(dumps_annotation(json.loads(json.dumps(value))),
                                                           encoding="utf-8")
    return folder


def bench_one_document(sizes: list[int], runs: int, cache: Path) -> None:
    """Build and view of one document of growing size: time and memory against linear growth."""
    cli = str(BIN / "corpus-ds")
    print()
    print(f"{'mentions':>8} {'step':<9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    figures = {}
    for mentions in sizes:
        corpus = one_document_corpus(mentions, cache)
        build = median_of(runs, [cli, "build", "--root", str(corpus), "--out", str(cache / f"one-doc-{mentions}-dist")])
        view = median_of(runs, [cli, "view", "--root", str(corpus), "--out", str(cache / f"one-doc-{mentions}-site")])
        figures[mentions] = (build, view)
        for step, (wall, cpu, rss) in (("build", build), ("view", view)):
            print(f"{mentions:>8} {step:<9} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f}")
    small, large = min(figures), max(figures)
    if small != large:
        scale = large / small
        (build_small, view_small), (build_large, view_large) = figures[small], figures[large]
        for step, a, b in (("build wall", build_small[0], build_large[0]), ("view wall", view_small[0], view_large[0])):
            ratio = b / a
            print(f"  {step} {large:,} / {small:,} mentions: {ratio:.1f} (linear: {scale:.0f}; goal <= {1.5 * scale:.0f}: "
                  f"{'met' if ratio <= 1.5 * scale else 'NOT met'})")
        growth = (build_large[2] - build_small[2]) / max(build_small[2], 1)
        print(f"  build peak memory {large:,} / {small:,} mentions: {build_large[2] / build_small[2]:.2f} "
              f"(grows by {growth:.0%}; the fixed cost of the interpreter and libraries dominates)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="corpus sizes (default 1000 10000)")
    parser.add_argument("--full", action="store_true", help="also run N = 100,000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs for N >= 100,000 (a build there takes minutes)")
    parser.add_argument("--peer-max", type=int, default=10_000, help="largest N to run the peer on")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "corpus-ds-bench")
    parser.add_argument("--one-doc", type=int, nargs="*", default=[2_000, 8_000, 20_000],
                        help="mentions of the one-document scaling rows (none: skip them)")
    args = parser.parse_args(argv)
    sizes = args.sizes if args.sizes is not None else [1_000, 10_000] + ([100_000] if args.full else [])
    args.cache.mkdir(parents=True, exist_ok=True)
    # Compile the package once, as an installed package is: with PYTHONDONTWRITEBYTECODE set, each
    # run would otherwise compile its sources again (the floor's json module comes compiled).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "corpus_ds")], check=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; medians of {args.runs} runs "
          f"({args.large_runs} at N >= 100,000)")
    print(f"{'N':>8} {'step':<9} {'wall s':>8} {'cpu s':>8} {'cores':>6} {'peak MB':>8}")
    results = {}
    for n in sizes:
        results[n] = bench_size(n, args.runs if n < 100_000 else args.large_runs, args.cache, args.peer_max)
        for step, figures in results[n].items():
            if figures is None:
                print(f"{n:>8} {step:<9} {'skipped':>8}")
                continue
            wall, cpu, rss = figures
            print(f"{n:>8} {step:<9} {wall:>8.2f} {cpu:>8.2f} {cpu / wall if wall else 0:>6.2f} {rss:>8.0f}")
    print()
    print("ratios and goals:")
    for n, rows in results.items():
        floor, validate, peer, build = rows["floor"], rows["validate"], rows["peer"], rows["build"]
        ratio = validate[0] / floor[0]
        print(f"  N={n}: validate/floor {ratio:.2f} (goal <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")
        if peer:
            speedup = peer[0] / validate[0]
            print(f"  N={n}: peer/validate {speedup:.1f} (goal >= 30: {'met' if speedup >= 30 else 'NOT met'})")
        build_ratio = build[0] / rows["b-floor"][0]
        print(f"  N={n}: build/build floor {build_ratio:.2f} (goal <= 3: {'met' if build_ratio <= 3 else 'NOT met'}; "
              f"build floor = floor {floor[0]:.2f} s + pyarrow writing the build's tables {rows['write'][0]:.2f} s)")
        cores = validate[1] / validate[0]
        print(f"  N={n}: validate uses {cores:.2f} cores (goal: both cores when there is enough work: "
              f"{'met' if cores >= 1.3 or n < 1000 else 'NOT met'})")
    if 10_000 in results and 100_000 in results:
        growth = results[100_000]["build"][2] / results[10_000]["build"][2]
        print(f"  build peak memory 100,000 / 10,000: {growth:.2f} (goal <= 1.5: {'met' if growth <= 1.5 else 'NOT met'})")
    else:
        print("  build peak memory 100,000 / 10,000: not measured (run with --full)")
    if args.one_doc:
        bench_one_document(args.one_doc, args.runs, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
