"""fetch: the address guard and polite HTTP against a news site served on loopback."""
from __future__ import annotations

import gzip
import ipaddress
import socket

import pytest

from claimwatch import fetch
from claimwatch.fetch import FetchError, Fetcher, RefusedURL, RobotsDisallowed, check_url

from fetch_helpers import Page, Site, article_html

LOOPBACK = ["127.0.0.1/32"]  # the test site's address alone: every other private range stays refused

STORY = article_html("Shelling hits border village overnight", [
    "Artillery fire struck the outskirts of a border village overnight, damaging two houses and a school, "
    "the regional governor said on Sunday.",
    "No casualties were reported, the governor told reporters, adding that repair crews had reached the area "
    "by morning and that power had been restored to most homes.",
])


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


class Recorder:
    """A clock and a sleep that only pretend: waits are recorded, never slept."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(round(s, 3))
        self.now += s


def fetcher(**kw) -> Fetcher:
    kw.setdefault("allow_private", LOOPBACK)
    kw.setdefault("delay", 0.0)
    kw.setdefault("timeout", 2.0)
    kw.setdefault("connect_timeout", 2.0)
    return Fetcher(**kw)


# ---- the guard ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example.org/a.txt", "gopher://x.example/",
                                 "javascript:alert(1)", "data:text/html,<p>hi</p>", "//no-scheme.example/a"])
def test_only_http_and_https_urls_are_fetched(url):
    with pytest.raises(RefusedURL, match="not http or https"):
        fetcher().get(url)


def test_file_url_is_refused_before_anything_is_opened(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the network")
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("no connection may be made"))
    with pytest.raises(RefusedURL, match="scheme file: is not http or https"):
        fetcher(allow_private=True).get(secret.as_uri())


def test_credentials_in_a_url_are_refused():
    with pytest.raises(RefusedURL, match="credentials"):
        check_url("http://editor:hunter2@news.example.org/feed", resolve=lambda h, p: ["93.184.216.34"])


@pytest.mark.parametrize("address,kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.20.30.40", "private"), ("192.168.1.7", "private"),
    ("172.16.5.5", "private"), ("fd00::5", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("0.0.0.0", "unspecified"), ("100.64.0.9", "non-public"),
    ("::ffff:10.0.0.1", "private"), ("64:ff9b::7f00:1", "loopback")])
def test_a_name_resolving_to_a_non_public_address_is_refused(address, kind):
    with pytest.raises(RefusedURL, match=f"resolves to a {kind} address"):
        check_url("https://news.example.org/world", resolve=lambda h, p: [address])


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(RefusedURL, match="private address 10.0.0.8"):
        check_url("https://news.example.org/", resolve=lambda h, p: ["93.184.216.34", "10.0.0.8"])


def test_public_addresses_pass_and_are_the_ones_to_connect_to():
    t = check_url("https://news.example.org:8443/a?b=1", resolve=lambda h, p: ["93.184.216.34", "2606:2800::1"])
    assert (t.host, t.port, t.addresses) == ("news.example.org", 8443, ["93.184.216.34", "2606:2800::1"])


def test_allow_private_lifts_loopback_and_private_but_never_link_local_or_multicast():
    assert check_url("http://intranet.example/", True, resolve=lambda h, p: ["10.1.1.1"]).addresses == ["10.1.1.1"]
    for address in ("169.254.169.254", "ff02::1"):
        with pytest.raises(RefusedURL):
            check_url("http://metadata.example/", True, resolve=lambda h, p, a=address: [a])


def test_loopback_server_is_refused_without_allow_private(site):
    site.routes["/story"] = Page(STORY)
    with pytest.raises(RefusedURL, match=r"loopback address 127.0.0.1 \(--allow-private allows it\)"):
        Fetcher(delay=0).get(site.url("/story"))
    assert site.log == []


def test_redirect_to_a_private_address_is_refused(site):
    site.routes["/go"] = Page(status=302, headers={"Location": "http://192.168.0.10/admin"})
    site.routes["/meta"] = Page(status=301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(RefusedURL, match="private address 192.168.0.10"):
        fetcher().get(site.url("/go"))
    with pytest.raises(RefusedURL, match="link-local address 169.254.169.254"):
        fetcher(allow_private=True).get(site.url("/meta"))
    assert [p for p, _ in site.log if p != "/robots.txt"] == ["/go", "/meta"]


def test_redirect_to_a_file_url_is_refused(site):
    site.routes["/go"] = Page(status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(RefusedURL, match="scheme file:"):
        fetcher().get(site.url("/go"))


def test_redirects_are_followed_through_the_guard(site):
    site.routes["/old"] = Page(status=301, headers={"Location": "/new"})
    site.routes["/new"] = Page(STORY)
    r = fetcher().get(site.url("/old"))
    assert r.status == 200 and r.final_url == site.url("/new") and b"border village" in r.body


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(site):
    """DNS rebinding: the name is resolved once, checked, and that address is connected to."""
    site.routes["/story"] = Page(STORY)
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return ["127.0.0.1"]
    r = fetcher(resolve=resolve, robots=False).get(f"http://wire.invalid:{site.port}/story")
    assert r.status == 200 and lookups == ["wire.invalid"]
    assert site.log[-1][1]["host"] == f"wire.invalid:{site.port}"


# ---- politeness --------------------------------------------------------------------------------

def test_user_agent_names_claimwatch_and_a_contact(site):
    site.routes["/story"] = Page(STORY)
    fetcher(contact="mailto:desk@example.org").get(site.url("/story"))
    agents = {h["user-agent"] for _, h in site.log}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("claimwatch/") and "mailto:desk@example.org" in agent


def test_robots_txt_disallow_is_obeyed(site):
    site.routes["/robots.txt"] = Page("User-agent: *\nDisallow: /private/\n\nUser-agent: claimwatch\n"
                                      "Disallow: /wire/\n", content_type="text/plain")
    site.routes["/wire/story"] = Page(STORY)
    site.routes["/news/story"] = Page(STORY)
    f = fetcher()
    with pytest.raises(RobotsDisallowed, match="disallows /wire/story"):
        f.get(site.url("/wire/story"))
    assert f.get(site.url("/news/story")).status == 200
    assert site.hits("/wire/story") == 0 and site.hits("/robots.txt") == 1  # robots.txt read once per site


def test_missing_robots_txt_allows_and_failing_robots_txt_disallows(site):
    site.routes["/story"] = Page(STORY)
    assert fetcher().get(site.url("/story")).status == 200  # 404 for robots.txt: allowed
    site.routes["/robots.txt"] = Page("oops", status=500, content_type="text/plain")
    with pytest.raises(RobotsDisallowed, match="unreachable"):
        fetcher().get(site.url("/story"))


def test_one_request_at_a_time_per_host_with_a_delay(site):
    site.routes["/a"] = Page(STORY)
    site.routes["/b"] = Page(STORY)
    rec = Recorder()
    f = fetcher(delay=1.5, sleep=rec.sleep, clock=rec.clock)
    f.get(site.url("/a"))
    f.get(site.url("/b"))
    assert [p for p, _ in site.log] == ["/robots.txt", "/a", "/b"]
    assert rec.slept == [1.5, 1.5]  # before /a (after robots.txt) and before /b


def test_robots_crawl_delay_longer_than_ours_is_honoured(site):
    site.routes["/robots.txt"] = Page("User-agent: *\nCrawl-delay: 4\n", content_type="text/plain")
    site.routes["/a"] = Page(STORY)
    rec = Recorder()
    fetcher(delay=1.5, sleep=rec.sleep, clock=rec.clock).get(site.url("/a"))
    assert rec.slept == [4.0]


def test_conditional_request_gets_304_without_a_body(site):
    site.routes["/feed.xml"] = Page("<rss version='2.0'><channel><title>t</title></channel></rss>",
                                    content_type="application/rss+xml", etag='"v1"',
                                    headers={"Last-Modified": "Sun, 14 May 2023 09:00:00 GMT"})
    f = fetcher()
    first = f.get(site.url("/feed.xml"))
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified
    again = f.get(site.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    sent = site.log[-1][1]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Sun, 14 May 2023 09:00:00 GMT"


def test_429_and_503_are_retried_honouring_retry_after(site):
    site.routes["/busy"] = Page(status=429, headers={"Retry-After": "7"}, then=Page(STORY))
    site.routes["/down"] = Page(status=503, then=Page(STORY))
    rec = Recorder()
    f = fetcher(sleep=rec.sleep, clock=rec.clock, backoff=0.5)
    assert f.get(site.url("/busy")).status == 200
    assert f.get(site.url("/down")).status == 200
    assert rec.slept == [7.0, 0.5]


def test_retry_after_as_a_date_and_a_server_asking_too_much(site):
    assert fetch.retry_after_seconds("Sun, 14 May 2023 09:00:30 GMT", now=1684054800.0) == 30.0
    site.routes["/busy"] = Page(status=503, headers={"Retry-After": "86400"})
    with pytest.raises(FetchError, match="HTTP 503: the server asks to retry after 86400 s"):
        fetcher(sleep=lambda s: None).get(site.url("/busy"))


def test_retries_give_up_with_a_line(site):
    site.routes["/busy"] = Page(status=429)
    with pytest.raises(FetchError, match="HTTP 429 after 3 attempts"):
        fetcher(retries=2, sleep=lambda s: None).get(site.url("/busy"))
    assert site.hits("/busy") == 3


def test_a_slow_server_times_out(site):
    site.routes["/slow"] = Page(STORY, delay=1.5)
    site.routes["/drip"] = Page(STORY * 3, drip=0.05)  # bytes keep coming, but too slowly to finish
    f = fetcher(timeout=0.4)
    with pytest.raises(FetchError, match="timed out after 0.4 s"):
        f.get(site.url("/slow"))
    with pytest.raises(FetchError, match="timed out after 0.4 s"):
        f.get(site.url("/drip"))


def test_an_oversized_body_is_refused_with_or_without_a_length(site):
    big = article_html("Long", ["Word " * 400] * 5)
    site.routes["/big"] = Page(big)
    site.routes["/big-stream"] = Page(big, length=False)
    f = fetcher(max_bytes=4000)
    with pytest.raises(FetchError, match=r"too large \([\d,]+ bytes; limit 4,000\)"):
        f.get(site.url("/big"))
    with pytest.raises(FetchError, match=r"too large \(more than 4,000 bytes\)"):
        f.get(site.url("/big-stream"))


def test_a_compressed_body_is_bounded_after_decompression(site):
    site.routes["/story"] = Page(STORY, gzip=True)
    site.routes["/bomb"] = Page(b"<html>" + b" " * 5_000_000, gzip=True)
    f = fetcher(max_bytes=100_000)
    assert b"border village" in f.get(site.url("/story")).body
    with pytest.raises(FetchError, match="too large"):
        f.get(site.url("/bomb"))


def test_a_wrong_content_type_is_refused(site):
    site.routes["/photo"] = Page(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")
    with pytest.raises(FetchError, match=r"wrong content type image/png \(expected HTML, text, a feed\)"):
        fetcher().get(site.url("/photo"))


def test_http_errors_are_one_line(site):
    with pytest.raises(FetchError, match="HTTP 404 Not Found"):
        fetcher().get(site.url("/gone"))


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        fetcher(robots=False).get(f"http://127.0.0.1:{port}/story")


def test_address_problem_reads_addresses_inside_ipv6_forms():
    assert "loopback" in fetch.address_problem(ipaddress.ip_address("2002:7f00:1::1"))  # 6to4 of 127.0.0.1
    assert fetch.address_problem(ipaddress.ip_address("2606:4700::1111")) is None
