"""Shared fixtures: a fresh store on tmp_path and a helper that writes input files."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Union

import pytest

from claimwatch.store import Store


def pytest_configure(config):
    # spaCy warns that the entity ruler has no patterns (no gazetteer yet): noise here. spaCy puts its
    # own warning filters first when imported, so import it before the tests for this one to count.
    config.addinivalue_line("filterwarnings", r"ignore:\[W036\]:UserWarning")
    try:
        import spacy  # noqa: F401
    except ImportError:
        pass


@pytest.fixture(autouse=True)
def facets_counted_whatever_the_load(monkeypatch):
    """The facet time limit guards big stores; the small stores of the tests are always counted, so that a
    loaded machine (CI shares its cores) cannot turn a count into "too many rows". The test of the limit
    sets its own."""
    from claimwatch.store import queries
    monkeypatch.setattr(queries, "FACET_TIME_LIMIT", 60.0)


@pytest.fixture
def store(tmp_path: Path):
    """An empty claimwatch store in tmp_path, closed after the test."""
    s = Store(tmp_path / "claimwatch.db")
    yield s
    s.close()


def write_file(path: Path, content: Union[str, bytes], encoding: str = "utf-8") -> Path:
    """Write `content` (text in `encoding`, or raw bytes) to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode(encoding))
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("in/a.txt", "text") -> the path, under tmp_path."""
    def _write(rel: str, content: Union[str, bytes], encoding: str = "utf-8") -> Path:
        return write_file(tmp_path / rel, content, encoding)
    return _write
