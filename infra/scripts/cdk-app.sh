#!/usr/bin/env bash
# The CDK app command of cdk.json: runs the compiled ContactsApp on the classpath that the
# infra build wrote (mvn package runs dependency:build-classpath into target/classpath.txt).
set -euo pipefail
infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath_file="$infra_dir/target/classpath.txt"
if [[ ! -f "$classpath_file" || ! -d "$infra_dir/target/classes" ]]; then
  echo "infra is not built; run: mvn -pl function,infra package -DskipTests (from the repo root)" >&2
  exit 1
fi
export CONTACTS_FUNCTION_JAR="${CONTACTS_FUNCTION_JAR:-$infra_dir/../function/target/contacts-function.jar}"
# jsii (the bridge to the CDK's JavaScript core) warns on every run that Node 20 is past
# end-of-life; said once in the README instead (use Node 22+ where you can).
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
exec java -cp "$infra_dir/target/classes:$(cat "$classpath_file")" \
  com.voicecrm.contacts.infra.ContactsApp
