"""Schemas every API router shares. Kept apart from ``pubcredit.api``, which mounts the routers: a router importing
that module at load time would import itself."""

from ninja import Schema


class ErrorOut(Schema):
    """Every API error body (``pubcredit.api._error`` builds it): one OpenAPI component for all routers."""

    code: str
    message: str
    message_en: str
    fields: list[dict]
