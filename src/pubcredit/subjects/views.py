"""Operator page for identifiers that fail their checksum but were really issued (校验位异常代码确认)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from pubcredit.accounts.access import is_city_operator
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.forms import ConfirmIdentifierForm
from pubcredit.subjects.selectors import confirmed_identifier_list
from pubcredit.subjects.services import identifier_confirm


@login_required
def confirmed_identifiers(request):
    if not is_city_operator(request.user):
        raise PermissionDenied("仅信用中心操作员可确认代码")
    form = ConfirmIdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identifier_confirm(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("value" if exc.field in (None, "value", "uscc", "id_number") else exc.field, exc.message_zh)
        else:
            messages.success(request, "已确认：今后含该代码的报送将予以接收并提示。")
            return redirect("subjects:confirmed_identifiers")
    return render(request, "subjects/confirmed_identifiers.html",
                  {"form": form, "items": confirmed_identifier_list()})
