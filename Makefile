# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
MVN ?= mvn -B -q
VENV := .venv
PYTHON := $(abspath $(VENV)/bin/python)
FUNCTION_JAR := function/target/contacts-function.jar
FUNCTION_SOURCES := $(shell find function/src/main -type f 2>/dev/null) pom.xml function/pom.xml
# make run's jar (local/): the local API, moto's launcher and the seed loader with the function and
# its libraries; the Lambda jar holds none of it.
LOCAL_JAR := local/target/contacts-local.jar
LOCAL_SOURCES := $(FUNCTION_SOURCES) $(shell find local/src/main -type f 2>/dev/null) local/pom.xml
ARGS ?=
# The API description and its tools (openapi/package.json): Redocly CLI, Swagger UI, playwright-core.
OPENAPI_NODE := openapi/node_modules/.package-lock.json
REDOCLY := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly
DOCS_DIR := $(abspath openapi/build)
DOCS_PROPERTY := contacts.docs.dir
SWAGGER_UI := $(addprefix openapi/node_modules/swagger-ui-dist/,swagger-ui-bundle.js swagger-ui.css favicon-32x32.png)

.PHONY: run test venv jar synth clean format bench reliability soak openapi openapi-lint

## run: the API on http://127.0.0.1:3000 with moto and the demo seed (ARGS='--port 3001 --seed f.json');
## its reference docs on /docs and the OpenAPI document on /openapi.json
run: venv $(LOCAL_JAR) openapi
	@MOTO_PYTHON=$(PYTHON) exec java -D$(DOCS_PROPERTY)=$(DOCS_DIR) -cp $(LOCAL_JAR) com.voicecrm.contacts.local.LocalApi $(ARGS)

## test: every test: the moto launcher's transaction patch (pytest), unit, integration against
## moto, the runtime tier, the generated client against the local API, CDK assertions, cdk-nag, then cfn-lint (with its serverless rules) and
## checkov over the dev and prod templates (verify has built everything, so synth skips its
## build), then the OpenAPI lint, Schemathesis and the /docs browser test against the local API
test: venv openapi
	PYTHONDONTWRITEBYTECODE=1 $(PYTHON) -m pytest -q -p no:cacheprovider local/src/test/python
	MOTO_PYTHON=$(PYTHON) mvn -B -ntp verify
	SKIP_BUILD=1 bash infra/scripts/synth.sh
	bash infra/scripts/cfn-lint.sh
	bash infra/scripts/scan.sh
	$(MAKE) --no-print-directory openapi-lint
	cd openapi && MOTO_PYTHON=$(PYTHON) node --test --test-concurrency=1 test/conformance.test.mjs test/docs.test.mjs

## openapi: lint openapi/contacts-api.yaml, bundle it to openapi/build/openapi.json and put the
## Swagger UI page in openapi/build/docs (served by make run; never in the Lambda jar)
openapi: openapi/build/openapi.json openapi/build/docs/index.html

openapi-lint: $(OPENAPI_NODE)
	cd openapi && $(REDOCLY) lint --format=stylish contacts-api.yaml

$(OPENAPI_NODE): openapi/package.json openapi/package-lock.json
	cd openapi && npm ci --no-audit --no-fund --silent
	touch $@

openapi/build/openapi.json: openapi/contacts-api.yaml openapi/redocly.yaml $(OPENAPI_NODE)
	cd openapi && $(REDOCLY) lint --format=stylish contacts-api.yaml
	cd openapi && $(REDOCLY) bundle contacts-api.yaml --ext json -o build/openapi.json

openapi/build/docs/index.html: openapi/docs/index.html openapi/docs/swagger-init.js $(OPENAPI_NODE)
	mkdir -p openapi/build/docs
	cp $(SWAGGER_UI) openapi/docs/swagger-init.js openapi/build/docs/
	cp openapi/docs/index.html $@

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

$(LOCAL_JAR): $(LOCAL_SOURCES)
	$(MVN) -pl local -am package -DskipTests

## format: google-java-format over every module (verify fails when a file drifts from it)
format:
	$(MVN) -Pbench spotless:apply

clean:
	$(MVN) clean
	rm -rf $(VENV) openapi/build

## bench: the shaded jar under the Lambda runtime client: cold start, classes, SnapStart-modelled restore, requests and units, warm latency, cost per million, jar size, each against a floor (BENCH_ARGS='-Dbench.coldRuns=11')
BENCH_ARGS ?=
bench: venv $(FUNCTION_JAR)
	@command -v taskset >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq util-linux; }
	$(MVN) -Pbench -pl bench -am package -DskipTests
	MOTO_PYTHON=$(PYTHON) java $(BENCH_ARGS) -Dlambda.runtime.client.dir=function/target/lambda-runtime-client -cp $(FUNCTION_JAR):local/target/classes:function/target/test-classes:bench/target/classes com.voicecrm.contacts.bench.Bench

## reliability: the adversarial suites (concurrency, injected faults, model, hostile input,
## security) at RELIABILITY_SCALE times their make-test size, then their figures as one table
RELIABILITY_SCALE ?= 10
reliability: venv
	rm -f local/target/reliability.json
	MOTO_PYTHON=$(PYTHON) $(MVN) -pl local -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test='Reliability*IT,AuthAndIsolationIT' -Dreliability.scale=$(RELIABILITY_SCALE) \
	  -Dmaven.test.redirectTestOutputToFile=true
	@python3 local/src/test/python/reliability_table.py local/target/reliability.json

## soak: 20,000 upserts from 4 clients over 5,000 contacts against make run on a free port;
## prints p50/p99 per tenth of the run, status counts, the server's resident memory and the targets
soak: venv $(LOCAL_JAR)
	python3 local/src/test/python/soak.py
