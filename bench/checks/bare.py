"""The baseline of the check benchmark: a bare Ninja endpoint doing one indexed lookup on the same database.

``POST /bench/lookup {"uscc": …}`` → the subject's id, name and kind by the unique USCC index. Same framework,
middleware, JSON parsing and serialisation as the check API; no token, no list or measure logic, no write.
"""

from ninja import NinjaAPI, Schema

from pubcredit.subjects.models import Subject

bare_api = NinjaAPI(title="bench baseline", version="bench", urls_namespace="bench", docs_url=None)


class LookupIn(Schema):
    uscc: str


class LookupOut(Schema):
    found: bool
    id: int | None = None
    name: str | None = None
    kind: str | None = None


@bare_api.post("/lookup", response=LookupOut)
def lookup(request, body: LookupIn):
    row = Subject.objects.filter(uscc=body.uscc).values("id", "name", "kind").first()
    return {"found": row is not None, **(row or {})}
