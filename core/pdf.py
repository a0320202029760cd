"""Printing bilingual documents with WeasyPrint (referral letter, employment plan).

Chinese and Tibetan stand side by side on the page; the Tibetan font is the vendored
Noto Serif Tibetan, read from disk. A document may load the vendored fonts and nothing
else: no network, no other files.
"""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

FONT_DIR = settings.BASE_DIR / "static" / "vendor" / "fonts" / "noto-serif-tibetan"
TIBETAN_FONTS = {
    "regular": FONT_DIR / "noto-serif-tibetan-tibetan-400-normal.woff2",
    "bold": FONT_DIR / "noto-serif-tibetan-tibetan-700-normal.woff2",
}


class VendoredFontsOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(FONT_DIR.as_uri() + "/"):
            raise ValueError(f"A printed document loads nothing from {url}")
        return super().fetch(url, headers)


def font_urls() -> dict[str, str]:
    """For the templates' @font-face rules."""
    return {name: path.as_uri() for name, path in TIBETAN_FONTS.items()}


def in_script(script: str, obj, field: str) -> str:
    """The Tibetan value where there is one, else the Chinese (a name may exist in one script only)."""
    chinese = getattr(obj, f"{field}_zh")
    return (getattr(obj, f"{field}_bo") or chinese) if script == "bo" else chinese


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "fonts": font_urls()})
    return HTML(
        string=html,
        base_url=str(settings.BASE_DIR),
        url_fetcher=VendoredFontsOnly(allowed_protocols={"file"}),
    ).write_pdf()
