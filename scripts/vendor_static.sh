#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry into static/vendor/.
# The app never loads anything from a CDN; run this only to upgrade a version.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack htmx.org@2.0.11 @fontsource/noto-serif-tibetan@5.3.0 echarts@5.6.0 >/dev/null)
for tgz in "$work"/*.tgz; do mkdir -p "${tgz%.tgz}" && tar xzf "$tgz" -C "${tgz%.tgz}"; done
font="$work"/fontsource-noto-serif-tibetan-5.3.0/package
cp "$font"/files/noto-serif-tibetan-tibetan-{400,700}-normal.woff2 "$font"/LICENSE static/vendor/fonts/noto-serif-tibetan/
cp "$work"/htmx.org-2.0.11/package/dist/htmx.min.js "$work"/htmx.org-2.0.11/package/LICENSE static/vendor/htmx/
cp "$work"/echarts-5.6.0/package/dist/echarts.min.js "$work"/echarts-5.6.0/package/LICENSE static/vendor/echarts/
echo "vendored into static/vendor/"
