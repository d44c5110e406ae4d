# Blueshift: `make help` lists the targets. The two that matter most:
#   make demo   the local demo: control plane, operator, a sample release
#   make test   every test, against the local control plane (or KUBECONFIG's cluster)
SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn -B
CLUSTER := hack/cluster.sh

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: binaries
binaries: ## Build etcd, Kubernetes, kwok and helm from Go modules into the cache (once per version)
	hack/build-binaries.sh all

.PHONY: cluster
cluster: ## Start the local control plane (builds what is missing; does nothing if it runs)
	$(CLUSTER) up

.PHONY: cluster-down
cluster-down: ## Stop the local control plane and remove its state
	$(CLUSTER) down

.PHONY: build
build: ## Compile and package the operator and the sample service, without tests
	$(MVN) -q package -DskipTests

.PHONY: crds
crds: ## Regenerate crds/ and the Helm chart's copy from the Java classes
	$(MVN) -q -pl operator test -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dblueshift.crds.update=true

.PHONY: test-unit
test-unit: ## Only the tests that need no server (decisions, builders, status, CRD drift)
	$(MVN) -pl operator test -DexcludedGroups=cluster,prometheus

.PHONY: test
test: ## All tests: unit, API server, operator on the control plane, sample service on Redis/PostgreSQL
	$(CLUSTER) up
	hack/services.sh up
	$(MVN) test

.PHONY: bench-rollback
bench-rollback: ## Benchmark: breach after promotion -> active Service back on stable, p50/p99 over 20 rollbacks
	$(CLUSTER) up
	hack/prometheus.sh up
	$(MVN) -pl operator test -Dtest=RollbackBenchmark -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: demo
demo: ## Local demo: control plane, operator, a MicroserviceDeployment released and updated
	hack/demo.sh up

.PHONY: demo-down
demo-down: ## Stop the demo's operator and delete its namespace (the cluster stays up)
	hack/demo.sh down

.PHONY: helm-lint
helm-lint: ## Lint the Helm chart and validate its objects against the API server
	hack/helm-check.sh

.PHONY: clean
clean: ## Remove build output (the binary cache and the cluster stay)
	$(MVN) -q clean
