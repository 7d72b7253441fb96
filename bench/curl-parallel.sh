#!/usr/bin/env bash
# The curl-parallel baseline: collects what `cfguard audit --all` collects, with the same requests
# (per_page=5000 lists, one GET /v3/apps/:guid/env per app, UAA clients 500 at a time), as a
# careful person would script it with curl: `curl --parallel --parallel-max 16` (keep-alive
# within each curl), jq for the few fields the next step needs. It only collects (writes each
# body to a temporary directory, deleted at exit); it joins nothing, checks nothing, reports
# nothing: its wall time is a lower bar for cfguard's whole audit.
#
#   phase 1  GET /  →  POST /oauth/token
#   phase 2  page 1 of every list, in parallel (16)
#   phase 3  the other pages of every list + /env of the apps on apps page 1, in parallel (16)
#   phase 4  /env of the apps on the other apps pages, in parallel (16)
#
# Usage: CURL_API=… CURL_CLIENT_ID=… CURL_CLIENT_SECRET=… bench/curl-parallel.sh
# Prints one JSON line: {"requests": N, "elapsedMs": N}. Needs curl ≥ 7.66 and jq.
# The client secret and the token go to curl through config files (mode 0600), never argv.
set -euo pipefail
api=${CURL_API:?CURL_API is not set}
: "${CURL_CLIENT_ID:?}" "${CURL_CLIENT_SECRET:?}"
started=$(date +%s%N)
umask 077
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
requests=0
par=(--silent --show-error --fail --no-progress-meter --globoff --parallel --parallel-max 16 --parallel-immediate)

curl --silent --show-error --fail "$api/" -o "$dir/root.json"
requests=$((requests + 1))
login=$(jq -r '(.links.login.href // .links.uaa.href)' "$dir/root.json")
uaa=$(jq -r '(.links.uaa.href // .links.login.href)' "$dir/root.json")
cc=$(jq -r '.links.cloud_controller_v3.href' "$dir/root.json")
net=$(jq -r '.links.network_policy_v1.href // empty' "$dir/root.json")

printf 'user = "%s:%s"\n' "$CURL_CLIENT_ID" "$CURL_CLIENT_SECRET" >"$dir/client.cfg"
curl --silent --show-error --fail -K "$dir/client.cfg" -d grant_type=client_credentials \
  -H 'Accept: application/json' "$login/oauth/token" -o "$dir/token.json"
requests=$((requests + 1))
printf 'header = "Authorization: bearer %s"\nheader = "Accept: application/json"\n' \
  "$(jq -r .access_token "$dir/token.json")" >"$dir/auth.cfg"

since=$(date -u -d '31 days ago' +%Y-%m-%dT%H%%3A%M%%3A%SZ)
declare -A lists=(
  [apps]="$cc/apps?per_page=5000"
  [spaces]="$cc/spaces?per_page=5000&include=organization"
  [processes]="$cc/processes?per_page=5000&embed=process_instances"
  [routes]="$cc/routes?per_page=5000&include=route_policies"
  [domains]="$cc/domains?per_page=5000"
  [deployments]="$cc/deployments?per_page=5000&status_values=ACTIVE"
  [service_instances]="$cc/service_instances?per_page=5000&fields[service_plan]=guid,name,relationships.service_offering&fields[service_plan.service_offering]=guid,name,description,tags,relationships.service_broker&fields[service_plan.service_offering.service_broker]=guid,name"
  [service_credential_bindings]="$cc/service_credential_bindings?per_page=5000"
  [service_route_bindings]="$cc/service_route_bindings?per_page=5000"
  [audit_events]="$cc/audit_events?per_page=5000&types=audit.user_provided_service_instance.create,audit.user_provided_service_instance.update&created_ats[gt]=$since"
)

# One transfer of a curl config file: a URL and its output file. All of a file's URLs are one
# curl operation, so the auth headers (auth.cfg) are given once and apply to each.
entry() { printf 'url = "%s"\noutput = "%s"\n' "$1" "$2"; }
fetch() { # curl config file → parallel transfers; counts the requests
  requests=$((requests + $(grep -c '^url = ' "$1" || true)))
  curl "${par[@]}" -K "$dir/auth.cfg" -K "$1"
}

# phase 2: the first page of every list
{
  for name in "${!lists[@]}"; do entry "${lists[$name]}&page=1" "$dir/$name-1.json"; done
  if [ -n "$net" ]; then entry "$net/policies" "$dir/policies.json"; fi
  entry "$uaa/oauth/clients?startIndex=1&count=500" "$dir/clients-1.json"
} >"$dir/phase2.cfg"
fetch "$dir/phase2.cfg"

# One config entry per app on the given apps pages, written by jq (a bash loop is slow at 50,000).
envs() {
  jq -r --arg cc "$cc" --arg dir "$dir" \
    '.resources[].guid | "url = \"\($cc)/apps/\(.)/env\"\noutput = \"\($dir)/env-\(.).json\""' "$@"
}

# phase 3: the other pages of every list, and /env of the apps on apps page 1
{
  # one jq for every list's page count (a jq start per list costs more than the lists' latency)
  jq -r '[input_filename, (.pagination.total_pages // 1)] | @tsv' "$dir"/*-1.json |
    while IFS=$'\t' read -r file pages; do
      name=$(basename "$file" -1.json)
      [ -n "${lists[$name]:-}" ] || continue
      for ((p = 2; p <= pages; p++)); do entry "${lists[$name]}&page=$p" "$dir/$name-$p.json"; done
    done
  total=$(jq -r '.totalResults // 0' "$dir/clients-1.json")
  for ((start = 501; start <= total; start += 500)); do
    entry "$uaa/oauth/clients?startIndex=$start&count=500" "$dir/clients-$start.json"
  done
  envs "$dir/apps-1.json"
} >"$dir/phase3.cfg"
fetch "$dir/phase3.cfg"

# phase 4: /env of the apps on the other apps pages
shopt -s nullglob
rest=("$dir"/apps-[2-9].json "$dir"/apps-[1-9][0-9].json)
if [ "${#rest[@]}" -gt 0 ]; then
  envs "${rest[@]}" >"$dir/phase4.cfg"
  fetch "$dir/phase4.cfg"
fi
printf '{"requests": %d, "elapsedMs": %d}\n' "$requests" $((($(date +%s%N) - started) / 1000000))
