#!/usr/bin/env bash
# Synthesises the dev and prod apps (contacts-<env> and the contacts-account stack it depends
# on) into infra/cdk.out/<env>, offline: no AWS
# credentials, no account lookups (the stack is environment-agnostic), no CLI notices,
# version checks or telemetry. Builds the OpenAPI bundle and function + infra first (main code
# only: tests are not compiled) unless SKIP_BUILD=1.
# Usage: bash infra/scripts/synth.sh [env...]   (default: dev prod)
set -euo pipefail
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root_dir="$(cd "$infra_dir/.." && pwd)"
envs=("$@")
if [[ ${#envs[@]} -eq 0 ]]; then
  envs=(dev prod)
fi

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  # The stack serves the bundled OpenAPI document (ApiDescription); make openapi bundles it.
  (cd "$root_dir" && make --no-print-directory -s openapi)
  (cd "$root_dir" && mvn -q -pl function,infra package -Dmaven.test.skip=true)
fi
if [[ ! -x "$infra_dir/node_modules/.bin/cdk" ]]; then
  (cd "$infra_dir" && npm ci --no-audit --no-fund --silent)
fi

export CDK_DISABLE_VERSION_CHECK=true
export CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export CDK_DEFAULT_ACCOUNT="${CDK_DEFAULT_ACCOUNT:-000000000000}"
export CDK_DEFAULT_REGION="${CDK_DEFAULT_REGION:-us-east-1}"
# Keep the CLI away from any real credentials or profile of the person running it.
export AWS_EC2_METADATA_DISABLED=true

cd "$infra_dir"
for env in "${envs[@]}"; do
  rm -rf "cdk.out/$env"
  context=(-c "env=$env")
  if [[ "$env" == prod ]]; then
    # prod refuses to synthesise without an alarm target; these check-only templates name a
    # placeholder address (override with SYNTH_ALARM_EMAIL).
    context+=(-c "alarmEmail=${SYNTH_ALARM_EMAIL:-alarms@example.com}")
  fi
  npx --no-install cdk synth --quiet --no-notices --no-version-reporting \
    "${context[@]}" -o "cdk.out/$env"
  echo "synthesised cdk.out/$env/:" $(cd "cdk.out/$env" && ls ./*.template.json | xargs -n1 basename)
done
