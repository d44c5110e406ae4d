#!/usr/bin/env bash
# Checks the Helm chart against the real API server, and that its RBAC is enough:
#  1. helm lint, and the rendered objects accepted by the API server (server-side dry run);
#  2. helm install, then the operator (built from operator/) runs outside the cluster with the
#     token of the chart's ServiceAccount, so it has exactly the chart's permissions, and releases
#     a BlueGreen MicroserviceDeployment twice (leader election on, its Lease in the release namespace);
#  3. the operator exits promptly on SIGTERM (as a Pod is stopped); helm uninstall.
# A permission the chart lacks makes step 2 fail. Uses the local control plane or KUBECONFIG's cluster.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HELM="$HELM_BIN/helm"
KUBECTL="$("$HACK_DIR/cluster.sh" kubectl)"
KCFG="$("$HACK_DIR/cluster.sh" kubeconfig)"
CHART="$REPO_ROOT/helm/blueshift"
# Names of their own for each run, so that a run never meets the previous one's leftovers.
RUN="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
RELEASE="blueshift-check-$RUN"
OPNS="bs-check-$RUN-system"
APPNS="bs-check-$RUN-apps"
WORK="$(mktemp -d)"
k() { "$KUBECTL" --kubeconfig "$KCFG" "$@"; }

cleanup() {
  [ -f "$WORK/operator.pid" ] && kill -9 "$(cat "$WORK/operator.pid")" 2>/dev/null || true
  "$HELM" --kubeconfig "$KCFG" uninstall "$RELEASE" -n "$OPNS" >/dev/null 2>&1 || true
  # The MSD keeps the operator's finalizer once the operator is gone: drop it so the namespace can go.
  k -n "$APPNS" patch msd rbac-check --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
  k delete namespace "$OPNS" "$APPNS" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The admin's settings this check installs with: a cluster name (required) and a guardrail profile.
VALUES=(--set "aws.clusterName=helm-check-$RUN" --set "guardrails.rolePath=/blueshift/checks/"
  --set "guardrails.profiles.platform.deniedManagedPolicies={none}" --set "guardrails.profiles.platform.allowRoleAdoption=true")
log "helm lint"
"$HELM" lint --strict "$CHART" "${VALUES[@]}"
if out="$("$HELM" template "$RELEASE" "$CHART" 2>&1)"; then
  echo "the chart rendered without aws.clusterName; it must require one" >&2; exit 1
fi
grep -q "aws.clusterName is required" <<<"$out" || { echo "without aws.clusterName the chart said: $out" >&2; exit 1; }
log "rendered chart, server-side dry run"
k create namespace "$OPNS" >/dev/null  # a dry run of namespaced objects needs their namespace
"$HELM" template "$RELEASE" "$CHART" -n "$OPNS" --kube-version "$KUBE_VERSION" "${VALUES[@]}" | k apply --dry-run=server -n "$OPNS" -f - >/dev/null

log "helm install"
"$HELM" --kubeconfig "$KCFG" install "$RELEASE" "$CHART" -n "$OPNS" --wait --timeout 120s "${VALUES[@]}" >/dev/null
SA="$RELEASE"
k -n "$OPNS" get serviceaccount "$SA" >/dev/null

log "operator with the chart's ServiceAccount token"
(cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
TOKEN="$(k -n "$OPNS" create token "$SA" --duration=1h)"
SERVER="$(k config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
CA="$(k config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
CA_FILE="$(k config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')"
if [ -z "$CA" ] && [ -n "$CA_FILE" ]; then CA="$(base64 -w0 < "$CA_FILE")"; fi
cat > "$WORK/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "$SERVER", certificate-authority-data: "$CA"}}]
users: [{name: sa, user: {token: "$TOKEN"}}]
contexts: [{name: sa, context: {cluster: c, user: sa}}]
current-context: sa
KUBECONFIG
# It leaves alone the MSDs of test runs (the tests that ran just before may still be cleaning up theirs;
# some ask AWS, which this operator has no endpoint for, and would hold its reconcile threads).
# The settings file the chart mounts into the operator's Pod, read as the Pod reads it.
k -n "$OPNS" get configmap "$RELEASE-settings" -o jsonpath='{.data.blueshift\.properties}' > "$WORK/blueshift.properties"
grep -q "^blueshift.guardrails.profiles.platform.allow-role-adoption=true$" "$WORK/blueshift.properties" \
  || { echo "the chart's settings file lacks the profile it was given:" >&2; cat "$WORK/blueshift.properties" >&2; exit 1; }
KUBECONFIG="$WORK/kubeconfig" BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE="$OPNS" QUARKUS_HTTP_PORT=0 \
  QUARKUS_CONFIG_LOCATIONS="$WORK/blueshift.properties" \
  QUARKUS_OPERATOR_SDK_CONTROLLERS_BLUESHIFT_SELECTOR='!blueshift.dev/test-run' \
  java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar" >"$WORK/operator.log" 2>&1 &
echo $! > "$WORK/operator.pid"

k create namespace "$APPNS" >/dev/null
k apply -n "$APPNS" -f - >/dev/null <<'MSD'
apiVersion: blueshift.dev/v1alpha1
kind: MicroserviceDeployment
metadata: {name: rbac-check}
spec:
  replicas: 2
  strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: 1}}
  template:
    spec:
      containers: [{name: app, image: "registry.example/rbac-check:1"}]
MSD
wait_stable() {
  for _ in $(seq 1 120); do
    phase="$(k -n "$APPNS" get msd rbac-check -o jsonpath='{.status.phase}/{.status.stableRevision}/{.status.currentRevision}')"
    case "$phase" in Healthy/*) s="${phase#Healthy/}"; [ "${s%%/*}" = "${s#*/}" ] && return 0 ;; Failed/*) break ;; esac
    sleep 1
  done
  echo "the operator did not release under the chart's RBAC (status: $phase); its log:" >&2
  grep -E 'WARN|ERROR|forbidden' "$WORK/operator.log" | tail -20 >&2
  k -n "$APPNS" get msd rbac-check -o jsonpath='{.status.conditions}' >&2; echo >&2
  exit 1
}
wait_stable
k -n "$APPNS" patch msd rbac-check --type=json \
  -p='[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example/rbac-check:2"}]' >/dev/null
wait_stable
holder="$(k -n "$OPNS" get lease blueshift-operator -o jsonpath='{.spec.holderIdentity}')"
[ -n "$holder" ] || { echo "no leader holds the Lease $OPNS/blueshift-operator" >&2; exit 1; }
if grep -qi forbidden "$WORK/operator.log"; then
  echo "the operator was refused something under the chart's RBAC; the log lines that say so:" >&2
  grep -i forbidden "$WORK/operator.log" | cut -c1-600 | sort -u | head -5 >&2
  exit 1
fi
# A Pod is stopped with SIGTERM: the operator (leader election on) must exit by itself, promptly.
pid="$(cat "$WORK/operator.pid")"
kill "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then
  kill -9 "$pid"
  echo "the operator did not exit within 20 s of SIGTERM" >&2; exit 1
fi
rm "$WORK/operator.pid"
log "chart OK: lint, dry run, install; two BlueGreen releases under its RBAC; Lease held by $holder; clean exit on SIGTERM"
