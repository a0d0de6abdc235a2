#!/usr/bin/env bash
# API key operations on a deployed environment (create-key, revoke-key, list-keys); see
# com.voicecrm.contacts.infra.ops.OpsCli or run with --help. Uses your AWS credentials/region.
# Example: AWS_PROFILE=contacts-dev bash infra/scripts/ops.sh create-key --env dev --account acc_demo
set -euo pipefail
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root_dir="$(cd "$infra_dir/.." && pwd)"
if [[ ! -f "$infra_dir/target/classpath.txt" || ! -d "$infra_dir/target/classes" ]]; then
  (cd "$root_dir" && mvn -q -pl function,infra package -Dmaven.test.skip=true)
fi
exec java -cp "$infra_dir/target/classes:$(cat "$infra_dir/target/classpath.txt")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  com.voicecrm.contacts.infra.ops.OpsCli "$@"
