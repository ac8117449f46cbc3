"""The published API description (GET /api/v1/openapi.json) that integrators build against."""

import json

from ninja import Schema

from pubcredit.api import api


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_no_two_schemas_share_a_name():
    # OpenAPI components are keyed by class name: two classes with one name publish one of them for both operations
    api.get_openapi_schema()  # every router imported
    seen: dict[str, str] = {}
    clashes = []
    for cls in _schemas():
        if not cls.__module__.startswith("pubcredit."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if seen.setdefault(cls.__name__, where) != where:
            clashes.append((seen[cls.__name__], where))
    assert clashes == []


def test_batch_operations_describe_their_own_batches():
    schema = json.loads(json.dumps(api.get_openapi_schema()))  # as served: status codes become strings
    components = schema["components"]["schemas"]

    def response_properties(path, method, status):
        ref = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        return set(components[ref.rsplit("/", 1)[-1]]["properties"])

    assert {"id", "class_code", "summary", "links"} <= response_properties("/api/v1/batches", "post", "201")
    assert {"id", "class_code", "summary", "links"} <= response_properties("/api/v1/batches/{batch_id}", "get", "200")
    assert {"batch_id", "scenario", "hit_subjects"} <= response_properties("/api/v1/checks/batch", "post", "200")
    assert response_properties("/api/v1/batches", "post", "404") == {"code", "message", "message_en", "fields"}
