from django.contrib import admin
from django.urls import include, path

from pubcredit.api import api
from pubcredit.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="site_home"),  # the public site's home; the workbench lives at /workbench/
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("identifiers/", include("pubcredit.subjects.urls")),
    path("calendar/", include("pubcredit.workdays.urls")),
    path("departments/", include("pubcredit.accounts.urls")),
    path("departments/", include("pubcredit.figures.urls")),  # 部门报送统计
    path("collection/", include("pubcredit.ingest.urls")),
    path("publicity/", include("pubcredit.publicity.urls")),  # operator pages: feed consumers, daily runs
    path("public/reports/", include("pubcredit.reports.urls")),
    path("public/inspections/", include("pubcredit.supervision.public_urls")),  # 双随机、一公开: plans, draws, verify  # 信用报告: public version, signed PDF, verify
    path("public/", include("pubcredit.portal.urls")),  # the public credit site (no login)
    path("lists/", include("pubcredit.lists.urls")),  # 红黑名单: entries, late pushes, identification cases
    path("repair/", include("pubcredit.repair.urls")),  # 信用修复与异议: the identifying unit's queue
    path("sanctions/", include("pubcredit.sanctions.urls")),  # 联合奖惩: checks, feedback, batch, watches, measures
    path("commitments/", include("pubcredit.commitments.urls")),  # 信用承诺: accept, verify, breach, 告知承诺
    path("jobs/", include("pubcredit.jobs.urls")),  # 后台任务: state and progress of background jobs, re-runs
    path("reports/", include("pubcredit.reports.workbench_urls")),  # 信用报告: a department requests a report
    path("evaluation/", include("pubcredit.evaluation.urls")),  # 公共信用综合评价 (staff only, never public)
    path("governance/", include("pubcredit.governance.urls")),  # 督查与考核: scorecards, tasks, monitoring, 大屏
    path("supervision/", include("pubcredit.supervision.urls")),  # 双随机抽查: items, inspectors, tasks, results
    path("public/account/", include("pubcredit.accounts.enterprise_urls")),  # 企业用户: enterprise login
    path("public/finance/", include("pubcredit.finance.urls")),  # 信易贷: an enterprise's authorisations and reads
    path("public/evaluation/", include("pubcredit.evaluation.public_urls")),  # 企业查看本单位综合评价 (own only)
    path("integrity/", include("pubcredit.integrity.urls")),  # 政务诚信: arrears ledger, figures (issue 23)
    path("public/integrity/", include("pubcredit.integrity.public_urls")),  # 拖欠账款投诉 on the public site
    path("finance/", include("pubcredit.finance.workbench_urls")),  # 信易贷统计: figures for operators (issue 22)
    path("public/repair/", include("pubcredit.repair.public_urls")),  # 信用修复申请、异议申诉 on the public site
    path("", include("pubcredit.console.urls")),  # the staff workbench: /workbench/, /login/, /subjects/ …
]

# The platform's own error pages for people; /api/ paths keep the JSON error shape (console.views).
handler403 = "pubcredit.console.views.error_403"
handler404 = "pubcredit.console.views.error_404"
handler500 = "pubcredit.console.views.error_500"
