"""The HTML review site, driven in a real headless Chromium.

At 1280 and 800 px wide: the index (one row per document, provenance behind a disclosure) and
every document page, with no page wider than the window and no entity name cut; screenshots go
to ``.artifacts/`` (never committed; the whole page of the busiest document, the window of the
others). On one document of each corpus: a mention's chain, a
quote and an event selected from the text and from the side panel, an event's roles shown on
hover, the four layer toggles, the search box and permalinks. Pages made from hostile data
(markup and quotes in names, a CRLF text holding markup; control characters in names, which
validation refuses, through the library) show it as text and run no script, with or without
their Content-Security-Policy.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from corpus_ds import validate_file
from corpus_ds.cli import main
from corpus_ds.load import CorpusPaths
from corpus_ds.model.problems import printable
from corpus_ds.review.site import CSP, render_document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTHS = (1280, 800)
CSP_META = '<meta http-equiv="Content-Security-Policy" content="'


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


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def _open(browser, width, messages):
    """A page of ``width`` px that reports console errors, page errors and network requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("console", lambda message: messages.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") or "xss" in message.text else None)
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    page.on("request", lambda request: messages.append(f"network: {request.url}")
            if not request.url.startswith(("file:", "data:")) else None)
    return page


def _records(root):
    corpus = CorpusPaths(root)
    return [validate_file(p, corpus.texts).record for p in corpus.annotation_files()]


CLIPPED = """(selector) => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    found.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  }
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (!r.width) { continue; }  // not displayed (a closed disclosure)
    const what = `${el.tagName} ${JSON.stringify(el.textContent.slice(0, 40))}`;
    if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${what}: ${el.scrollWidth} px of text in ${el.clientWidth} px`);
    }
    if (r.left < -0.5 || r.right > root.clientWidth + 0.5) { found.push(`${what}: outside the window`); }
    const box = el.parentElement.closest('#side, td, header, .bar');
    if (box) {
      const b = box.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) { found.push(`${what}: runs out of its ${box.tagName}`); }
    }
  }
  return found;
}"""


def _check_index(page, site, records, shots, which, width):
    page.goto((site / "index.html").as_uri())
    rows = page.locator("table.docs tbody tr")
    assert rows.count() == len(records)
    assert page.locator("tbody tr td.prov details:not([open])").count() == len(records)
    assert page.locator("a[href$='.html']").count() == len(records)
    first = page.locator("tbody tr td.prov details").first
    assert not first.locator("li").first.is_visible()
    assert page.evaluate(CLIPPED, ".docs td, .docs th, header") == []
    if width == 1280:  # one line per document
        heights = page.eval_on_selector_all("tbody tr", "rows => rows.map(r => [r.getBoundingClientRect().height, "
                                                        "parseFloat(getComputedStyle(r).lineHeight)])")
        assert all(height < 2 * line for height, line in heights), heights
    page.screenshot(path=str(shots / f"view-{which}-index-{width}.png"), full_page=True)
    first.locator("summary").click()
    assert first.locator("li").count() == 4 and first.locator("li").first.is_visible()
    assert "entities: " in first.inner_text()


def _check_document(page, site, record, shots, which, width, whole=True):
    page.goto((site / f"{record.doc_id}.html").as_uri())
    assert page.locator("#text [data-mstart]").count() == len(record.mentions)
    assert page.locator("#side li[id^='side-q']").count() == len(record.quotes)
    assert page.locator("#side li[id^='side-v']").count() == len(record.events)
    assert page.locator("#side li.sel, #text .sel").count() == 0
    assert page.locator(".badge").count() == 0  # no id badges in the text
    names = page.eval_on_selector_all("#side .name", "els => els.map(e => e.textContent)")
    assert names == [printable(e.name) for e in record.entities]
    assert page.evaluate(CLIPPED, "#side .name, #side .chain a, header.top, .bar label, #find") == []
    page.screenshot(path=str(shots / f"view-{which}-{record.doc_id}-{width}.png"), full_page=whole)


def _selected(page, selector="#text .sel"):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent).join('')")


def _in_view(page, selector):
    """Whether the first element matched lies between the sticky toolbar and the window's bottom."""
    return page.evaluate("""(selector) => {
      const r = document.querySelector(selector).getBoundingClientRect();
      const bar = document.querySelector('.bar').getBoundingClientRect();
      return r.top >= bar.bottom - 1 && r.bottom <= window.innerHeight + 1;
    }""", selector)


def _roles(page, attribute):
    return dict(page.eval_on_selector_all(
        f"#text [{attribute}]", f"els => els.map(e => [e.dataset.mid, e.getAttribute('{attribute}')])"))


def _exercise(page, site, record):
    """Chains, quotes, events, roles on hover, layer toggles, search and permalinks on one page."""
    url = (site / f"{record.doc_id}.html").as_uri()
    page.goto(url)
    mentions = {m.id: m for m in record.mentions}
    entities = {e.id: e for e in record.entities}

    # a click on a mention lights up its chain
    sizes = {}
    for m in record.mentions:
        sizes[m.entity] = sizes.get(m.entity, 0) + 1
    entity = max(sizes, key=lambda e: (sizes[e], e))
    first = next(m for m in record.mentions if m.entity == entity)
    page.locator(f'#text [data-mid="{first.id}"]').first.click()
    if first.id not in page.evaluate("location.hash"):  # the piece was also a trigger or quote: click on
        page.locator(f'#text [data-mid="{first.id}"]').first.click()
    chained = page.eval_on_selector_all("#text .chain", "els => new Set(els.map(e => e.dataset.mid)).size")
    assert chained == sizes[entity]
    assert page.locator(f"#side li#{entity}.sel").count() == 1
    assert entities[entity].name.split()[0] in page.inner_text("#info")

    # a quote picked in the side panel: its content and cue, its speaker labelled, its permalink
    quote = record.quotes[0]
    page.locator(f'#side li[data-id="{quote.id}"]').click()
    assert page.evaluate("location.hash") == f"#{quote.id}"
    assert _selected(page).replace("\n", "") == "".join(
        s.text for s in sorted([*quote.content, *(quote.cue or ())], key=lambda s: s.start)).replace("\n", "")
    if quote.source:
        assert _roles(page, "data-role")[quote.source] == "speaker"

    # an event's trigger clicked in the text: its roles appear on its arguments
    event = max(record.events, key=lambda v: (len(v.arguments), v.id))
    expected = {}
    for argument in event.arguments:
        expected[argument.mention] = "/".join(filter(None, [expected.get(argument.mention), argument.role]))
    page.locator(f'#text [data-v~="{event.id}"]').first.click()
    assert page.locator(f'#side li[data-id="{event.id}"].sel').count() == 1
    assert _selected(page) == event.trigger.text
    assert _roles(page, "data-role") == expected
    assert page.inner_text("#info").startswith(f"{event.id} {event.type}")

    # hovering another trigger shows that event's roles, leaving it hides them
    other = next((v for v in record.events if v.arguments and v.id != event.id), event)
    page.locator(f'#text [data-v~="{other.id}"]').first.hover()
    peeked = {}
    for argument in other.arguments:
        peeked[argument.mention] = "/".join(filter(None, [peeked.get(argument.mention), argument.role]))
    assert _roles(page, "data-peek") == peeked
    page.locator("header.top").hover()
    assert _roles(page, "data-peek") == {}
    assert _roles(page, "data-role") == expected  # the selection stays

    # layer toggles
    def style(selector, prop):
        return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")

    mention_piece = f'#text [data-mid="{first.id}"][data-mstart]'
    coloured = style(mention_piece, "backgroundColor")
    for layer, selector, prop, off in [
            ("entities", f'#text [data-mid="{first.id}"]:not(.sel):not(.trig)', "backgroundColor", "rgba(0, 0, 0, 0)"),
            ("zones", "#text .zl", "display", "none"),
            ("quotes", "#text .cue", "fontWeight", "400"),
            ("events", "#text .trig:not(.sel)", "boxShadow", "none")]:
        if page.locator(selector).count() == 0:
            continue
        before = style(selector, prop)
        assert before != off, layer
        page.uncheck(f'input[data-layer="{layer}"]')
        assert f"L-{layer}" not in page.evaluate("document.body.className")
        assert style(selector, prop) == off, layer
        page.check(f'input[data-layer="{layer}"]')
        assert style(selector, prop) == before, layer
    assert coloured != "rgba(0, 0, 0, 0)"

    # search over entities, mentions, quotes and events
    name = entities[entity].name
    page.fill("#find", name.lower())
    hits = page.eval_on_selector_all("#hits a", "els => els.map(e => e.getAttribute('href'))")
    assert f"#{entity}" in hits
    assert any(f"#{m.id}" in hits for m in record.mentions if m.text.lower() == name.lower()) or \
        all(m.text.lower() != name.lower() for m in record.mentions)
    assert page.locator("#results").is_visible() and "match" in page.inner_text("#count")
    assert page.locator("#text .found").count() >= 1
    page.fill("#find", event.trigger.text)
    assert f"#{event.id}" in page.eval_on_selector_all("#hits a", "els => els.map(e => e.getAttribute('href'))")
    page.fill("#find", quote.id)
    assert page.eval_on_selector_all("#hits a", "els => els.map(e => e.getAttribute('href'))")[0] == f"#{quote.id}"
    page.press("#find", "Enter")
    assert page.evaluate("location.hash") == f"#{quote.id}" and not page.locator("#results").is_visible()
    page.fill("#find", "no such thing anywhere")
    assert page.inner_text("#count") == "0 matches" and page.locator("#hits li").count() == 0
    page.press("#find", "Escape")
    assert page.locator("#text .found").count() == 0 and not page.locator("#results").is_visible()

    # permalinks: a fresh load scrolls to and highlights the item; so does a change of address,
    # and it turns a hidden layer back on
    last = record.mentions[-1]
    page.goto((site / "index.html").as_uri())
    page.goto(f"{url}#{last.id}")
    assert _selected(page).replace("\n", "") == last.text.replace("\r\n", "\n").replace("\n", "")
    assert _in_view(page, "#text .sel")
    page.uncheck('input[data-layer="events"]')
    late = record.events[-1]
    page.evaluate(f"location.hash = '{late.id}'")
    page.wait_for_function(f"document.querySelector('#side li[data-id=\"{late.id}\"]').classList.contains('sel')")
    assert page.is_checked('input[data-layer="events"]')
    assert _selected(page) == late.trigger.text and _in_view(page, "#text .sel")
    page.goto(f"{url}#{record.quotes[-1].id}")
    assert _in_view(page, "#text .sel") and page.locator(f'#side li[data-id="{record.quotes[-1].id}"].sel').count()
    page.goto(f"{url}#{entity}")
    assert page.locator(f"#side li#{entity}.sel").count() == 1 and page.locator("#text .chain").count() >= 1
    page.goto(f"{url}#nothing-here")
    assert page.locator("#text .sel").count() == 0
    assert mentions  # the page had something to show


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_site_in_a_headless_browser(which, root, fixture_corpus, tmp_path, browser):
    corpus_root = root if which == "real" else fixture_corpus
    site = tmp_path / "site"
    assert main(["view", "--root", str(corpus_root), "--out", str(site)]) == 0
    records = _records(corpus_root)
    shots = root / ".artifacts"
    shots.mkdir(exist_ok=True)
    busiest = max(records, key=lambda r: (len(r.events) + len(r.quotes), r.doc_id))
    messages = []
    for width in WIDTHS:
        page = _open(browser, width, messages)
        _check_index(page, site, records, shots, which, width)
        for record in records:
            _check_document(page, site, record, shots, which, width, whole=record is busiest)
        _exercise(page, site, busiest)
        page.goto((site / f"{busiest.doc_id}.html").as_uri() + f"#{busiest.events[0].id}")
        page.screenshot(path=str(shots / f"view-{which}-{busiest.doc_id}-{width}-event.png"))
        page.close()
    assert messages == []


# -- hostile data ------------------------------------------------------------------------------

#: Every one of these would run (set window.xss, or log) if it reached the page as markup.
TEXT = ('NATO <script>window.xss = 1</script> talks\r\n'
        'BRUSSELS -- NATO met Russia in "Brussels" & <b onmouseover="window.xss=2">Moscow</b>.\r\n'
        '“We will talk, </span><img src=x onerror=console.error(1)>,” Lavrov said.\r\n')
NAMES = {
    "NATO": 'NATO </b><script>window.xss=7</script><img src=x onerror="window.xss=17">',
    "Russia": 'Russia " onmouseover="window.xss=9',
    "Brussels": "Brussels' autofocus onfocus='window.xss=10",
    "Moscow": "Moscow</span></li></ul><svg onload=window.xss=12>",
}
#: Control characters and separators: refused by validation, so they reach a page only through
#: the library (render_document), which the test calls directly.
CONTROLS = "\u0007\u001b[31m\u2028\u0085"


def _hostile_corpus(tmp_path: Path):
    corpus = tmp_path / "hostile"
    (corpus / "texts").mkdir(parents=True)
    (corpus / "annotations").mkdir()
    source = tmp_path / "article.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    assert main(["add", str(source), "--publisher", '"><svg onload="window.xss=4">', "--date", "2013-02-18",
                 "--title", "<script>window.xss=5</script> talks", "--root", str(corpus)]) == 0
    doc_id = next((corpus / "annotations").glob("*.json")).stem
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({
        "doc": doc_id, "annotator": "<img src=x onerror=window.xss=6>", "date": "2026-12-06",
        "layers": ["zones", "entities", "quotes", "events"],
        "zones": [{"type": "title", "t": "NATO <script>window.xss = 1</script> talks"},
                  {"type": "body", "from": {"t": "BRUSSELS"}, "to": {"t": "Lavrov said."}}],
        "entities": [
            {"type": "ORG", "name": NAMES["NATO"], "wikipedia": "<img src=x onerror=window.xss=8>",
             "mentions": [{"t": "NATO", "n": 1}, {"t": "NATO", "n": 2, "key": "nato"}]},
            {"type": "GPE", "name": NAMES["Russia"], "wikipedia": "Russia", "mentions": [{"t": "Russia", "key": "ru"}]},
            {"type": "GPE", "name": NAMES["Brussels"], "mentions": [{"t": "Brussels", "key": "bxl"}]},
            {"type": "GPE", "name": NAMES["Moscow"], "mentions": [{"t": "Moscow"}]},
            {"type": "PER", "name": "Sergey Lavrov", "mentions": [{"t": "Lavrov", "key": "lavrov"}]}],
        "quotes": [{"type": "direct", "content": {"t": "“We will talk, </span><img src=x onerror=console.error(1)>,”"},
                    "cue": {"t": "said"}, "source": "lavrov"}],
        "events": [{"type": "CONSULT", "trigger": {"t": "met"}, "realis": "actual",
                    "args": [["actor", "nato"], ["actor", "ru"], ["place", "bxl"]]}],
    }), encoding="utf-8")
    assert main(["author", str(draft), "--root", str(corpus)]) == 0
    # markup in a note: valid, but no draft writes it
    path = corpus / "annotations" / f"{doc_id}.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    value["provenance"]["quotes"]["notes"] = "<script>window.xss=11</script>"
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["validate", "--root", str(corpus)]) == 0
    return corpus, doc_id


def test_hostile_data_is_shown_as_text_and_runs_no_script(tmp_path, browser, capsys):
    corpus, doc_id = _hostile_corpus(tmp_path)
    site = tmp_path / "site"
    assert main(["view", "--root", str(corpus), "--out", str(site)]) == 0
    capsys.readouterr()
    (record,) = _records(corpus)
    pages = sorted(site.glob("*.html"))
    assert [p.name for p in pages] == [f"{doc_id}.html", "index.html"]
    controlled = record._replace(entities=tuple(e._replace(name=e.name + CONTROLS) for e in record.entities))
    (site / "controls.html").write_text(render_document(controlled, TEXT), encoding="utf-8")
    pages.append(site / "controls.html")
    for path in pages:
        source = path.read_text(encoding="utf-8")
        assert source.count(CSP_META) == 1 and source.count("<script") == 1
    # once as written, once with the policy taken out: then escaping alone keeps the data inert
    bare = tmp_path / "bare"
    bare.mkdir()
    for path in pages:
        source = path.read_text(encoding="utf-8")
        start = source.index(CSP_META)
        (bare / path.name).write_text(source[:start] + source[source.index(">", start) + 1:], encoding="utf-8")
    messages = []
    page = _open(browser, 800, messages)
    for folder, policy in ((site, CSP), (bare, None)):
        for name in ("index.html", f"{doc_id}.html", "controls.html"):
            page.goto((folder / name).as_uri())
            assert page.evaluate("() => { const m = document.querySelector("
                                 "'meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content; }") == policy
            assert page.evaluate("document.scripts.length") == 1
            assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
            assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                                 ".filter(a => a.name.startsWith('on') || a.name === 'autofocus').length") == 0
            if name == "index.html":
                assert page.eval_on_selector("td.title", "e => e.textContent") == "<script>window.xss=5</script> talks"
                page.locator("td.prov summary").click()
                assert "<img src=x onerror=window.xss=6>" in page.inner_text("td.prov")
        page.goto((folder / "controls.html").as_uri())
        names = page.eval_on_selector_all("#side .name", "els => els.map(e => e.textContent)")
        assert names == [printable(e.name) for e in controlled.entities]
        assert all(name.endswith("\\x07\\x1b[31m\\u2028\\x85") for name in names)
        assert page.evaluate(CLIPPED, "#side .name") == []
        page.goto((folder / f"{doc_id}.html").as_uri())
        # the CRLF text shows line for line, every mention on its own characters
        assert page.eval_on_selector("#text", "e => e.textContent") == TEXT.replace("\r\n", "\n")
        assert page.evaluate("document.getElementById('text').getClientRects().length") == 1
        for mention in record.mentions:
            shown = page.eval_on_selector_all(f'#text [data-mid="{mention.id}"]',
                                              "els => els.map(e => e.textContent).join('')")
            assert shown == mention.text
        assert page.eval_on_selector_all("#side .name", "els => els.map(e => e.textContent)") == [
            printable(e.name) for e in record.entities]
        assert page.evaluate(CLIPPED, "#side .name") == []
        for selector in ("#side .name", "#text [data-mid]", "#text .trig", "#side li"):
            for i in range(page.locator(selector).count()):
                page.locator(selector).nth(i).hover()
        page.locator("#text .trig").first.click()
        assert _roles(page, "data-role") == {"m2": "actor", "m3": "actor", "m4": "place"}
        page.locator('#side li[data-id="q1"]').click()
        for query in ("<script", "onerror", "xss", '"', "'"):
            page.fill("#find", query)
            assert page.eval_on_selector_all("#hits a", "els => els.filter(e => e.children.length).length") == 0
        page.press("#find", "Enter")
        page.goto((folder / f"{doc_id}.html").as_uri() + "#%3Cimg%20src%3Dx%20onerror%3Dwindow.xss%3D13%3E")
        page.evaluate("location.hash = '\"><script>window.xss=14</script>'")
        assert page.evaluate("typeof window.xss") == "undefined"
    page.close()
    assert messages == []
