"""Workbench forms of credit commitments: shapes only; the services check the rules."""

from __future__ import annotations

from django import forms

from pubcredit.commitments.rulebook import breach_severities, commitment_book
from pubcredit.rules import clock
from pubcredit.rules.commitments import TYPE_LABELS

SUBJECT_CATEGORIES = [("法人及非法人组织", "法人及非法人组织"), ("个体工商户", "个体工商户"), ("自然人", "自然人")]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}))


class AcceptForm(forms.Form):
    subject_name = forms.CharField(label="承诺主体名称", max_length=200)
    subject_category = forms.ChoiceField(label="主体类别", choices=SUBJECT_CATEGORIES)
    subject_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    id_number = forms.CharField(label="证件号码（自然人）", max_length=64, required=False)
    commitment_type = forms.ChoiceField(label="承诺类型", choices=list(TYPE_LABELS.items()))
    matter = forms.ChoiceField(label="承诺事项")
    approval_no = forms.CharField(label="审批办件编号", max_length=128, required=False,
                                  help_text="审批替代型必填；同一审批只能作出一份承诺")
    decision_no = forms.CharField(label="承诺书编号", max_length=128)
    commitment_content = forms.CharField(label="承诺内容", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                         help_text="不填则按承诺类型和事项的文本模板生成")
    decision_date = _date("承诺日期")
    term_end = _date("承诺期限至", required=False, help_text="不填则为长期")
    verification_date = _date("核查日期", required=False, help_text="审批替代型必填，不得早于承诺日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(c, m.name_zh) for c, m in commitment_book().matters.items()]
        self.fields["decision_date"].initial = clock.today()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["commitment_type"] = TYPE_LABELS[data["commitment_type"]]
        if data.get("id_number"):
            data["id_type"] = "身份证"
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v not in (None, "")}


class VerifyForm(forms.Form):
    verified_on = _date("核查完成日期")
    outcome = forms.ChoiceField(label="核查结果", choices=[("fulfilled", "已履约（承诺事项已兑现）"),
                                                          ("conforming", "核查相符，承诺继续有效")])
    note = forms.CharField(label="核查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_on"].initial = clock.today()


class BreachForm(forms.Form):
    decided_on = _date("违诺认定日期")
    evidence = forms.CharField(label="违诺事实及证据", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="必填：核查发现的事实、证据名称和编号")
    severity = forms.ChoiceField(label="失信程度", required=False,
                                 help_text="按《信用修复管理办法》第八至十条认定；不认定的违诺信息暂不公示")
    serious_untrue = forms.BooleanField(label="信用修复中承诺严重不实（公示3年不得提前终止）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = clock.today()
        self.fields["severity"].choices = [("", "未认定"), *breach_severities().items()]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", required=False, max_length=400)


class EligibilityForm(forms.Form):
    kind = forms.ChoiceField(label="主体代码类型", choices=[("uscc", "统一社会信用代码"), ("id_number", "身份证号码")])
    code = forms.CharField(label="主体代码", max_length=64)
    matter = forms.ChoiceField(label="审批事项")
    reference = forms.CharField(label="业务编号", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(c, m.name_zh) for c, m in commitment_book().matters.items()]

    def subject(self) -> dict:
        return {self.cleaned_data["kind"]: self.cleaned_data["code"].strip()}
