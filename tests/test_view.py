"""The HTML review site, driven in a real headless Chromium."""

import os
import shutil

import pytest

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and the playwright package (see .ci/run)")
        pytest.skip("needs Debian's chromium and the playwright package")
    return sync_playwright


def _records(root):
    corpus = CorpusPaths(root)
    return [validate_file(p, corpus.texts).record for p in corpus.annotation_files()]


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_site_in_a_headless_browser(which, root, fixture_corpus, tmp_path):
    sync_playwright = _browser_or_skip()
    corpus_root = root if which == "real" else fixture_corpus
    site = tmp_path / "site"
    assert main(["view", "--root", str(corpus_root), "--out", str(site)]) == 0
    records = _records(corpus_root)
    shots = root / ".artifacts"
    shots.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: errors.append(f"network: {request.url}")
                if not request.url.startswith(("file:", "data:")) else None)
        page.goto((site / "index.html").as_uri())
        assert page.locator("table tr").count() == len(records) + 1
        for record in records:
            page.goto((site / f"{record.doc_id}.html").as_uri())
            assert page.locator("[data-mstart]").count() == len(record.mentions)
            assert page.locator("li.quote").count() == len(record.quotes)
            assert page.locator("li.event").count() == len(record.events)
            assert page.locator(".badge.bv").count() == len(record.events)
            if record.mentions:
                sizes = {}
                for m in record.mentions:
                    sizes[m.entity] = sizes.get(m.entity, 0) + 1
                entity = max(sizes, key=lambda e: (sizes[e], e))
                first = next(m for m in record.mentions if m.entity == entity)
                page.locator(f'.m[data-mid="{first.id}"]').first.click()
                chained = page.eval_on_selector_all(".m.chain", "els => new Set(els.map(e => e.dataset.mid)).size")
                assert chained == sizes[entity]
            if record.quotes:
                page.locator("li.quote").first.click()
                assert page.locator(".hl").count() >= 2  # content and cue (and speaker) light up
            page.screenshot(path=str(shots / f"view-{which}-{record.doc_id}.png"), full_page=True)
        browser.close()
    assert errors == []
