from django import forms

from pubcredit.subjects.choices import IdentifierKind


class ConfirmIdentifierForm(forms.Form):
    kind = forms.ChoiceField(label="代码类型", choices=IdentifierKind.choices)
    value = forms.CharField(label="代码", max_length=40)
    reason = forms.CharField(label="确认依据", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
