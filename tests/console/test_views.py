import pytest
from django.urls import reverse

from pubcredit.audit.models import AuditEvent
from pubcredit.catalog.registry import get_class
from pubcredit.records.services import records_submit
from pubcredit.subjects.models import Subject
from tests.factories import at, frame, penalty, person_penalty, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(department, system_actor, today):
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1), person_penalty(2)]),
                   department=department, actor=system_actor, received_at=at("2026-11-18"))


def test_pages_need_login(client):
    response = client.get(reverse("console:subject_lookup"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_login_locks_out_after_repeated_failures(client, operator):
    for _ in range(5):
        response = client.post(reverse("console:login"), {"username": "operator", "password": "wrong"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    response = client.post(reverse("console:login"), {"username": "operator", "password": "Operator#2026"})
    assert response.status_code == 429  # even the right password waits for the cool-off


def test_login_then_home_shows_figures(client, operator, data):
    response = client.post(reverse("console:login"), {"username": "operator", "password": "Operator#2026"})
    assert response.status_code == 302
    page = client.get(reverse("console:home")).content.decode()
    assert "市社会信用中心" in page and 'data-figure="records">2<' in page


def test_lookup_by_name_and_subject_page_with_versions(client, operator, data):
    client.force_login(operator)
    page = client.get(reverse("console:subject_lookup"), {"q": "测试化工"}).content.decode()
    assert "淄博测试化工有限公司1" in page
    subject = Subject.objects.get(name="淄博测试化工有限公司1")
    page = client.get(reverse("console:subject_detail", args=[subject.pk])).content.decode()
    assert "淄市监罚〔2026〕1号" in page and subject.uscc in page
    record = subject.records.get()
    fragment = client.get(reverse("console:record_versions", args=[record.pk])).content.decode()
    assert "v1" in fragment and "行政处罚决定书文号" in fragment


def test_person_page_is_masked_and_audited(client, operator, data):
    client.force_login(operator)
    person = Subject.objects.get(kind="natural_person")
    number = resident_id(2)
    page = client.get(reverse("console:subject_detail", args=[person.pk])).content.decode()
    assert number not in page and number[:6] + "********" + number[-4:] in page
    assert AuditEvent.objects.filter(action="subject.read_person", object_id=str(person.pk)).count() == 1


def test_provider_sees_only_own_departments_records(client, provider, district_department, system_actor, data):
    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1, decision_no="张市监罚〔2026〕9号")]),
                   department=district_department, actor=system_actor, received_at=at("2026-11-18"))
    client.force_login(provider)
    subject = Subject.objects.get(name="淄博测试化工有限公司1")
    page = client.get(reverse("console:subject_detail", args=[subject.pk])).content.decode()
    assert "淄市监罚〔2026〕1号" in page and "张市监罚〔2026〕9号" not in page
    other = subject.records.get(decision_no="张市监罚〔2026〕9号")
    assert client.get(reverse("console:record_versions", args=[other.pk])).status_code == 404


def test_provider_cannot_search_by_id_number(client, provider, data):
    client.force_login(provider)
    response = client.post(reverse("console:subject_lookup"), {"q": resident_id(2)})
    assert response.status_code == 403


def test_an_id_number_is_searched_by_post_and_never_run_from_a_url(client, operator, data):
    client.force_login(operator)
    page = client.get(reverse("console:subject_lookup")).content.decode()
    assert 'method="post"' in page and "hx-post" in page and "hx-push-url" not in page
    number = resident_id(2)
    found = client.post(reverse("console:subject_lookup"), {"q": number}).content.decode()
    assert number[:6] + "********" + number[-4:] in found
    reads = AuditEvent.objects.filter(action="subject.read_person").count()
    assert reads == 1
    from_url = client.get(reverse("console:subject_lookup"), {"q": number})
    assert from_url.status_code == 400 and "不能放在网址中" in from_url.content.decode()
    assert number[:6] + "********" not in from_url.content.decode()
    assert AuditEvent.objects.filter(action="subject.read_person").count() == reads  # nothing searched
