# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
MVN ?= mvn -B -q
VENV := .venv
PYTHON := $(abspath $(VENV)/bin/python)
FUNCTION_JAR := function/target/contacts-function.jar
FUNCTION_SOURCES := $(shell find function/src/main -type f 2>/dev/null) pom.xml function/pom.xml
ARGS ?=

.PHONY: run test venv jar synth clean format bench reliability soak

## run: the API on http://127.0.0.1:3000 with moto and the demo seed (ARGS='--port 3001 --seed f.json')
run: venv $(FUNCTION_JAR)
	@MOTO_PYTHON=$(PYTHON) exec java -cp $(FUNCTION_JAR) com.voicecrm.contacts.local.LocalApi $(ARGS)

## test: every test: the moto launcher's transaction patch (pytest), unit, integration against moto,
## CDK assertions, cdk-nag, then cfn-lint over the dev and prod templates (verify has built
## everything, so synth skips its build)
test: venv
	PYTHONDONTWRITEBYTECODE=1 $(PYTHON) -m pytest -q -p no:cacheprovider function/src/test/python
	MOTO_PYTHON=$(PYTHON) mvn -B -ntp verify
	SKIP_BUILD=1 bash infra/scripts/synth.sh
	bash infra/scripts/cfn-lint.sh

## synth: dev and prod CloudFormation templates in infra/cdk.out/<env> (offline, no credentials)
synth:
	bash infra/scripts/synth.sh

## venv: the project's Python virtualenv with moto (and the other pinned tools)
venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

jar: $(FUNCTION_JAR)

$(FUNCTION_JAR): $(FUNCTION_SOURCES)
	$(MVN) -pl function package -DskipTests

## format: google-java-format over every module (verify fails when a file drifts from it)
format:
	$(MVN) -Pbench spotless:apply

clean:
	$(MVN) clean
	rm -rf $(VENV)

## bench: cold start, classes, DynamoDB requests, warm latency and jar size against a minimal floor (BENCH_ARGS='-Dbench.coldRuns=11')
BENCH_ARGS ?=
bench: venv $(FUNCTION_JAR)
	@command -v taskset >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq util-linux; }
	$(MVN) -Pbench -pl bench -am package -DskipTests
	MOTO_PYTHON=$(PYTHON) java $(BENCH_ARGS) -cp $(FUNCTION_JAR):bench/target/classes com.voicecrm.contacts.bench.Bench

## reliability: the adversarial suites (concurrency, injected faults, model, hostile input,
## security) at RELIABILITY_SCALE times their make-test size, then their figures as one table
RELIABILITY_SCALE ?= 10
reliability: venv
	rm -f function/target/reliability.json
	MOTO_PYTHON=$(PYTHON) $(MVN) -pl function verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test='Reliability*IT,AuthAndIsolationIT' -Dreliability.scale=$(RELIABILITY_SCALE) \
	  -Dmaven.test.redirectTestOutputToFile=true
	@python3 function/src/test/python/reliability_table.py function/target/reliability.json

## soak: 20,000 upserts from 4 clients over 5,000 contacts against make run on a free port;
## prints p50/p99 per tenth of the run, status counts, the server's resident memory and the targets
soak: venv $(FUNCTION_JAR)
	python3 function/src/test/python/soak.py
