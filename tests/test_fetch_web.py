"""The web app's URL field goes through the same address guard as the command line (never lifted)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from claimwatch.store import Store
from claimwatch.web.app import create_app

from fetch_helpers import MARKET_STORY, Page, Site, article_html

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def client(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    with TestClient(create_app(str(db), write_token="tok")) as c:
        yield c


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.mark.parametrize("url,reason", [
    ("file:///etc/passwd", "scheme file: is not http or https"),
    ("gopher://news.example.org/", "scheme gopher: is not http or https"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://[::1]:8000/admin", "loopback address ::1"),
    ("http://10.0.0.1/", "private address 10.0.0.1"),
])
def test_a_url_field_refuses_what_the_guard_refuses(client, url, reason):
    r = client.post("/api/ingest", params={"url": url}, headers=AUTH)
    assert r.status_code == 400 and reason in r.json()["detail"]


def test_a_loopback_news_site_is_refused_from_the_web_and_never_contacted(client, site):
    site.routes["/story"] = Page(article_html("Thousands march", MARKET_STORY))
    r = client.post("/api/ingest", params={"url": site.url("/story")}, headers=AUTH)
    assert r.status_code == 400 and "loopback address 127.0.0.1" in r.json()["detail"]
    assert site.log == []
    assert client.get("/api/documents").json()["items"] == []


def test_the_url_field_needs_the_write_token_like_an_upload(client):
    assert client.post("/api/ingest", params={"url": "https://news.example.org/a"}).status_code == 401
