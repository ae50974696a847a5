"""The public verification page of a certificate: small, accessible HTML, no scripts, no external assets.

Everything shown is escaped (the name is member text). A revoked, forgotten or unknown code gets the same
plain 404 (`NOT_FOUND`), so the page says nothing about codes that don't verify.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

NOT_FOUND = "Not found\n"
HIDDEN_NAME = "a member"
# Nothing but the inline style may load; the code stays out of Referer headers; search engines stay away.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                                           "form-action 'none'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                "X-Robots-Tag": "noindex", "Cache-Control": "no-store"}

# Contrast: #1d2a3a on #fdfbf5 is about 14:1, #1f4e9c on #fdfbf5 about 8:1 (WCAG AAA for body text).
STYLE = """
body{margin:0;background:#fdfbf5;color:#1d2a3a;font:1.0625rem/1.6 Georgia,"Times New Roman",serif}
main{max-width:40rem;margin:2.5rem auto;padding:2rem 2.25rem;border:3px double #1f4e9c;background:#fff}
h1{margin:0 0 .25rem;font-size:1.75rem;color:#1f4e9c}
p.verified{margin:0 0 1.5rem;font-family:system-ui,sans-serif;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.25rem;margin:0}
dt{font-family:system-ui,sans-serif;font-weight:600}
dd{margin:0}
footer{max-width:40rem;margin:0 auto 2rem;padding:0 2.25rem;font:.9375rem/1.5 system-ui,sans-serif}
@media (max-width:30rem){main{margin:1rem;padding:1.25rem}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
""".strip()


@dataclass(frozen=True)
class PageFacts:
    name: str | None  # None: the member hid their name
    book: str
    cohort: str
    dates: str
    chapters: str  # "16 of 20 chapters"
    issued: str  # "21 July 2026"


def render_page(facts: PageFacts) -> str:
    who = escape(facts.name) if facts.name else HIDDEN_NAME
    rows = [("Awarded to", who), ("Book", escape(facts.book)), ("Study group", escape(facts.cohort)),
            ("Dates", escape(facts.dates)), ("Chapters done", escape(facts.chapters)),
            ("Issued", escape(facts.issued))]
    details = "\n".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in rows)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Certificate of completion — {escape(facts.book)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>Certificate of completion</h1>
<p class="verified">This certificate is valid: studybot issued it and it has not been revoked.</p>
<dl>
{details}
</dl>
</main>
<footer><p>Issued by studybot for a book study group on Slack.</p></footer>
</body>
</html>
"""
