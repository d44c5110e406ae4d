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

.PHONY: images
images: ## Build the operator and sample service images as OCI archives in target/images/ (no Docker, no registry)
	hack/images.sh build

.PHONY: fmt
fmt: ## Format the Java sources (palantir-java-format via Spotless; the build fails on unformatted code)
	$(MVN) -q spotless:apply

.PHONY: crds
crds: ## Regenerate crds/ and helm/blueshift/crds/ from the Java classes
	$(MVN) -q -pl operator test -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dblueshift.crds.update=true

.PHONY: test-unit
test-unit: ## Only the tests that need no server (decisions, builders, status, CRD drift)
	$(MVN) -pl operator test -Dsurefire.excludedGroups=cluster,benchmark,prometheus

.PHONY: test
test: ## All tests (first checks what they need: stops naming the install command): unit, API server, the operator on the control plane and as a killed process, sample service, Helm chart, both images run, kubectl plugin
	hack/services.sh need test
	python3 -m unittest discover -s plugin/tests
	$(CLUSTER) up
	hack/services.sh up
	$(MVN) verify
	hack/helm-check.sh
	hack/sample-service.sh image-check
	$(MAKE) --no-print-directory test-node

.PHONY: node
node: ## Add a real node to the local control plane (containerd, runc, CNI bridge, kubelet, kube-proxy; Pods that run), with the images of make images
	$(CLUSTER) up
	hack/services.sh up
	hack/node.sh up
	hack/node.sh import-images

.PHONY: node-down
node-down: ## Remove the real node: its Pods, bridge and firewall rules (make cluster-down does it too)
	hack/node.sh down

.PHONY: test-node
test-node: ## The real node's suite: requests through the active Service across a promotion, an abort, a fast rollback, an analysis abort, an automatic rollback and a Rolling to BlueGreen switch, each move checked against the operator's Events; the chart's operator as Pods there; says why and skips where this machine cannot run the node
	@if hack/node.sh check; then \
	  $(MAKE) --no-print-directory node && \
	  $(MVN) -pl operator verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RealNodeTrafficIT && \
	  hack/helm-check.sh --real-node; \
	else echo "test-node: SKIPPED (kwok nodes only), see the reasons above"; fi

.PHONY: crash
crash: ## Only the process suites: the packaged operator killed with SIGKILL mid-release, leader failover (prints counts)
	$(CLUSTER) up
	hack/services.sh up
	$(MVN) -pl operator verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: soak
soak: ## The kill -9 suite at length: SOAK_MSDS MSDs (8) x SOAK_ROUNDS releases each (25); prints its counts
	$(CLUSTER) up
	hack/services.sh up
	set -o pipefail; $(MVN) -pl operator verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KillNineIT \
	  -Dblueshift.crash.msds=$${SOAK_MSDS:-8} -Dblueshift.crash.rounds=$${SOAK_ROUNDS:-25} | grep --line-buffered -E '\[kill-9\]|Tests run|FAIL|ERROR'

.PHONY: test-plugin
test-plugin: ## Only the kubectl plugin's fast tests (arguments, durations, patches, tree; no cluster)
	python3 -m unittest discover -s plugin/tests

.PHONY: cfn-lint
cfn-lint: ## Lint the CloudFormation templates in manifests/aws/ (cfn-lint, pinned in hack/moto.sh; also run by make test)
	hack/moto.sh install
	hack/moto.sh cfn-lint manifests/aws/*.yaml

.PHONY: bench
bench: ## Benchmark (issue 15): BENCH_MSDS ("100 1000") BlueGreen MSDs created, released, left alone, restarted; report in operator/target/bench/
	BLUESHIFT_CLUSTER_SIZE=bench $(CLUSTER) up
	hack/moto.sh up
	hack/prometheus.sh up
	$(MVN) -pl operator package -DskipTests
	$(MVN) -pl operator test -Dtest=RollbackBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false
	set -eo pipefail; for n in $${BENCH_MSDS:-100 1000}; do \
	  $(MVN) -pl operator test -Dtest=FleetBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false \
	    -Dblueshift.bench.msds=$$n -Dblueshift.bench.steady-seconds=$${BENCH_STEADY_SECONDS:-300} \
	    -Dblueshift.bench.memory-study=$${BENCH_STUDY:-false} -Dblueshift.bench.jvm-flags="$${BENCH_JVM_FLAGS:-}" \
	    -Dblueshift.bench.repeat=$${BENCH_REPEAT:-1} $${BENCH_JAVA_HOME:+-Dblueshift.operator.java-home=$$BENCH_JAVA_HOME} \
	    -Dblueshift.bench.label=$${BENCH_LABEL:-chart} | grep --line-buffered -E '^\[fleet\]|^\||^#|Tests run|FAIL|ERROR'; \
	done

.PHONY: bench-release
bench-release: ## Benchmark: time, reconciles and API requests of one BlueGreen release (prints numbers)
	$(CLUSTER) up
	$(MVN) -pl operator test -Dtest=ReleaseBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: bench-node
bench-node: ## Benchmark on the real node: failed requests through BlueGreen releases with scaleDownDelaySeconds 0 and 5 (prints numbers; BENCH_RELEASES, 3)
	$(MAKE) --no-print-directory node
	set -o pipefail; $(MVN) -pl operator test -Dtest=ScaleDownDelayBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dblueshift.bench.releases=$${BENCH_RELEASES:-3} | grep --line-buffered -E '^\[scale-down-delay\]|Tests run|FAIL|ERROR'

.PHONY: bench-sample
bench-sample: ## Benchmark the sample service's read path (Redis cache hit vs PostgreSQL) with wrk (prints numbers)
	hack/services.sh up
	bench/sample-service/run.sh

.PHONY: aws-calls
aws-calls: ## Print the AWS calls per MSD creation, per steady-state resync and per alarm poll (moto)
	hack/moto.sh install
	hack/moto.sh up
	$(MVN) -pl operator test -Dtest='AwsResourcesTest#creatingAnMsd*+aSteadyState*,AlarmPollerCallCountTest' -Dsurefire.failIfNoSpecifiedTests=false | grep '\[aws-calls\]'

.PHONY: bench-scale
bench-scale: ## Benchmark: heap per MSD and time for 100 BlueGreen MSDs to release (BENCH_MSDS=n for another count)
	$(CLUSTER) up
	$(MVN) -pl operator test -Dtest=ScaleBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false -Dblueshift.bench.msds=$${BENCH_MSDS:-100}

.PHONY: bench-rollback
bench-rollback: ## Benchmark: breach after promotion -> active Service back on stable, p50/p99 over 20 rollbacks
	$(CLUSTER) up
	hack/prometheus.sh up
	$(MVN) -pl operator test -Dtest=RollbackBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: demo
demo: ## Local demo (first checks what it needs, like test): control plane, operator, a BlueGreen release promoted, aborted, undone, and a bad one rolled back; on the real node where possible, under traffic, ending with the requests' timeline and target/demo/requests-per-second.png
	hack/demo.sh up

.PHONY: demo-down
demo-down: ## Stop the demo's operator, load generator and local sample services, delete its namespace (the cluster and the real node stay up)
	hack/demo.sh down

.PHONY: helm-check
helm-check: ## Lint the Helm chart, install it, and release an MSD with the operator image (runc) under exactly its RBAC
	$(CLUSTER) up
	hack/helm-check.sh

.PHONY: clean
clean: ## Remove build output (the binary cache and the cluster stay)
	$(MVN) -q clean
