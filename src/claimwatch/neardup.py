"""neardup: a wire story republished under other headers is one story with many outlets.

Each fetched document gets a MinHash signature (datasketch) of its word 5-gram shingles. Candidate
pairs come from locality-sensitive hashing over bands of the signature (b bands of r values; b and
r from datasketch's own optimiser for the candidate threshold); a candidate is a copy when the
estimated Jaccard similarity is at least MATCH_JACCARD, or when one text nearly contains the other
(a copy cut short). A different report of the same event shares names and perhaps a quoted
statement, but few five-word runs: it stays its own story (corroboration, not a copy).

Why not datasketch's MinHashLSH for the index: it keeps a Python set per bucket, 1.1 GB for 100k
documents here; the same banding kept in sorted NumPy arrays (one 64-bit key and one row number
per band and document) takes tens of MB and answers a query with one binary search.

Order: the copy relation is symmetric and computed from signatures alone, and every pair of
documents that collides in a band is found by whichever arrives second, so the stories (connected
components of the relation) do not depend on arrival order. Within one batch the story's first
copy, the one whose claims, figures and events are extracted, is chosen by a fixed rule, not by
arrival: the earliest published day, then the copy closest to all the others (the most similar on
average: the wire text each outlet edited in its own way), then the smallest id. A copy arriving in a
later batch joins the stored story and never displaces its first copy: records are not rewritten.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

import numpy as np

from .models import Article, Provenance, StoryLink

if TYPE_CHECKING:
    from .pipeline import DocumentPlan
    from .store import Store

NUM_PERM = 128
SHINGLE_WORDS = 5
CANDIDATE_THRESHOLD = 0.4   # banding tuned to bring pairs from this similarity up as candidates
MATCH_JACCARD = 0.5         # estimated Jaccard of a copy
MATCH_CONTAINMENT = 0.85    # ... or this much of the shorter text inside the longer (a cut copy),
MIN_JACCARD_CONTAINED = 0.3  # when the two still share this much
SEED = 1
BUFFER_ROWS = 4096

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of the text's word k-grams (case and punctuation folded), each once.

    Words are hashed with CRC-32, a k-gram is the words' hashes combined in order and mixed
    (MurmurHash3's finaliser); all of it vectorised, and stable across processes and machines,
    as stored signatures must be."""
    words = _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())
    if not words:
        return np.zeros(0, dtype=np.uint32)
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint32, count=len(words))
    k = min(k, len(wh))
    n = len(wh) - k + 1
    h = np.zeros(n, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = (h * np.uint32(0x01000193)) ^ wh[j:j + n]
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return np.unique(h)


def _prehashed(value):
    return value


class Signer:
    """MinHash signatures with one fixed set of permutations (so stored signatures stay comparable)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED):
        from datasketch import MinHash
        self._proto = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
        self.num_perm = num_perm

    def sign(self, text: str) -> tuple[np.ndarray, int]:
        """(signature as uint32 array, number of distinct shingles)."""
        from datasketch import MinHash
        hashes = shingle_hashes(text)
        m = MinHash(num_perm=self.num_perm, seed=self._proto.seed, scheme="affine32",
                    permutations=self._proto.permutations, hashfunc=_prehashed)
        if len(hashes):
            m.update_batch(hashes)
        return m.hashvalues.astype(np.uint32), len(hashes)


def banding(threshold: float = CANDIDATE_THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH would use for this threshold."""
    from datasketch import MinHashLSH
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def containment(j: float, n_a: int, n_b: int) -> float:
    """Share of the smaller shingle set inside the other, from Jaccard and the two sizes."""
    if min(n_a, n_b) == 0:
        return 0.0
    return min(1.0, j * (n_a + n_b) / ((1 + j) * min(n_a, n_b)))


def is_copy(j: float, n_a: int, n_b: int) -> bool:
    return j >= MATCH_JACCARD or (j >= MIN_JACCARD_CONTAINED and containment(j, n_a, n_b) >= MATCH_CONTAINMENT)


class Index:
    """Signatures of many documents and a banded LSH index over them, in NumPy arrays."""

    def __init__(self, threshold: float = CANDIDATE_THRESHOLD, num_perm: int = NUM_PERM):
        self.num_perm = num_perm
        self.b, self.r = banding(threshold, num_perm)
        rng = np.random.default_rng(SEED)
        self._mult = (rng.integers(1, 2 ** 63, size=(self.b, self.r), dtype=np.uint64) | np.uint64(1))
        self._salt = rng.integers(0, 2 ** 63, size=self.b, dtype=np.uint64)
        self.ids: list[str] = []
        self._row: dict[str, int] = {}
        self.sizes = np.zeros(1024, dtype=np.int32)
        self.sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._keys = np.zeros(0, dtype=np.uint64)   # sorted band keys of the merged rows
        self._rows = np.zeros(0, dtype=np.int32)
        self._buf = np.zeros((BUFFER_ROWS, self.b), dtype=np.uint64)  # band keys of recent rows
        self._buf_from = 0                           # first row held in the buffer

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._row

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """One 64-bit key per band: the band's values mixed, salted by the band's number."""
        bands = sig[: self.b * self.r].astype(np.uint64).reshape(self.b, self.r)
        with np.errstate(over="ignore"):
            h = (bands * self._mult).sum(axis=1, dtype=np.uint64) ^ self._salt
            h ^= h >> np.uint64(29)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(32)
        return h

    def add(self, doc_id: str, sig: np.ndarray, n_shingles: int) -> None:
        if doc_id in self._row:
            return
        row = len(self.ids)
        if row == len(self.sizes):
            self.sizes = np.resize(self.sizes, row * 2)
            grown = np.zeros((row * 2, self.num_perm), dtype=np.uint32)
            grown[:row] = self.sigs[:row]
            self.sigs = grown
        if row - self._buf_from == BUFFER_ROWS:
            self._merge()
        self.ids.append(doc_id)
        self._row[doc_id] = row
        self.sizes[row] = n_shingles
        self.sigs[row] = sig
        self._buf[row - self._buf_from] = self.band_keys(sig)

    def _merge(self) -> None:
        n = len(self.ids) - self._buf_from
        if not n:
            return
        keys = np.concatenate([self._keys, self._buf[:n].ravel()])
        rows = np.concatenate([self._rows, np.repeat(np.arange(self._buf_from, self._buf_from + n, dtype=np.int32),
                                                      self.b)])
        order = np.argsort(keys, kind="stable")
        self._keys, self._rows = keys[order], rows[order]
        self._buf_from = len(self.ids)

    def candidates(self, sig: np.ndarray) -> set[int]:
        """Rows sharing at least one band with the signature."""
        keys = self.band_keys(sig)
        q = np.sort(keys)
        lo = np.searchsorted(self._keys, q, side="left")
        hi = np.searchsorted(self._keys, q, side="right")
        found = {int(r) for a, z in zip(lo, hi) if z > a for r in self._rows[a:z]}
        n = len(self.ids) - self._buf_from
        if n:
            hit = (self._buf[:n] == keys).any(axis=1)  # band by band
            found.update(int(i) + self._buf_from for i in np.nonzero(hit)[0])
        return found

    def copies_of(self, sig: np.ndarray, n_shingles: int, exclude: Optional[str] = None) -> list[tuple[str, float]]:
        """(doc_id, estimated Jaccard) of every indexed document this one is a copy of (or copied by)."""
        out: list[tuple[str, float]] = []
        if n_shingles == 0:
            return out
        for row in self.candidates(sig):
            doc_id = self.ids[row]
            if doc_id == exclude:
                continue
            j = jaccard(sig, self.sigs[row])
            if is_copy(j, n_shingles, int(self.sizes[row])):
                out.append((doc_id, j))
        return sorted(out)

    @classmethod
    def from_store(cls, store: "Store") -> "Index":
        index = cls()
        for doc_id, n, blob in store.minhash_rows():
            index.add(doc_id, np.frombuffer(blob, dtype=np.uint32), n)
        index._merge()
        return index


def first_rank(published: Optional[str], centrality: float, doc_id: str) -> tuple:
    """The order that decides a story's first copy: earliest day, then the most central copy, then the id."""
    return (published is None, published or "", -round(centrality, 6), doc_id)


@dataclass
class _Node:
    doc_id: str
    new: bool
    sig: Optional[np.ndarray] = None
    shingles: int = 0
    best: Optional[float] = None


class Stories:
    """Decides, for each batch of new fetched documents, which are copies of a story and which are its first.

    `plan(batch, provenance)` returns a DocumentPlan per document: copies are stored without records,
    and every document gets its story link (with its signature) in its provenance."""

    def __init__(self, store: "Store", index: Optional[Index] = None):
        self.store = store
        self.index = index if index is not None else Index.from_store(store)
        self.signer = Signer(self.index.num_perm)

    def plan(self, batch: list[tuple[str, Article]], provenance: dict[str, Provenance]) -> dict[str, "DocumentPlan"]:
        from .pipeline import DocumentPlan
        nodes: dict[str, _Node] = {}
        for doc_id, art in sorted(batch, key=lambda x: x[0]):
            sig, n = self.signer.sign(art.text)
            nodes[doc_id] = _Node(doc_id, True, sig, n)
        # the batch's documents are in the index before anything is compared: every pair is seen from both sides
        for node in nodes.values():
            self.index.add(node.doc_id, node.sig, node.shingles)
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for node in [n for n in nodes.values() if n.new]:
            find(node.doc_id)
            for other, j in self.index.copies_of(node.sig, node.shingles, exclude=node.doc_id):
                node.best = max(node.best or 0.0, j)
                if other not in nodes:
                    nodes[other] = _Node(other, False)
                a, b = find(node.doc_id), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        components: dict[str, list[str]] = {}
        for doc_id in nodes:
            components.setdefault(find(doc_id), []).append(doc_id)
        arts = dict(batch)
        plans: dict[str, DocumentPlan] = {}
        for members in components.values():
            self._plan_story(sorted(members), nodes, arts, provenance, plans)
        return plans

    def _plan_story(self, members: list[str], nodes: dict[str, _Node], arts: dict[str, Article],
                    provenance: dict[str, Provenance], plans: dict) -> None:
        from .pipeline import DocumentPlan
        new = [d for d in members if nodes[d].new]
        old = [d for d in members if not nodes[d].new]
        links = self.store.story_links(old) if old else {}
        story_ids = sorted({links[d][0] for d in old if d in links})
        if story_ids:
            days = self.store.published_days(story_ids)
            story_id = min(story_ids, key=lambda s: first_rank(days.get(s), 0.0, s))
            merge = [s for s in story_ids if s != story_id]
            bearing = {d for d in old if d in links and links[d][1] != "copy"}
            for d in new:
                prev = provenance[d].previous_version
                role = "version" if prev in bearing else "copy"
                plans[d] = DocumentPlan(extract=role == "version",
                                        provenance=self._with_story(provenance[d], nodes[d], story_id, role, merge))
            return
        centrality = {d: sum(jaccard(nodes[d].sig, nodes[o].sig) for o in new if o != d) for d in new}
        first = min(new, key=lambda d: first_rank(arts[d].published, centrality[d], d))
        for d in new:
            role = "first" if d == first else "copy"
            plans[d] = DocumentPlan(extract=role == "first",
                                    provenance=self._with_story(provenance[d], nodes[d], first, role, []))

    @staticmethod
    def _with_story(prov: Provenance, node: _Node, story_id: str, role: str, merge: list[str]) -> Provenance:
        prov.story = StoryLink(story_id=story_id, role=role, similarity=round(node.best, 3) if node.best else None,
                               merge=merge, shingles=node.shingles, signature=node.sig.tobytes())
        return prov


def benchmark(n_docs: int = 100_000, copies_every: int = 10, seed: int = 7) -> dict:
    """Sign and index `n_docs` generated wire-style documents (every `copies_every`-th an edited copy of an
    earlier one), asking each for its copies before adding it: the work near-duplicate detection does."""
    import resource
    import time
    rng = np.random.default_rng(seed)
    vocab = _bench_vocabulary(rng)
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    signer = Signer()
    index = Index()
    texts: dict[int, list[str]] = {}
    found = 0
    wall = cpu = 0.0
    for i in range(n_docs):
        if i % copies_every == copies_every - 1 and texts:
            src = texts[int(rng.integers(max(0, i - 500), i))]
            words = list(src)
            for _ in range(5):  # a few words changed, and another header
                words[int(rng.integers(0, len(words)))] = vocab[int(rng.integers(0, len(vocab)))]
            words = ["By", "staff", "writer", "and", "agencies"] + words
        else:  # word ranks drawn as in prose (Zipf's law, s = 1)
            words = [vocab[k] for k in rng.choice(len(vocab), size=int(rng.integers(150, 600)), p=weights)]
        texts[i] = words
        texts.pop(i - 600, None)
        text = " ".join(words)
        t0, c0 = time.perf_counter(), time.process_time()
        sig, n = signer.sign(text)  # the work of detection, timed apart from making up the text
        if index.copies_of(sig, n):
            found += 1
        index.add(str(i), sig, n)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"documents": n_docs, "documents_per_s": round(n_docs / wall), "cpu_documents_per_s": round(n_docs / cpu),
            "copies_found": found, "copies_made": sum(1 for i in range(n_docs) if i % copies_every == copies_every - 1),
            "bands": index.b, "rows": index.r, "peak_rss_mb": round(peak_mb)}


def _bench_vocabulary(rng) -> list[str]:
    syllables = ["ka", "ri", "zan", "vo", "lek", "ar", "mi", "dos", "tel", "bu", "ran", "shi", "ov", "el", "gor"]
    common = ("the of and to in a said on was for that with by at from it his as were has military ministry "
              "forces village city attack killed wounded officials reported statement according army border").split()
    made = {"".join(rng.choice(syllables, size=int(rng.integers(1, 4)))) for _ in range(40000)}
    return common + sorted(made)


def main(argv: Optional[Iterable[str]] = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description="benchmark near-duplicate detection on generated documents")
    ap.add_argument("--documents", type=int, default=100_000)
    args = ap.parse_args(list(argv) if argv is not None else None)
    r = benchmark(args.documents)
    print("neardup bench: " + " ".join(f"{k}={v}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
