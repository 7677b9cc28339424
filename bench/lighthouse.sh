#!/bin/sh
# Lighthouse (accessibility, SEO, best practices) against pages of a running Masthead.
# Not part of the test suite (axe-core is: tests/e2e/test_accessibility.py); this reproduces the
# figures in the closing notes. Installs Lighthouse from npm into a scratch folder once.
#   bench/lighthouse.sh http://127.0.0.1:8000 /city/some-article/ /ru/ /ar/
set -eu
base=$1; shift
tools=${LIGHTHOUSE_DIR:-/tmp/masthead-lighthouse}
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$tools" && (cd "$tools" && npm install --silent --no-audit --no-fund lighthouse)
fi
for path in "$@"; do
    report="$tools/report-$(echo "$path" | tr '/' '_').json"
    CHROME_PATH=${MASTHEAD_CHROMIUM:-/usr/bin/chromium} "$tools/node_modules/.bin/lighthouse" "$base$path" \
        --only-categories=accessibility,seo,best-practices --output=json --output-path="$report" --quiet \
        --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" || true
    python3 - "$report" "$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
print(sys.argv[2], scores)
for audit in report["audits"].values():
    if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary":
        print("   failing:", audit["id"], "-", audit["title"])
PY
done
