#!/usr/bin/env bash
# Container smoke test (`npm run test:container`): lints the Dockerfile, builds the image, runs it the
# way the README does (settings as env vars, a fixtures folder mounted), waits for the image's own
# HEALTHCHECK, requests the docs example (served from the default fixtures inside the image), checks
# that the env settings and the mounted fixtures took effect, that the server is not root and is
# PID 1, then sends SIGTERM with a hung request in flight and expects exit 0 within 2 s. Last, as a
# Compose file would: a receiver container and a mock with --deliver live and --deliver-allow for the
# receiver's service name on one network; one triggered delivery must arrive signed and be logged.
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
# The image is then run by id: another build re-tagging $IMAGE meanwhile cannot swap it.
build_args=(build -t "$IMAGE" --iidfile "/tmp/$NAME.iid")
[ "$engine" = podman ] && build_args+=(--format docker)
[ "${NO_CACHE:-0}" = 1 ] && build_args+=(--no-cache)
started=$(now_ms)
$engine "${build_args[@]}" . >/tmp/$NAME.build.log 2>&1 || { tail -40 /tmp/$NAME.build.log >&2; fail "$engine build failed"; }
build_ms=$(( $(now_ms) - started ))
image_id=$(cat "/tmp/$NAME.iid")
size=$($engine image inspect --format '{{.Size}}' "$image_id")
say "built $IMAGE in $(( build_ms / 1000 )).$(( build_ms % 1000 / 100 )) s$([ "${NO_CACHE:-0}" = 1 ] && echo ' (cold, --no-cache)'), image size $(( size / 1000000 )) MB"
healthcheck=$($engine image inspect --format '{{json .Config.Healthcheck}}' "$image_id")
case "$healthcheck" in *__mock/health*) ;; *) fail "the image has no HEALTHCHECK calling /__mock/health (got $healthcheck)";; esac

# 3. Run as the README does: settings as env vars (the ones below change what step 5 sees) and a
#    fixtures folder of the user's mounted read-only. The default fixtures must come from the image.
fixtures=$(mktemp -d "/tmp/$NAME.fixtures.XXXXXX")
cat >"$fixtures/mine.yaml" <<'EOF'
open_world: false
agents:
  - id: container-agent
    webhooks:
      - { id: container-webhook, total: 7 }
  - id: compose-agent
    webhooks:
      - { id: compose-hook, total: 0, webhook_url: "http://receiver:3000/hook", webhook_secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, events: [event_phone_call_ended] }
EOF
chmod -R a+rX "$fixtures"
cleanup() {
  $engine rm -f "$NAME" "$NAME-live" "$NAME-receiver" >/dev/null 2>&1 || true
  $engine network rm -f "$NAME-net" >/dev/null 2>&1 || true
  rm -rf "/tmp/$NAME.build.log" "/tmp/$NAME.iid" "$fixtures"
}
trap cleanup EXIT
# --read-only and no capabilities: what deploy/kubernetes.yaml's securityContext asks of the image.
run_args=(run -d --name "$NAME" -p 127.0.0.1::4010 --read-only --cap-drop=ALL --security-opt=no-new-privileges
  -e TALKOVER_MOCK_SEED=42 -e TALKOVER_MOCK_LATENCY=300 -e TALKOVER_MOCK_RETRY_SETTLE_MS=0
  -v "$fixtures:/fixtures:ro" -e TALKOVER_MOCK_FIXTURES=/fixtures)
$engine "${run_args[@]}" "$image_id" >/dev/null 2>&1 || fail "$engine run failed: $($engine logs "$NAME" 2>&1 | tail -20)"
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

# 5. The docs example, as a client outside the container sends it, then what the settings changed.
node --input-type=module - "http://127.0.0.1:$port" "$TOKEN" "$DOCS_URL_PATH" <<'EOF' || fail "the container did not answer as expected"
const [base, token, docsPath] = process.argv.slice(2)
const headers = { Authorization: `Bearer ${token}` }
const logs = (agent, webhook) => `${base}/api/v1/agents/${agent}/webhooks/${webhook}/logs`
const problems = []
const check = (ok, problem) => ok || problems.push(problem)

const started = performance.now()
const res = await fetch(base + docsPath, { headers })
const took = performance.now() - started
const body = await res.json()
check(res.status === 200, `docs example: status ${res.status}`)
check(res.headers.get('x-mock-seed') === '42', `x-mock-seed ${res.headers.get('x-mock-seed')} (TALKOVER_MOCK_SEED=42 did not reach the CLI)`)
check(body.success === true && body.pagination?.per_page === 50 && body.data?.length === 50, `docs example body ${JSON.stringify(body).slice(0, 300)}`)
check(body.pagination?.total === 247 && body.data?.[0]?.id === 'log-uuid-1', `docs example: total ${body.pagination?.total}, first row ${body.data?.[0]?.id} (the default fixtures are not in the image)`)
check(took >= 300, `docs example answered in ${Math.round(took)} ms (TALKOVER_MOCK_LATENCY=300 did not reach the CLI)`)

const mine = await (await fetch(logs('container-agent', 'container-webhook'), { headers })).json()
check(mine.pagination?.total === 7, `mounted fixture: total ${mine.pagination?.total}, expected 7 (TALKOVER_MOCK_FIXTURES=/fixtures was not read)`)
const stranger = await fetch(logs('someone-else', 'x'), { headers })
check(stranger.status === 404, `unknown agent: status ${stranger.status}, expected 404 (the mounted open_world: false was not applied)`)

const retried = await fetch(`${logs('agent-uuid', 'webhook-uuid')}/log-uuid-2/retry`, { method: 'POST', headers })
const queued = (await retried.json()).data
const top = (await (await fetch(`${logs('agent-uuid', 'webhook-uuid')}?per_page=1`, { headers })).json()).data?.[0]
check(retried.status === 200 && top?.id === queued?.log_id, `retry: status ${retried.status}, top row ${top?.id}, queued ${queued?.log_id}`)
check(top?.status === 'success' || top?.status === 'failed', `retried row is ${top?.status} (TALKOVER_MOCK_RETRY_SETTLE_MS=0 should settle it at once)`)

if (problems.length) { console.error(problems.join('\n')); process.exit(1) }
console.log(`container test: docs example → 200, ${body.data.length} rows of ${body.pagination.total} in ${Math.round(took)} ms; mounted fixtures, latency and retry settle applied`)
EOF
logs=$($engine logs "$NAME" 2>&1) # not piped into grep -q: with pipefail, an early grep exit fails the pipe
case "$logs" in *'listening on http://0.0.0.0:4010 (seed 42)'*) ;; *) fail "no 'listening on http://0.0.0.0:4010 (seed 42)' line in: $logs";; esac

# 6. Not root, and node itself is PID 1 (so SIGTERM reaches the CLI's handler directly).
ids=$($engine exec "$NAME" sh -c 'id -u; awk "/^Uid:/ {print \$2}" /proc/1/status; tr "\0" " " </proc/1/cmdline; echo; tr "\0" "\n" </proc/1/environ | grep "^NODE_OPTIONS="')
exec_uid=$(sed -n 1p <<<"$ids"); pid1_uid=$(sed -n 2p <<<"$ids"); pid1_cmd=$(sed -n 3p <<<"$ids")
[ "$exec_uid" != 0 ] && [ "$pid1_uid" != 0 ] || fail "runs as root (exec uid $exec_uid, PID 1 uid $pid1_uid)"
case "$pid1_cmd" in "node dist/bin.js"*) ;; *) fail "PID 1 is '$pid1_cmd', expected node dist/bin.js";; esac
# The image caps the old space in NODE_OPTIONS and runs the bin, which sets the small young
# generation's run-time flags in its own process: node dist/bin.js is PID 1 (docs/docker.md).
pid1_node_options=$(sed -n 4p <<<"$ids")
case "$pid1_node_options" in NODE_OPTIONS=--max-old-space-size=128*) ;; *) fail "PID 1 has '$pid1_node_options', expected NODE_OPTIONS=--max-old-space-size=128";; esac
say "runs as uid $pid1_uid, PID 1 is '$pid1_cmd' with $pid1_node_options"

# 7. SIGTERM → graceful exit 0 within 2 s, even with a request hanging (X-Mock-Fault: hang holds it
#    for 30 s unless the server lets go on shutdown).
node -e "fetch(process.argv[1], { headers: { Authorization: 'Bearer $TOKEN', 'X-Mock-Fault': 'hang' } }).then((r) => console.log('answered', r.status), (e) => console.log(e.message))" \
  "http://127.0.0.1:$port$DOCS_URL_PATH" >"/tmp/$NAME.hang.log" 2>&1 &
hang_pid=$!
sleep 0.5 # past the 300 ms latency: the request is now hanging
started=$(now_ms)
$engine kill --signal TERM "$NAME" >/dev/null
code=$($engine wait "$NAME" | tail -1)
stop_ms=$(( $(now_ms) - started ))
wait "$hang_pid" || true
hang=$(cat "/tmp/$NAME.hang.log"); rm -f "/tmp/$NAME.hang.log"
[ "$code" = 0 ] || fail "exit code $code after SIGTERM (expected 0): $($engine logs "$NAME" 2>&1 | tail -5)"
[ "$stop_ms" -lt 2000 ] || fail "took ${stop_ms} ms to exit after SIGTERM with a hung request (limit 2000 ms)"
[ "$hang" = "fetch failed" ] || fail "the hung request saw '$hang', expected its connection closed (fetch failed)"
say "SIGTERM with a hung request in flight → exit 0 in ${stop_ms} ms"

# 8. Live delivery between two containers, as in docs/receiver.md's Compose file: the receiver is
#    reachable by its service name only, which --deliver-allow names. It prints each request as JSON.
$engine network create "$NAME-net" >/dev/null || fail "$engine network create failed"
receiver_js='require("http").createServer((q,s)=>{let b="";q.on("data",c=>b+=c);q.on("end",()=>{console.log(JSON.stringify({url:q.url,headers:q.headers,body:b}));s.writeHead(200,{"content-type":"application/json"}).end("{}")})}).listen(3000)'
$engine run -d --name "$NAME-receiver" --network "$NAME-net" --network-alias receiver --no-healthcheck --entrypoint node "$image_id" -e "$receiver_js" >/dev/null 2>&1 ||
  fail "could not start the receiver container"
$engine run -d --name "$NAME-live" --network "$NAME-net" -p 127.0.0.1::4010 -v "$fixtures:/fixtures:ro" -e TALKOVER_MOCK_FIXTURES=/fixtures \
  -e TALKOVER_MOCK_DELIVER=live -e TALKOVER_MOCK_DELIVER_ALLOW=receiver:3000 "$image_id" >/dev/null 2>&1 || fail "could not start the live mock container"
live_port=$($engine port "$NAME-live" 4010/tcp | head -1 | sed 's/.*://')
node --input-type=module - "http://127.0.0.1:$live_port" "$TOKEN" <<'EOF' || fail "live delivery between containers did not work: $($engine logs "$NAME-live" 2>&1 | tail -5)"
const [base, token] = process.argv.slice(2)
const sleep = (ms) => new Promise((done) => setTimeout(done, ms))
for (let i = 0; i < 60; i++) {
  if (await fetch(`${base}/__mock/health`).then((r) => r.ok, () => false)) break
  await sleep(500)
}
const body = JSON.stringify({ agent_id: 'compose-agent', webhook_id: 'compose-hook', event: 'event_phone_call_ended' })
const res = await fetch(`${base}/__mock/deliveries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
if (res.status !== 202) throw new Error(`POST /__mock/deliveries answered ${res.status}: ${await res.text()}`)
let row
for (let i = 0; i < 100 && row?.status !== 'success'; i++) {
  await sleep(100)
  const logs = await fetch(`${base}/api/v1/agents/compose-agent/webhooks/compose-hook/logs`, { headers: { Authorization: `Bearer ${token}` } })
  row = (await logs.json()).data[0]
}
if (row?.status !== 'success' || row.http_status !== 200) throw new Error(`the attempt's row is ${JSON.stringify(row)}`)
EOF
received=$($engine logs "$NAME-receiver" 2>&1)
case "$received" in *'"webhook-signature":"v1,'*) ;; *) fail "the receiver container got no signed delivery: $received";; esac
case "$received" in *'"user-agent":"Talkover-Webhooks/mock"'*) ;; *) fail "the receiver container got no delivery from the mock: $received";; esac
say "live delivery to the receiver service (--deliver-allow receiver:3000) → signed, logged as success"

# 10. The Testcontainers module (talkover-mock/testcontainers) against this engine's Docker API:
#     podman serves a Docker-compatible socket for it (Ryuk, the reaper container, is not needed).
if [ "$engine" = podman ]; then
  sock="/tmp/$NAME.podman.sock"
  podman system service --time=0 "unix://$sock" >/dev/null 2>&1 &
  service_pid=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
  docker_host="unix://$sock"
else
  service_pid=""
  docker_host=${DOCKER_HOST:-unix:///var/run/docker.sock}
fi
tc_ok=1
# Its own reporters only: the JSON report is npm test's, which .ci/run counts after this script.
DOCKER_HOST=$docker_host TESTCONTAINERS_RYUK_DISABLED=true TALKOVER_MOCK_TEST_IMAGE=$IMAGE \
  npx --no-install vitest run --project mock --reporter=default test/testcontainers.test.ts >"/tmp/$NAME.tc.log" 2>&1 || tc_ok=0
[ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null
grep -q "1 passed" "/tmp/$NAME.tc.log" || tc_ok=0
[ "$tc_ok" = 1 ] || { tail -40 "/tmp/$NAME.tc.log" >&2; fail "the Testcontainers module test failed"; }
rm -f "/tmp/$NAME.tc.log"
say "TalkoverMockContainer (Testcontainers over $engine's Docker API) → ready on /__mock/ready, fixtures copied in, failNext and expectCount through client()"
say "PASS"
