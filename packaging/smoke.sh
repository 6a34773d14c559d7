#!/usr/bin/env bash
# The smoke test every installer build passes, on Linux, Windows (Git Bash) and macOS alike:
# runs a built or installed `dossier` on an empty data folder and checks that
#   - `dossier --version` names the version of desktop/__init__.py,
#   - `dossier gui --smoke-test` builds the window offscreen over a new library,
#   - that new default library was seeded with the sample corpus bundled in the app,
#   - the CLI imports a seeds folder into another library file, the bundled spaCy model finds
#     places in it, and a search finds an article;
#   - the bundled Russian and Chinese models find a person in an article of each language (the
#     Russian one named in the nominative);
#   - a saved web page is read (trafilatura with its settings, jusText's stop lists, tld's domains);
#   - a PDF encrypted with AES (no password to open it, as official PDFs often are) is read, so
#     the bundle carries pypdf's cryptography.
# Usage: packaging/smoke.sh DOSSIER_EXECUTABLE [SEEDS_DIR]
#   SEEDS_DIR defaults to the repository's seeds/; DOSSIER_HOME, if set, is the (empty) data
#   folder to use, else a temporary one, removed when every check passed; PYTHON (default
#   python3) reads the JSON answers.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOSSIER="${1:?usage: smoke.sh DOSSIER_EXECUTABLE [SEEDS_DIR]}"
SEEDS="${2:-$REPO/seeds}"
PYTHON="${PYTHON:-python3}"
temporary_home=""
if [ -z "${DOSSIER_HOME:-}" ]; then
    temporary_home="$(mktemp -d)"
    DOSSIER_HOME="$temporary_home"
fi
# Under Git Bash on Windows, hand the program a path Windows understands (C:/...).
if command -v cygpath >/dev/null; then
    DOSSIER_HOME="$(cygpath -m "$DOSSIER_HOME")"
fi
export DOSSIER_HOME
export QT_QPA_PLATFORM=offscreen
unset DOSSIER_LIBRARY
OUT="$DOSSIER_HOME/smoke"
CHECK_LOG="$OUT/smoke.log"
# shellcheck source=packaging/checks.sh
. "$REPO/packaging/checks.sh"
mkdir -p "$OUT"

json_check() {
    local expression="$1" file="$2"
    "$PYTHON" -c "import json, sys; data = json.load(open(sys.argv[1], encoding='utf-8')); \
sys.exit(0 if ($expression) else 1)" "$file"
}

version_is_current() {
    local expected
    expected="$("$PYTHON" -c "import ast, sys; tree = ast.parse(open(sys.argv[1]).read()); \
print(next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == '__version__'))" \
        "$REPO/desktop/__init__.py")"
    test "$("$DOSSIER" --version | tr -d '\r')" = "Dossier $expected"
}

seed_count="$(find "$SEEDS" -type f | wc -l | tr -d ' ')"
check "dossier --version names the current version" version_is_current
check "dossier gui --smoke-test builds the window on an empty data folder" "$DOSSIER" gui --smoke-test
"$DOSSIER" list --json >"$OUT/list.json" 2>>"$OUT/smoke.log"
check "the new default library holds the bundled sample corpus" \
    json_check "len(data) == $seed_count > 0" "$OUT/list.json"
"$DOSSIER" --library "$OUT/other.sqlite" import "$SEEDS" --json >"$OUT/import.json" 2>>"$OUT/smoke.log"
check "the CLI imports the seeds into another library" \
    json_check "data['imported'] == $seed_count and not data['failed']" "$OUT/import.json"
"$DOSSIER" --library "$OUT/other.sqlite" entities --json >"$OUT/entities.json" 2>>"$OUT/smoke.log"
check "the bundled spaCy model finds places in them" \
    json_check "any(entity['label'] == 'GPE' for entity in data)" "$OUT/entities.json"
"$DOSSIER" --library "$OUT/other.sqlite" search Harbin --json >"$OUT/search.json" 2>>"$OUT/smoke.log"
check "the CLI finds the Harbin article among them" \
    json_check "any('Harbin' in hit['title'] for hit in data)" "$OUT/search.json"
mkdir -p "$OUT/languages"
printf 'Громов в Москве\n\nБывший командующий армией Борис Громов прилетел в Москву. По словам Бориса Громова, переговоры прошли успешно.\n' \
    >"$OUT/languages/ru.txt"
printf '习近平在长春考察\n\n国家主席习近平13日在长春考察了一汽集团。习近平指出，长春是重要的工业城市。\n' \
    >"$OUT/languages/zh.txt"
"$DOSSIER" --library "$OUT/languages.sqlite" import "$OUT/languages" --json >"$OUT/languages.json" 2>>"$OUT/smoke.log"
"$DOSSIER" --library "$OUT/languages.sqlite" entities --json >"$OUT/languages-entities.json" 2>>"$OUT/smoke.log"
check "the bundled Russian model names Борис Громов in the nominative" \
    json_check "('PERSON', 'Борис Громов') in {(e['label'], e['name']) for e in data}" \
    "$OUT/languages-entities.json"
check "the bundled Chinese model finds 习近平 and 长春" \
    json_check "{('PERSON', '习近平'), ('GPE', '长春')} <= {(e['label'], e['name']) for e in data}" \
    "$OUT/languages-entities.json"
printf '%s\n' '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbin forum opens - Example News</title>' \
    '<meta property="og:site_name" content="Example News"><meta name="date" content="2021-06-21"></head>' \
    '<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Harbin forum opens</h1>' \
    '<p>HARBIN, June 21 - Doctors and scientists from China and Russia met in Harbin on Monday to open a' \
    'joint laboratory for cardiology research, the organisers said.</p><p>The laboratory will train young' \
    'doctors from both countries and share its data with hospitals in Novosibirsk and Changchun.</p>' \
    '</article><footer>Copyright Example News</footer></body></html>' >"$OUT/page.html"
"$DOSSIER" --library "$OUT/page.sqlite" import "$OUT/page.html" --no-entities --json >"$OUT/page.json" 2>>"$OUT/smoke.log"
"$DOSSIER" --library "$OUT/page.sqlite" search cardiology --json >"$OUT/page-search.json" 2>>"$OUT/smoke.log"
check "a saved web page is read as an article" \
    json_check "[hit['title'] for hit in data] == ['Harbin forum opens']" "$OUT/page-search.json"
"$DOSSIER" --library "$OUT/pdf.sqlite" import "$REPO/packaging/fixtures/aes-128.pdf" --no-entities --json \
    >"$OUT/pdf.json" 2>>"$OUT/smoke.log"
check "a PDF encrypted with AES is read" \
    json_check "data['imported'] == 1 and not data['failed']" "$OUT/pdf.json"
printf 'smoke: %d passed, %d failed\n' "$passed" "$failed"
if [ "$failed" -ne 0 ]; then
    exit 1
fi
if [ -n "$temporary_home" ]; then
    rm -rf "$temporary_home"
fi
