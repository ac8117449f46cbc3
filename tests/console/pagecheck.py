"""What a workbench page must not show (issue 21): sideways overflow, English words, raw rulebook codes, a 4xx page
without the site header. Used by the per-role browser test; runnable against a demo server for a quick look:
``python -m tests.console.pagecheck http://127.0.0.1:8000 scjg Provider#2026``."""

from __future__ import annotations

import re

# English a Chinese clerk may see: file formats, units and standard abbreviations.
ENGLISH_ALLOWED = {"csv", "xlsx", "json", "jsonl", "yaml", "yml", "lines", "excel", "api", "pdf", "id", "uscc", "gbk", "gb", "utf",
                   "ip", "http", "https", "url", "kb", "mb", "echarts", "htmx", "v"}
# A word of three letters or more; all-capital words joined to digits or a hyphen are document numbers (ZFCG-2026-1).
_ENGLISH_WORD = re.compile(r"\b(?![A-Z]+[-\d])[A-Za-z][A-Za-z_]{2,}\b")
# The page's visible text without <code> (file formats and column keys a provider types) and [data-allow-english].
_BODY_TEXT = """() => {
  let text = document.body.innerText;
  for (const el of document.querySelectorAll("code, [data-allow-english]")) { text = text.split(el.innerText).join(" "); }
  return text;
}"""
_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def rulebook_codes() -> set[str]:
    """Codes from the rulebook's code lists that must never reach a page unlabelled."""
    from pubcredit.catalog.registry import all_classes
    from pubcredit.lists.choices import RemovalReasonChoice
    from pubcredit.lists.rulebook import rulebook
    from pubcredit.sanctions.rulebook import scenarios

    codes = set(rulebook().versions) | set(scenarios()) | {c.code for c in all_classes()}
    codes |= {value for value, _ in RemovalReasonChoice.choices}
    return {c for c in codes if "_" in c or len(c) > 6}  # short words (e.g. "red") are checked as English instead


# Identifiers a page shows as they are (a read's UUID, a digest in hex): random letters, not English.
_HEX_IDENTIFIER = re.compile(r"\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    text = _HEX_IDENTIFIER.sub(" ", text)
    return sorted({w for w in _ENGLISH_WORD.findall(text) if w.lower() not in ENGLISH_ALLOWED})


def problems(page, codes: set[str]) -> list[str]:
    """Everything wrong with the page that is open now."""
    found = []
    overflow = page.evaluate(_OVERFLOW)
    if overflow > 1:
        found.append(f"overflows sideways by {overflow}px")
    text = page.evaluate(_BODY_TEXT)
    english = english_words(text)
    if english:
        found.append(f"English words: {english[:12]}")
    raw = sorted(c for c in codes if re.search(rf"(?<![A-Za-z_]){re.escape(c)}(?![A-Za-z_])", text))
    if raw:
        found.append(f"raw codes: {raw[:8]}")
    return found


def menu_links(page) -> list[str]:
    """The workbench pages the menu offers (the public site's link excluded)."""
    hrefs = page.eval_on_selector_all("#site-menu a", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/") and not h.startswith("/public") and h != "/"]


def page_links(page) -> list[str]:
    """Links inside the page's main content, one per path (the second level a menu page offers)."""
    hrefs = page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    seen, out = set(), []
    for h in hrefs:
        path = h.split("?")[0].split("#")[0]
        if path.startswith(("/public", "/api/", "/admin")) or path in seen or h.endswith((".xlsx", ".csv", ".pdf")):
            continue
        seen.add(path)
        out.append(h)
    return out
