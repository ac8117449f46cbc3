"""Forms of the arrears ledger (拖欠账款台账): shapes only; the services check the rules."""

from __future__ import annotations

from django import forms

from pubcredit.accounts.models import Department
from pubcredit.integrity.choices import ArticleKind, IntegrityRole, RegisterKind
from pubcredit.integrity.rulebook import arrears_book, files_book
from pubcredit.rules.integrity import STAFF_KINDS
from pubcredit.rules import clock


def _date(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; the service checks their number, type and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ComplaintForm(forms.Form):
    complainant_name = forms.CharField(label="投诉企业名称", max_length=200)
    complainant_uscc = forms.CharField(label="投诉企业统一社会信用代码", max_length=24)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30, help_text="仅用于处理部门联系，不公开")
    debtor_name = forms.CharField(label="被投诉单位名称", max_length=200)
    debtor_uscc = forms.CharField(label="被投诉单位统一社会信用代码", max_length=24,
                                  help_text="机关、事业单位或国有企业；其他单位请按提示另行投诉")
    contract_ref = forms.CharField(label="合同名称或编号", max_length=200)
    claimed_amount = forms.CharField(label="拖欠金额（元）", max_length=20)
    description = forms.CharField(label="拖欠情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="采购的货物、工程或服务，验收时间，合同约定的付款期限")
    evidence = MultipleFileField(label="证明材料", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = arrears_book().evidence
        kinds = "、".join(t.name_zh for t in rules.types.values())
        self.fields["evidence"].help_text = f"合同、验收单、发票等，{kinds}，最多{rules.max_files}个文件"
        self.fields["evidence"].widget.attrs["accept"] = ",".join(
            s for t in rules.types.values() for s in t.suffixes)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label="处理部门", queryset=Department.objects.order_by("code"),
                                        help_text="被投诉单位的主管部门或监管部门（谁主管谁负责、谁监管谁负责）")


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(label="核实结论", choices=[("confirmed", "欠款属实"), ("rejected", "不属实")])
    amount_owed = forms.CharField(label="核实欠款金额（元）", max_length=20, required=False,
                                  help_text="欠款属实时必填，可与投诉金额不同")
    verified_on = _date("核实日期")
    note = forms.CharField(label="核实情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_on"].initial = clock.today()


class ExtendForm(forms.Form):
    """延长处理期限 (条例第二十五条第二款): the department head's approval, the reason and the new due day."""

    extended_to = _date("延长后的处理期限", help_text="自收到投诉材料之日起最长不超过90日")
    approved_by = forms.CharField(label="批准的部门负责人", max_length=50)
    reason = forms.CharField(label="延长理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="情况复杂或者有其他特殊原因")


class PlanForm(forms.Form):
    plan_last_day = _date("还款计划完成日期", help_text="到期仍有欠款的，标记为逾期未清偿")
    plan_note = forms.CharField(label="还款计划", widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="分期安排、资金来源")


class PaymentForm(forms.Form):
    amount = forms.CharField(label="还款金额（元）", max_length=20, help_text="不得超过尚欠金额")
    paid_on = _date("还款日期")
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = clock.today()


class FileCreateForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=24, help_text="加密保存，页面只显示脱敏号码")
    staff_kind = forms.ChoiceField(label="人员类别", choices=list(STAFF_KINDS.items()))
    position = forms.CharField(label="职务", max_length=100)


class FileEntryForm(forms.Form):
    kind = forms.ChoiceField(label="记录类别")
    title = forms.CharField(label="事项", max_length=200, required=False, help_text="不填则用记录类别的名称")
    decided_on = _date("日期")
    detail = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="任职诚信承诺须填写承诺内容")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(c, k.name_zh) for c, k in files_book().kinds.items()]
        self.fields["decided_on"].initial = clock.today()


class AppointmentCheckForm(forms.Form):
    id_number = forms.CharField(label="拟任人员身份证号码", max_length=24)
    purpose = forms.CharField(label="审查事由", max_length=200, help_text="如：拟任某某科科长")


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="栏目", choices=ArticleKind.choices)
    campaign = forms.ChoiceField(label="宣传节点", required=False,
                                 help_text="“诚信宣传活动”栏目的稿件可归入诚信兴商宣传月、信用记录关爱日等节点")
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pubcredit.integrity.rulebook import campaigns_book

        self.fields["campaign"].choices = [("", "不归入节点")] + [
            (code, c.name_zh) for code, c in campaigns_book().campaigns.items()]


class ArticleStepForm(forms.Form):
    note = forms.CharField(label="审核意见", max_length=500, required=False, help_text="退回修改时必填")


class StateEnterpriseForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RegisterKind.choices, required=False,
                             initial=RegisterKind.STATE_ENTERPRISE,
                             help_text="使用财政资金的团体组织参照机关、事业单位对待（《保障中小企业款项支付条例》第三十六条）")
    uscc = forms.CharField(label="统一社会信用代码", max_length=24)
    name = forms.CharField(label="名称", max_length=200)
    basis = forms.CharField(label="认定依据", max_length=300, help_text="如：市国资委出资企业名单（2026）、财政预算单位名单")

    def clean_kind(self):
        return self.cleaned_data.get("kind") or RegisterKind.STATE_ENTERPRISE


# --- government dishonesty cases (政府失信认定) -------------------------------------------------------------------

class CaseIdentifyForm(forms.Form):
    source = forms.ChoiceField(label="认定依据", help_text="该单位逾期未清偿的拖欠账款、在列的失信被执行人条目或未履行、未整改的政务失信信息")
    facts = forms.CharField(label="认定事实", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    supervisor = forms.CharField(label="上级机关或主管部门（通报对象）", max_length=200)
    serious = forms.BooleanField(label="情节严重或者造成严重不良社会影响（向社会公示）", required=False)
    rectify_due = forms.DateField(label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        from pubcredit.integrity.rulebook import cases_book

        self.fields["source"].choices = [("", "请选择")] + [(f"{s.source_type}:{s.source_id}", s.label_zh)
                                                          for s in sources]
        rectify = cases_book().deadlines.rectify
        self.fields["rectify_due"].help_text = f"不填则为认定之日起{rectify.text_zh}（{rectify.basis_zh}）"

    def clean_source(self):
        kind, _, pk = self.cleaned_data["source"].partition(":")
        return kind, int(pk)


class AccountabilityForm(forms.Form):
    person_name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=100)
    responsibility = forms.ChoiceField(label="责任类型")
    measure = forms.ChoiceField(label="处理方式")
    decided_on = _date("决定日期")
    deciding_body = forms.CharField(label="决定机关", max_length=200, help_text="如上级机关、主管部门、纪检监察机关")
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pubcredit.integrity.rulebook import cases_book

        book = cases_book()
        self.fields["responsibility"].choices = list(book.responsibilities.items())
        self.fields["measure"].choices = list(book.measures.items())


class CaseRectifyForm(forms.Form):
    rectified_on = _date("整改完成日期")
    note = forms.CharField(label="整改情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CaseRemoveForm(forms.Form):
    removal_reason = forms.ChoiceField(label="移出事由")
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pubcredit.rules.integrity import REMOVAL_REASONS

        self.fields["removal_reason"].choices = list(REMOVAL_REASONS.items())


class CaseOfficeGrantForm(forms.Form):
    department = forms.ModelChoiceField(label="办理单位", queryset=None, empty_label="请选择",
                                        help_text="市级部门可办理全市机关、事业单位和国有企业的案件，区县部门办理本区县的")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = candidates
        self.fields["department"].label_from_instance = lambda d: f"{d.name}（{d.district.name if d.district_id else '市级'}）"


class CaseOfficeRevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=500)


class IntegrityGrantForm(forms.Form):
    user = forms.ModelChoiceField(label="工作人员", queryset=None, empty_label="请选择",
                                  help_text="在职的政府工作人员；人事部门岗位只读写本单位人员的诚信档案")
    role = forms.ChoiceField(label="岗位", choices=[("", "请选择"), *IntegrityRole.choices])

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = (
            lambda u: f"{u.display_name or u.username}（{u.department.name if u.department_id else '无所属单位'}）")


class IntegrityRevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=500)
