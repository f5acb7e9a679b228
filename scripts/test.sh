#!/usr/bin/env bash
# Runs lint, the type check and every test: on embedded PGlite and on a throwaway PostgreSQL server that this script installs (Debian's
# package, when missing) and starts on a Unix socket. Ends with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

# The whole run (no test files named) starts with Biome's lint rules and the type check; either failing fails it.
if [ "$#" -eq 0 ]; then
  if ! npm run -s lint || ! npm run -s typecheck; then
    echo "0 passed, 1 failed (lint or the type check failed: see above)"
    exit 1
  fi
fi

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "Installing PostgreSQL for the tests (Debian package)…"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_pg_bin)
fi

# The insights page is tested in a real headless browser: Debian's chromium, installed the same way when missing.
if [ -z "${CHROMIUM_PATH:-}" ]; then
  CHROMIUM_PATH=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$CHROMIUM_PATH" ]; then
    echo "Installing Chromium for the browser tests (Debian package)…"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    CHROMIUM_PATH=$(command -v chromium || true)
  fi
fi
export CHROMIUM_PATH

# Leaflets are read back as a person would: their text (pdftotext, pdftohtml from poppler-utils) and their QR codes
# (zbarimg from zbar-tools, on pages rendered by pdftoppm). Debian's packages, installed the same way when missing.
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v zbarimg >/dev/null; then
  echo "Installing poppler-utils and zbar-tools for the leaflet tests (Debian packages)…"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils zbar-tools >/dev/null
fi

PGROOT=$(mktemp -d /tmp/signpost-pg.XXXXXX)
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
cleanup() {
  run_pg "'$PG_BIN/pg_ctl' -D '$PGROOT/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap cleanup EXIT

# The server listens on a Unix socket in its own folder only (no TCP port, so nothing else on a busy machine can
# hold it); a server that does not start is tried once more.
start_pg() {
  run_pg "'$PG_BIN/pg_ctl' -D '$PGROOT/data' -l '$PGROOT/server.log' -w -t 60 -o \"-c listen_addresses='' -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
}
if [ -n "$PG_BIN" ]; then
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
  if run_pg "'$PG_BIN/initdb' -D '$PGROOT/data' -U postgres --auth=trust" >"$PGROOT-init.log" 2>&1 &&
     { start_pg || { sleep 1; start_pg; }; }; then
    export TEST_POSTGRES_URL="postgresql://postgres@${PGROOT//\//%2F}/postgres"
  else
    echo "Could not start PostgreSQL for the tests:"; cat "$PGROOT-init.log" "$PGROOT/server.log" 2>/dev/null | tail -n 20
  fi
  rm -f "$PGROOT-init.log"
fi

# TEST_REPORT=<file> keeps the JSON report (per-file and per-test durations) there.
REPORT=${TEST_REPORT:-$(mktemp /tmp/signpost-vitest.XXXXXX.json)}
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@"
status=$?
node -e '
  const fs = require("fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  const passed = r.numPassedTests ?? 0;
  // A file that fails to load, or whose set-up fails (its tests are then skipped), counts as one failure.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
  const failed = (r.numFailedTests ?? 0) + brokenFiles;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$REPORT"
[ -z "${TEST_REPORT:-}" ] && rm -f "$REPORT"
exit $status
