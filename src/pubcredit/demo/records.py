"""Reproducible demo data for Zibo (演示数据): departments, users, subjects, licences and penalties.

Everything goes through the platform's services. Subjects are a pure function of their index, so records can
pick any subject without keeping millions in memory; rows are generated with their own receipt days and submitted
in chunks as a bulk load (set-based on PostgreSQL, as a file import: ``ingest.setwise``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from django.db import transaction

from pubcredit.accounts.choices import Role
from pubcredit.accounts.models import Department, User
from pubcredit.accounts.services import department_create, district_get, user_create
from pubcredit.catalog.registry import get_class
from pubcredit.records.choices import SubmissionChannel
from pubcredit.ingest.services import records_submit
from pubcredit.integrity.services import integrity_grant
from pubcredit.rulebook.loader import load_yaml
from pubcredit.rules import clock, identifiers
from pubcredit.subjects.services import SubjectRef, subjects_industry_set, subjects_resolve
from pubcredit.workdays.selectors import work_calendar

# (username, password, role, display name, department code, district code)
DEMO_USERS = [
    ("admin", "Admin#2026", "", "系统管理员", None, None),
    ("operator", "Operator#2026", Role.OPERATOR, "市信用中心 王敏", None, None),
    ("zhangdian", "District#2026", Role.DISTRICT_OPERATOR, "张店区信用办 李强", None, "zhangdian"),
    ("scjg", "Provider#2026", Role.PROVIDER, "市市场监管局 数据报送员", "SCJGJ", None),
    ("zjj", "Business#2026", Role.BUSINESS_USER, "市住建局 招投标科", "ZJJ", None),
    ("reviewer", "Reviewer#2026", Role.REVIEWER, "市市场监管局 信用修复审核", "SCJGJ", None),
    ("lingdao", "Leader#2026", Role.BUSINESS_USER, "市社会信用中心 分管领导", "ZX-XYB", None),
]
# functions of the integrity app (政务诚信岗位) the demo's operator grants: the leader reads the 清欠 ledger and figures
DEMO_INTEGRITY_FUNCTIONS = [("lingdao", "leader")]

# Zibo county-level division codes, weighted roughly by number of market subjects.
DIVISIONS = [("370303", 30), ("370302", 12), ("370304", 8), ("370305", 14), ("370306", 10),
             ("370321", 10), ("370322", 6), ("370323", 6)]
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def org_code_check(first8: str) -> str:
    """GB 11714 organisation code check character."""
    c = 11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


# the industry a demo name says (国民经济行业分类 GB/T 4754-2017 class codes, as a registration export gives them)
INDUSTRY_CODES = {"化工": "C2614", "陶瓷": "C3071", "机械制造": "C3499", "医药": "C2710", "建材": "C3021",
                  "纺织": "C1713", "商贸": "F5181", "食品": "C1499", "物流": "G5990", "电子科技": "I6510",
                  "耐火材料": "C3089", "建筑工程": "E4899", "餐饮管理": "H6210", "环保科技": "N7721",
                  "汽车销售": "F5261", "面馆": "H6210", "超市": "F5212", "烧烤店": "H6210", "五金店": "F5281",
                  "理发店": "O8020", "便利店": "F5213", "水果店": "F5223", "修车铺": "O8111", "服装店": "F5232",
                  "药店": "F5251"}


@dataclass(frozen=True)
class DemoSubject:
    kind: str
    name: str
    uscc: str | None
    id_number: str | None
    industry: str | None = None  # a GB/T 4754-2017 class code (organisations only)


class SubjectFactory:
    """Subject ``i`` is always the same subject for a given seed."""

    def __init__(self, seed: int):
        self.seed = seed
        self.words = load_yaml("demo.yaml")
        self._divisions = [d for d, w in DIVISIONS for _ in range(w)]

    def __call__(self, i: int) -> DemoSubject:
        rng = random.Random(self.seed * 1_000_003 + i)
        w = self.words
        division = rng.choice(self._divisions)
        kind_roll = i % 20
        if kind_roll < 18:
            registrar = "91" if kind_roll < 14 else "92"
            body = "ABCDEFGHJK"[i // 1_000_000 % 10] + "M" + f"{i % 1_000_000:06d}"
            first17 = registrar + division + body + org_code_check(body)
            uscc = first17 + identifiers.uscc_check_char(first17)
            if registrar == "91":
                first, second, industry = (rng.choice(w["trade_names"]), rng.choice(w["trade_names"]),
                                           rng.choice(w["industries"]))
                name = f"淄博{first}{second}{industry}{rng.choice(w['company_suffixes'])}"
                return DemoSubject("legal_person", name, uscc, None, INDUSTRY_CODES.get(industry))
            district = {"370303": "张店区", "370302": "淄川区", "370304": "博山区", "370305": "临淄区",
                        "370306": "周村区", "370321": "桓台县", "370322": "高青县", "370323": "沂源县"}[division]
            surname, shop = rng.choice(w["surnames"]), rng.choice(w["shop_kinds"])
            return DemoSubject("individual_business", f"{district}{surname}记{shop}", uscc, None,
                               INDUSTRY_CODES.get(shop))
        born = dt.date(1950, 1, 1) + dt.timedelta(days=(i // 1000) % 18_000)
        first17 = f"{division}{born:%Y%m%d}{i % 1000:03d}"
        id_number = first17 + identifiers.resident_id_check_char(first17)
        return DemoSubject("natural_person", rng.choice(w["surnames"]) + rng.choice(w["given_names"]), None, id_number)


def ensure_departments_and_users(actor) -> list[tuple[str, str]]:
    """Create the demo departments and staff accounts that are missing; return the logins."""
    for index, item in enumerate(load_yaml("demo.yaml")["departments"], start=1):
        if not Department.objects.filter(code=item["code"]).exists():
            body = f"MB{index:06d}"  # registrar 11 = 机关: organisation codes as issued to government organs
            first17 = "11" + ("370303" if item.get("district") else "370300") + body + org_code_check(body)
            department_create(code=item["code"], name=item["name"],
                              uscc=first17 + identifiers.uscc_check_char(first17),
                              district=item.get("district"), actor=actor)
    logins = []
    for username, password, role, display, dept, district in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user_create(username=username, password=password, role=role, display_name=display,
                        department=Department.objects.get(code=dept) if dept else None,
                        district=district_get(district) if district else None,
                        is_superuser=username == "admin", actor=actor)
        logins.append((username, password, display))
    operator = User.objects.get(username="operator")
    for username, role in DEMO_INTEGRITY_FUNCTIONS:
        integrity_grant(user=User.objects.get(username=username), role=role, actor=operator)  # once: get_or_create
    return logins


PENALTY_MIX = [  # (处罚类别 as a clerk writes it, weight, fine range in 万元 or None)
    ("警告", 30, None), ("罚款", 40, (0.05, 5.0)), ("警告;罚款", 10, (0.05, 1.0)),
    ("没收违法所得;罚款", 8, (1.0, 30.0)), ("通报批评", 4, None), ("责令停产停业;罚款", 4, (5.0, 50.0)),
    ("吊销许可证件", 2, None), ("罚款;限制从业", 2, (2.0, 20.0)),
]
_PENALTY_CHOICES = [p for p in PENALTY_MIX for _ in range(p[1])]
_CATEGORY_LABEL = {"legal_person": "法人及非法人组织", "individual_business": "个体工商户", "natural_person": "自然人"}


def submission_delay(rng: random.Random) -> int:
    """Working days from decision to submission: most departments on time, some late (超期报送)."""
    roll = rng.random()
    if roll < 0.85:
        return rng.randint(0, 6)
    if roll < 0.95:
        return rng.randint(7, 15)
    return rng.randint(16, 60)


def _row(rng: random.Random, dept: dict, class_code: str, subject: DemoSubject, decided: dt.date,
         serial: int, words: dict) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "subject_name": subject.name, "subject_category": _CATEGORY_LABEL[subject.kind],
        "subject_uscc": subject.uscc, "decision_date": decided.isoformat(),
        "authority_name": dept["name"], "authority_uscc": dept["uscc"],
        "source_name": dept["name"], "source_uscc": dept["uscc"],
    }
    if subject.kind == "legal_person":
        row["legal_rep"] = rng.choice(words["surnames"]) + rng.choice(words["given_names"])
    if subject.kind == "natural_person":
        row.update(id_type="身份证", id_number=subject.id_number)
    if class_code == "admin_penalty":
        violation, basis = rng.choice(words["violations"].get(dept["code"], words["violations"]["default"]))
        types, _, fine_range = rng.choice(_PENALTY_CHOICES)
        fine = round(rng.uniform(*fine_range), 2) if fine_range else None
        content = types.replace(";", "，") + (f"，罚款{fine}万元" if fine else "")
        row.update(decision_no=f"{dept['short']}罚〔{decided.year}〕{serial}号", violation_type=violation,
                   violation_facts=f"经查，当事人存在{violation}的行为。", penalty_basis=basis,
                   penalty_types=types, penalty_content=content, fine_amount=str(fine) if fine else None,
                   valid_until=(decided + dt.timedelta(days=365)).isoformat())
    else:
        certificate, content = rng.choice(words["licences"].get(dept["code"], words["licences"]["default"]))
        long_term = rng.random() < 0.2
        row.update(license_doc_name=f"准予{content}决定书", decision_no=f"{dept['short']}许〔{decided.year}〕{serial}号",
                   license_category=rng.choice(["普通", "普通", "核准", "登记", "认可"]), certificate_name=certificate,
                   license_no=f"JY{decided:%Y%m%d}{serial:05d}", license_content=f"{content}（{certificate}）",
                   valid_from=decided.isoformat(),
                   valid_to="2099-12-31" if long_term else (decided + dt.timedelta(days=5 * 365)).isoformat(),
                   status="有效")
    return row


def seed_records(*, subjects: int, records: int, seed: int, actor,
                 progress: Callable[[int], None] = lambda n: None, span_days: int = 540,
                 chunk: int = 5000) -> dict[str, int]:
    """Generate ``records`` licences and penalties over the last ``span_days``, one receipt day per submission."""
    rng = random.Random(seed)
    make_subject = SubjectFactory(seed)
    words = load_yaml("demo.yaml")
    departments = []
    for item in words["departments"]:
        if item["classes"]:
            dept = Department.objects.get(code=item["code"])
            departments.append({**item, "obj": dept, "uscc": dept.uscc})
    classes = {code: get_class(code) for code in ("admin_penalty", "admin_license")}
    calendar = work_calendar()
    today = clock.today()
    # Rows are generated per (department, class) over the whole span, each with its own receipt time, and
    # submitted in chunks: few calls, realistic receipt dates, bounded memory for millions of rows.
    groups = [(d, c) for d in departments for c in d["classes"]]
    totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    serial = 0
    for index, (dept, class_code) in enumerate(groups):
        share = records // len(groups) + (index < records % len(groups))
        info_class = classes[class_code]
        keys = [f.key for f in info_class.fields]
        for start in range(0, share, chunk):
            rows, received = [], []
            for _ in range(min(chunk, share - start)):
                day = today - dt.timedelta(days=rng.randrange(span_days))
                while not calendar.is_working_day(day):
                    day -= dt.timedelta(days=1)
                decided = calendar.add_working_days(day, -submission_delay(rng)).value
                serial += 1
                rows.append(_row(rng, dept, class_code, make_subject(rng.randrange(subjects)), decided, serial, words))
                received.append(dt.datetime.combine(day, dt.time(9 + serial % 9, serial % 60), clock.PLATFORM_TZ))
            frame = pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], schema={k: pl.String for k in keys})
            frame = frame.with_columns(pl.Series("_received_at", received, dtype=pl.Datetime("us", "Asia/Shanghai")))
            # one transaction per chunk, as a file import's: on PostgreSQL the chunk goes the set-based way (issue 18)
            with transaction.atomic():
                result = records_submit(info_class=info_class, frame=frame, department=dept["obj"], actor=actor,
                                        channel=SubmissionChannel.DEMO, batch_ref=f"demo-{dept['code']}-{class_code}")
            for key in ("created", "updated", "unchanged"):
                totals[key] += getattr(result, key)
            totals["rejected"] += len(result.rejected)
            progress(len(rows))
    return totals


def seed_subjects(*, subjects: int, seed: int, actor, progress: Callable[[int], None] = lambda n: None,
                  chunk: int = 5000) -> int:
    """Register subjects 0..subjects-1 (most of a city's subjects have no record at all), with the industry of
    each organisation as the registration data would give it (行业门类, for the figures by industry)."""
    make_subject = SubjectFactory(seed)
    for start in range(0, subjects, chunk):
        refs, industries = [], []
        for i in range(start, min(subjects, start + chunk)):
            s = make_subject(i)
            refs.append(SubjectRef(kind=s.kind, name=s.name, uscc=s.uscc, id_number=s.id_number))
            if s.uscc and s.industry:
                industries.append({"uscc": s.uscc, "industry": s.industry})
        with transaction.atomic():
            subjects_resolve(refs, actor=actor, reason="demo")
            subjects_industry_set(rows=industries, actor=actor, reason="演示数据：登记注册信息中的行业")
        progress(len(refs))
    return subjects
