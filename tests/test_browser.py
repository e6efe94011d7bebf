"""Browser tests: the real pages in headless Chromium over a store built from ../shared/corpus.

The store is built by the real pipeline (claimwatch.pipeline.ingest_paths) from the shared
corpus plus one hostile article (script tags and event-handler attributes in its text); the
app runs under uvicorn on 127.0.0.1 on a free port in a thread; Selenium drives Debian's
chromium through chromium-driver. Nothing is downloaded: the test is skipped when
/usr/bin/chromium, the driver or the selenium package is missing.

Screenshots of each page go to artifacts/screenshots/ (gitignored) for review.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               "--window-size=1280,1000", "--lang=en-US"]

# The hostile article: markup in the text, the title line and the claims. If any of it ran,
# document.title would become "pwned" or window.__pwned would be set.
HOSTILE_NAME = "zz_hostile_article.txt"
HOSTILE = """\
<script>window.__pwned = 1</script> Shelling reported near Shushi <img src=x onerror="document.title='pwned'">

SHUSHI, Nov 10 (Test) - Azerbaijan's defense ministry said on Tuesday that Armenian forces shelled the \
village of Shushi <img src=x onerror="document.title='pwned'"> overnight.

Armenia's defense ministry denied the report <script>window.__pwned = 1</script> and said no shells were fired.

A local official said at least 3 civilians were killed <svg onload="window.__pwned=2"></svg> in the shelling \
near Shushi <iframe src="javascript:window.__pwned=3"></iframe>.
"""


# The same payloads in an HTML page, as entities: the reader decodes them into the title and text.
HOSTILE_HTML_NAME = "zz_hostile_page.html"
HOSTILE_HTML = """<!doctype html>
<html><head><meta charset="utf-8">
<title>&lt;img src=x onerror=&quot;document.title='pwned'&quot;&gt; Shushi shelled &lt;script&gt;window.__pwned=4&lt;/script&gt;</title>
<meta name="date" content="2020-11-10"></head>
<body><article>
<h1>&lt;img src=x onerror=&quot;document.title='pwned'&quot;&gt; Shushi shelled</h1>
<p>Azerbaijan's defense ministry said on Tuesday that Armenian forces shelled Shushi
&lt;script&gt;window.__pwned = 5&lt;/script&gt; during the night, killing at least 2 civilians.</p>
<p>Armenia's defense ministry denied the report &lt;img src=x onerror=&quot;window.__pwned=6&quot;&gt; on Tuesday.</p>
<p>Residents said the shelling &lt;a href=&quot;javascript:window.__pwned=7&quot;&gt;continued&lt;/a&gt; until dawn.</p>
</article></body></html>
"""


def _why_skip() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)"
    if not Path(DRIVER).exists():
        return "chromedriver is missing (apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is missing (pip install selenium==4.27.1)"
    if not CORPUS.is_dir():
        return f"the shared corpus is missing at {CORPUS}"
    try:
        import claimwatch.pipeline  # noqa: F401
    except ImportError as e:
        return f"claimwatch.pipeline cannot be imported: {e}"
    return None


_skip = _why_skip()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from claimwatch.store import Store  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> dict:
    """A store built by the real pipeline from the corpus and the hostile article."""
    from claimwatch.pipeline import ingest_paths

    tmp = tmp_path_factory.mktemp("browser")
    extra = tmp / "extra"
    extra.mkdir()
    (extra / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    (extra / HOSTILE_HTML_NAME).write_text(HOSTILE_HTML, encoding="utf-8")
    db = tmp / "corpus.db"
    with Store(db) as st:
        report = ingest_paths(st, [str(CORPUS), str(extra / HOSTILE_NAME), str(extra / HOSTILE_HTML_NAME)])
        info = {"db": str(db), "report": report, "counts": st.counts()}
        hostile = {d["source"]: d["id"] for d in st.documents() if d["source"] in (HOSTILE_NAME, HOSTILE_HTML_NAME)}
        info["hostile_doc"] = hostile.get(HOSTILE_NAME)
        info["hostile_html_doc"] = hostile.get(HOSTILE_HTML_NAME)
        info["events_with_coords"] = st.conn.execute(
            "SELECT count(*) FROM events WHERE latitude IS NOT NULL").fetchone()[0]
        info["disputes"] = st.conn.execute(
            "SELECT count(*) FROM events WHERE status IN ('disputed', 'denied')").fetchone()[0]
    assert info["counts"]["documents"] >= 5, f"the pipeline stored too little: {report}"
    return info


@pytest.fixture(scope="session")
def server(corpus_db):
    import uvicorn

    from claimwatch.web import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(corpus_db["db"]), host="127.0.0.1", port=port,
                                        log_level="warning", access_log=False))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.time() + 30
    while not srv.started:
        assert th.is_alive() and time.time() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in CHROME_ARGS:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    drv.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield drv
    drv.quit()


def _open(browser, server: str, path: str):
    browser.get(server + path)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return browser


def _shot(browser, name: str, width: int = 1280, height: int = 1000) -> None:
    # the full page: size the window to the document's height (bounded) before the screenshot
    h = browser.execute_script("return Math.min(document.documentElement.scrollHeight + 40, 6000)")
    browser.set_window_size(width, max(height - 200, int(h)))
    browser.save_screenshot(str(SHOTS / f"{name}.png"))
    browser.set_window_size(width, height)


def _console(browser) -> list[str]:
    try:
        return [e.get("message", "") for e in browser.get_log("browser")]
    except Exception:  # noqa: BLE001 - a driver without log support
        return []


def _assert_clean(browser, page: str) -> None:
    """Nothing from the article ran, and the page itself broke no CSP rule."""
    # the payload would set the title to exactly "pwned"; ours always ends with the app's name
    assert browser.title != "pwned" and browser.title.endswith("claimwatch"), (page, browser.title)
    assert browser.execute_script("return typeof window.__pwned") == "undefined", page
    violations = [m for m in _console(browser) if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, f"{page}: {violations}"


def _need(cond: bool, reason: str) -> None:
    assert cond, reason


NO_EVENTS = ("the pipeline stored no events for ../shared/corpus (events={n}): "
             "the event stage (extract/resolve) has not produced any yet")


# ---- the pages -------------------------------------------------------------------------------------

def test_briefing_2020_11_10(browser, server, corpus_db):
    _open(browser, server, "/brief?date=2020-11-10")
    _shot(browser, "brief-2020-11-10")
    _assert_clean(browser, "brief")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Briefing for 2020-11-10"
    body = browser.find_element(By.TAG_NAME, "main").text
    clauses = browser.find_elements(By.CSS_SELECTOR, ".clause")
    assert clauses, "no attributed lines in the briefing"
    # every line is attributed: a speaker and a verb, with links to the evidence
    assert any(c.find_elements(By.CSS_SELECTOR, "strong.side") and c.find_elements(By.CSS_SELECTOR, "a.ref")
               for c in clauses)
    assert "agreement" in body.lower() or "peace deal" in body.lower()
    assert "Putin" in body or "Pashinyan" in body or "Aliyev" in body
    # an evidence link opens the article with the sentence marked
    href = clauses[0].find_element(By.CSS_SELECTOR, "a.ref").get_attribute("href")
    browser.get(href)
    marks = browser.find_elements(By.CSS_SELECTOR, ".article-text mark#hl")
    assert marks and marks[0].text.strip()
    _shot(browser, "document-evidence")
    _assert_clean(browser, "document")


def test_briefing_shows_the_peace_deal_event(browser, server, corpus_db):
    n = corpus_db["counts"]["events"]
    _need(n > 0, NO_EVENTS.format(n=n))
    _open(browser, server, "/brief?date=2020-11-10")
    events = browser.find_elements(By.CSS_SELECTOR, "article.brief-event")
    assert events, "the briefing lists no events for 2020-11-10"
    deal = [e for e in events if "agreement" in e.text.lower() or "peace deal" in e.text.lower()]
    assert deal, [e.text[:200] for e in events]
    assert deal[0].find_elements(By.CSS_SELECTOR, ".clause strong.side"), "the peace deal has no attributed claims"


def test_timeline_and_event_page(browser, server, corpus_db):
    _open(browser, server, "/events")
    _shot(browser, "timeline")
    _assert_clean(browser, "timeline")
    n = corpus_db["counts"]["events"]
    _need(n > 0, NO_EVENTS.format(n=n))
    links = browser.find_elements(By.CSS_SELECTOR, "li.event a.title")
    assert links
    links[0].click()
    WebDriverWait(browser, 20).until(lambda d: "/events/" in d.current_url)
    _shot(browser, "event")
    _assert_clean(browser, "event")
    assert browser.find_elements(By.CSS_SELECTOR, "dl.facts")
    assert browser.find_elements(By.CSS_SELECTOR, "blockquote.evidence mark")  # evidence highlighted in context


def test_map_draws_outlines_offline(browser, server, corpus_db):
    _open(browser, server, "/map")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "map").get_attribute("data-outlines-loaded") is not None)
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "map").get_attribute("data-markers") is not None)
    time.sleep(0.5)  # let Leaflet finish drawing
    _shot(browser, "map")
    _assert_clean(browser, "map")
    assert int(browser.find_element(By.ID, "map").get_attribute("data-outlines-loaded")) > 100
    # no request left the machine: every resource came from the app
    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return new URL(e.name).host; })")
    assert set(hosts) <= {server.split("//")[1]}, hosts


def test_map_shows_markers(browser, server, corpus_db):
    n = corpus_db["events_with_coords"]
    _need(n > 0, f"no event in the store has coordinates (events={corpus_db['counts']['events']}): "
                 "the event stage has not produced located events yet")
    _open(browser, server, "/map")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "map").get_attribute("data-markers") is not None)
    assert int(browser.find_element(By.ID, "map").get_attribute("data-markers")) > 0
    assert "event" in browser.find_element(By.ID, "map-status").text


def test_disputes_show_both_sides(browser, server, corpus_db):
    _open(browser, server, "/disputes")
    _shot(browser, "disputes")
    _assert_clean(browser, "disputes")
    n = corpus_db["disputes"]
    _need(n > 0, f"no disputed or denied event in the store (events={corpus_db['counts']['events']}): "
                 "the resolve stage has not produced disputes yet")
    # an event is "denied" when one side denies and nobody asserts: "both sides" needs a dispute
    # with claims from two sides (status disputed)
    two_sided = [a for a in browser.find_elements(By.CSS_SELECTOR, "article.dispute")
                 if len(a.find_elements(By.CSS_SELECTOR, ".sides .side-col")) >= 2]
    _need(bool(two_sided), f"none of the {n} disputed/denied events has claims from two sides")
    link = two_sided[0].find_element(By.CSS_SELECTOR, "h2 a")
    link.click()
    WebDriverWait(browser, 20).until(lambda d: "/events/" in d.current_url)
    _shot(browser, "dispute-event")
    _assert_clean(browser, "dispute event")
    cols = browser.find_elements(By.CSS_SELECTOR, ".sides .side-col")
    sides = {c.find_element(By.TAG_NAME, "h3").text for c in cols}
    assert len(sides) >= 2, f"a dispute page shows claims of both sides: {sides}"
    stances = {c.get_attribute("class") for c in browser.find_elements(By.CSS_SELECTOR, "li.claim")}
    assert any("stance-deny" in x or "stance-doubt" in x for x in stances), stances
    assert any("stance-assert" in x or "stance-accuse" in x or "stance-confirm" in x for x in stances), stances
    assert browser.find_elements(By.CSS_SELECTOR, "li.claim blockquote.evidence mark")  # evidence in context


def test_search_finds_shushi(browser, server, corpus_db):
    _open(browser, server, "/search?q=Shushi")
    _shot(browser, "search-shushi")
    _assert_clean(browser, "search")
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits, "no hits for Shushi"
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit mark")]
    assert any(m.lower() == "shushi" for m in marks), marks


def test_figures_chart(browser, server, corpus_db):
    _open(browser, server, "/figures")
    _shot(browser, "figures")
    _assert_clean(browser, "figures")
    if corpus_db["counts"]["figures"]:
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        points = browser.find_elements(By.CSS_SELECTOR, "svg.chart a.point")
        if charts:
            assert points and "/documents/" in (points[0].get_dom_attribute("href") or "")


def test_claims_and_home_and_api_docs(browser, server, corpus_db):
    for path, name in (("/", "home"), ("/claims", "claims"), ("/documents", "documents")):
        _open(browser, server, path)
        _shot(browser, name)
        _assert_clean(browser, name)
    _open(browser, server, "/docs")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
    _shot(browser, "api-docs")
    _assert_clean(browser, "docs")
    assert "/api/events" in browser.find_element(By.ID, "swagger-ui").text


def test_hostile_article_runs_nothing(browser, server, corpus_db):
    doc = corpus_db["hostile_doc"]
    page = corpus_db["hostile_html_doc"]
    assert doc and page, f"the hostile articles were not stored: {corpus_db['report']}"
    pages = [f"/documents/{doc}", f"/claims?doc={doc}", f"/documents/{page}", f"/claims?doc={page}",
             "/search?q=pwned", "/search?q=Shushi",
             "/brief?date=2020-11-10", "/claims", "/documents", "/events", "/disputes", "/figures", "/map"]
    for path in pages:
        _open(browser, server, path)
        time.sleep(0.2)  # give an injected handler (img onerror, svg onload) its chance to fire
        _assert_clean(browser, path)
        assert not browser.find_elements(By.CSS_SELECTOR, "main img, main iframe, main script, main svg[onload]")
    _open(browser, server, f"/documents/{doc}")
    text = browser.find_element(By.CSS_SELECTOR, ".article-text").text
    assert "<script>window.__pwned = 1</script>" in text  # shown as text, not run
    assert "onerror=\"document.title='pwned'\"" in text
    _shot(browser, "hostile-article")
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.title.endswith("· claimwatch") and browser.title != "pwned"
    # the HTML page's title, decoded from entities by the reader, is shown as text too
    _open(browser, server, f"/documents/{page}")
    _assert_clean(browser, "hostile page")
    assert "onerror=" in browser.find_element(By.TAG_NAME, "h1").text or \
        "<script>" in browser.find_element(By.CSS_SELECTOR, ".article-text").text
    assert not [a for a in browser.find_elements(By.CSS_SELECTOR, "main a")
                if (a.get_dom_attribute("href") or "").lower().startswith("javascript:")]


# ---- the analyst's workbench, at desktop and phone width --------------------------------------------

WIDTHS = {"desktop": (1280, 1000), "phone": (390, 844)}


def _viewport(browser, width: int, height: int) -> None:
    """A desktop window, or a phone's viewport (device metrics, as DevTools' device mode sets them)."""
    if width < 800:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    else:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(width, height)


def _page_shot(browser, name: str, width: int, height: int) -> None:
    """A full-page screenshot at this width, then back to the viewport."""
    full = int(browser.execute_script("return Math.min(document.documentElement.scrollHeight + 20, 6000)"))
    if width < 800:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": max(height, full), "deviceScaleFactor": 1, "mobile": True})
        browser.save_screenshot(str(SHOTS / f"{name}.png"))
        _viewport(browser, width, height)
    else:
        _shot(browser, name, width, height)


@pytest.fixture(params=list(WIDTHS))
def width(request, browser):
    w, h = WIDTHS[request.param]
    _viewport(browser, w, h)
    yield request.param, w, h
    _viewport(browser, *WIDTHS["desktop"])


def _fits(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def _total(browser) -> int:
    return int(browser.find_element(By.CSS_SELECTOR, "#total strong").text.replace(",", ""))


# Each list's filter form with one field set (the others left blank, as people leave them).
ONE_FIELD = [
    ("/events", "place", "Shusha"),
    ("/events", "status", "reported"),
    ("/claims", "stance", "deny"),
    ("/claims", "claimant", "Azerbaijan"),
    ("/disputes", "status", "disputed"),
    ("/figures", "metric", "killed"),
    ("/documents", "outlet", "Reuters"),
    ("/map", "type", "Battles"),
    ("/brief", "date", "2020-11-10"),
]


@pytest.mark.parametrize("path,field,value", ONE_FIELD, ids=[f"{p[1:]}-{f}" for p, f, _ in ONE_FIELD])
def test_each_filter_form_with_one_field_set_gets_results(browser, server, corpus_db, width, path, field, value):
    label, w, h = width
    _open(browser, server, path)
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    el = form.find_element(By.NAME, field)
    if el.tag_name == "select":
        el.find_element(By.XPATH, f".//option[normalize-space()='{value}']").click()
    elif el.get_attribute("type") == "date":
        browser.execute_script("arguments[0].value = arguments[1]", el, value)
    else:
        el.clear()
        el.send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: f"{field}=" in d.current_url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert "=&" in browser.current_url or browser.current_url.endswith("=") or path == "/brief"  # blanks were sent
    assert browser.find_element(By.TAG_NAME, "h1").text not in ("422", "500"), browser.page_source[:500]
    if path == "/brief":
        assert browser.find_elements(By.CSS_SELECTOR, "article.brief-event, article.topic")
    elif path == "/map":
        WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "map").get_attribute("data-markers"))
        assert int(browser.find_element(By.ID, "map").get_attribute("data-markers")) > 0
    else:
        assert _total(browser) > 0
        assert browser.find_elements(By.CSS_SELECTOR, "ul.chips li")  # the active filter is shown
    _assert_clean(browser, path)
    assert _fits(browser), f"{path} is wider than the {label} screen"
    _page_shot(browser, f"filter{path.replace('/', '-')}-{field}-{label}", w, h)


def test_download_a_filtered_csv_and_load_it_with_pandas(browser, server, corpus_db, width, tmp_path):
    pd = pytest.importorskip("pandas")
    label, w, h = width
    folder = tmp_path / f"downloads-{label}"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    _open(browser, server, "/events?place=Shusha&type=&side=&status=")
    shown = _total(browser)
    assert shown > 0
    link = browser.find_element(By.CSS_SELECTOR, "a.download[data-format=csv]")
    assert "place=Shusha" in link.get_attribute("href") and "format=csv" in link.get_attribute("href")
    link.click()
    deadline = time.time() + 30
    while not [p for p in folder.glob("*.csv")] or list(folder.glob("*.crdownload")):
        assert time.time() < deadline, "the CSV was not downloaded"
        time.sleep(0.2)
    (csv_file,) = folder.glob("*.csv")
    df = pd.read_csv(csv_file)
    assert len(df) == shown
    assert set(df["location"]) == {"Shusha"}
    assert {"event_id_cnty", "event_date", "event_type", "latitude", "longitude", "fatalities", "source"} <= set(df.columns)
    _page_shot(browser, f"download-events-{label}", w, h)


def _settle(browser) -> None:
    """Wait for Leaflet's zoom and cluster animations to end."""
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')"))
    time.sleep(0.4)


def test_map_clusters_markers_with_counts_and_a_time_slider(browser, server, corpus_db, width):
    label, w, h = width
    _need(corpus_db["events_with_coords"] > 1, "fewer than two located events")
    _open(browser, server, "/map")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "map").get_attribute("data-markers"))
    _settle(browser)
    box = browser.find_element(By.ID, "map")
    n = int(box.get_attribute("data-markers"))
    assert n == corpus_db["events_with_coords"]
    counts = [int(c.text) for c in browser.find_elements(By.CSS_SELECTOR, ".ev-cluster .ev-count")]
    assert counts and max(counts) > 1, "no cluster with a count"
    # the numbers drawn are the clusters' sizes: every event in view is in one cluster or on its own
    sizes = browser.execute_script(
        "var m = window.claimwatchMap, seen = new Set();"
        "m.all.forEach(function (x) { var p = m.clusters.getVisibleParent(x.marker); if (p) { seen.add(p); } });"
        "return Array.from(seen).map(function (p) { return p.getChildCount ? p.getChildCount() : 1; });")
    singles = browser.find_elements(By.CSS_SELECTOR, ".ev-marker")
    assert sorted(counts + [1] * len(singles)) == sorted(sizes) and sum(sizes) <= n
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".ev-label") if e.text]
    assert labels, "no place labels"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map-events li.map-event")) == n  # the timeline beside it
    _assert_clean(browser, "map")
    assert _fits(browser)
    _page_shot(browser, f"map-clusters-{label}", w, h)
    # the time slider narrows the map and the timeline to the chosen days
    browser.execute_script("var r = document.getElementById('t-to'); r.value = '0';"
                           " r.dispatchEvent(new Event('input', {bubbles: true}));")
    narrowed = int(box.get_attribute("data-markers"))
    assert 0 < narrowed < n
    first_day = browser.find_element(By.ID, "t-range").text.split(" to ")[0]
    days = {li.find_element(By.CSS_SELECTOR, ".day").text
            for li in browser.find_elements(By.CSS_SELECTOR, "#map-events li.map-event")}
    assert days == {first_day}
    _page_shot(browser, f"map-slider-{label}", w, h)


def test_figures_chart_per_series_with_claimants_compared(browser, server, corpus_db, width):
    label, w, h = width
    _need(corpus_db["counts"]["figures"] > 0, "no figures stored")
    _open(browser, server, "/figures?limit=50")
    blocks = browser.find_elements(By.CSS_SELECTOR, "section.chart-block")
    charts = browser.find_elements(By.CSS_SELECTOR, "section.chart-block svg.chart")
    assert blocks and charts
    dated = [b for b in blocks if "dated from" in b.find_element(By.CSS_SELECTOR, "p.meta").text]
    assert len(charts) == len(dated)  # a chart for every series with a dated figure
    compared = [c for c in charts if len(c.find_elements(By.CSS_SELECTOR, "g.line")) >= 2]
    assert compared, "no chart compares two claimants"
    legend = compared[0].find_element(By.XPATH, "following-sibling::ul[@class='legend']")
    assert len(legend.find_elements(By.TAG_NAME, "li")) >= 3  # two claimants and the key
    # the chart fills its box and its labels stay readable at this width
    svg_w = browser.execute_script("return arguments[0].getBoundingClientRect().width", charts[0])
    box_w = browser.execute_script("return arguments[0].parentNode.getBoundingClientRect().width", charts[0])
    assert svg_w <= box_w and svg_w > 0.8 * box_w - 40
    size = browser.execute_script("return parseFloat(getComputedStyle(arguments[0]).fontSize)",
                                  charts[0].find_element(By.CSS_SELECTOR, "text.tick"))
    assert size >= 11
    assert charts[0].find_elements(By.CSS_SELECTOR, "a.point")
    _assert_clean(browser, "figures")
    assert _fits(browser)
    _page_shot(browser, f"figures-{label}", w, h)


@pytest.mark.parametrize("path", ["/documents", "/events", "/claims", "/disputes", "/search?q=Shusha"])
def test_lists_fit_a_phone(browser, server, corpus_db, path):
    _viewport(browser, *WIDTHS["phone"])
    try:
        _open(browser, server, path)
        assert _fits(browser), f"{path} overflows a phone's width"
        _page_shot(browser, f"phone{path.replace('/', '-').replace('?', '-').replace('=', '-')}", *WIDTHS["phone"])
        first = browser.find_elements(By.CSS_SELECTOR, "li.event a.title")
        if path == "/events" and first:
            first[0].click()
            WebDriverWait(browser, 20).until(lambda d: "/events/" in d.current_url)
            assert _fits(browser), "an event page overflows a phone's width"
            _page_shot(browser, "phone-event", *WIDTHS["phone"])
    finally:
        _viewport(browser, *WIDTHS["desktop"])


# ---- the ceasefire monitor -----------------------------------------------------------------------

@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_agreements_page_and_the_blame_matrix(browser, server, corpus_db, width):
    """The monitor lists the corpus's agreements; an agreement's page shows its status with the reason and
    its alleged violations by side; the blame matrix shows who accuses whom. Hostile text stays inert."""
    w, h = WIDTHS[width]
    _viewport(browser, w, h)
    _open(browser, server, "/ceasefires")
    links = browser.find_elements(By.CSS_SELECTOR, "table.agreements a[href^='/ceasefires/']")
    _need(bool(links), "the monitor found no agreement in ../shared/corpus")
    _page_shot(browser, f"ceasefires-{width}", w, h)
    _assert_clean(browser, "/ceasefires")
    # the agreement with the most alleged violations
    rows = browser.find_elements(By.CSS_SELECTOR, "table.agreements tbody tr")
    counts = [int(r.find_element(By.CSS_SELECTOR, "td[data-label='Alleged violations']").text) for r in rows]
    rows[counts.index(max(counts))].find_element(By.CSS_SELECTOR, "a[href^='/ceasefires/']").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "dl.facts"))
    assert browser.find_element(By.CSS_SELECTOR, "p.meta .badge").text in (
        "holding", "violations alleged by one side", "violations alleged by both sides", "collapsed", "superseded")
    assert browser.find_element(By.CSS_SELECTOR, "p.meta .why").text.strip()
    if max(counts):
        assert browser.find_elements(By.CSS_SELECTOR, "table.timeline .violation")
        assert browser.find_elements(By.CSS_SELECTOR, "table.timeline .violation a.evlink")
    assert _fits(browser), f"the agreement page overflows at {w}px"
    _page_shot(browser, f"ceasefire-{width}", w, h)
    _assert_clean(browser, "an agreement's page")
    _open(browser, server, "/blame")
    cells = browser.find_elements(By.CSS_SELECTOR, "table.matrix td strong")
    _need(bool(cells), "the blame matrix is empty for ../shared/corpus")
    assert all(int(c.text) >= 1 for c in cells)
    assert browser.find_elements(By.CSS_SELECTOR, "table.blame tbody tr")
    _page_shot(browser, f"blame-{width}", w, h)
    _assert_clean(browser, "/blame")
