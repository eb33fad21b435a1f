#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tst_translations: every string the GUI shows has a Spanish and a Catalan
# translation. Usage: check-translations.sh SOURCE_DIR
#
# Copies translations/vigil_{es,ca}.ts of SOURCE_DIR to a temporary
# directory, brings the copies up to date with the sources as they are now
# (lupdate, the same files and options as qt_add_translations in
# app/gui/CMakeLists.txt), then fails, listing the source texts, when a
# message is unfinished or has an empty translation, or when lrelease counts
# one as unfinished or untranslated. The tree itself is never written.
# LUPDATE and LRELEASE name the tools (default: Qt 6's in /usr/lib/qt6/bin).
set -euo pipefail

src=${1:?usage: check-translations.sh SOURCE_DIR}
lupdate=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
lrelease=${LRELEASE:-/usr/lib/qt6/bin/lrelease}
languages=(es ca)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same sources as the CMake glob in app/gui/CMakeLists.txt.
shopt -s nullglob
sources=("$src"/ui/*.cpp "$src"/ui/*.h "$src"/core/models/*.cpp "$src"/core/models/*.h
    "$src"/core/notify/*.cpp "$src"/app/gui/*.cpp)
shopt -u nullglob
if ((${#sources[@]} == 0)); then
    echo "no sources under $src" >&2
    exit 2
fi

failed=0
for lang in "${languages[@]}"; do
    ts="$tmp/vigil_$lang.ts"
    cp "$src/translations/vigil_$lang.ts" "$ts"
    if ! "$lupdate" -silent -no-obsolete -locations none "${sources[@]}" -ts "$ts" \
        >"$tmp/lupdate.log" 2>&1; then
        cat "$tmp/lupdate.log" >&2
        exit 2
    fi

    # Messages whose translation is unfinished or empty (every plural form).
    python3 - "$ts" >"$tmp/missing.txt" <<'PY'
import sys
import xml.etree.ElementTree as ET

for context in ET.parse(sys.argv[1]).getroot().iter('context'):
    name = context.findtext('name')
    for message in context.iter('message'):
        translation = message.find('translation')
        if translation.get('type') == 'unfinished':
            why = 'unfinished'
        elif translation.get('type') in ('obsolete', 'vanished'):
            continue
        else:
            forms = translation.findall('numerusform')
            texts = [f.text or '' for f in forms] if forms else [translation.text or '']
            if all(t.strip() for t in texts):
                continue
            why = 'empty'
        source = message.findtext('source').replace('\n', '\\n')
        print(f'  [{name}] "{source}" ({why})')
PY

    stats=$("$lrelease" "$ts" -qm "$tmp/vigil_$lang.qm" 2>&1)
    finished=$(sed -n 's/.*(\([0-9]*\) finished and.*/\1/p' <<<"$stats")
    unfinished=$(sed -n 's/.* and \([0-9]*\) unfinished).*/\1/p' <<<"$stats")
    untranslated=$(sed -n 's/.*Ignored \([0-9]*\) untranslated.*/\1/p' <<<"$stats")
    finished=${finished:-0} unfinished=${unfinished:-0} untranslated=${untranslated:-0}

    if [[ -s "$tmp/missing.txt" ]] || ((unfinished > 0 || untranslated > 0)); then
        failed=1
        echo "$lang: $finished finished, $unfinished unfinished, $untranslated untranslated; not translated:"
        cat "$tmp/missing.txt"
    else
        echo "$lang: $finished finished, 0 unfinished"
    fi
done

if ((failed)); then
    echo "Translate these in translations/vigil_<lang>.ts (lupdate as in app/gui/CMakeLists.txt, then Qt Linguist)."
    exit 1
fi
