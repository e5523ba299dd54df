#!/usr/bin/env bash
# Starts the packaged service on a free port, runs the browser test against it, and stops the service.
#   mvn -o package -DskipTests && e2e/run.sh
# Environment: PONDER_MODEL_PATH (default: the embedded model), SCREENSHOT=docs/screenshot.png to save a
# picture, PONDER_JAVA_OPTS (default -Xmx2g), any other PONDER_* setting.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=app/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "e2e: $JAR missing; build it first: mvn -o package -DskipTests" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium missing; apt-get install -y chromium" >&2; exit 1; }
[ -d e2e/node_modules/playwright-core ] || (cd e2e && npm ci --no-audit --no-fund)

# 1. two free ports on loopback: the public one (page, API) and the management one (/q/health, /q/metrics)
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)
while [ "$MANAGEMENT_PORT" = "$PORT" ]; do MANAGEMENT_PORT=$(free_port); done
LOG=$(mktemp -t ponder-e2e.XXXXXX.log)

# 2. the service, stopped whatever happens next
java ${PONDER_JAVA_OPTS:--Xmx2g} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MANAGEMENT_PORT" -jar "$JAR" >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT

# 3. wait until the model is loaded and warmed up (readiness is on the management port)
READY="http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"
# (ready answers 200 only when every check is UP; a check's own "UP" inside a 503 body means nothing)
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "$READY" && break
  health=$(curl -s "$READY" || true)
  case "$health" in
    *'"failed"'*) echo "e2e: the model failed to load: $health" >&2; tail -40 "$LOG" >&2; exit 1 ;;
  esac
  kill -0 "$PID" 2>/dev/null || { echo "e2e: the service exited:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 1
done
curl -fs "$READY" >/dev/null \
  || { echo "e2e: not ready after 300 s" >&2; tail -40 "$LOG" >&2; exit 1; }

# 4. the browser test and the official OpenAI JavaScript client's test
status=0
PONDER_URL="http://127.0.0.1:$PORT" node --test e2e/page.test.mjs e2e/openai.test.mjs || status=$?
[ "$status" -eq 0 ] || { echo "e2e: service log tail:" >&2; tail -40 "$LOG" >&2; }
rm -f "$LOG"
exit "$status"
