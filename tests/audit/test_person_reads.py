"""Issue 19 item 4: every staff read of a natural person's data is audited, wherever it is shown.

A walk over the staff pages and the API operations that can show a natural person, as the city operator, an
administrator in the admin site and a department token: wherever a person's name is in the answer, a
``subject.read_person`` event names that person and the reader. Public pages are not staff reads (item 3).
"""

import json

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.catalog.registry import get_class
from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import records_submit
from pubcredit.subjects.models import Subject
from tests.factories import at, frame, penalty, person_penalty
from tests.lists.helpers import court_person_row, submit_list

pytestmark = pytest.mark.django_db

PENALISED, LISTED = "王小明", "李秀英"


@pytest.fixture
def people(department, system_actor, today):
    """A natural person with a penalty, another on the court's list of dishonest debtors, and an organisation."""
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1), person_penalty(2, subject_name=PENALISED)]),
                   department=department, actor=system_actor, received_at=at("2026-11-18"))
    submit_list("court_dishonest_debtor", [court_person_row(12, subject_name=LISTED)], department, system_actor)
    return {name: Subject.objects.get(name=name) for name in (PENALISED, LISTED)}


@pytest.fixture
def admin_user(db, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="admin", password="Admin#2026-long", role=Role.OPERATOR, is_superuser=True,
                       display_name="管理员", actor=system_actor)


def _reads(person, reader_label):
    """Audited reads of a person: ``subject.read_person``, or a check of the person (``check.person``, its purpose
    the check's scenario)."""
    return AuditEvent.objects.filter(action__in=["subject.read_person", "check.person"], object_type="subject",
                                     object_id=str(person.pk),
                                     actor_label=reader_label)


def _walk(client, pages, people, reader_label, **request_kwargs):
    """Visit each page; where a person's name or masked number is in the answer, a read of them by the reader is new."""
    shown_anywhere = set()
    for method, url, data in pages:
        before = {name: _reads(person, reader_label).count() for name, person in people.items()}
        if method == "post_json":
            response = client.post(url, json.dumps(data), content_type="application/json", **request_kwargs)
        else:
            response = getattr(client, method)(url, data or {}, **request_kwargs)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)  # names as text, not \u escapes
        for name, person in people.items():
            if name in body or person.id_masked in body:
                shown_anywhere.add((url, name))
                assert _reads(person, reader_label).count() > before[name], f"{url} shows {name} unaudited"
    return shown_anywhere


def test_every_workbench_page_that_shows_a_person_audits_the_read(client, operator, people):
    client.force_login(operator)
    record = CreditRecord.objects.get(subject=people[PENALISED])
    entry = ListEntry.objects.get(subject=people[LISTED])
    pages = [
        ("get", "/workbench/", None),  # the home lists
        ("get", "/workbench/late/", None),
        ("get", "/subjects/", {"q": "王小"}),  # name search from a URL
        ("post", "/subjects/", {"q": "李秀"}),  # the search form
        ("get", f"/subjects/{people[PENALISED].pk}/", None),
        ("get", f"/subjects/{people[LISTED].pk}/", None),
        ("get", f"/records/{record.pk}/versions/", None),
        ("get", "/lists/", None),
        ("get", f"/lists/{entry.pk}/", None),
        ("get", "/sanctions/checks/", None),
        ("get", "/collection/batches/", None),
    ]
    shown = _walk(client, pages, people, "user:operator")
    # the walk is not empty: the pages the issue named do show the persons
    assert {("/subjects/", PENALISED), ("/subjects/", LISTED), (f"/records/{record.pk}/versions/", PENALISED),
            (f"/lists/{entry.pk}/", LISTED), (f"/subjects/{people[LISTED].pk}/", LISTED)} <= shown
    event = _reads(people[PENALISED], "user:operator").filter(data__path=f"/records/{record.pk}/versions/").get()
    assert event.reason.startswith("查阅 GET /records/") and event.actor_id == operator.pk


def test_the_subject_page_is_audited_once_with_its_own_purpose(client, operator, people):
    client.force_login(operator)
    client.get(f"/subjects/{people[PENALISED].pk}/")
    reads = _reads(people[PENALISED], "user:operator")
    assert reads.count() == 1 and "subject page" in reads.get().reason


def test_every_admin_page_that_shows_a_person_audits_the_read(client, admin_user, people):
    client.force_login(admin_user)
    person = people[PENALISED]
    record = CreditRecord.objects.get(subject=person)
    pages = [
        ("get", "/admin/subjects/subject/", None),
        ("get", f"/admin/subjects/subject/{person.pk}/change/", None),
        ("get", "/admin/records/creditrecord/", None),
        ("get", f"/admin/records/creditrecord/{record.pk}/change/", None),
    ]
    shown = _walk(client, pages, people, "user:admin")
    assert ("/admin/subjects/subject/", PENALISED) in shown


def test_api_operations_that_show_a_person_audit_the_read(client, department, people, system_actor):
    """A department system checks a person (联合奖惩核查), lists its checks and reads one, reads the change feed
    (公示变更流水, persons' masked codes in bulk) and the lists: each answer that shows a person audits the read."""
    from pubcredit.accounts.services import token_create
    from tests.factories import resident_id

    issued = token_create(department=department, actor=system_actor)
    label = f"token:{department.code}:{issued.token.prefix}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
    shown = _walk(client, [("post_json", "/api/v1/checks",
                            {"subject": {"id_number": resident_id(12)}, "scenario": "bidding"})], people, label, **auth)
    check_id = client.get("/api/v1/checks", **auth).json()[0]["check_id"]
    shown |= _walk(client, [("get", "/api/v1/checks", None), ("get", f"/api/v1/checks/{check_id}", None),
                            ("get", "/api/v1/lists", None), ("get", "/api/v1/rejections", None),
                            ("get", "/api/v1/changes", None)],
                   people, label, **auth)
    assert {("/api/v1/checks", LISTED), (f"/api/v1/checks/{check_id}", LISTED), ("/api/v1/changes", PENALISED),
            ("/api/v1/changes", LISTED)} <= shown


def test_public_pages_are_not_staff_reads(client, operator, people):
    """Logged in or not, the public site is public: its reads follow item 3's rule, not this one."""
    client.force_login(operator)
    client.get("/public/search/", {"q": LISTED})
    assert not _reads(people[LISTED], "user:operator").exists()


def test_a_refused_or_failed_page_writes_no_read(client, provider, people):
    """A provider may not open another department's natural person: nothing shown, nothing audited as read."""
    client.force_login(provider)
    response = client.get(f"/admin/subjects/subject/{people[PENALISED].pk}/change/")
    assert response.status_code in {302, 403}
    assert not _reads(people[PENALISED], "user:provider").exists()


def test_the_change_feed_audits_each_person_it_hands_over_once_per_call(client, department, people, system_actor):
    """The feed hands department systems masked person codes in bulk: one read per person per answer, with the path;
    an organisation in the same page is not a person read, and a page without persons writes none."""
    from pubcredit.accounts.services import token_create

    issued = token_create(department=department, actor=system_actor)
    label = f"token:{department.code}:{issued.token.prefix}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
    body = client.get("/api/v1/changes", **auth).json()
    masked = {people[PENALISED].id_masked, people[LISTED].id_masked}
    assert masked <= {c["subject_code"] for c in body["changes"]}
    feed_reads = AuditEvent.objects.filter(action="subject.read_person", actor_label=label,
                                           data__path="/api/v1/changes")
    assert sorted(feed_reads.values_list("object_id", flat=True)) == sorted(str(p.pk) for p in people.values())
    client.get("/api/v1/changes", {"since": body["next_cursor"]}, **auth)  # nothing new: no person shown
    assert feed_reads.count() == 2


def _streamed_people(request):
    """A staff download whose rows are read while the body streams, after the view has returned."""
    from django.http import StreamingHttpResponse

    def rows():
        yield "名称\n"
        for subject in Subject.objects.order_by("pk"):
            yield f"{subject.name},{subject.display_code}\n"

    return StreamingHttpResponse(rows(), content_type="text/csv")


urlpatterns = []  # filled below: this module is the URLconf of the streaming test


def _streaming_urls():
    from django.urls import include, path

    return [path("staff-stream/", _streamed_people, name="staff_stream"), path("", include("pubcredit.urls"))]


def test_a_streaming_answer_audits_the_persons_its_body_loads(client, operator, people, settings):
    settings.ROOT_URLCONF = __name__
    urlpatterns[:] = _streaming_urls()
    client.force_login(operator)
    response = client.get("/staff-stream/")
    assert response.streaming
    # nothing is known before the body is produced; the reads are written once it is complete
    assert not _reads(people[PENALISED], "user:operator").exists()
    body = b"".join(response.streaming_content).decode()
    assert PENALISED in body and LISTED in body
    for person in people.values():
        read = _reads(person, "user:operator").get()
        assert read.data["path"] == "/staff-stream/" and read.actor_id == operator.pk


def test_public_pages_showing_a_court_listed_person_write_nothing(client, people):
    """Issue 19 item 3: a public read of a person the law publishes (失信被执行人, 法释〔2017〕7号 第七条) writes no
    audit row and no other row, so it never waits behind an import's write lock (docs/security.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = people[LISTED]
    pages = ["/public/lists/court_dishonest_debtor/", "/public/search/?q=李秀", f"/public/subjects/{person.pk}/",
             "/api/v1/public/search?q=李秀", "/api/v1/public/lists/court_dishonest_debtor"]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert person.id_masked in response.content.decode(), url
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == [], (url, writes)
    assert not AuditEvent.objects.filter(action="subject.read_person", object_id=str(person.pk)).exists()
