#!/usr/bin/env bash
# Builds the Dockerfile with a real container engine (podman, root) and runs the image as a user
# would: `podman build --pull=never` on the unchanged Dockerfile, then a container with the env
# bootstrap, the HEALTHCHECK, psql from the host through the published port (README's "A first
# session", over TLS), a restart on the named volume, the non-root user, SIGTERM, an anonymous
# volume run with the GitHub Actions example's settings, the image size and the time to healthy.
#
# No registry is reachable here, so the two base images the Dockerfile names are made locally
# (and reused by later runs; --rebuild-base remakes them):
# - the runtime stage's `debian:bookworm-slim`: a bookworm minbase root file system from
#   debootstrap, slimmed and configured as the official image is (debuerreotype's slim variant);
# - the build stage's `rust:1.95-bookworm`: that base plus the build packages the official
#   image's buildpack-deps base has that a Rust/C build can pick up, and this machine's own Rust
#   toolchain of the version the tag names, laid out as the official image lays out rustup.
# Crates come from crates.io inside the build, as with Docker anywhere.
#
# The podman here runs with runc and cgroupfs and without default ulimits (the machine uses
# cgroup v1 and forbids raising rlimits); that configuration goes to CONTAINERS_CONF in a work
# directory, nothing in /etc changes. The build compiles RocksDB and DataFusion in release mode:
# about an hour on 2 shared cores, so scripts/test.sh does not run this. podman keeps the build's
# layers: a rerun reuses them unless the sources changed (.dockerignore keeps docs/ and scripts/
# out of the context, so fixing this script or the documentation does not recompile).
#
# Usage: scripts/image-check.sh [--rebuild-base]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
image=localhost/mindoodb:image-check
name=mindoodb-image-check
volume=mindoodb-image-check-data
build_log=${TMPDIR:-/tmp}/mindoodb-image-check.build.log
rebuild_base=0
case "${1:-}" in
    --rebuild-base) rebuild_base=1 ;;
    "") ;;
    *) echo "usage: scripts/image-check.sh [--rebuild-base]" >&2; exit 2 ;;
esac

say() { echo "image-check: $*"; }
fail() { echo "image-check: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "image-check: run as root (podman, debootstrap)" >&2; exit 2; }
bash "$repo/scripts/deps.sh" podman runc debootstrap openssl postgresql-client

work=$(mktemp -d /tmp/mindoodb-image-check.XXXXXX)
sleeper=""
cleanup() {
    [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
    podman rm -f -v "$name" "$name-actions" >/dev/null 2>&1 || true
    podman volume rm -f "$volume" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
export CONTAINERS_CONF=$work/containers.conf

# podman without systemd cannot schedule health checks (this script runs them itself) and says
# so on every run/stop; everything else it prints on stderr is shown.
pm() {
    local status=0
    podman "$@" 2>"$work/podman.stderr" || status=$?
    grep -v 'systemd' "$work/podman.stderr" >&2 || true
    return "$status"
}
# A short name means what Docker makes of it: docker.io/library/NAME.
qualified() { case "$1" in */*) echo "docker.io/$1" ;; *) echo "docker.io/library/$1" ;; esac; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

dockerfile=$repo/Dockerfile
build_from=$(sed -n 's/^FROM \([^ ]*\) AS build$/\1/p' "$dockerfile")
runtime_from=$(awk '/^FROM / { from = $2 } END { print from }' "$dockerfile")
[[ "$build_from" =~ ^rust:([0-9]+\.[0-9]+)-bookworm$ ]] || fail "build stage is FROM '$build_from', expected rust:X.Y-bookworm"
rust_minor=${BASH_REMATCH[1]}
[ "$runtime_from" = debian:bookworm-slim ] || fail "runtime stage is FROM '$runtime_from', expected debian:bookworm-slim"
runtime_base=$(qualified "$runtime_from")
build_base=$(qualified "$build_from")

# --- the runtime base: debian:bookworm-slim -------------------------------------------------
make_runtime_base() {
    local root=$work/rootfs
    say "debootstrap bookworm (minbase) for $runtime_base"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
    # What debuerreotype adds for the official image: the updates and security suites, apt and
    # dpkg settings for image builds, no service starts, and the slim variant's excluded paths.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/{groff,info,linda,locale,man}/* "$root"/usr/share/lintian/overrides/*
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
    : >"$root/etc/resolv.conf"
    tar -C "$root" --numeric-owner -cf - . \
        | pm import --quiet --change 'CMD ["bash"]' - "$runtime_base" >/dev/null
    rm -rf "$root"
}

# --- the build base: rust:X.Y-bookworm ------------------------------------------------------
# This machine's toolchain of the version the tag names (rustup toolchains are searched).
host_toolchain() {
    local tc version
    for tc in $(rustup toolchain list | awk '{ print $1 }'); do
        version=$(rustup run "$tc" rustc --version | awk '{ print $2 }')
        case "$version" in
            "$rust_minor".*) echo "$tc $version"; return ;;
        esac
    done
    fail "no rustup toolchain of Rust $rust_minor on this machine (rustup toolchain list)"
}

make_build_base() {
    local found tc version sysroot triple ctx=$work/builder
    found=$(host_toolchain)
    read -r tc version <<<"$found"
    sysroot=$(rustup run "$tc" rustc --print sysroot)
    triple=$(rustup run "$tc" rustc -vV | sed -n 's/^host: //p')
    say "$build_base from $runtime_base and this machine's Rust $version ($tc)"
    # rustup's layout in the official image: RUSTUP_HOME=/usr/local/rustup with one toolchain
    # named for the exact version, CARGO_HOME=/usr/local/cargo with rustup and its proxies.
    mkdir -p "$ctx/rustup/toolchains/$version-$triple" "$ctx/cargo/bin"
    tar -C "$sysroot" --exclude=./share/doc -cf - . | tar -C "$ctx/rustup/toolchains/$version-$triple" -xf -
    printf 'version = "12"\ndefault_toolchain = "%s"\nprofile = "minimal"\n' "$version-$triple" \
        >"$ctx/rustup/settings.toml"
    install -m 0755 "$(readlink -f "$(command -v rustup)")" "$ctx/cargo/bin/rustup"
    local proxy
    for proxy in cargo cargo-clippy cargo-fmt clippy-driver rustc rustdoc rustfmt; do
        ln -s rustup "$ctx/cargo/bin/$proxy"
    done
    # The certificate authorities this machine added to its trust store: where crates.io is
    # reached through a TLS-inspecting proxy, cargo in the build needs them as the host does.
    mkdir -p "$ctx/local-ca"
    find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -exec cp {} "$ctx/local-ca/" \;
    # The packages of buildpack-deps:bookworm (the official image's base) that a Rust or C
    # build can detect or use; its language-, image- and database-specific -dev packages are
    # left out. A build that works here needs nothing the official image lacks.
    cat >"$ctx/Containerfile" <<EOF
FROM $runtime_base
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase wget git \\
    procps autoconf automake bzip2 dpkg-dev file g++ gcc libbz2-dev libc6-dev libffi-dev \\
    liblzma-dev libssl-dev libtool make patch pkg-config unzip xz-utils zlib1g-dev \\
 && rm -rf /var/lib/apt/lists/*
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo \\
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    RUST_VERSION=$version
COPY local-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
COPY rustup /usr/local/rustup
COPY cargo /usr/local/cargo
RUN chmod -R a+w /usr/local/rustup /usr/local/cargo && rustup --version && cargo --version && rustc --version
EOF
    pm build --pull=never --format docker -t "$build_base" "$ctx" >"$work/builder.log" 2>&1 \
        || { tail -30 "$work/builder.log"; fail "building $build_base"; }
    rm -rf "$ctx"
}

if [ "$rebuild_base" = 1 ] || ! podman image exists "$runtime_base"; then
    make_runtime_base
    rebuild_base=1
else
    say "reusing $runtime_base (--rebuild-base remakes it)"
fi
if [ "$rebuild_base" = 1 ] || ! podman image exists "$build_base"; then
    make_build_base
else
    say "reusing $build_base (--rebuild-base remakes it)"
fi

# --- podman build on the unchanged Dockerfile -----------------------------------------------
# --format docker: the OCI image format has no HEALTHCHECK, and podman drops it there; Docker
# always writes this format.
say "podman build --pull=never --format docker -t $image $repo (log: $build_log)"
build_start=$(now)
podman build --pull=never --format docker -t "$image" -f "$dockerfile" "$repo" 2>&1 | tee "$build_log" \
    | { grep --line-buffered -E '^(\[[0-9]+/[0-9]+\] )?STEP [0-9]+/[0-9]+: (FROM|RUN|COPY)|^--> Using cache|^Successfully tagged' || true; } \
    || { tail -40 "$build_log"; fail "podman build"; }
build_seconds=$(since "$build_start")
image_bytes=$(podman image inspect --format '{{.Size}}' "$image")
base_bytes=$(podman image inspect --format '{{.Size}}' "$runtime_base")
image_mb=$(awk -v b="$image_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
base_mb=$(awk -v b="$base_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
say "built in ${build_seconds}s: $image is $image_mb MB ($runtime_base: $base_mb MB)"

results=()
pass() { say "ok: $*"; results+=("ok   $*"); }

# The image's configuration as the Dockerfile declares it.
config=$(podman image inspect --format \
    'user={{.Config.User}} ports={{json .Config.ExposedPorts}} volumes={{json .Config.Volumes}} stop={{.Config.StopSignal}} entrypoint={{json .Config.Entrypoint}} cmd={{json .Config.Cmd}} health={{json .HealthCheck.Test}}' \
    "$image")
expected='user=mindoodb ports={"5432/tcp":{}} volumes={"/var/lib/mindoodb":{}} stop=SIGTERM entrypoint=["/usr/local/bin/mindoodb"] cmd=["serve"] health=["CMD","pg_isready","-h","127.0.0.1","-p","5432","-q"]'
[ "$config" = "$expected" ] || fail "image config: $config"
pass "image config: USER mindoodb, EXPOSE 5432, VOLUME /var/lib/mindoodb, STOPSIGNAL SIGTERM, HEALTHCHECK pg_isready"

# --- the env bootstrap, as the compose example gives it -------------------------------------
port=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
secrets=$work/secrets init=$work/init
mkdir -p "$secrets" "$init"
password="check-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" >"$secrets/mindoodb_password"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost \
    -keyout "$secrets/mindoodb_tls_key" -out "$secrets/mindoodb_tls_crt" 2>/dev/null
chown 999:999 "$secrets/mindoodb_password" "$secrets/mindoodb_tls_key"
chmod 0400 "$secrets/mindoodb_password" "$secrets/mindoodb_tls_key"
chmod 0444 "$secrets/mindoodb_tls_crt"
printf 'CREATE TABLE inbox ();\n' >"$init/01-tables.sql"
chmod 0444 "$init/01-tables.sql"
chmod 0755 "$secrets" "$init"

# Runs the health check as an engine's scheduler would, until healthy; prints the seconds from
# $1 on. podman cannot schedule it without systemd here, so this is the scheduler.
wait_healthy() {
    local container=$1 start=$2
    for _ in $(seq 1 120); do
        if podman healthcheck run "$container" >/dev/null 2>&1; then
            since "$start"
            return
        fi
        [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] \
            || { podman logs "$container" >&2; fail "$container exited before it was healthy"; }
        sleep 0.25
    done
    podman logs "$container" >&2
    fail "$container not healthy after 30 s"
}

pg() { PGPASSWORD=$password psql "host=localhost port=$port user=app dbname=app sslmode=verify-full sslrootcert=$secrets/mindoodb_tls_crt" "$@"; }

podman volume rm -f "$volume" >/dev/null 2>&1 || true
podman rm -f -v "$name" >/dev/null 2>&1 || true
say "podman run with MINDOODB_USER, MINDOODB_PASSWORD_FILE, MINDOODB_DB, MINDOODB_INIT_SQL, TLS"
run_start=$(now)
pm run -d --name "$name" -p "127.0.0.1:$port:5432" \
    -e MINDOODB_USER=app -e MINDOODB_PASSWORD_FILE=/run/secrets/mindoodb_password \
    -e MINDOODB_DB=app -e MINDOODB_INIT_SQL=/docker-entrypoint-initdb.d \
    -e MINDOODB_TLS_CERT=/run/secrets/mindoodb_tls_crt -e MINDOODB_TLS_KEY=/run/secrets/mindoodb_tls_key \
    -v "$secrets:/run/secrets:ro" -v "$init:/docker-entrypoint-initdb.d:ro" \
    -v "$volume:/var/lib/mindoodb" "$image" >/dev/null
healthy_first=$(wait_healthy "$name" "$run_start")
[ "$(podman inspect --format '{{.State.Health.Status}}' "$name")" = healthy ] || fail "health status"
pass "HEALTHCHECK healthy ${healthy_first}s after podman run (first start, empty volume)"

tables=$(pg -Atc "SELECT table_name FROM mindoo.tables('*')")
[ "$tables" = inbox ] || fail "tables after bootstrap: '$tables'"
log=$(podman logs "$name" 2>&1)
grep -q 'ran init SQL file.*01-tables.sql' <<<"$log" || fail "no init SQL line in the log"
! grep -q 'generated password' <<<"$log" || fail "a password was generated despite MINDOODB_PASSWORD_FILE"
pass "bootstrap: role app (password from the file) in database app; init SQL created table inbox"

pid=$(podman inspect --format '{{.State.Pid}}' "$name")
ids=$(awk '/^(Uid|Gid):/ { print $2, $3, $4, $5 }' "/proc/$pid/status" | tr '\n' ' ')
[ "$ids" = "999 999 999 999 999 999 999 999 " ] || fail "server uids/gids: $ids"
[ "$(cat "/proc/$pid/comm")" = mindoodb ] || fail "pid 1 of the container is $(cat "/proc/$pid/comm")"
mountpoint=$(podman volume inspect --format '{{.Mountpoint}}' "$volume")
[ "$(stat -c '%u:%g %a' "$mountpoint")" = "999:999 700" ] || fail "volume root: $(stat -c '%u:%g %a' "$mountpoint")"
[ "$(stat -c %u "$mountpoint/CURRENT")" = 999 ] || fail "data files owned by $(stat -c %u "$mountpoint/CURRENT")"
pass "runs as uid/gid 999 (mindoodb) as the container's pid 1; the volume is 999:999 mode 700"

# --- README's "A first session", psql from the host over the published port -----------------
# Keys travel only over TLS or loopback; the published port reaches the server from the
# bridge's gateway address, so this is TLS, with the certificate verified.
token=$(pg -Atqc "SELECT mindoo.create_key('default')")
[[ "$token" == mdbk1.default.1.* ]] || fail "create_key returned no token"
session=$(pg -Atq -v ON_ERROR_STOP=1 2>&1 <<SQL
SET mindoo.keys = '$token';
CREATE TABLE crm2025 ();
INSERT INTO crm2025 (data) VALUES ('{"type":"customer","name":"ACME","revenue":10}') RETURNING id \gset acme_
INSERT INTO crm2025 (data) VALUES ('{"type":"customer","name":"Globex","revenue":5}') RETURNING id \gset globex_
SELECT data->>'name' FROM crm2025 WHERE data->>'type' = 'customer' ORDER BY 1;
UPDATE crm2025 SET data = data || '{"revenue":20}' WHERE id = :'acme_id';
CREATE TABLE crm2026 ();
CREATE VIEW crm AS SELECT * FROM crm2025 UNION ALL SELECT * FROM crm2026;
SELECT data->>'type', sum((data->>'revenue')::int) FROM crm GROUP BY 1;
DELETE FROM crm2025 WHERE id = :'globex_id';
SELECT data->>'name', data->>'revenue' FROM crm;
SQL
) || fail "README session: $session"
expected_session=$'ACME\nGlobex\ncustomer|25\nACME|20'
[ "$session" = "$expected_session" ] || fail "README session answered:"$'\n'"$session"
pass "README session over TLS via 127.0.0.1:$port: create_key, SET mindoo.keys, CREATE TABLE, INSERT ... RETURNING, SELECT, UPDATE, VIEW, DELETE"
refused=$(PGPASSWORD=$password psql "host=localhost port=$port user=app dbname=app sslmode=disable" \
    -Atq -v VERBOSITY=verbose -c "SET mindoo.keys = '$token'" 2>&1) && fail "keys accepted without TLS"
[[ "$refused" == *28000*"only be sent over TLS"* ]] || fail "keys without TLS: $refused"
pass "the same port without TLS refuses keys (28000): the server sees the bridge, not loopback"

# --- SIGTERM with a client connected, restart on the named volume -------------------------------
# An idle session: psql waits on a FIFO this script holds open.
mkfifo "$work/idle"
pg -q <"$work/idle" >/dev/null 2>&1 &
sleeper=$!
exec 7>"$work/idle"
sleep 1
stop_start=$(now)
pm stop "$name" >/dev/null
stop_seconds=$(since "$stop_start")
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$exit_code" = 0 ] || { podman logs "$name" >&2; fail "exit code $exit_code after podman stop"; }
awk -v s="$stop_seconds" 'BEGIN { exit !(s < 10) }' || fail "podman stop took ${stop_seconds}s (grace period 10 s)"
log=$(podman logs "$name" 2>&1)
grep -q 'shut down cleanly' <<<"$log" || fail "no 'shut down cleanly' in the log"
pass "podman stop (SIGTERM, an idle client connected): exit 0 after ${stop_seconds}s, shut down cleanly"
exec 7>&-
wait "$sleeper" || true
sleeper=""

start_start=$(now)
pm start "$name" >/dev/null
healthy_restart=$(wait_healthy "$name" "$start_start")
log=$(podman logs "$name" 2>&1)
[ "$(grep -c 'ran init SQL file' <<<"$log")" = 1 ] || fail "init SQL ran again on restart"
after=$(pg -Atq -v ON_ERROR_STOP=1 2>&1 <<SQL
SET mindoo.keys = '$token';
SELECT data->>'name', data->>'revenue' FROM crm;
SELECT string_agg(table_name, ',' ORDER BY table_name) FROM mindoo.tables('*');
SQL
) || fail "after restart: $after"
[ "$after" = $'ACME|20\ncrm2025,crm2026,inbox' ] || fail "after restart:"$'\n'"$after"
pass "podman stop + start: healthy ${healthy_restart}s after start; documents, tables and view survived; no second bootstrap"

pm stop "$name" >/dev/null
[ "$(podman inspect --format '{{.State.ExitCode}}' "$name")" = 0 ] || fail "second stop: exit code not 0"

# --- the GitHub Actions example: its env, its health options, an anonymous volume ------------
actions_port=$((port + 1))
while (exec 3<>"/dev/tcp/127.0.0.1/$actions_port") 2>/dev/null; do actions_port=$((actions_port + 1)); done
actions_start=$(now)
pm run -d --name "$name-actions" -p "127.0.0.1:$actions_port:5432" \
    -e MINDOODB_USER=test -e MINDOODB_PASSWORD=test -e MINDOODB_DB=test \
    --health-cmd "pg_isready -h 127.0.0.1 -p 5432" \
    --health-interval 2s --health-timeout 2s --health-retries 15 "$image" >/dev/null
healthy_actions=$(wait_healthy "$name-actions" "$actions_start")
one=$(psql "host=localhost port=$actions_port user=test password=test dbname=test" -Atc 'SELECT 1')
[ "$one" = 1 ] || fail "Actions example: SELECT 1 answered '$one'"
anon=$(podman inspect --format '{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}' "$name-actions")
[ "$anon" = "volume:/var/lib/mindoodb " ] || fail "Actions example mounts: $anon"
pm stop "$name-actions" >/dev/null
[ "$(podman inspect --format '{{.State.ExitCode}}' "$name-actions")" = 0 ] || fail "Actions example: exit code not 0"
pass "GitHub Actions example (MINDOODB_PASSWORD, --health-cmd pg_isready): healthy ${healthy_actions}s after run, SELECT 1, data on an anonymous volume"

echo
say "summary"
echo "  image:              $image, $image_mb MB (base $runtime_base: $base_mb MB)"
echo "  build:              ${build_seconds}s"
echo "  time to healthy:    ${healthy_first}s first start, ${healthy_restart}s restart (health check run every 0.25 s)"
echo "  stop (SIGTERM):     ${stop_seconds}s, exit 0"
printf '  %s\n' "${results[@]}"
say "ok"
