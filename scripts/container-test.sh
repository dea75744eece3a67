#!/usr/bin/env bash
# Container smoke test (`npm run test:container`): lints the Dockerfile, builds the image, runs it the
# way the README does, waits for the image's own HEALTHCHECK, requests the docs example, checks the
# server is not root and is PID 1, then sends SIGTERM and expects exit 0 within 2 s.
# Uses docker when a daemon answers, else podman (run ../shared/container/make-base-image.sh first on
# a machine that cannot pull base images). Exits non-zero with the reason on any failure.
#   CONTAINER_ENGINE=podman|docker  force an engine      NO_CACHE=1  measure a cold build
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-talkover-mock:test}
NAME=talkover-mock-test-$$
TOKEN=talq_your_environment_token_here
DOCS_URL_PATH='/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50'

say() { echo "container test: $*"; }
fail() { echo "container test: FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

if [ -n "${CONTAINER_ENGINE:-}" ]; then engine=$CONTAINER_ENGINE
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker
elif command -v podman >/dev/null 2>&1; then engine=podman
else fail "neither podman nor a running docker daemon was found. Please install podman (bash ../shared/container/make-base-image.sh does) or start docker."
fi
say "using $engine ($($engine --version))"

# 1. Lint: dockerfile-utils exits 0 on warnings, so any output at all is a failure.
lint=$(npx --no-install dockerfile-utils lint Dockerfile 2>&1) || true
[ -z "$lint" ] || fail "dockerfile-utils lint Dockerfile reported problems:
$lint"
say "Dockerfile lint clean"

# 2. Build. podman writes OCI images unless told otherwise, and OCI has no HEALTHCHECK.
build_args=(build -t "$IMAGE")
[ "$engine" = podman ] && build_args+=(--format docker)
[ "${NO_CACHE:-0}" = 1 ] && build_args+=(--no-cache)
started=$(now_ms)
$engine "${build_args[@]}" . >/tmp/$NAME.build.log 2>&1 || { tail -40 /tmp/$NAME.build.log >&2; fail "$engine build failed"; }
build_ms=$(( $(now_ms) - started ))
size=$($engine image inspect --format '{{.Size}}' "$IMAGE")
say "built $IMAGE in $(( build_ms / 1000 )).$(( build_ms % 1000 / 100 )) s$([ "${NO_CACHE:-0}" = 1 ] && echo ' (cold, --no-cache)'), image size $(( size / 1000000 )) MB"
healthcheck=$($engine image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
case "$healthcheck" in *__mock/health*) ;; *) fail "the image has no HEALTHCHECK calling /__mock/health (got $healthcheck)";; esac

# 3. Run as the README does, with a setting passed as an env var and fixtures mounted when present.
cleanup() { $engine rm -f "$NAME" >/dev/null 2>&1 || true; rm -f /tmp/$NAME.build.log; }
trap cleanup EXIT
# --read-only and no capabilities: what deploy/kubernetes.yaml's securityContext asks of the image.
run_args=(run -d --name "$NAME" -p 127.0.0.1::4010 --read-only --cap-drop=ALL --security-opt=no-new-privileges -e TALKOVER_MOCK_SEED=42)
if [ -d fixtures/default ]; then
  run_args+=(-v "$PWD/fixtures/default:/fixtures:ro" -e TALKOVER_MOCK_FIXTURES=/fixtures)
  say "mounting fixtures/default at /fixtures"
fi
$engine "${run_args[@]}" "$IMAGE" >/dev/null 2>&1 || fail "$engine run failed: $($engine logs "$NAME" 2>&1 | tail -20)"
port=$($engine port "$NAME" 4010/tcp | head -1 | sed 's/.*://')
[ -n "$port" ] || fail "could not find the host port mapped to 4010"

# 4. Wait for healthy, using the image's own check (podman has no timer without systemd).
healthy=0
for _ in $(seq 1 60); do
  if [ "$engine" = podman ]; then
    podman healthcheck run "$NAME" >/dev/null 2>&1 && healthy=1
  else
    [ "$(docker inspect --format '{{.State.Health.Status}}' "$NAME")" = healthy ] && healthy=1
  fi
  [ "$healthy" = 1 ] && break
  [ "$($engine inspect --format '{{.State.Running}}' "$NAME")" = true ] || fail "the container exited: $($engine logs "$NAME" 2>&1 | tail -20)"
  sleep 0.5
done
[ "$healthy" = 1 ] || fail "not healthy after 30 s: $($engine logs "$NAME" 2>&1 | tail -20)"
say "healthy on host port $port"

# 5. The docs example, as a client outside the container sends it.
node --input-type=module - "http://127.0.0.1:$port$DOCS_URL_PATH" "$TOKEN" <<'EOF' || fail "the docs request was not answered as expected"
const [url, token] = process.argv.slice(2)
const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
const body = await res.json()
const problems = []
if (res.status !== 200) problems.push(`status ${res.status}`)
if (res.headers.get('x-mock-seed') !== '42') problems.push(`x-mock-seed ${res.headers.get('x-mock-seed')} (TALKOVER_MOCK_SEED=42 did not reach the CLI)`)
if (body.success !== true || body.pagination?.per_page !== 50) problems.push(`body ${JSON.stringify(body).slice(0, 300)}`)
if (body.data?.length !== Math.min(50, body.pagination?.total)) problems.push(`${body.data?.length} rows for total ${body.pagination?.total}`)
if (problems.length) { console.error(problems.join('; ')); process.exit(1) }
console.log(`container test: docs example → 200, ${body.data.length} rows of ${body.pagination.total}`)
EOF
logs=$($engine logs "$NAME" 2>&1) # not piped into grep -q: with pipefail, an early grep exit fails the pipe
case "$logs" in *'listening on http://0.0.0.0:4010 (seed 42)'*) ;; *) fail "no 'listening on http://0.0.0.0:4010 (seed 42)' line in: $logs";; esac

# 6. Not root, and node itself is PID 1 (so SIGTERM reaches the CLI's handler directly).
ids=$($engine exec "$NAME" sh -c 'id -u; awk "/^Uid:/ {print \$2}" /proc/1/status; tr "\0" " " </proc/1/cmdline')
exec_uid=$(sed -n 1p <<<"$ids"); pid1_uid=$(sed -n 2p <<<"$ids"); pid1_cmd=$(sed -n 3p <<<"$ids")
[ "$exec_uid" != 0 ] && [ "$pid1_uid" != 0 ] || fail "runs as root (exec uid $exec_uid, PID 1 uid $pid1_uid)"
case "$pid1_cmd" in "node dist/cli.js"*) ;; *) fail "PID 1 is '$pid1_cmd', expected node dist/cli.js";; esac
say "runs as uid $pid1_uid, PID 1 is '$pid1_cmd'"

# 7. SIGTERM → graceful exit 0 within 2 s.
started=$(now_ms)
$engine kill --signal TERM "$NAME" >/dev/null
code=$($engine wait "$NAME" | tail -1)
stop_ms=$(( $(now_ms) - started ))
[ "$code" = 0 ] || fail "exit code $code after SIGTERM (expected 0): $($engine logs "$NAME" 2>&1 | tail -5)"
[ "$stop_ms" -lt 2000 ] || fail "took ${stop_ms} ms to exit after SIGTERM (limit 2000 ms)"
say "SIGTERM → exit 0 in ${stop_ms} ms"
say "PASS"
