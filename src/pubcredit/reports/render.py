"""One HTML template, two outputs: the report page and the PDF (WeasyPrint, CJK font embedded), QR by segno."""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string

from pubcredit.request_limits import csp_allowing_styles_of, csp_header_name

FONT_FAMILY = "'WenQuanYi Zen Hei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif"
TEMPLATE = "reports/report.html"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def report_context(snapshot: dict, *, web: bool = False, pdf_url: str = "", back_url: str = "") -> dict[str, Any]:
    return {"r": snapshot, "qr": qr_data_uri(snapshot["verify_url"]), "web": web, "pdf_url": pdf_url,
            "back_url": back_url, "font_family": FONT_FAMILY}


def report_html(snapshot: dict, *, web: bool = False, pdf_url: str = "", back_url: str = "") -> str:
    """The report's HTML from its snapshot alone; ``web`` adds the download bar above the report (not in the PDF)."""
    return render_to_string(TEMPLATE, report_context(snapshot, web=web, pdf_url=pdf_url, back_url=back_url))


def report_page_response(snapshot: dict, *, pdf_url: str, back_url: str = "") -> HttpResponse:
    """The report as a web page. Its stylesheet is part of the template (the same one makes the PDF), so the page's
    policy names that stylesheet by its hash instead of allowing inline styles."""
    html = report_html(snapshot, web=True, pdf_url=pdf_url, back_url=back_url)
    response = HttpResponse(html)
    response[csp_header_name()] = csp_allowing_styles_of(html)
    return response


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def report_pdf(snapshot: dict) -> bytes:
    """The unsigned PDF of the same HTML."""
    return pdf_from_html(report_html(snapshot))
