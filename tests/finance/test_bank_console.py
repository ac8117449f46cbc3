"""The financial institutions' own console (金融机构工作台, issue 22 item 3): a bank officer's login opens the bank's
own pages and nothing of the government workbench; the bank's pages refuse every other login; products, applications,
authorisations, profile reads and persons' authorisations work through the same services as the API."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from pubcredit.audit.models import AuditEvent
from pubcredit.finance import services
from pubcredit.finance.bank_access import BANK_OPEN_PATHS
from pubcredit.finance.models import LoanApplication, LoanProduct, ProfileRead
from pubcredit.rules.errors import DomainError
from tests.factories import resident_id
from tests.finance.conftest import ENTERPRISE_USCC
from tests.finance.helpers import social_insurance_row, submit
from tests.finance.test_products import PRODUCT

pytestmark = pytest.mark.django_db

BANK = "/finance/bank/"


@pytest.fixture
def officer(bank, system_actor):
    """An officer of 淄博银行张店支行 (金融机构用户)."""
    return services.bank_officer_create(username="zbbank1", password="Bank-pass-2026", institution=bank.code,
                                        display_name="王信贷", actor=system_actor)


@pytest.fixture
def bank_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def product(bank, department, system_actor, today):
    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    return services.loan_product_publish(institution=bank, actor=system_actor, **PRODUCT)


@pytest.fixture
def application(account, product):
    return services.loan_apply(account=account, product=product, amount="80", term_months="12", industry="C",
                               scope=["admin_penalty", "social_insurance_payment"], note="购置原料",
                               actor=account.user)


def _placeholder(converter: str) -> str:
    return {"int": "1", "uuid": str(uuid.uuid4()), "path": "x/y"}.get(converter, "x")


def _every_path(resolver=None, prefix="") -> list[str]:
    """Every URL the project routes, its parameters filled with placeholders (the boundary looks at the path only)."""
    out = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            out.extend(_every_path(pattern, route))
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _placeholder(m.group(1) or "str"), route)
            if "^" not in path and "(?" not in path:  # regex routes (Ninja's, the admin's) are covered below
                out.append("/" + path)
    return sorted(set(out))


def _bank_paths() -> list[str]:
    return [p for p in _every_path() if p.startswith(BANK)]


def test_a_bank_officer_is_refused_every_government_page(bank_client):
    """The boundary: whatever the workbench's own checks would say, a bank login reaches no page outside its console
    and the public site (主体查询, 名单, 记录, 信用报告, 督查考核, 管理后台…)."""
    government = [p for p in _every_path() if not p.startswith(BANK_OPEN_PATHS) and p not in ("/", "/workbench/")]
    assert {"/subjects/", "/lists/", "/records/1/versions/", "/finance/figures/", "/departments/figures/"} <= set(
        government)
    assert len(government) > 100
    for path in government:
        answer = bank_client.get(path)
        assert answer.status_code == 403, (path, answer.status_code)
    page = bank_client.get("/subjects/").content.decode()
    assert "金融机构用户只能使用本机构的信易贷工作台" in page
    # the refusal keeps the bank console's own menu and leads back to its home: no government menu to click into
    menu = page.split('id="site-menu"', 1)[1].split("</nav>", 1)[0]
    assert "贷款申请" in menu and "主体查询" not in menu and "红黑名单" not in menu
    assert f'href="{BANK}">返回首页' in page.replace('class="button" ', "")
    assert "主体查询" not in bank_client.get("/no-such-page/").content.decode()  # the 404 page too


def test_a_bank_officer_is_refused_the_session_api_and_the_admin(bank_client):
    for path in ("/api/v1/governance/board", "/api/v1/records/admin_penalty", "/admin/", "/admin/accounts/user/"):
        answer = bank_client.get(path)
        assert answer.status_code == 403, path
    assert bank_client.get("/api/v1/governance/board").json()["code"]


def test_the_workbench_home_sends_a_bank_officer_to_the_banks_home(client, officer):
    answer = client.post("/login/", {"username": "zbbank1", "password": "Bank-pass-2026"}, follow=True)
    assert answer.redirect_chain[-1][0] == BANK and answer.status_code == 200
    page = answer.content.decode()
    assert "淄博银行张店支行" in page and "金融机构用户" in page
    assert "主体查询" not in page and "红黑名单" not in page  # the government menu is not offered


def test_the_bank_officer_still_opens_the_public_site(bank_client):
    assert bank_client.get("/public/").status_code == 200


def test_the_banks_pages_refuse_every_other_login(client, operator, provider, account):
    paths = _bank_paths()
    assert len(paths) >= 12
    for path in paths:
        anonymous = client.get(path)
        if anonymous.status_code == 405:  # a form's target answers POST only
            anonymous = client.post(path, {})
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/"), path
    for user in (operator, provider):
        client.force_login(user)
        for path in paths:
            assert client.get(path).status_code in (403, 405), (user, path)
            assert client.post(path, {}).status_code in (403, 405), (user, path)
    client.force_login(account.user)  # an enterprise account stays on the public site
    assert client.get(BANK)["Location"] == "/public/account/"


def test_another_banks_officer_sees_nothing_of_this_bank(client, other_bank, application, system_actor):
    officer = services.bank_officer_create(username="qlbank1", password="Bank-pass-2026", institution=other_bank.code,
                                           actor=system_actor)
    client.force_login(officer)
    product = application.product
    assert client.get(f"{BANK}applications/{application.application_id}/").status_code == 404
    assert client.get(f"{BANK}products/{product.product_id}/edit/").status_code == 404
    assert client.post(f"{BANK}applications/{application.application_id}/decision/",
                       {"approved": "yes", "approved_amount": "80"}).status_code == 404
    assert "淄博测试化工有限公司1" not in client.get(f"{BANK}applications/").content.decode()
    assert "税易贷" not in client.get(f"{BANK}products/").content.decode()


def test_a_bank_officer_needs_a_financial_institution(department, system_actor):
    with pytest.raises(DomainError) as refused:
        services.bank_officer_create(username="x1", password="Bank-pass-2026", institution=department.code,
                                     actor=system_actor)
    assert refused.value.code == "finance.not_a_financial_institution"


def test_the_bank_publishes_edits_and_withdraws_a_product_from_its_console(bank_client, bank, today):
    form = {"name": "科创贷", "description": "科技型小微企业", "amount_min": "10", "amount_max": "200",
            "term_months_min": "6", "term_months_max": "24", "rate_min": "3.5", "rate_max": "4.6",
            "no_black_list": "on", "min_evaluation_class": "minor", "continuous_class": "social_insurance_payment",
            "continuous_months": "6"}
    answer = bank_client.post(f"{BANK}products/", form)
    assert answer.status_code == 302, answer.content.decode()
    product = LoanProduct.objects.get(name="科创贷")
    assert product.institution == bank
    assert product.conditions == [{"kind": "no_black_list"}, {"kind": "min_evaluation_class", "value": "minor"},
                                  {"kind": "continuous_months", "class_code": "social_insurance_payment", "months": 6}]
    assert AuditEvent.objects.get(action="finance.product").actor_label == "user:zbbank1"
    listing = bank_client.get(f"{BANK}products/").content.decode()
    assert "连续6个月社会保险缴费（按月）正常" in listing and "综合评价为轻微失信或以上" in listing

    edit = bank_client.get(f"{BANK}products/{product.product_id}/edit/").content.decode()
    assert 'value="科创贷"' in edit
    answer = bank_client.post(f"{BANK}products/{product.product_id}/edit/", form | {"amount_max": "300",
                                                                                    "min_evaluation_class": ""})
    assert answer.status_code == 302
    product.refresh_from_db()
    assert product.amount_max == 300 and [c["kind"] for c in product.conditions] == ["no_black_list",
                                                                                    "continuous_months"]
    assert AuditEvent.objects.get(action="finance.product_change").data["event"] == "edit"

    assert bank_client.post(f"{BANK}products/{product.product_id}/withdraw/", {"reason": ""}).status_code == 302
    product.refresh_from_db()
    assert product.withdrawn_at is None  # no reason, nothing done
    bank_client.post(f"{BANK}products/{product.product_id}/withdraw/", {"reason": "产品停办"})
    product.refresh_from_db()
    assert product.withdrawn_at is not None and product.withdraw_reason == "产品停办"
    assert bank_client.get(f"{BANK}products/{product.product_id}/edit/").content.decode().count("已下架") >= 1


def test_a_product_form_error_names_its_field_and_keeps_what_was_typed(bank_client):
    answer = bank_client.post(f"{BANK}products/", {"name": "倒挂贷", "amount_min": "500", "amount_max": "100",
                                                   "term_months_min": "6", "term_months_max": "12", "rate_min": "3",
                                                   "rate_max": "4", "continuous_class": "social_insurance_payment"})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "请填写须连续正常缴纳的月数" in page and 'value="倒挂贷"' in page
    answer = bank_client.post(f"{BANK}products/", {"name": "倒挂贷", "amount_min": "500", "amount_max": "100",
                                                   "term_months_min": "6", "term_months_max": "12", "rate_min": "3",
                                                   "rate_max": "4"})
    assert answer.status_code == 400 and "请至少设定一项准入条件" in answer.content.decode()
    answer = bank_client.post(f"{BANK}products/", {"name": "倒挂贷", "amount_min": "500", "amount_max": "100",
                                                   "term_months_min": "6", "term_months_max": "12", "rate_min": "3",
                                                   "rate_max": "4", "no_black_list": "on"})
    assert answer.status_code == 400 and "额度下限不能高于上限" in answer.content.decode()
    assert not LoanProduct.objects.exists()


def test_a_product_with_two_conditions_of_a_kind_is_not_edited_on_the_page(bank_client, bank, system_actor):
    product = services.loan_product_publish(institution=bank, actor=system_actor, **PRODUCT | {"conditions": [
        {"kind": "continuous_months", "class_code": "social_insurance_payment", "months": 3},
        {"kind": "continuous_months", "class_code": "housing_fund_payment", "months": 3}]})
    page = bank_client.get(f"{BANK}products/{product.product_id}/edit/").content.decode()
    assert "请通过接口修改" in page and "<form method=\"post\" class=\"product\"" not in page
    bank_client.post(f"{BANK}products/{product.product_id}/edit/", {"name": "改名"})
    product.refresh_from_db()
    assert product.name == "税易贷" and len(product.conditions) == 2


def test_the_bank_works_an_application_through_its_console(bank_client, application, account, today):
    base = f"{BANK}applications/{application.application_id}/"
    listing = bank_client.get(f"{BANK}applications/?status=submitted").content.decode()
    assert "淄博测试化工有限公司1" in listing
    page = bank_client.get(base).content.decode()
    assert "登记审批结果" in page and "有效" in page  # the authorisation that came with the application

    refused = bank_client.post(base + "decision/", {"approved": "no", "reason": ""})
    assert refused.status_code == 400 and "未批准的，须说明原因" in refused.content.decode()
    assert bank_client.post(base + "decision/", {"approved": "yes", "approved_amount": "60"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "approved" and application.approved_amount == 60

    late = bank_client.post(base + "disbursement/", {"amount": "60", "disbursed_on": "2026-12-01", "first_loan": "yes"})
    assert late.status_code == 400 and "放款日须在审批日至今天之间" in late.content.decode()
    assert bank_client.post(base + "disbursement/", {"amount": "60", "disbursed_on": "2026-11-20",
                                                     "first_loan": "yes"}).status_code == 302
    assert bank_client.post(base + "repayment-problems/", {"kind": "overdue", "occurred_on": "2026-11-20",
                                                           "amount": "5", "note": "逾期10天"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "disbursed" and application.first_loan is True
    assert application.repayment_problems.get().kind == "overdue"
    events = list(AuditEvent.objects.filter(action="finance.application").values_list("data__event", "actor_label"))
    assert sorted(e for e, _ in events) == ["apply", "approve", "disburse", "repayment_problem"]
    assert all(actor == "user:zbbank1" for e, actor in events if e != "apply")
    bank_client.logout()
    bank_client.force_login(account.user)
    assert "首贷" in bank_client.get("/public/finance/").content.decode()


def test_the_bank_reads_an_authorised_profile_and_the_enterprise_sees_the_read(bank_client, grant, account):
    grant()
    authorisations = bank_client.get(f"{BANK}authorisations/").content.decode()
    assert 'data-state="in_force"' in authorisations and "淄博测试化工有限公司1" in authorisations
    answer = bank_client.post(f"{BANK}profile/", {"uscc": ENTERPRISE_USCC, "reference": "DK-2026-100"})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert 'data-section="admin_penalty"' in page and 'data-section="social_insurance_payment"' in page
    assert 'data-section="admin_license"' not in page  # outside the scope
    assert "2026-09" in page and "欠缴" in page  # the monthly series, its status in words
    read = ProfileRead.objects.get()
    assert read.outcome == "served" and read.reference == "DK-2026-100" and read.actor_label == "user:zbbank1"
    bank_client.logout()
    bank_client.force_login(account.user)
    log = bank_client.get("/public/finance/").content.decode()
    assert "DK-2026-100" in log and "淄博银行张店支行" in log


def test_without_an_authorisation_the_console_refuses_and_keeps_the_request(bank_client, account):
    answer = bank_client.post(f"{BANK}profile/", {"uscc": ENTERPRISE_USCC, "reference": "试查"})
    assert answer.status_code == 403
    assert 'data-code="finance.not_authorised"' in answer.content.decode()
    assert 'id="profile"' not in answer.content.decode()
    assert ProfileRead.objects.get().outcome == "refused"
    malformed = bank_client.post(f"{BANK}profile/", {"uscc": "123"})
    assert malformed.status_code == 400 and "统一社会信用代码有误" in malformed.content.decode()


def test_a_revoked_authorisation_is_refused_in_the_console(bank_client, grant, account):
    authorisation = grant()
    services.authorisation_revoke(account=account, authorisation=authorisation, actor=account.user)
    answer = bank_client.post(f"{BANK}profile/", {"uscc": ENTERPRISE_USCC})
    assert answer.status_code == 403 and "finance.authorisation_revoked" in answer.content.decode()
    assert 'data-state="revoked"' in bank_client.get(f"{BANK}authorisations/").content.decode()


def test_the_bank_sees_and_revokes_the_persons_authorisations_it_registered(bank_client, bank, officer, today):
    person = resident_id(9)
    found = services.person_authorisation_record(
        institution=bank, id_number=person, person_name="张三", scope=["admin_penalty"], purpose="loan_application",
        starts_on="2026-11-20", ends_on="2026-12-31", document_ref="SQ-2026-0009", document=b"%PDF-1.4 signed",
        actor=officer)
    page = bank_client.get(f"{BANK}persons/").content.decode()
    assert "张三" in page and found.id_masked in page and person not in page and 'data-state="in_force"' in page
    assert bank_client.post(f"{BANK}persons/{found.authorisation_id}/revoke/", {"reason": "本人撤回"}).status_code == 302
    found.refresh_from_db()
    assert found.revoked_at is not None and found.revoke_reason == "本人撤回"


def test_the_banks_home_counts_its_work(bank_client, application, today):
    page = bank_client.get(BANK).content.decode()
    assert re.search(r"待审批的贷款申请</span><strong>1<", page)
    assert re.search(r"有效的企业授权</span><strong>1<", page)



def test_a_banks_token_calls_the_lending_operations_only(bank_api, account, grant):
    """The token side of the boundary: a bank's token never calls a government operation (a check, a record, the
    internal evaluation), which would read a subject without its authorisation."""
    grant()
    assert bank_api.get(f"/api/v1/finance/profiles/{ENTERPRISE_USCC}").status_code == 200
    assert bank_api.get("/api/v1/finance/products").status_code == 200
    assert bank_api.get("/api/v1/incentives/scenarios").status_code == 200
    for answer in (bank_api.get(f"/api/v1/subjects/{ENTERPRISE_USCC}/evaluation"),
                   bank_api.post("/api/v1/checks", {"subject": {"uscc": ENTERPRISE_USCC}, "scenario": "bidding"}),
                   bank_api.get("/api/v1/lists"),
                   bank_api.post("/api/v1/incentives/eligibility", {"subject": {"uscc": ENTERPRISE_USCC},
                                                                    "scenario": "xinyipi_green_channel"})):
        assert answer.status_code == 403, answer.content
        assert answer.json()["code"] == "finance.bank_token_scope" and "只能调用信易贷接口" in answer.json()["message"]
