"""The 信易贷 part of ``pubcredit seed_demo``: a bank with an officer's login and products, enterprise accounts with
applications through the whole cycle, all through the services, so the bank's console and the enterprise's page show
them after ``make run``."""

import pytest
from django.core.management import call_command

from pubcredit.accounts.models import User
from pubcredit.audit.services import verify_chain
from pubcredit.finance.choices import ApplicationStatus
from pubcredit.finance.models import LoanApplication, LoanProduct
from pubcredit.finance.selectors import lending_figures

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_a_bank_with_products_and_applications_in_every_state(client, capsys, today):
    call_command("seed_demo", "--subjects", "120", "--records", "100", "--seed", "7")
    out = capsys.readouterr().out
    assert "demo lending:" in out and "Bank#2026" in out and "Enterprise#2026" in out
    assert LoanProduct.objects.count() == 2
    statuses = set(LoanApplication.objects.values_list("status", flat=True))
    assert {ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.REFUSED,
            ApplicationStatus.DISBURSED} <= statuses
    refused = LoanApplication.objects.filter(status=ApplicationStatus.REFUSED)
    assert refused.exists() and all(a.refusal_reason for a in refused)  # a refusal always tells the enterprise why
    refused = refused.first()

    officer = User.objects.get(username="bank")
    assert officer.check_password("Bank#2026")  # the printed password is the login's
    client.force_login(officer)
    home = client.get("/workbench/", follow=True)
    assert home.redirect_chain[-1][0] == "/finance/bank/"  # the login lands in the bank's own console
    listed = client.get("/finance/bank/applications/").content.decode()
    assert refused.enterprise_name in listed and "已放款" in listed
    client.logout()

    enterprise = User.objects.get(username="qiye")
    assert enterprise.check_password("Enterprise#2026")
    client.force_login(enterprise)
    own = client.get("/public/finance/").content.decode()
    assert LoanApplication.objects.filter(applied_by=enterprise).first().product.name in own

    month = today.replace(day=1)
    total = lending_figures(first_day=month, last_day=today).total
    assert total.disbursed >= 2 and 0 < total.first_loans < total.disbursed
    assert verify_chain().ok  # every write went through an audited service


def test_seeding_again_does_not_duplicate_the_bank(today):
    call_command("seed_demo", "--subjects", "60", "--records", "20", "--seed", "3")
    call_command("seed_demo", "--if-empty")
    assert LoanProduct.objects.count() == 2
