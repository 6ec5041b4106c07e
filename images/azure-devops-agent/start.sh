#!/usr/bin/env bash
# Registers the agent with Azure DevOps and runs it; removes the registration when the pod stops.
# The contract of Microsoft's "Run a self-hosted agent in Docker": AZP_URL (the organization URL),
# AZP_TOKEN (a PAT with Agent Pools: read & manage; or AZP_TOKEN_FILE), AZP_POOL (default
# Default), AZP_AGENT_NAME (default the host name), AZP_WORK (default _work).
set -euo pipefail

: "${AZP_URL:?AZP_URL is required (https://dev.azure.com/<organization>)}"
if [ -z "${AZP_TOKEN_FILE:-}" ]; then
  : "${AZP_TOKEN:?AZP_TOKEN or AZP_TOKEN_FILE is required}"
  AZP_TOKEN_FILE=/azp/.token
  (umask 077 && printf '%s' "$AZP_TOKEN" > "$AZP_TOKEN_FILE")
fi
# The registration token never reaches the jobs: out of the environment, and the agent is told
# not to hand these variables on.
unset AZP_TOKEN
export VSO_AGENT_IGNORE=AZP_TOKEN,AZP_TOKEN_FILE

cd /azp/agent
cleanup() {
  trap - EXIT TERM INT
  if [ -e .agent ]; then
    ./config.sh remove --unattended --auth PAT --token "$(cat "$AZP_TOKEN_FILE")" || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

./config.sh --unattended \
  --agent "${AZP_AGENT_NAME:-$(hostname)}" \
  --url "$AZP_URL" \
  --auth PAT \
  --token "$(cat "$AZP_TOKEN_FILE")" \
  --pool "${AZP_POOL:-Default}" \
  --work "${AZP_WORK:-_work}" \
  --replace \
  --acceptTeeEula

# run.sh in the background, so the traps run when the pod is told to stop.
./run.sh "$@" &
wait $!
