#!/usr/bin/env bash
# Checks the Dockerfile's runtime stage on a machine without a Docker engine (root needed):
# builds a Debian bookworm minbase root file system with debootstrap (what debian:bookworm-slim
# is made from), runs the runtime stage's RUN step in it with chroot, copies in a release
# binary, then starts it as uid 999 with the image's ENV plus the env bootstrap
# (MINDOODB_USER, MINDOODB_PASSWORD_FILE, MINDOODB_DB, MINDOODB_INIT_SQL) in a network
# namespace of its own, runs the HEALTHCHECK command and a psql query inside the root, sends
# SIGTERM and expects exit status 0.
#
# Not checked (needs an engine): the build stage, `docker build` itself, VOLUME and EXPOSE.
# Takes a few minutes and downloads Debian packages, so scripts/test.sh does not run it.
#
# Usage: scripts/docker-check.sh [PATH_TO_RELEASE_MINDOODB]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$repo/target}/release/mindoodb}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ -x "$bin" ] || { echo "docker-check: no release binary at $bin (cargo build --release)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "docker-check: run as root (debootstrap, chroot)" >&2; exit 2; }
bash "$repo/scripts/deps.sh" debootstrap

work=$(mktemp -d /tmp/mindoodb-docker-check.XXXXXX)
root=$work/rootfs
cleanup() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The Dockerfile's runtime stage: from its FROM to the end.
runtime_stage=$(sed -n '/^FROM debian:bookworm-slim/,$p' "$repo/Dockerfile")
[ -n "$runtime_stage" ] || { echo "docker-check: no 'FROM debian:bookworm-slim' stage" >&2; exit 1; }
# Its RUN instruction, continuation lines joined.
run_step=$(printf '%s\n' "$runtime_stage" | sed -n '/^RUN /,/[^\\]$/p' | sed 's/^RUN //; s/\\$//' | tr '\n' ' ')
# Its ENV pairs (one ENV instruction, KEY=VALUE pairs, continuation lines joined).
env_pairs=$(printf '%s\n' "$runtime_stage" | sed -n '/^ENV /,/[^\\]$/p' | sed 's/^ENV //; s/\\$//' | tr '\n' ' ')
# The HEALTHCHECK's CMD as a shell command line.
health=$(printf '%s\n' "$runtime_stage" | sed -n '/^HEALTHCHECK/,/CMD/p' | grep -o 'CMD \[.*\]' \
    | sed 's/^CMD \[//; s/\]$//; s/", "/ /g; s/"//g')
grep -q '^USER mindoodb' <<<"$runtime_stage" || { echo "docker-check: the image does not run as mindoodb" >&2; exit 1; }

echo "docker-check: debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"

echo "docker-check: RUN $run_step"
chroot "$root" /bin/sh -ec "$run_step"
install -m 0755 "$bin" "$root/usr/local/bin/mindoodb"
[ "$(chroot "$root" id -u mindoodb)" = 999 ] || { echo "docker-check: mindoodb is not uid 999" >&2; exit 1; }
[ "$(stat -c '%u %a' "$root/var/lib/mindoodb")" = "999 700" ] \
    || { echo "docker-check: /var/lib/mindoodb is not owned by 999 with mode 700" >&2; exit 1; }

# The env bootstrap as a compose file would give it: a password file and an init SQL dir.
mkdir -p "$root/run/secrets" "$root/docker-init"
printf 'check-password\n' >"$root/run/secrets/pw"
printf 'CREATE TABLE crm ();\n' >"$root/docker-init/01-tables.sql"
chmod 0444 "$root/run/secrets/pw" "$root/docker-init/01-tables.sql"

echo "docker-check: serve as uid 999 with ENV $env_pairs"
unshare --net --fork /bin/bash -s "$root" "$env_pairs" "$health" <<'NETNS'
set -euo pipefail
root=$1 env_pairs=$2 health=$3
ip link set lo up
# shellcheck disable=SC2086 # the ENV pairs are words on purpose
chroot --userspec=999:999 "$root" /usr/bin/env -i HOME=/var/lib/mindoodb $env_pairs \
    MINDOODB_USER=app MINDOODB_PASSWORD_FILE=/run/secrets/pw MINDOODB_DB=appdb \
    MINDOODB_INIT_SQL=/docker-init /usr/local/bin/mindoodb serve >"$root/tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
    # shellcheck disable=SC2086 # the health check is words on purpose
    if chroot --userspec=999:999 "$root" $health; then break; fi
    sleep 0.1
done
# shellcheck disable=SC2086
chroot --userspec=999:999 "$root" $health || { cat "$root/tmp/server.log"; echo "docker-check: HEALTHCHECK failed" >&2; exit 1; }
echo "docker-check: HEALTHCHECK ($health) passed"
answer=$(chroot --userspec=999:999 "$root" /usr/bin/env PGPASSWORD=check-password \
    psql "host=127.0.0.1 port=5432 user=app dbname=appdb sslmode=disable" -Atc \
    "SELECT table_name FROM mindoo.tables('*')")
[ "$answer" = crm ] || { cat "$root/tmp/server.log"; echo "docker-check: psql answered '$answer'" >&2; exit 1; }
echo "docker-check: psql as the bootstrapped role sees the init SQL's table"
kill -TERM "$server"
status=0
wait "$server" || status=$?
[ "$status" = 0 ] || { cat "$root/tmp/server.log"; echo "docker-check: exit status $status after SIGTERM" >&2; exit 1; }
grep -q "shut down cleanly" "$root/tmp/server.log"
owner=$(stat -c %u "$root/var/lib/mindoodb/CURRENT")
[ "$owner" = 999 ] || { echo "docker-check: data files owned by $owner" >&2; exit 1; }
echo "docker-check: SIGTERM -> exit 0; data files owned by uid 999"
NETNS
echo "docker-check: ok"
