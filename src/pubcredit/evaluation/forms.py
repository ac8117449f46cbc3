from django import forms

from pubcredit.evaluation.choices import RunTrigger


class RunStartForm(forms.Form):
    trigger = forms.ChoiceField(label="评价方式", choices=RunTrigger.choices, initial=RunTrigger.QUARTERLY)
    as_of = forms.DateField(label="评价基准日", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="留空：季度评价取上一季度末，按需评价取今天")
    version = forms.CharField(label="评价模型版本", required=False, help_text="留空：基准日适用的版本；填写则按该版本回放")
