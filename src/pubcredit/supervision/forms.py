"""Workbench forms of supervision: shapes only; the services check the rules."""

from __future__ import annotations

from django import forms

from pubcredit.accounts.models import Department
from pubcredit.rules.supervision import ITEM_KIND_LABELS, RESULT_LABELS
from pubcredit.supervision.rulebook import supervision_book


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="抽查事项", max_length=200)
    domain = forms.CharField(label="检查领域", max_length=40, help_text="与检查人员的执法资格一致，如 食品、特种设备")
    kind = forms.ChoiceField(label="事项类别", choices=list(ITEM_KIND_LABELS.items()))
    special_domain = forms.BooleanField(label="特殊领域（疫苗、药品、特种设备、危险化学品）", required=False)
    legal_basis = forms.CharField(label="检查依据", widget=forms.Textarea(attrs={"rows": 2}))


class InspectorForm(forms.Form):
    staff_no = forms.CharField(label="执法证号", max_length=40)
    name = forms.CharField(label="姓名", max_length=50)
    qualifications = forms.CharField(label="执法资格（检查领域）", max_length=200, help_text="多个用顿号或逗号分隔")


class ConflictForm(forms.Form):
    inspector = forms.IntegerField(widget=forms.HiddenInput)
    subject_key = forms.CharField(label="利害关系主体统一社会信用代码", max_length=18)
    reason = forms.CharField(label="利害关系", max_length=200)


class TaskForm(forms.Form):
    name = forms.CharField(label="任务名称", max_length=200)
    trigger = forms.ChoiceField(label="启动方式")
    item_ids = forms.MultipleChoiceField(label="抽查事项", widget=forms.CheckboxSelectMultiple)
    joint_department_ids = forms.MultipleChoiceField(label="联合部门", required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    base_ratio = forms.CharField(label="基础抽查比例（%）", max_length=8,
                                 help_text="按信用类别调整：严重失信提高比例，诚信守法不参与一般事项的随机抽查")
    planned_date = forms.DateField(label="计划检查日期", widget=forms.DateInput(attrs={"type": "date"}))
    districts = forms.MultipleChoiceField(label="区县（不选为全市）", required=False,
                                          widget=forms.CheckboxSelectMultiple)
    keys = forms.CharField(label="指定主体（统一社会信用代码，投诉举报、转办交办时填写）", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    licence_contains = forms.CharField(label="持有许可包含", required=False, max_length=100)

    def __init__(self, *args, items=(), departments=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = [(c, t.name_zh) for c, t in supervision_book().triggers.items()]
        self.fields["item_ids"].choices = [(i.pk, f"{i.department.name}：{i.name}（{i.domain}）") for i in items]
        self.fields["joint_department_ids"].choices = [(d.pk, d.name) for d in departments]
        self.fields["districts"].choices = [(d.code, d.name) for d in districts]


class ResultForm(forms.Form):
    drawn_object = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="检查结果", choices=list(RESULT_LABELS.items()))
    inspected_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="发现问题、移交处理、未发现经营场所时必填")


class VerifyForm(forms.Form):
    data = forms.CharField(label="公布的抽取数据（JSON）", widget=forms.Textarea(attrs={"rows": 6}))


def other_departments(department_id: int | None):
    return Department.objects.exclude(pk=department_id).order_by("code")
