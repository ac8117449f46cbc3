"""Government dishonesty cases (政府失信认定): identification of a 机关 from its arrears past plan, its 失信被执行人
entry or an open government record; accountability of named persons; rectification and removal within the
rulebook's working-day limits; publication of serious cases only (《保障中小企业款项支付条例》第二十六条), taken off at
once when the court deletes its entry (若干规定第十条)."""

import datetime as dt

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import District
from pubcredit.accounts.services import user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import cases, selectors, services
from pubcredit.integrity.models import AccountabilityRecord, GovernmentCase
from pubcredit.integrity.rulebook import cases_book
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject
from pubcredit.workdays.selectors import add_working_days
from tests.factories import uscc
from tests.integrity.helpers import GOVERNMENT_DEBTOR
from tests.lists.helpers import court_row, submit_list

pytestmark = pytest.mark.django_db

PAST_PLAN = dt.date(2026, 11, 20)  # the plan ended on 2026-10-30


def _identify(body, source_type, source_id, actor, **overrides):
    values = {"facts": "约定2026年10月30日前付清工程款5万元，逾期未付。", "supervisor": "淄博市人民政府办公室",
              "serious": False}
    return cases.government_case_identify(body=body, source_type=source_type, source_id=source_id, actor=actor,
                                          **(values | overrides))


def test_sme_payment_art26_arrears_past_plan_identify_the_government_body_as_dishonest(complaint_past_plan, operator,
                                                                                        leader):
    with clock.pinned(PAST_PLAN):
        [source] = selectors.identifiable_sources(subject_id=complaint_past_plan.debtor_id)
        assert (source.source_type, source.ground) == ("arrears", "arrears_past_plan")
        case = _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator)
        row = selectors.case_row(case)
        view = selectors.government_view(viewer=leader, subject_id=case.body_id)
    assert case.number == "ZFSX2026-00001" and case.status == "open" and case.body_kind == "government_body"
    assert case.rectify_due == add_working_days(PAST_PLAN, cases_book().deadlines.rectify.days).value
    assert row.ground_zh == "拖欠中小企业款项逾期未清偿" and row.flags == [] and not row.public  # not serious: not public
    assert "政府失信案件（1件未移出）" in view.flags
    event = AuditEvent.objects.filter(action="gov_case.step").get()
    assert event.data["event"] == "identify" and event.data["source_reference"] == complaint_past_plan.number
    with clock.pinned(PAST_PLAN), pytest.raises(DomainError) as refused:  # one open case per source
        _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator)
    assert refused.value.problems[0].code == "gov_case.duplicate"


def test_a_complaint_within_its_plan_a_private_firm_and_someone_elses_source_are_refused(complaint_past_plan, operator,
                                                                                          department, system_actor):
    with clock.pinned(dt.date(2026, 10, 20)), pytest.raises(DomainError) as early:  # the plan still runs
        _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator)
    assert early.value.problems[0].code == "gov_case.source_not_standing"
    submit_list("court_dishonest_debtor", [court_row(3)], department, system_actor)  # a private firm
    firm = Subject.objects.get(uscc=uscc(3))
    entry = firm.list_entries.get()
    with clock.pinned(dt.date(2026, 11, 20)), pytest.raises(DomainError) as private:
        _identify(firm, "court_entry", entry.pk, operator, facts="", supervisor="")
    codes = {p.code for p in private.value.problems}
    assert {"gov_case.not_government", "facts.required", "supervisor.required"} <= codes
    with clock.pinned(PAST_PLAN), pytest.raises(DomainError) as other:  # the body, but another subject's entry
        _identify(complaint_past_plan.debtor, "court_entry", entry.pk, operator)
    assert other.value.problems[0].code == "gov_case.source"
    assert GovernmentCase.objects.count() == 0


def test_sme_payment_art31_accountability_of_named_persons_recorded_audited_and_never_public(
        complaint_past_plan, operator, leader, client):
    with clock.pinned(PAST_PLAN):
        case = _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator, serious=True)
        with pytest.raises(DomainError) as bad:
            cases.accountability_record_add(case=case, person_name="", position="局长", responsibility="boss",
                                            measure="demerit", decided_on=PAST_PLAN + dt.timedelta(days=1),
                                            deciding_body="淄博市纪委监委", actor=operator)
        assert {p.code for p in bad.value.problems} == {"person_name.required", "responsibility.invalid", "date.future"}
        with pytest.raises(DomainError) as reader:  # leaders read, never act
            cases.accountability_record_add(case=case, person_name="赵某", position="副局长", responsibility="leader",
                                            measure="inquiry_talk", decided_on=PAST_PLAN, deciding_body="市工信局",
                                            actor=leader)
        assert reader.value.code == "gov_case.not_allowed"
        cases.accountability_record_add(case=case, person_name="赵某", position="副局长", responsibility="leader",
                                        measure="demerit", decided_on=PAST_PLAN, deciding_body="淄博市纪委监委",
                                        actor=operator)
        assert AccountabilityRecord.objects.count() == 1
        assert AuditEvent.objects.get(action="gov_case.accountability").object_id == str(case.pk)
        client.force_login(leader)
        staff_page = client.get(f"/integrity/cases/{case.pk}/").content.decode()
        client.logout()
        public_page = client.get("/public/integrity/government-cases/").content.decode()
    assert "赵某" in staff_page and "政务处分：记过" in staff_page and "登记问责" not in staff_page  # leader: no forms
    assert "淄博市某某局" in public_page and "拖欠中小企业款项逾期未清偿" in public_page  # serious: public (第二十六条)
    assert "赵某" not in public_page and "副局长" not in public_page


def test_rectification_then_removal_and_the_3_working_day_removal_limit(complaint_past_plan, operator, handler):
    with clock.pinned(PAST_PLAN):
        case = _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator)
        with pytest.raises(DomainError) as early:
            cases.government_case_remove(case=case, removal_reason="rectified", note="", actor=operator)
        assert early.value.code == "gov_case.not_rectified"
        with pytest.raises(DomainError) as still:  # the debt is still owed
            cases.government_case_remove(case=case, removal_reason="source_gone", note="", actor=operator)
        assert still.value.code == "gov_case.source_live"
    with clock.pinned(dt.date(2026, 11, 23)):
        services.arrears_payment_record(complaint=complaint_past_plan, amount="50000", paid_on=dt.date(2026, 11, 23),
                                        actor=handler)
        case = cases.government_case_rectify(case=case, rectified_on=dt.date(2026, 11, 23), note="欠款已全部付清",
                                             actor=operator)
    assert case.status == "rectified"
    # the debt was cleared on Monday 23 November: removal is due within 3 working days, by Thursday 26 November
    with clock.pinned(dt.date(2026, 11, 26)):
        assert selectors.case_row(case).flags == []
    with clock.pinned(dt.date(2026, 11, 27)):
        [flag] = selectors.case_row(case).flags
        assert (flag.code, flag.due) == ("remove_overdue", dt.date(2026, 11, 26))
        case = cases.government_case_remove(case=case, removal_reason="rectified", note="", actor=operator)
        assert (case.status, case.removed_on) == ("removed", dt.date(2026, 11, 27))
        assert selectors.case_row(case).flags == []
        with pytest.raises(DomainError) as again:
            cases.government_case_rectify(case=case, rectified_on=dt.date(2026, 11, 27), note="x", actor=operator)
        assert again.value.code == "gov_case.state"
    steps = list(AuditEvent.objects.filter(action="gov_case.step").order_by("id").values_list("data", flat=True))
    assert [s["event"] for s in steps] == ["identify", "rectify", "remove"]


def test_rectify_limit_counts_working_days_across_national_day(complaint_past_plan, operator, department,
                                                               system_actor):
    submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR,
                                                     decision_date="2026-09-25")], department, system_actor)
    body = Subject.objects.get(uscc=GOVERNMENT_DEBTOR)
    with clock.pinned(dt.date(2026, 9, 28)):
        [source] = [s for s in selectors.identifiable_sources(subject_id=body.pk) if s.source_type == "court_entry"]
        case = _identify(body, "court_entry", source.source_id, operator)
    due = add_working_days(dt.date(2026, 9, 28), 30).value
    assert due == dt.date(2026, 11, 13)  # 1–7 October off, Saturday 10 October worked
    assert case.ground == "court_debtor" and case.rectify_due == due
    with clock.pinned(due):
        assert selectors.case_row(case).flags == []
    with clock.pinned(due + dt.timedelta(days=1)):
        assert [f.code for f in selectors.case_row(case).flags] == ["rectify_overdue"]


def test_spc_rule_art10_court_deletion_takes_a_serious_case_off_the_site_at_once_and_removal_is_due_in_3_working_days(
        complaint_past_plan, operator, department, system_actor, client):
    submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR)],
                department, system_actor)
    body = Subject.objects.get(uscc=GOVERNMENT_DEBTOR)
    entry = body.list_entries.get()
    with clock.pinned(dt.date(2026, 11, 20)):
        case = _identify(body, "court_entry", entry.pk, operator, serious=True, facts="拒不履行生效判决")
        assert "拒不履行生效法律文书" in client.get("/public/integrity/government-cases/").content.decode()
    submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR,
                                                     removal_date="2026-11-24", removal_reason="履行完毕删除")],
                department, system_actor, when="2026-11-25")
    with clock.pinned(dt.date(2026, 11, 25)):
        assert "拒不履行生效法律文书" not in client.get("/public/integrity/government-cases/").content.decode()
        assert selectors.case_row(case).flags == []
    with clock.pinned(dt.date(2026, 11, 30)):  # 24 Nov + 3 working days = Friday 27 November
        [flag] = selectors.case_row(case).flags
        assert (flag.code, flag.due) == ("remove_overdue", dt.date(2026, 11, 27))
        case = cases.government_case_remove(case=case, removal_reason="source_gone", note="", actor=operator)
    assert case.status == "removed"


def test_only_operators_and_the_bodys_district_office_identify(complaint_past_plan, operator, system_actor, leader,
                                                               client):
    other = District.objects.exclude(code="zhangdian").first()
    outsider = user_create(username="zc", password="District#2026", role=Role.DISTRICT_OPERATOR, district=other,
                           actor=system_actor)
    local = user_create(username="zd", password="District#2026", role=Role.DISTRICT_OPERATOR,
                        district=District.objects.get(code="zhangdian"), actor=system_actor)
    body = complaint_past_plan.debtor
    with clock.pinned(PAST_PLAN):
        for refused in (outsider, leader):
            with pytest.raises(DomainError) as exc:
                _identify(body, "arrears", complaint_past_plan.pk, refused)
            assert exc.value.code == "gov_case.not_allowed"
        client.force_login(leader)
        assert client.get(f"/integrity/cases/new/{body.pk}/").status_code == 403
        client.force_login(local)
        form = client.get(f"/integrity/cases/new/{body.pk}/").content.decode()
        assert complaint_past_plan.number in form
        response = client.post(f"/integrity/cases/new/{body.pk}/", {
            "source": f"arrears:{complaint_past_plan.pk}", "facts": "逾期未付", "supervisor": "张店区人民政府",
            "serious": ""})
        assert response.status_code == 302
        case = GovernmentCase.objects.get()
        assert client.get(response["Location"]).status_code == 200
        client.force_login(outsider)
        assert client.get(f"/integrity/cases/{case.pk}/").status_code == 404  # another district's case
        bad = client.post(f"/integrity/cases/{case.pk}/remove/", {"removal_reason": "wrongful", "note": ""})
        assert bad.status_code == 404
        client.force_login(local)
        refused = client.post(f"/integrity/cases/{case.pk}/remove/", {"removal_reason": "wrongful", "note": ""})
        assert refused.status_code == 400 and "认定有误撤销须写明理由" in refused.content.decode()
    assert GovernmentCase.objects.get().status == "open"


def test_the_public_sites_menu_leads_to_integrity_publicity_and_it_to_the_government_cases(client):
    home = client.get("/").content.decode()  # the public site's home
    assert 'href="/public/integrity/news/"' in home and "诚信宣传" in home
    news = client.get("/public/integrity/news/").content.decode()
    assert 'href="/public/integrity/government-cases/"' in news and 'href="/public/integrity/arrears/"' in news


def test_case_moves_and_removal_reasons_follow_the_table():
    from pubcredit.rules.integrity import case_next_status

    assert case_next_status("open", "rectify") == "rectified"
    assert case_next_status("rectified", "remove", removal_reason="rectified") == "removed"
    assert case_next_status("open", "remove", removal_reason="source_gone", source_live=False) == "removed"
    assert case_next_status("open", "remove", removal_reason="wrongful") == "removed"
    for args, code in [(("removed", "rectify"), "gov_case.state"), (("rectified", "rectify"), "gov_case.state")]:
        with pytest.raises(DomainError) as exc:
            case_next_status(*args)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        case_next_status("open", "remove", removal_reason="")
    assert exc.value.code == "gov_case.removal_reason"


def test_sme_payment_art26_only_serious_standing_cases_are_public():
    from pubcredit.rules.integrity import case_public

    assert case_public(status="open", serious=True, source_live=True)
    assert case_public(status="rectified", serious=True, source_live=True)
    assert not case_public(status="open", serious=False, source_live=True)  # recorded, not published
    assert not case_public(status="removed", serious=True, source_live=True)
    assert not case_public(status="open", serious=True, source_live=False)  # the court deleted, the debt was paid


def test_the_cases_rulebook_refuses_unknown_keys_and_a_record_ground_without_its_class():
    import copy

    from pubcredit.rulebook.loader import load_yaml
    from pubcredit.rules.integrity import parse_cases_rulebook

    data = load_yaml("integrity/cases.yaml")
    book = parse_cases_rulebook(data)
    assert book.deadlines.remove_after_source_gone.days == 3 and book.deadlines.remove_after_source_gone.unit == \
        "working_days"
    bad = copy.deepcopy(data)
    bad["grounds"]["audit_finding"].pop("record_class")
    with pytest.raises(ValueError, match="record_class"):
        parse_cases_rulebook(bad)
    bad = copy.deepcopy(data)
    bad["deadlines"]["rectify"]["weeks"] = 2
    with pytest.raises(ValueError):
        parse_cases_rulebook(bad)


def test_a_rulebook_edit_of_the_rectification_limit_moves_the_due_day(complaint_past_plan, operator, monkeypatch):
    import copy

    from pubcredit.integrity import rulebook
    from pubcredit.rulebook.loader import load_yaml
    from pubcredit.rules.integrity import parse_cases_rulebook

    data = copy.deepcopy(load_yaml("integrity/cases.yaml"))
    data["deadlines"]["rectify"]["days"] = 10
    monkeypatch.setattr(rulebook, "cases_book", lambda: parse_cases_rulebook(data))
    monkeypatch.setattr(cases, "cases_book", lambda: parse_cases_rulebook(data))
    with clock.pinned(PAST_PLAN):
        case = _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator)
    assert case.rectify_due == add_working_days(PAST_PLAN, 10).value == dt.date(2026, 12, 4)


def test_sme_payment_art26_a_case_is_kept_in_the_bodys_credit_record_and_its_query_report(complaint_past_plan,
                                                                                          operator, handler):
    from pubcredit.records.models import CreditRecord
    from pubcredit.reports.selectors import public_content, query_content

    def titles(content):
        return [item["title"] for section in content["sections"] for item in section["items"]]

    with clock.pinned(PAST_PLAN):
        case = _identify(complaint_past_plan.debtor, "arrears", complaint_past_plan.pk, operator, serious=True)
        record = CreditRecord.objects.get(class_code="gov_dishonesty_case")
        body = case.body
        query, public = query_content(body), public_content(body)
    assert case.record_id == record.pk and record.subject_id == body.pk and record.decision_no == case.number
    assert record.department_id == handler.department_id  # filed under the department that supplied the fact
    assert record.fields["status"] == "open" and record.fields["identifying_unit"] == "市社会信用中心"
    assert "政府失信认定信息（ZFSX2026-00001）" in titles(query)
    assert "政府失信认定信息（ZFSX2026-00001）" not in titles(public)  # the site shows 政务失信公示 instead
    with clock.pinned(PAST_PLAN):
        cases.government_case_rectify(case=case, rectified_on=PAST_PLAN, note="已付清", actor=operator)
    record.refresh_from_db()
    assert record.version == 2 and record.fields["status"] == "rectified" and record.fields["rectified_on"] == "2026-11-20"
    with clock.pinned(PAST_PLAN):
        cases.government_case_remove(case=case, removal_reason="wrongful", note="合同相对方有误", actor=operator)
        query = query_content(body)
    record.refresh_from_db()
    assert record.status == "revoked" and "认定有误撤销" in record.status_reason  # withdrawn, kept with its reason
    assert "政府失信认定信息（ZFSX2026-00001）" not in titles(query)


def test_the_evaluation_of_organisations_has_no_item_for_government_dishonesty():
    # docs/integrity.md: the scorecards (zibo-v1, zibo-v2) have no item for the government classes, so a case does
    # not move a body's score; adding one is a scorecard version of its own
    from pubcredit.evaluation.rulebook import scorecards

    government = {"gov_dishonesty_case", "gov_unfulfilled_commitment", "gov_lost_admin_judgment", "gov_audit_finding"}
    for card in scorecards().cards:
        for item in card.items:
            assert not government & set(getattr(item, "class_codes", ()) or ()), (card.version, item)
