"""The identifying unit's queue (信用修复与异议): overdue first, one click per step, the home's overdue counter."""

import datetime as dt

import pytest
from django.urls import reverse

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.models import RepairApplication
from pubcredit.rules import clock
from tests.factories import uscc
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def eco_reviewer(eco, system_actor):
    return user_create(username="eco-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                       department=eco, actor=system_actor)


def make_application(eco, actor, n=1, on=D(2026, 11, 2)):
    result = submit([ndrc_penalty(n, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=actor, when="2026-04-20")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(on):
        return services.repair_application_submit(
            record=record, applicant_uscc=uscc(n), contact_name="王经理", contact_phone="13800000000",
            proof_description="缴款凭证", commitment_signed=True, actor=actor)


def test_queue_shows_overdue_first_and_the_home_counts_it(client, eco, eco_reviewer, system_actor):
    late = make_application(eco, system_actor, 1)  # accept by 2026-11-05
    make_application(eco, system_actor, 2, on=D(2026, 11, 5))  # accept by 2026-11-10
    client.force_login(eco_reviewer)
    with clock.pinned(D(2026, 11, 9)):
        page = client.get(reverse("repair:queue")).content.decode()
        home = client.get(reverse("console:home")).content.decode()
    rows = page.split('<tbody>')[1].split("</tbody>")[0].split("<tr>")[1:]
    assert f"#{late.pk}" in rows[0] and "已超期" in rows[0]  # overdue first
    assert "已超期" not in rows[1], rows[1]
    assert "超期未办的信用修复与异议" in home


def test_unit_accepts_and_grants_with_one_click_each(client, eco, eco_reviewer, system_actor):
    app = make_application(eco, system_actor)
    client.force_login(eco_reviewer)
    with clock.pinned(D(2026, 11, 3)):
        client.post(reverse("repair:application_action", args=[app.pk, "accept"]))
        client.post(reverse("repair:application_action", args=[app.pk, "grant"]), {"reason": "罚款已缴清"})
    app.refresh_from_db()
    assert app.state == "granted" and app.decision_reason == "罚款已缴清"
    assert PublicityState.objects.get(record_id=app.record_id).state == "repaired"


def test_another_department_cannot_act_and_operator_only_views(client, eco, department, operator, system_actor):
    app = make_application(eco, system_actor)
    other = user_create(username="scjg-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                        department=department, actor=system_actor)
    client.force_login(other)
    assert client.post(reverse("repair:application_action", args=[app.pk, "accept"])).status_code == 404
    client.force_login(operator)
    assert "#%d" % app.pk in client.get(reverse("repair:queue")).content.decode()
    assert client.post(reverse("repair:application_action", args=[app.pk, "accept"])).status_code == 403
    assert RepairApplication.objects.get(pk=app.pk).state == "received"


def test_daily_digest_names_each_unit_with_overdue_steps(eco, system_actor):
    from pubcredit.repair.tasks import repair_overdue_digest

    make_application(eco, system_actor, 1)  # accept by 2026-11-05
    with clock.pinned(D(2026, 11, 5)):
        assert repair_overdue_digest.call()["units"] == []
    with clock.pinned(D(2026, 11, 6)):
        digest = repair_overdue_digest.call()
    assert digest["units"] == [{"department": "淄博市生态环境局", "applications": 1, "objections": 0,
                                "oldest_due": "2026-11-05"}]


def test_order36_art20_reorganisation_in_the_unit_queue_shield_and_restore_with_one_click_each(
        client, eco, eco_reviewer, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-09-01", valid_until="2026-09-01")], department=eco,
                    actor=system_actor, when="2026-09-02")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 9, 29)):
        app = services.reorganisation_submit(
            record=record, applicant_uscc=uscc(1), applicant_role="enterprise", court_ruling_no="（2026）鲁03破12号之一",
            contact_name="王经理", contact_phone="13800000000", plan_description="重整计划执行中", actor=system_actor)
    client.force_login(eco_reviewer)
    with clock.pinned(D(2026, 10, 9)):
        page = client.get(reverse("repair:queue")).content.decode()
        assert "破产重整" in page and "2026-10-19" in page and "临时屏蔽（第二十条）" in page
        client.post(reverse("repair:application_action", args=[app.pk, "shield"]))
        page = client.get(reverse("repair:queue")).content.decode()
        assert "2026-10-09起临时屏蔽" in page and "未执行成功，恢复公示" in page
        refused = client.post(reverse("repair:application_action", args=[app.pk, "restore"]),
                              {"ruling_no": "", "reason": "终止重整"}, follow=True).content.decode()
        assert "请填写终止执行重整计划" in refused and RepairApplication.objects.get(pk=app.pk).state == "shielded"
        client.post(reverse("repair:application_action", args=[app.pk, "restore"]),
                    {"ruling_no": "（2026）鲁03破12号之三", "reason": "法院裁定终止重整程序"})
    assert RepairApplication.objects.get(pk=app.pk).state == "restored"
    assert PublicityState.objects.get(record=record).state == "published"
