#!/usr/bin/env bash
# The Debian packages, built and unpacked as a user would get them:
#   tst_package.sh BUILD_DIR VERSION [gui]
# runs `cpack -G DEB` on BUILD_DIR (everything built already), unpacks each
# .deb with dpkg-deb -x into a scratch root, checks the files each package
# must carry and their control fields, validates the metainfo, the .desktop
# file, the man pages and the bash completion, and runs the installed
# vigilctl, vigil-job, vigil and the Python module. Any failure exits 1 with
# one line per problem. With "gui": the vigil package too.
set -uo pipefail

build=${1:?usage: tst_package.sh BUILD_DIR VERSION [gui]}
version=${2:?usage: tst_package.sh BUILD_DIR VERSION [gui]}
gui=${3:-}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/vigil-package.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    failures=$((failures + 1))
}
pass() { printf 'ok: %s\n' "$*"; }
need() {
    command -v "$1" >/dev/null || {
        printf 'FAIL: %s not found (Debian package %s; ./dev test installs it)\n' "$1" "$2" >&2
        exit 1
    }
}
need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need file file
need appstreamcli appstream
need desktop-file-validate desktop-file-utils
need groff groff-base

# 1. cpack, into the scratch directory (the build directory is left as it was).
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log" >&2
    fail "cpack -G DEB failed (is everything built? cmake --build $build)"
    exit 1
fi

packages=(vigilctl vigil-job python3-vigil-job)
[ "$gui" = gui ] && packages+=(vigil)
root="$scratch/root"
mkdir -p "$root"
for p in "${packages[@]}"; do
    arch=amd64
    [ "$p" = python3-vigil-job ] && arch=all
    deb="$scratch/out/${p}_${version}-1_${arch}.deb"
    if [ ! -f "$deb" ]; then
        fail "no package $(basename "$deb") (cpack made: $(cd "$scratch/out" && echo *.deb))"
        continue
    fi
    dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x $deb"
    printf 'ok: %s, %s bytes\n' "$(basename "$deb")" "$(stat -c %s "$deb")"
    printf '%s\n' "$(dpkg-deb -f "$deb" Depends)" >"$scratch/$p.depends"
done

# 2. Control fields: the helper comes with each front end, and the Qt and
# libssh dependencies come from dpkg-shlibdeps (versioned).
expect_depends() {
    local p=$1 pattern=$2
    [ -f "$scratch/$p.depends" ] || return 0
    grep -Eq "$pattern" "$scratch/$p.depends" ||
        fail "$p: Depends lacks /$pattern/: $(cat "$scratch/$p.depends")"
}
expect_depends vigilctl "vigil-job \(= $version-1\)"
expect_depends vigilctl 'libqt6core6 \(>= '
expect_depends vigilctl 'libssh-4 \(>= '
expect_depends vigilctl 'libqt6sql6-sqlite'
expect_depends python3-vigil-job '^python3$'
if [ "$gui" = gui ]; then
    expect_depends vigil "vigil-job \(= $version-1\)"
    expect_depends vigil 'libqt6widgets6 \(>= '
    expect_depends vigil 'qt6-qpa-plugins'
    expect_depends vigil 'libqt6svg6'
fi

# 3. The files each package carries.
expected=(usr/bin/vigilctl usr/bin/vigil-job
    usr/share/man/man1/vigilctl.1.gz usr/share/man/man1/vigil-job.1.gz
    usr/share/bash-completion/completions/vigilctl
    usr/lib/python3/dist-packages/vigil_job.py)
sizes=(16 22 24 32 48 64 128 256)
if [ "$gui" = gui ]; then
    expected+=(usr/bin/vigil usr/share/applications/vigil.desktop
        usr/share/icons/hicolor/scalable/apps/vigil.svg)
    for s in "${sizes[@]}"; do expected+=("usr/share/icons/hicolor/${s}x${s}/apps/vigil.png"); done
fi
for f in "${expected[@]}"; do
    [ -f "$root/$f" ] || fail "missing /$f"
done
pass "${#expected[@]} expected files checked"

# 4. The data files are valid.
if [ "$gui" = gui ]; then
    metainfo=("$root"/usr/share/metainfo/*.metainfo.xml)
    if [ -f "${metainfo[0]}" ]; then
        if appstreamcli validate --no-net "${metainfo[0]}" >"$scratch/validate.log" 2>&1; then
            pass "appstreamcli validate --no-net $(basename "${metainfo[0]}"):"
            sed '/^$/d; s/^/    /' "$scratch/validate.log"
        else
            fail "appstreamcli validate: $(cat "$scratch/validate.log")"
        fi
        grep -q '<launchable type="desktop-id">vigil.desktop</launchable>' "${metainfo[0]}" ||
            fail "the metainfo does not launch vigil.desktop"
    else
        fail "no /usr/share/metainfo/*.metainfo.xml"
    fi
    if desktop-file-validate "$root/usr/share/applications/vigil.desktop" >"$scratch/desktop.log" 2>&1; then
        pass "desktop-file-validate vigil.desktop"
    else
        fail "desktop-file-validate: $(cat "$scratch/desktop.log")"
    fi
    for s in "${sizes[@]}"; do
        png="$root/usr/share/icons/hicolor/${s}x${s}/apps/vigil.png"
        [ -f "$png" ] || continue
        file -b "$png" | grep -q "PNG image data, $s x $s" ||
            fail "${s}x${s}/apps/vigil.png is $(file -b "$png")"
    done
fi
for page in vigilctl vigil-job; do
    gz="$root/usr/share/man/man1/$page.1.gz"
    [ -f "$gz" ] || continue
    warnings=$(gzip -dc "$gz" | groff -man -Tutf8 -ww -z 2>&1)
    [ -z "$warnings" ] || fail "man page $page.1: $warnings"
    gzip -dc "$gz" | grep -qi "^\.TH ${page//-/\\\\-} 1" || fail "man page $page.1 has no .TH ${page^^} 1"
done
pass "man pages vigilctl.1, vigil-job.1 format without warnings"

completion="$root/usr/share/bash-completion/completions/vigilctl"
if [ -f "$completion" ]; then
    bash -n "$completion" || fail "bash -n vigilctl completion"
    # What Tab offers after "vigilctl dec", "vigilctl site r" and "--kind s".
    got=$(bash -c '
        source "$1"
        offer() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _vigilctl; echo "${COMPREPLY[*]}"; }
        offer vigilctl dec
        offer vigilctl -F cfg site r
        offer vigilctl site add x --kind s' _ "$completion" 2>&1)
    if [ "$got" = $'decide\nremove\nslurm ssh' ]; then
        pass "bash completion offers decide, remove, slurm ssh"
    else
        fail "bash completion offered: $got"
    fi
fi

# 5. The installed programs run (system Qt and libssh; no LD_LIBRARY_PATH).
out=$("$root/usr/bin/vigilctl" --version 2>&1)
if [ "$out" = "vigilctl $version" ]; then
    pass "usr/bin/vigilctl --version: $out"
else
    fail "usr/bin/vigilctl --version printed: $out"
fi
out=$("$root/usr/bin/vigil-job" --help 2>&1)
if grep -q '^usage: vigil-job COMMAND' <<<"$out"; then
    pass "usr/bin/vigil-job --help"
else
    fail "usr/bin/vigil-job --help printed: $out"
fi
out=$(PYTHONPATH="$root/usr/lib/python3/dist-packages" python3 -c \
    'import vigil_job, os; print(os.path.relpath(vigil_job.__file__, os.environ["PYTHONPATH"]))' 2>&1)
if [ "$out" = vigil_job.py ]; then
    pass "python3 -c 'import vigil_job' from the unpacked dist-packages"
else
    fail "import vigil_job: $out"
fi
if [ "$gui" = gui ]; then
    out=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/vigil" --version 2>&1)
    if grep -qx "vigil $version" <<<"$out"; then
        pass "usr/bin/vigil --version: vigil $version"
    else
        fail "usr/bin/vigil --version printed: $out"
    fi
fi

if [ "$failures" -ne 0 ]; then
    printf '%d problem(s) with the Debian packages\n' "$failures" >&2
    exit 1
fi
echo "all Debian packages good"
