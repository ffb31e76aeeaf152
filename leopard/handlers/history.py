"""A case's history: a client's (with everything about it), a visa
application's (with its documents and tasks), a document's and a task's.
Everyone reads them, as everyone reads tasks."""

from aiohttp import web
from aiohttp_apispec import docs, querystring_schema, response_schema

from ..keys import ENGINE, QUERY
from ..schemas.common import Error
from ..schemas.history import EntryList, HistoryQuery
from ..services import history as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["history"]
ABOUT = (
    "Oldest first. Each change (created, changed {field: [old, new]}, deleted, "
    "assigned, commented, …) and each notification about the subject "
    "(notified, delivered, read, emailed, with recipient_id) is an entry; no "
    "API call changes or deletes one, and a deleted subject or notification "
    "keeps its entries. `?format=csv` answers every entry as text/csv "
    "(header id,at,actor_id,subject,action,changes,recipient_id; a cell that "
    "would start with =, +, - or @ begins with ')."
)
CSV = {"description": "with format=csv: text/csv"}


def _history(kind: str, scope: str):
    @docs(
        tags=TAGS,
        summary=f"The history of a {kind.replace('_', ' ')}{scope}",
        description=f"{ANYONE} {ABOUT}",
        # JSON by default; text/csv with format=csv.
        produces=["application/json", "text/csv"],
        responses={
            **ERRORS,
            **BAD_QUERY,
            404: {"schema": Error, "description": "an id that never existed"},
        },
    )
    @querystring_schema(HistoryQuery)
    @response_schema(
        EntryList, 200, description="the entries; text/csv with format=csv"
    )
    async def handler(request: web.Request) -> web.StreamResponse:
        query, entity_id = request[QUERY], path_id(request)
        engine = request.app[ENGINE]
        if query.get("format") == "csv":
            entries, _ = await service.history_of(engine, kind, entity_id)
            name = f"{kind}-{entity_id}-history.csv"
            return web.Response(
                text=service.as_csv(entries),
                content_type="text/csv",
                charset="utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        entries, count = await service.history_of(
            engine, kind, entity_id, limit=query["limit"], offset=query["offset"]
        )
        return json({"results": [row(e) for e in entries], "count": count})

    handler.__name__ = f"{kind}_history"
    return handler


client_history = _history("client", ", its applications, documents and tasks")
visa_history = _history("visa_application", ", its documents and tasks")
document_history = _history("document", "")
task_history = _history("task", "")
