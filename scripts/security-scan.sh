#!/usr/bin/env bash
# `npm run security:scan`: attacks the built app with two scanners nobody here wrote, Debian's
# sqlmap (SQL injection: the sign form and the organizers' sign-in form) and wapiti (the whole
# app: XSS, injection, file and command execution, open redirects, headers, CSP, cookies, both as
# a visitor and signed in as an organizer). Fails on any finding of medium severity or worse, and
# on any server error (5xx) a scanner provokes. See README "Security".
#
# The app runs on its own port with a fresh SQLite file, no SMTP (mail goes to a throwaway outbox)
# and rate limits raised far out of the way: scanners post thousands of times from one address,
# and the point here is to test what lies behind the limits.
#
# Environment: SCAN_PORT (default: a free port), SCAN_KEEP=1 keeps the reports and the database,
# SCAN_LEVEL (sqlmap --level, default 2), SCAN_RISK (sqlmap --risk, default 1),
# SCAN_MAX_MINUTES (wapiti's time budget, default 20), SCAN_SQLMAP_ARGS (more sqlmap options, e.g.
# "--dbms=SQLite" to run the payloads of the real back end whatever sqlmap's heuristics guess).
set -euo pipefail
cd "$(dirname "$0")/.."

# --- The scanners -----------------------------------------------------------------------------
missing=()
command -v sqlmap >/dev/null 2>&1 || missing+=(sqlmap)
command -v wapiti >/dev/null 2>&1 || missing+=(wapiti)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's ${missing[*]}..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The scan needs ${missing[*]}: install with  sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sincerely-scan-XXXXXX")"
PORT="${SCAN_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
BASE="http://127.0.0.1:${PORT}"
CAMPAIGN_PATH="/c/ban-landmines-and-cluster-munitions"
OWNER_EMAIL="scan-owner@sincerely.test"
OWNER_PASSWORD="scan passphrase $(node -e 'console.log(require("crypto").randomBytes(9).toString("hex"))')"
APP_PID=""
started=$(date +%s)

cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [ "${SCAN_KEEP:-0}" = "1" ]; then echo "Reports and database kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- The app ----------------------------------------------------------------------------------
echo "Building the app..."
npm run build >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

echo "Starting it on $BASE with a fresh database..."
LIMIT=1000000
env NODE_ENV=production \
  PORT="$PORT" \
  APP_URL="$BASE" \
  SESSION_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" \
  DATABASE_URL="file:$WORK/scan.db" \
  OUTBOX_DIR="$WORK/outbox" \
  SMTP_URL="" MAIL_REDIRECT_TO="" TRUST_PROXY="" WORKER=inline \
  ADMIN_EMAIL="$OWNER_EMAIL" ADMIN_PASSWORD="$OWNER_PASSWORD" \
  RATE_LIMIT_SIGN_PER_IP=$LIMIT RATE_LIMIT_SIGN_PER_EMAIL=$LIMIT RATE_LIMIT_CONFIRM_PER_IP=$LIMIT \
  RATE_LIMIT_RESEND_PER_LINK=$LIMIT RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL=$LIMIT RATE_LIMIT_LOGIN_FAILURES_PER_IP=$LIMIT \
  node --import tsx server/index.ts >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null "$BASE/" 2>/dev/null; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    cat "$WORK/app.log"
    echo "The app did not start." >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE/" || { cat "$WORK/app.log"; echo "The app did not answer." >&2; exit 1; }

failures=()

# --- sqlmap: the two forms that reach the database with what strangers type -----------------
run_sqlmap() {
  local name="$1" url="$2" data="$3"
  echo "sqlmap: $name ($url)..."
  local out="$WORK/sqlmap-$name"
  # --level 2 also tries the Referer/User-Agent-style vectors sqlmap has for level 2 (cookies);
  # --risk 1 keeps to tests that cannot damage data. Time-based tests use 2-second delays.
  if ! sqlmap -u "$url" --data "$data" --method POST --batch --flush-session --disable-coloring \
    --level "${SCAN_LEVEL:-2}" --risk "${SCAN_RISK:-1}" --time-sec 2 --threads 1 \
    --output-dir "$out" ${SCAN_SQLMAP_ARGS:-} >"$out.txt" 2>&1; then
    failures+=("sqlmap $name: sqlmap itself failed (see its output below)")
    tail -20 "$out.txt"
  fi
  # sqlmap reports candidates as it goes ("… appears to be … injectable") and then checks each for
  # a false positive: only its verdict counts. Confirmed points are listed under "identified the
  # following injection point(s)"; a clean run ends with "all tested parameters do not appear to be
  # injectable".
  if grep -qi "identified the following injection point" "$out.txt"; then
    failures+=("sqlmap $name: SQL injection found")
    grep -i -A12 "identified the following injection point" "$out.txt" | head -40
  elif ! grep -qi "all tested parameters do not appear to be injectable" "$out.txt"; then
    failures+=("sqlmap $name: no verdict (see its output)")
    tail -20 "$out.txt"
  fi
  if grep -Eqi "\(50[0-9]\) - [0-9]+ times|Internal Server Error" "$out.txt"; then
    failures+=("sqlmap $name: the app answered with server errors")
    grep -Ei "\(50[0-9]\)|Internal Server Error" "$out.txt" | head -5
  fi
  grep -ci "does not seem to be injectable" "$out.txt" | xargs -I{} echo "  {} parameter(s) tested, none injectable" || true
}

run_sqlmap sign "$BASE$CAMPAIGN_PATH" \
  "firstName=Ada&lastName=Scanner&email=ada.scanner%40example.org&street=1200+N+45th+St&city=Seattle&state=WA&zip=98103&message=Please+act&points=ban&consent=on"
run_sqlmap login "$BASE/admin/login" "email=someone%40example.org&password=not+the+password&redirectTo=%2Fadmin"

# --- wapiti: the whole app, as a visitor and as a signed-in organizer ------------------------
run_wapiti() {
  local name="$1"
  shift
  echo "wapiti: $name..."
  local report="$WORK/wapiti-$name.json"
  # Through scripts/wapiti-run.py (it mends Debian's wapiti 3.0.4 on Python 3.11), with wapiti's own
  # Python. Debian's python3-requests cannot decode Brotli, which wapiti nonetheless asks for: ask
  # for gzip instead, or every page looks like noise and nothing is crawled.
  if ! "$WAPITI_PYTHON" scripts/wapiti-run.py -u "$BASE/" --scope folder --flush-session --no-bugreport \
    -H "Accept-Encoding: gzip, deflate" -x "$BASE/admin/logout" --max-scan-time "$((${SCAN_MAX_MINUTES:-20} * 60 / 2))" --max-attack-time 240 \
    -f json -o "$report" -v 0 --store-session "$WORK/wapiti-session-$name" "$@" >"$WORK/wapiti-$name.txt" 2>&1; then
    failures+=("wapiti $name: wapiti itself failed")
    tail -20 "$WORK/wapiti-$name.txt"
    return
  fi
  # Findings of level 2 (medium) or more, and anomalies (server errors, timeouts) of any level.
  local found
  found="$(node -e '
    const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const lines = [];
    for (const [kind, items] of Object.entries(report.vulnerabilities ?? {}))
      for (const v of items) if (Number(v.level) >= 2) lines.push(`vulnerability (level ${v.level}) ${kind}: ${v.method} ${v.path} ${v.parameter ?? ""} ${v.info ?? ""}`);
    for (const [kind, items] of Object.entries(report.anomalies ?? {}))
      for (const v of items) lines.push(`anomaly (level ${v.level}) ${kind}: ${v.method} ${v.path} ${v.parameter ?? ""} ${v.info ?? ""}`);
    const low = Object.entries(report.vulnerabilities ?? {}).flatMap(([k, items]) => items.filter((v) => Number(v.level) < 2).map((v) => `${k}: ${v.info ?? v.path}`));
    console.error(`  ${low.length} low-severity note(s)${low.length ? ":\n    " + low.join("\n    ") : ""}`);
    console.log(lines.join("\n"));
  ' "$report")"
  if [ -n "$found" ]; then
    failures+=("wapiti $name: findings of medium severity or worse")
    echo "$found"
  fi
}

WAPITI_PYTHON="$(head -1 "$(command -v wapiti)" | sed 's/^#! *//')"
run_wapiti visitor

# Signed in: the session cookie, in wapiti's cookie-file format.
curl -sS -o /dev/null -D "$WORK/login-headers.txt" --data-urlencode "email=$OWNER_EMAIL" \
  --data-urlencode "password=$OWNER_PASSWORD" --data-urlencode "redirectTo=/admin" "$BASE/admin/login"
if node -e '
  const [headers, out] = process.argv.slice(1);
  const m = /^set-cookie:\s*sincerely_session=([^;\r\n]+)/im.exec(require("fs").readFileSync(headers, "utf8"));
  if (!m) process.exit(1);
  const cookie = { value: m[1], expires: null, secure: false, port: null, version: 0 };
  require("fs").writeFileSync(out, JSON.stringify({ "127.0.0.1": { "/": { sincerely_session: cookie } } }));
' "$WORK/login-headers.txt" "$WORK/cookies.json"; then
  run_wapiti organizer -c "$WORK/cookies.json" -s "$BASE/admin"
else
  failures+=("wapiti organizer: could not sign in to scan the organizers' pages")
  cat "$WORK/login-headers.txt"
fi

# Any server error the scanners provoked shows in the app's log.
if grep -q "\[web\] .* failed" "$WORK/app.log"; then
  failures+=("the app logged server errors during the scan")
  grep "\[web\] .* failed" "$WORK/app.log" | sort | uniq -c | head -10
fi

elapsed=$(($(date +%s) - started))
echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'SECURITY SCAN FAILED after %ss:\n' "$elapsed"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "Security scan passed in ${elapsed}s: sqlmap found no injection in the sign and sign-in forms; wapiti found nothing of medium severity or worse."
