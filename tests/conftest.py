import os
import sys
import tempfile
from pathlib import Path

# Nothing in the tests may reach the Hugging Face Hub: offline, and a private cache.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="corpus-ds-hf-home-")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository checkout (the real corpus)."""
    return ROOT


@pytest.fixture(scope="session")
def fixture_corpus(tmp_path_factory) -> Path:
    """A small corpus made of the test fixture document (every layer filled)."""
    import shutil

    folder = tmp_path_factory.mktemp("fixture-corpus")
    shutil.copytree(Path(__file__).parent / "fixtures" / "texts", folder / "texts")
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", folder / "annotations")
    return folder


@pytest.fixture(scope="session", params=["real", "fixture"])
def built(request, root, fixture_corpus, tmp_path_factory):
    """A corpus (the real one, or the fixture one) built once into a temporary folder.

    ``built.root`` is the corpus folder, ``built.out`` the dataset folder and
    ``built.rows`` the rows written per config and split.
    """
    from types import SimpleNamespace

    from corpus_ds.load import CorpusPaths
    from corpus_ds.publish.build import build

    corpus_root = root if request.param == "real" else fixture_corpus
    out = tmp_path_factory.mktemp("built") / "dist"
    card = (root / "DATACARD.md").read_text(encoding="utf-8") if (root / "DATACARD.md").exists() else None
    result = build(CorpusPaths(corpus_root), out, card_text=card)
    return SimpleNamespace(root=corpus_root, out=result.out, rows=result.rows, card=card)



def pytest_terminal_summary(terminalreporter):
    """Print why the real-server Label Studio test was skipped, even under -q."""
    for report in terminalreporter.stats.get("skipped", []):
        if "test_labelstudio_server" in report.nodeid and isinstance(report.longrepr, tuple):
            terminalreporter.write_line(f"SKIPPED {report.nodeid}: {report.longrepr[2]}")
