#!/usr/bin/env bash
# Browser and PDF tests need Debian's chromium, fonts for Chinese and Tibetan, and
# poppler (pdftoppm/pdftotext) to check rendered PDFs.
# As root we install what is missing; otherwise the browser tests skip loudly.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -d /usr/share/fonts/opentype/noto ]] || missing+=(fonts-noto-cjk)
[[ -d /usr/share/fonts/truetype/noto ]] || missing+=(fonts-noto-core)
fc-list 2>/dev/null | grep -qi "uchen" || missing+=(fonts-ddc-uchen)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing for the browser tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "WARNING: apt-get could not install ${missing[*]}; browser tests may skip." >&2
else
  echo "############################################################################" >&2
  echo "WARNING: not root, cannot install: ${missing[*]}" >&2
  echo "Browser tests will be SKIPPED. Install with: sudo apt-get install ${missing[*]}" >&2
  echo "############################################################################" >&2
fi
exit 0
