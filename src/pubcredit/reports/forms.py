from django import forms

from pubcredit.reports.models import ReportKind


class ReportRequestForm(forms.Form):
    """A department's request for a query or special report in a named procedure (部门申请报告)."""

    kind = forms.ChoiceField(label="报告类型", choices=[(ReportKind.QUERY, ReportKind.QUERY.label),
                                                     (ReportKind.SPECIAL, ReportKind.SPECIAL.label)])
    code = forms.CharField(label="统一社会信用代码或身份证号码", max_length=40)
    purpose = forms.CharField(label="用途", max_length=200, help_text="如：政府采购资格审查、行政许可审批")
    procedure = forms.CharField(label="办理事项", max_length=200, help_text="项目编号和名称，如：ZB-2026-001 办公设备采购")
    period_from = forms.DateField(label="查询期间起（专项报告）", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="查询期间止（专项报告）", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}), help_text="最长5年，不晚于今天")


class EnterpriseReportForm(forms.Form):
    """An enterprise account's request for its own report on the public site (企业自助查询, free and immediate)."""

    kind = forms.ChoiceField(label="报告类型", choices=[(ReportKind.QUERY, "公共信用信息报告（查询版）"),
                                                     (ReportKind.SPECIAL, ReportKind.SPECIAL.label)])
    purpose = forms.CharField(label="用途", max_length=200, required=False, widget=forms.TextInput(attrs={"size": 30}),
                              help_text="如：参加招投标、申请政府资金、办理行政审批；不填为“企业自主查询”")
    procedure = forms.CharField(label="办理事项", max_length=200, required=False,
                                widget=forms.TextInput(attrs={"size": 30}),
                                help_text="可填项目编号和名称，如：ZB-2026-001 办公设备采购")
    period_from = forms.DateField(label="查询期间起（专项报告）", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="查询期间止（专项报告）", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}), help_text="最长5年，不晚于今天")
