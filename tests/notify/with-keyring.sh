#!/bin/sh
# Runs "$@" inside a private D-Bus session bus with an unlocked GNOME Keyring
# (Secret Service) in a temporary HOME, so that QtKeychain has a real keyring
# that is not the user's. Needs dbus-daemon and gnome-keyring (./dev TEST_PKGS).
set -eu
command -v dbus-run-session >/dev/null || { echo "with-keyring.sh: dbus-run-session missing (dbus-daemon)" >&2; exit 1; }
command -v gnome-keyring-daemon >/dev/null || { echo "with-keyring.sh: gnome-keyring-daemon missing (gnome-keyring)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
export VIGIL_TEST_KEYRING=1
# The daemon forks, registers org.freedesktop.secrets on the session bus and
# goes away with the bus when the session ends. The password unlocks (and
# first creates) the login keyring. Not exec'd: the EXIT trap removes the
# temporary HOME afterwards, and the test's status is passed on.
status=0
dbus-run-session -- sh -c 'printf %s vigil-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@" || status=$?
exit "$status"
