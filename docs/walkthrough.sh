#!/usr/bin/env bash
# The walk-through: an admin creates a school, an educator and a child; the educator groups
# the child and records an activity. Run it against a started service:
#
#   ADMIN_PASSWORD='the password' bash docs/walkthrough.sh
#
# ADMIN_PASSWORD is the one the service was started with, or the one it printed at its first
# start (forgotten? `deno task admin reset-password admin`). API (default
# http://127.0.0.1:8080/v1), ADMIN_USERNAME (default admin) and WAIT_SECONDS (how long to wait
# for a service still starting, default 60) may be set too. Needs curl and node (or deno) only.
# Each step prints what it got; the first failing step prints the API's answer and stops the
# script with status 1.
set -euo pipefail

API=${API:-http://127.0.0.1:8080/v1}
ADMIN_USERNAME=${ADMIN_USERNAME:-admin}
: "${ADMIN_PASSWORD:?set ADMIN_PASSWORD to the admin password (printed at the first start)}"
# Unique names, so the walk-through can run again on the same database.
RUN=$(date +%s)$RANDOM

# call STEP METHOD PATH [TOKEN] [JSON BODY]: prints the answer's body; on an HTTP error or
# no answer, prints the step, the status and the API's error body, then exits.
call() {
  local step=$1 method=$2 path=$3 token=${4:-} body=${5:-}
  local args=(-sS -X "$method" "$API$path" -w '\n%{http_code}')
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  local answer status
  if ! answer=$(curl "${args[@]}" 2>&1); then
    echo "FAILED: $step: no answer from $API (${answer%$'\n'*})" >&2
    exit 1
  fi
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "${status:0:1}" != 2 ]; then
    echo "FAILED: $step: HTTP $status $answer" >&2
    exit 1
  fi
  echo "$answer"
}

# field NAME JSON: prints the field NAME of a JSON object (a missing field fails).
field() {
  local script='const [name, text] = process.argv.slice(-2); let value;
    try { value = JSON.parse(text)[name]; } catch { value = undefined; }
    if (value === undefined) { console.error("FAILED: no field " + name + " in " + text); process.exit(1); }
    console.log(value);'
  if command -v node >/dev/null 2>&1; then
    node -e "$script" -- "$1" "$2"
  else
    deno eval "const process = { argv: Deno.args, exit: Deno.exit }; $script" "$1" "$2"
  fi
}

step() { echo "== $*" >&2; }

# A service started just before (`… task start &`) may still be starting: wait for it.
for _ in $(seq 1 "${WAIT_SECONDS:-60}"); do
  curl -s -o /dev/null "$API" && break
  sleep 1
done

step "The admin logs in"
LOGIN=$(call "admin login" POST /auth "" \
  "{\"username\":\"$ADMIN_USERNAME\",\"password\":\"$ADMIN_PASSWORD\"}")
ADMIN=$(field access_token "$LOGIN")

step "The admin registers a school"
INSTITUTION=$(call "create institution" POST /institutions "$ADMIN" \
  "{\"type\":\"School\",\"name\":\"Escola $RUN\",\"latitude\":-7.21,\"longitude\":-35.9}")
echo "$INSTITUTION"
INST=$(field id "$INSTITUTION")

step "An educator and a child of that school"
EDUCATOR=$(call "create educator" POST /educators "$ADMIN" \
  "{\"username\":\"teacher$RUN\",\"password\":\"teach-pass\",\"institution_id\":\"$INST\"}")
EDU=$(field id "$EDUCATOR")
CHILD_JSON=$(call "create child" POST /children "$ADMIN" \
  "{\"username\":\"BR$RUN\",\"password\":\"child-pass\",\"institution_id\":\"$INST\",\"gender\":\"male\",\"age\":10,\"age_calc_date\":\"2024-09-01\"}")
CHILD=$(field id "$CHILD_JSON")

step "The educator logs in, groups the child and reads the group"
EDUCATOR_LOGIN=$(call "educator login" POST /auth "" \
  "{\"username\":\"teacher$RUN\",\"password\":\"teach-pass\"}")
EDTOK=$(field access_token "$EDUCATOR_LOGIN")
GROUP_JSON=$(call "create group" POST "/educators/$EDU/children/groups" "$EDTOK" \
  "{\"name\":\"Class 4A\",\"school_class\":\"4A\",\"children\":[\"$CHILD\"]}")
GROUP=$(field id "$GROUP_JSON")
call "read group" GET "/educators/$EDU/children/groups/$GROUP" "$EDTOK"

step "The educator records the child's activity and lists it"
call "record activity" POST "/children/$CHILD/physicalactivities" "$EDTOK" \
  '{"name":"Walk","start_time":"2024-09-02T10:00:00Z","end_time":"2024-09-02T10:30:00Z","duration":1800000,"calories":120}'
call "list activities" GET "/children/$CHILD/physicalactivities?sort=-start_time&limit=10" "$EDTOK"

step "Done: every step answered as expected"
