import pytest
from django.core.cache import cache

from tests.factories import penalty, person_penalty, uscc
from tests.publicity.factories import eco_department, licence, ndrc_penalty, submit


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


NAMES = {1: "淄博鑫源化工有限公司", 2: "淄博宏达陶瓷有限公司", 3: "淄博华瑞医药有限公司", 4: "张店区王记面馆"}


@pytest.fixture
def site(db, department, eco, system_actor):
    """A small city: licences, a published general penalty, a withheld warning, an expired penalty, an individual
    business and a natural person; every record assessed as the pipeline does."""
    def name(n):
        return {"subject_name": NAMES[n], "subject_uscc": uscc(n)}

    ib = {"subject_category": "个体工商户", "subject_name": NAMES[4], "subject_uscc": uscc(4, registrar="92"),
          "legal_rep": "王五"}
    submit([licence(1, **name(1)), licence(2, **name(2)), licence(3, **name(3), decision_date="2026-10-09",
                                                                  valid_from="2026-10-09")],
           department=department, actor=system_actor, class_code="admin_license")
    submit([ndrc_penalty(1, **name(1)),  # general, shown until 2027-11-15
            ndrc_penalty(2, **name(2), penalty_types="警告", fine_amount=None, penalty_content="警告"),  # minor
            ndrc_penalty(5, **name(1), decision_date="2024-01-10", valid_until="2025-01-10"),  # expired by now
            ndrc_penalty(6, **ib, penalty_types="罚款;责令停产停业"),  # serious
            ],
           department=eco, actor=system_actor)
    submit([person_penalty(7, fine_amount="50", authority_name="淄博市生态环境局")], department=eco, actor=system_actor)
    submit([penalty(8, **name(3), fine_amount="2", decision_date="2026-10-09", valid_until="2027-10-09")],
           department=department, actor=system_actor, when="2026-10-12")
    return NAMES


LIST_NAMES = {11: "淄博失信测试有限公司", 13: "淄博红黑测试有限公司", 14: "淄博异常测试有限公司", 16: "淄博过期红名单有限公司"}


@pytest.fixture
def list_site(db, department, system_actor):
    """Red and black list entries as the collection pipeline derives them (records, then entries), received
    2026-11-20: a court debtor (organisation) and one natural person, a SAMR serious violator that is also an A-level
    taxpayer, an abnormal-operation entry, a tax violator who is a natural person (withheld), and a red-list entry
    whose term ended before it arrived."""
    from tests.lists.helpers import (anomaly_row, court_person_row, court_row, samr_row, submit_list, tax_a_row,
                                     tax_violator_person_row)

    submit_list("court_dishonest_debtor", [court_row(11, subject_name=LIST_NAMES[11]),
                                           court_person_row(12, subject_name="张三", sex="男")],
                department, system_actor)
    submit_list("samr_serious_violation", [samr_row(13, subject_name=LIST_NAMES[13], legal_rep="周敏")], department,
                system_actor)
    submit_list("tax_a_level", [tax_a_row(13, subject_name=LIST_NAMES[13]),
                                tax_a_row(16, subject_name=LIST_NAMES[16], decision_date="2025-04-20")],
                department, system_actor)
    submit_list("business_anomaly", [anomaly_row(14, subject_name=LIST_NAMES[14])], department, system_actor)
    submit_list("major_tax_violator", [tax_violator_person_row(15)], department, system_actor)
    return LIST_NAMES
