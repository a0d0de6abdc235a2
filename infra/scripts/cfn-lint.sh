#!/usr/bin/env bash
# Lints the templates written by scripts/synth.sh with cfn-lint from the project venv
# (created by the root Makefile from requirements-dev.txt), with the serverless rules that
# .cfnlintrc appends. Rules ignored everywhere: .cfnlintrc; on one resource: its Metadata.
set -euo pipefail
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cfn_lint="${CFN_LINT:-$infra_dir/../.venv/bin/cfn-lint}"
if [[ ! -x "$cfn_lint" ]]; then
  echo "cfn-lint not found at $cfn_lint; create the venv: make venv (or" \
    "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt)" >&2
  exit 1
fi
shopt -s nullglob
templates=("$infra_dir"/cdk.out/*/*.template.json)
if [[ ${#templates[@]} -eq 0 ]]; then
  echo "no templates under infra/cdk.out; run infra/scripts/synth.sh first" >&2
  exit 1
fi
cd "$infra_dir"
"$cfn_lint" --config-file "$infra_dir/.cfnlintrc" -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} template(s) clean"
