"""Measures with conditions through the platform (issue 11 §1): list entries carry the facts their record gives,
the check API and its replay answer per measure ``applies``/``condition_zh``/``note`` and why, batch results and the
console show them, ``GET /api/v1/measures`` shows the conditions, and natural persons on the tax list are checked."""

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.sanctions.models import Check
from tests.factories import resident_id, uscc
from tests.lists.helpers import anomaly_row, samr_row, submit_list, tax_violator_person_row

pytestmark = pytest.mark.django_db


def measures(hit):
    return {m["code"]: m for m in hit["measures"]}


def test_a_list_entry_carries_the_facts_of_its_record(department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1, penalty_types="罚款、责令停产停业", fine_amount="300",
                                                   listing_ground="公示信息弄虚作假")], department, system_actor)
    submit_list("business_anomaly", [anomaly_row(2, consecutive_years_unreported="2", address_unreachable="是")],
                department, system_actor)
    samr = ListEntry.objects.get(list_code="samr_serious_violation")
    assert sorted(samr.facts["penalty_types"]) == ["fine", "order_suspension"]
    assert float(samr.facts["fine_amount"]) == 300 and samr.facts["listing_ground"] == "false_disclosure"
    assert samr.facts["subject_category"] == "legal_person"
    anomaly = ListEntry.objects.get(list_code="business_anomaly")
    assert anomaly.facts["listing_reason"] == "annual_report" and anomaly.facts["address_unreachable"] == "yes"
    assert float(anomaly.facts["consecutive_years_unreported"]) == 2


def test_check_api_answers_applies_condition_and_note_and_leaves_out_what_does_not_apply(api, department,
                                                                                       system_actor):
    """财库〔2022〕3号: a SAMR listing behind a 50万元 fine does not bar the supplier; behind 责令停产停业 it does."""
    submit_list("samr_serious_violation", [samr_row(1, penalty_types="罚款", fine_amount="50"),
                                           samr_row(2, penalty_types="责令停产停业"), samr_row(3)],
                department, system_actor)
    [small] = api.check(uscc=uscc(1)).json()["hits"]
    assert "samr.procurement_major_violation" not in measures(small)
    factor = measures(small)["samr.procurement_factor"]
    assert factor["applies"] == "yes" and factor["mandatory"] is False and factor["condition_zh"] == ""

    [suspended] = api.check(uscc=uscc(2)).json()["hits"]
    bar = measures(suspended)["samr.procurement_major_violation"]
    assert bar["applies"] == "yes" and bar["mandatory"] is True and suspended["measures"][0] is not None
    assert suspended["measures"][0]["code"] == "samr.procurement_major_violation"
    assert "200万元以上" in bar["condition_zh"] and "责令停产停业" in bar["condition_zh"]
    assert "重要考量因素" in bar["note"]

    [unknown] = api.check(uscc=uscc(3)).json()["hits"]
    bar = measures(unknown)["samr.procurement_major_violation"]
    assert bar["applies"] == "verify" and bar["mandatory"] is False


def test_replay_shows_which_condition_decided_each_measure(api, department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1, penalty_types="罚款", fine_amount="50")], department,
                system_actor)
    check_id = api.check(uscc=uscc(1)).json()["check_id"]
    replay = api.get(f"/api/v1/checks/{check_id}").json()
    [entry] = replay["explanation"]["conditions"]
    decisions = {d["code"]: d for d in entry["measures"]}
    excluded = decisions["samr.procurement_major_violation"]
    assert excluded["applies"] == "no" and excluded["applies_zh"] == "不适用"
    assert entry["list_name"] == "市场监督管理严重违法失信名单" and "3年内不得参加政府采购" in excluded["name"]
    [why] = [c for c in excluded["decided_by"] if c["fact"] is None]
    assert why["holds"] is False and "200万元以上" in why["clause_zh"]
    assert decisions["samr.procurement_factor"]["applies"] == "yes"
    assert "samr.procurement_major_violation" not in measures(replay["hits"][0])


def test_information_only_measures_are_not_mandatory_and_need_no_feedback(api, department, system_actor):
    """条例 第十八条第一款: only the registration authority revokes the licence; a department checking market access
    sees it as information and has nothing to report on it."""
    submit_list("business_anomaly", [anomaly_row(1, consecutive_years_unreported="3", address_unreachable="是")],
                department, system_actor)
    body = api.check(scenario="market_access", uscc=uscc(1)).json()
    revocation = measures(body["hits"][0])["anomaly.licence_revocation"]
    assert revocation["applies"] == "yes" and revocation["information"] is True and revocation["mandatory"] is False
    assert revocation["implemented_by"] == "registration_authority"
    check = Check.objects.get(check_id=body["check_id"])
    assert check.measure_count == 1 and not check.feedback_required


def test_natural_persons_on_the_tax_list_are_checked(api, department, system_actor):
    """Decision (issue 11 §3): a natural person on the 令第54号 list is checked and gets joint punishment (the
    procurement refusal of 财库〔2016〕125号), though the public site does not show the entry."""
    submit_list("major_tax_violator", [tax_violator_person_row(5)], department, system_actor)
    body = api.check(id_number=resident_id(5)).json()
    [hit] = body["hits"]
    assert body["subject"]["kind"] == "natural_person" and hit["list_code"] == "major_tax_violator"
    refuse = measures(hit)["tax.procurement_refuse"]
    assert refuse["mandatory"] and refuse["applies"] == "yes"
    supervision = api.check(scenario="supervision", id_number=resident_id(5)).json()["hits"][0]
    assert "tax.d_grade" not in measures(supervision)  # 第十五条: only subjects in the credit-rating scope
    assert AuditEvent.objects.filter(action="check.person").count() == 2


def test_batch_results_carry_applies_and_the_condition(api, client, business_user, department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    body = api.post("/api/v1/checks/batch", {"scenario": "government_procurement",
                                             "items": [{"subject": {"uscc": uscc(1)}, "reference": "B-1"}]}).json()
    bar = measures(body["rows"][0]["hits"][0])["samr.procurement_major_violation"]
    assert bar["applies"] == "verify" and bar["condition_zh"]
    result = api.get(f"/api/v1/checks/batch/{body['batch_id']}/result?format=csv").content.decode("utf-8-sig")
    assert "待核实" in result and "适用条件：" in result
    client.force_login(business_user)
    page = client.get(f"/sanctions/batch/{body['batch_id']}/").content.decode()
    assert "待核实：" in page and "（列入所依据的行政处罚为吊销许可证或者执照、责令停产停业或列入所依据的罚款为200万元以上）" in page


def test_measures_api_shows_conditions(api):
    rows = api.get("/api/v1/measures?list_code=samr_serious_violation").json()
    ban = next(r for r in rows if r["code"] == "samr.legal_rep_ban")
    assert ban["conditions"]["subject_kinds"] == ["natural_person"]
    assert ban["conditions"]["all"][0] == {"fact": "listing_ground", "in": ["false_disclosure"], "at_least": None,
                                           "only_with": None, "zh": "因公示信息隐瞒真实情况、弄虚作假被列入（条例第十八条第二款）"}
    assert ban["implemented_by"] == "registration_authority" and ban["condition_zh"].startswith("仅适用于自然人")
    factor = next(r for r in rows if r["code"] == "samr.procurement_factor")
    assert factor["condition_zh"] == "" and factor["implemented_by"] == "checking_department"


def test_console_check_page_shows_applies_condition_and_note_in_chinese(client, business_user, department,
                                                                        system_actor):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    client.force_login(business_user)
    response = client.post("/sanctions/check/", {"kind": "uscc", "code": uscc(1), "scenario": "government_procurement",
                                                 "reference": "CG-1"})
    page = client.get(response.url).content.decode()
    assert "待核实" in page and "适用条件：列入所依据的行政处罚为吊销许可证或者执照、责令停产停业" in page
    assert "核实条件前不得作为强制措施" in page and "说明：" in page
    assert "措施适用条件判定" in page


def test_console_measure_list_shows_conditions(client, operator):
    client.force_login(operator)
    page = client.get("/sanctions/measures/").content.decode()
    assert "仅适用于自然人；因公示信息隐瞒真实情况、弄虚作假被列入" in page
    assert "仅由登记机关实施，其他部门作为信息提示" in page


def test_an_operator_edit_keeps_the_conditions(client, operator):
    """Editing a measure in the console must not drop its conditions (that would punish more than the law allows)."""
    from pubcredit.sanctions.selectors import measure_current

    client.force_login(operator)
    page = client.get("/sanctions/measures/samr.legal_rep_ban/edit/").content.decode()
    assert "false_disclosure" in page and "registration_authority" in page
    current = measure_current("samr.legal_rep_ban")
    import yaml
    form = {"code": current.code, "name_zh": current.name_zh, "kind": "punish", "lists": list(current.lists),
            "scenarios": list(current.scenarios), "implementing": "\n".join(current.implementing), "force": "M",
            "legal_basis": "《企业信息公示暂行条例》（2024修订） | 第十八条第二款", "effective_from": "2024-05-01",
            "reason": "措辞调整", "implemented_by": "registration_authority",
            "conditions": yaml.safe_dump(current.conditions.model_dump(mode="json", by_alias=True,
                                                                       exclude_defaults=True), allow_unicode=True)}
    response = client.post("/sanctions/measures/samr.legal_rep_ban/edit/", form)
    assert response.status_code == 302
    saved = measure_current("samr.legal_rep_ban")
    assert saved.version.startswith("ops.") and saved.conditions == current.conditions
    form["conditions"] = "subject_kinds: [natural_person]\nall:\n  - {fact: turnover, at_least: 1, zh: 营业额条件}\n"
    response = client.post("/sanctions/measures/samr.legal_rep_ban/edit/", form)
    assert response.status_code == 200 and "名单不含的事实" in response.content.decode()


def test_an_operator_version_saved_before_conditions_keeps_the_seeds_conditions(api, department, system_actor):
    """A version an operator saved before measures had conditions has none in its data; it must not turn the
    procurement bar of 财库〔2022〕3号 into a bar on every SAMR-listed supplier."""
    from pubcredit.rules import clock
    from pubcredit.sanctions.models import MeasureVersion
    from pubcredit.sanctions.selectors import measure_current

    seed = measure_current("samr.procurement_major_violation")
    old_shape = {k: v for k, v in seed.as_data().items() if k not in ("conditions", "implemented_by")}
    MeasureVersion.objects.create(code=seed.code, number=1, kind="punish", data={**old_shape, "version": "ops.1"},
                                  reason="issue 5 时期的修改", actor_label="操作员", created_at=clock.now())
    current = measure_current("samr.procurement_major_violation")
    assert current.version == "ops.1" and current.conditions == seed.conditions
    submit_list("samr_serious_violation", [samr_row(7, penalty_types="罚款", fine_amount="10")], department,
                system_actor)
    [hit] = api.check(uscc=uscc(7)).json()["hits"]
    assert "samr.procurement_major_violation" not in measures(hit)


def test_entry_facts_follow_a_new_version_of_the_record(api, department, system_actor):
    """A provider completes the penalty behind a listing: the next check answers on the new facts."""
    submit_list("samr_serious_violation", [samr_row(8)], department, system_actor)
    [hit] = api.check(uscc=uscc(8)).json()["hits"]
    assert measures(hit)["samr.procurement_major_violation"]["applies"] == "verify"
    submit_list("samr_serious_violation", [samr_row(8, penalty_types="罚款", fine_amount="250")], department,
                system_actor, when="2026-11-21")
    entry = ListEntry.objects.get()
    assert entry.record_version == 2 and float(entry.facts["fine_amount"]) == 250
    [hit] = api.check(uscc=uscc(8)).json()["hits"]
    bar = measures(hit)["samr.procurement_major_violation"]
    assert bar["applies"] == "yes" and bar["mandatory"]
