#!/usr/bin/env bash
# Installs the Debian packages netvet builds, tests and benchmarks with.
# Idempotent: packages already present are not fetched again.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libfmt-dev
  libboost-dev libboost-graph-dev coinor-libcbc-dev libssl-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev jq libicu-dev
  libsodium-dev libpq-dev libcpp-httplib-dev zlib1g-dev postgresql-15 curl
  python3-yaml python3-jsonschema  # ctests kb/docs-rule-tables, kb/pack-schema; JSON Schema checks in tests
)
if [[ "${NETVET_BENCH:-0}" == 1 ]]; then
  packages+=(python3-networkx python3-igraph python3-graph-tool hyperfine time wrk)
fi
if [[ "${NETVET_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium fonts-dejavu-core)
fi
# The web UI builds with npm (web/); a machine that has Node from elsewhere keeps it.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
