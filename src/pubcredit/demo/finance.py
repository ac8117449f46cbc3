"""Demo 信易贷 (credit-based lending) for ``pubcredit seed_demo``: one bank (a financial institution) with an officer's
login and two loan products, enterprise accounts for a few demo organisations (one with a printed login), and their
applications through the whole cycle — submitted, approved, refused with a reason, disbursed (首贷 or not) — all
through the finance and accounts services, so the bank's console (``/finance/bank/``), the enterprise's pages and
the lending figures have something to show.

Deterministic for a seed; a dozen applications, so ``seed_demo`` stays quick.
"""

from __future__ import annotations

import random

from pubcredit.accounts.models import Department, EnterpriseAccount, User
from pubcredit.accounts.services import enterprise_account_create, financial_institution_create
from pubcredit.demo.records import SubjectFactory, org_code_check
from pubcredit.finance import services as finance
from pubcredit.finance.models import LoanProduct
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError
from pubcredit.rules.industries import industry_section

BANK_CODE = "ZBCSBANK"
BANK_NAME = "淄博城商银行（演示）"
# (username, password, display name): printed with the staff logins; the enterprise logs in at /public/account/login/
BANK_LOGIN = ("bank", "Bank#2026", "淄博城商银行（演示） 小微金融部 赵琳")
ENTERPRISE_LOGIN = ("qiye", "Enterprise#2026", "企业用户（演示）")
PRODUCTS = [  # name, amount 万元 (min, max), term months (min, max), rate % (min, max), conditions, description
    ("信易贷·诚信快贷", (10, 300), (3, 36), ("3.45", "4.35"), [{"kind": "no_black_list"}],
     "面向无严重失信记录的小微企业，纯信用、线上申请，三个工作日内给出审批结果。"),
    ("信易贷·纳税信用贷", (50, 1000), (6, 60), ("3.20", "3.95"), [{"kind": "no_black_list"}],
     "依据纳税信用和社保缴纳情况授信，诚信纳税企业利率优惠。"),
]
SCOPE = ["admin_license", "admin_penalty"]


def _bank_uscc() -> str:
    body = "MA0BANK1"  # registrar 91 = 工商: a bank is registered as a company
    first17 = "91370300" + body + org_code_check(body)
    return first17 + identifiers.uscc_check_char(first17)


def ensure_bank(actor) -> tuple[Department, list[LoanProduct]]:
    """The demo bank, its officer's login and its products (created once)."""
    bank = Department.objects.filter(code=BANK_CODE).first() or financial_institution_create(
        code=BANK_CODE, name=BANK_NAME, uscc=_bank_uscc(), actor=actor)
    username, password, display = BANK_LOGIN
    if not User.objects.filter(username=username).exists():
        finance.bank_officer_create(username=username, password=password, institution=bank.code,
                                    display_name=display, actor=actor)
    products = list(LoanProduct.objects.filter(institution=bank).order_by("pk"))
    if not products:
        for name, amount, term, rate, conditions, description in PRODUCTS:
            products.append(finance.loan_product_publish(
                institution=bank, name=name, amount_min=amount[0], amount_max=amount[1], term_months_min=term[0],
                term_months_max=term[1], rate_min=rate[0], rate_max=rate[1], conditions=conditions,
                description=description, actor=actor))
    return bank, products


def seed_finance(*, subjects: int, seed: int, actor, count: int = 12) -> dict[str, int]:
    """Enterprise accounts and loan applications for ``count`` organisations among the first ``subjects``; the first
    gets the printed enterprise login. Returns counts by outcome."""
    rng = random.Random(seed * 104_729 + 11)
    factory = SubjectFactory(seed)
    bank, products = ensure_bank(actor)
    totals = {"applied": 0, "approved": 0, "refused": 0, "disbursed": 0, "first_loans": 0, "not_qualified": 0}
    organisations = [i for i in range(subjects) if factory(i).kind == "legal_person" and factory(i).industry][:count]
    for n, index in enumerate(organisations):
        subject = factory(index)
        account = EnterpriseAccount.objects.filter(uscc=subject.uscc).first()
        if account is None:
            username, password, display = ENTERPRISE_LOGIN if n == 0 else (f"qiye{n:02d}", f"Enterprise#{n:04d}x",
                                                                          "企业用户（演示）")
            account = enterprise_account_create(username=username, password=password, uscc=subject.uscc,
                                                enterprise_name=subject.name, display_name=display, actor=actor)
        product = products[n % len(products)]
        try:
            application = finance.loan_apply(
                account=account, product=product, amount=str(rng.choice((50, 80, 100, 150, 200))),
                term_months=str(rng.choice((12, 24, 36))), industry=industry_section(subject.industry),
                scope=SCOPE, note="补充流动资金，购置原材料", actor=account.user)
        except DomainError:
            totals["not_qualified"] += 1  # on a black list: the product's condition refuses it, as it should
            continue
        totals["applied"] += 1
        outcome = n % 4  # 0 and 1 disbursed, 2 approved and waiting, 3 refused; the newest stays submitted
        if n == len(organisations) - 1:
            continue
        if outcome == 3:
            finance.application_decide(application=application, institution=bank, approved=False,
                                       reason="经营年限不足两年，暂不符合本产品要求", actor=actor)
            totals["refused"] += 1
            continue
        finance.application_decide(application=application, institution=bank, approved=True,
                                   approved_amount=application.amount_requested, actor=actor)
        totals["approved"] += 1
        if outcome in (0, 1):
            finance.application_disburse(application=application, institution=bank,
                                         amount=application.amount_requested, disbursed_on=clock.today().isoformat(),
                                         first_loan=outcome == 0, actor=actor)
            totals["disbursed"] += 1
            totals["first_loans"] += outcome == 0
    return totals
