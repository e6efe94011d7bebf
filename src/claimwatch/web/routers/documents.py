"""Articles: the filterable list, and one article with its text (evidence marked) and its records."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Request
from fastapi.responses import JSONResponse

from ...store import Store
from ...store import queries as q
from .. import present
from ..deps import get_store, render
from ..lists import ListQuery, list_route

router = APIRouter()
NAV = [(70, "/documents", "Articles")]


@list_route(router, "/documents", "documents", "documents.html", tags=["documents"],
            summary="Articles: filtered, sorted, paged, with total and facets; or every filtered article as CSV "
                    "or JSONL (without their text)")
def documents_page(store: Store, lq: ListQuery) -> dict:
    return q.list_page(store, "documents", lq.store_filters, lq.sort, lq.limit, lq.offset, facets=None)


def document_data(store: Store, doc_id: str) -> dict:
    doc = store.document(doc_id)
    if doc is None:
        raise HTTPException(404, "document not found")
    doc["sources"] = store.document_sources(doc_id)
    doc["sections"] = store.sections(doc_id)
    doc["story"] = store.stories_of([doc_id]).get(doc_id)  # the same wire story from other outlets
    doc.update(q.document_records(store, doc_id))
    return doc


@router.get("/api/documents/{doc_id}", tags=["documents"], summary="One article: text and what was extracted")
def api_document(doc_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    return JSONResponse(document_data(store, doc_id))


@router.get("/documents/{doc_id}", include_in_schema=False)
def page_document(request: Request, doc_id: str = PathParam(..., max_length=200), store: Store = Depends(get_store)):
    doc = document_data(store, doc_id)
    spans = present.parse_spans(request.query_params.getlist("hl"))
    return render(request, "document.html", doc=doc, text_segments=present.highlight_segments(doc["text"], spans),
                  marked=bool(spans))
