#!/usr/bin/env bash
# Scans the templates written by scripts/synth.sh with checkov (from the project venv, pinned in
# requirements-dev.txt). Fails on any finding: each accepted one is skipped on its resource with
# its reason (Metadata.checkov.skip, written by ScanSuppressions in the stack code), never here.
set -euo pipefail
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkov="${CHECKOV:-$infra_dir/../.venv/bin/checkov}"
if [[ ! -x "$checkov" ]]; then
  echo "checkov not found at $checkov; create the venv: make venv" >&2
  exit 1
fi
shopt -s nullglob
templates=("$infra_dir"/cdk.out/*/*.template.json)
if [[ ${#templates[@]} -eq 0 ]]; then
  echo "no templates under infra/cdk.out; run infra/scripts/synth.sh first" >&2
  exit 1
fi
files=()
for template in "${templates[@]}"; do
  files+=(--file "$template")
done
# --skip-download: offline, no Prisma Cloud guidelines (the check ids are the same).
"$checkov" --framework cloudformation --skip-download --compact --quiet "${files[@]}"
echo "checkov: ${#templates[@]} template(s) clean"
