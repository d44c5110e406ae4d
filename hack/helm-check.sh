#!/usr/bin/env bash
# Checks the Helm chart against the real API server, and that its RBAC is enough:
#  1. helm lint, and the rendered objects accepted by the API server (server-side dry run);
#  2. helm install, then the operator image (hack/images.sh) runs as a container (runc, as root)
#     the way the chart's Pod runs it: the Deployment's environment, the settings ConfigMap and the
#     ServiceAccount's token, CA and namespace mounted where a Pod has them (so the in-cluster
#     config is used and it has exactly the chart's permissions), read-only root, /tmp a tmpfs,
#     uid 10001, the chart's memory limit; its own PID, mount, IPC and UTS namespaces, the host's
#     network namespace (it reaches the API server on 127.0.0.1: kwok has no real Pod network).
#     It answers its readiness probe and releases a BlueGreen MicroserviceDeployment twice (leader
#     election on, its Lease in the release namespace). Not root, or no runc: it says so and runs
#     `java -jar` with the token in a kubeconfig instead;
#  3. the operator exits promptly and in order on SIGTERM (runc kill, as a Pod is stopped); helm uninstall.
# A permission the chart lacks makes step 2 fail. Uses the local control plane or KUBECONFIG's cluster.
#
#   hack/helm-check.sh --real-node
#     the same, with step 2 done by the cluster itself: the chart's Pods run the operator image on
#     the real node (hack/node.sh up, make node: the image imported there, nothing pulled), the
#     kubelet probes their readiness, they reach the API server through the `kubernetes` Service
#     with their ServiceAccount's token, `helm test` runs its Pod there, and the leader's Pod is
#     deleted (SIGTERM from the kubelet).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG_NAME=helm-check
REAL_NODE=false
case "${1:-}" in
  --real-node) REAL_NODE=true ;;
  "") ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
# The tools first: with KUBECONFIG set (kind, EKS) they come from PATH, and a missing one stops here.
tool_path kubectl "$KUBE_BIN" >/dev/null && tool_path helm "$HELM_BIN" >/dev/null || exit 1
CHART="$REPO_ROOT/helm/blueshift"
# Names of their own for each run, so that a run never meets the previous one's leftovers.
RUN="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
RELEASE="blueshift-check-$RUN"
OPNS="bs-check-$RUN-system"
APPNS="bs-check-$RUN-apps"
WORK="$(mktemp -d)"

# The operator's log so far: the process's, or its Pods' (kubectl logs, through the kubelet; a
# container that restarted: its previous run's too).
operator_log() {
  if [ "$REAL_NODE" = true ]; then
    for p in $(kubectl -n "$OPNS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[*].metadata.name}' 2>/dev/null); do
      kubectl -n "$OPNS" logs --previous "$p" 2>/dev/null || true
      kubectl -n "$OPNS" logs "$p" 2>&1 || true
    done > "$WORK/operator.log"
  fi
  cat "$WORK/operator.log" 2>/dev/null
}

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then echo "helm-check failed ($rc); the operator's last log lines:" >&2; operator_log | tail -n 15 | cut -c1-400 >&2; fi
  if [ -f "$WORK/container.id" ]; then runc kill "$(cat "$WORK/container.id")" KILL 2>/dev/null || true; sleep 1; runc delete -f "$(cat "$WORK/container.id")" 2>/dev/null || true; fi
  [ -f "$WORK/operator.pid" ] && kill -9 "$(cat "$WORK/operator.pid")" 2>/dev/null || true
  helm uninstall "$RELEASE" -n "$OPNS" >/dev/null 2>&1 || true
  # Should a failed run leave the MSD a finalizer (it has no AWS resources, so it should carry none), drop it.
  kubectl -n "$APPNS" patch msd rbac-check --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
  kubectl delete namespace "$OPNS" "$APPNS" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1 || true
  [ "${STARTED_PROXY:-}" = true ] && "$HACK_DIR/moto.sh" proxy-down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# The admin's settings this check installs with: a cluster name (required), a guardrail profile,
# the selector that leaves the tests' MSDs alone, a Pod label and a spread of the replicas.
VALUES=(--set "aws.clusterName=helm-check-$RUN" --set "guardrails.rolePath=/blueshift/checks/"
  --set "guardrails.profiles.platform.deniedManagedPolicies={none}" --set "guardrails.profiles.platform.allowRoleAdoption=true"
  --set "selector=!blueshift.dev/test-run" --set "podLabels.team=platform"
  --set "topologySpreadConstraints[0].maxSkew=1" --set "topologySpreadConstraints[0].topologyKey=kubernetes.io/hostname"
  --set "topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway"
  --set "watchNamespaces={$APPNS}")  # a namespaced install: the operator's rights end at that namespace
if [ "$REAL_NODE" = true ]; then
  "$HACK_DIR/node.sh" ready || { echo "--real-node: no real node is up (make node)" >&2; exit 1; }
  # The image make images built, as hack/node.sh import-images named it in the node's containerd; the
  # node's label and taint (hack/node.sh).
  VALUES+=(--set image.repository=blueshift-operator --set image.pullPolicy=Never
    --set "nodeSelector.blueshift\.dev/node=real"
    --set "tolerations[0].key=blueshift.dev/real-node" --set "tolerations[0].operator=Exists"
    --set "tolerations[0].effect=NoSchedule")
  # Its AWS: the emulator (moto, behind the tests' translating proxy, which knows this OIDC issuer),
  # reached from the Pods through the node's relay; any key will do for it.
  OIDC_ISSUER="https://oidc.eks.us-east-1.amazonaws.com/id/HELMCHECK"
  eval "$("$HACK_DIR/moto.sh" env)"
  # Stopped at the end when this check started it (a demo's stays).
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$BLUESHIFT_MOTO_PROXY_PORT/" || STARTED_PROXY=true
  "$HACK_DIR/moto.sh" proxy-up "$OIDC_ISSUER"
  VALUES+=(--set "aws.endpoint=$("$HACK_DIR/node.sh" env | sed -n 's/^BLUESHIFT_NODE_AWS_ENDPOINT=//p')"
    --set aws.region=us-east-1 --set "aws.oidcIssuer=$OIDC_ISSUER"
    --set "env[0].name=AWS_ACCESS_KEY_ID" --set "env[0].value=helm-check"
    --set "env[1].name=AWS_SECRET_ACCESS_KEY" --set "env[1].value=helm-check")
fi
log "helm lint"
helm lint --strict "$CHART" "${VALUES[@]}"
if out="$(helm template "$RELEASE" "$CHART" --kube-version "$KUBE_VERSION" 2>&1)"; then
  echo "the chart rendered without aws.clusterName; it must require one" >&2; exit 1
fi
grep -q "aws.clusterName is required" <<<"$out" || { echo "without aws.clusterName the chart said: $out" >&2; exit 1; }
# values.schema.json: a bad value fails before anything is rendered, naming the value.
for bad in "replicaCount=two:/replicaCount" "image.digest=sha256:abc:/image/digest" "imagee.tag=1:imagee" \
    "guardrails.profiles.team-a.allowRoleAdoption=yes:/guardrails/profiles/team-a/allowRoleAdoption" \
    "aws.syncWait=forever:/aws/syncWait"; do
  if out="$(helm template "$RELEASE" "$CHART" --kube-version "$KUBE_VERSION" "${VALUES[@]}" --set "${bad%:*}" 2>&1)"; then
    echo "the chart accepted ${bad%:*}" >&2; exit 1
  fi
  grep -q "${bad##*:}" <<<"$out" || { echo "for ${bad%:*} the chart said, without naming the value: $out" >&2; exit 1; }
done
log "rendered chart, server-side dry run"
kubectl create namespace "$OPNS" >/dev/null  # a dry run of namespaced objects needs their namespace
kubectl create namespace "$APPNS" >/dev/null  # the watched namespace holds the operator's RoleBinding
# Without watchNamespaces the rules are bound cluster-wide; with them, only in those namespaces.
helm template "$RELEASE" "$CHART" -n "$OPNS" --kube-version "$KUBE_VERSION" --set "aws.clusterName=x" | grep -q "^kind: ClusterRoleBinding" \
  || { echo "without watchNamespaces the chart binds no ClusterRoleBinding" >&2; exit 1; }
# The optional ServiceMonitor (its CRD is not on this cluster: rendered, not applied).
helm template "$RELEASE" "$CHART" -n "$OPNS" --kube-version "$KUBE_VERSION" "${VALUES[@]}" --set metrics.serviceMonitor.enabled=true \
  --set metrics.serviceMonitor.labels.release=prom | grep -A3 "^kind: ServiceMonitor" | grep -q "name: $RELEASE" \
  || { echo "metrics.serviceMonitor.enabled rendered no ServiceMonitor" >&2; exit 1; }
helm template "$RELEASE" "$CHART" -n "$OPNS" --kube-version "$KUBE_VERSION" --skip-tests "${VALUES[@]}" | kubectl apply --dry-run=server -f - >/dev/null  # each object names its namespace

log "helm install"
helm install "$RELEASE" "$CHART" -n "$OPNS" --wait --timeout 120s "${VALUES[@]}" >/dev/null
SA="$RELEASE"
kubectl -n "$OPNS" get serviceaccount "$SA" >/dev/null
# The CRD served is the chart's: helm install and upgrade never change an existing CRD (crds/ is
# installed only when absent), so an older one must be updated by hand (README, "CRD upgrades").
# Server-side apply's diff is empty exactly when applying the chart's CRD would change nothing.
if ! crd_diff="$(kubectl diff --server-side --force-conflicts -f "$CHART/crds/")"; then
  echo "the installed MicroserviceDeployment CRD differs from the chart's; update it first:" >&2
  echo "  helm show crds $CHART | kubectl apply --server-side --force-conflicts -f -" >&2
  head -n 40 <<<"$crd_diff" >&2; exit 1
fi
[ "$(kubectl -n "$OPNS" get deployment "$RELEASE" -o jsonpath='{.spec.template.metadata.labels.team}/{.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels.app\.kubernetes\.io/instance}')" = "platform/$RELEASE" ] \
  || { echo "the Deployment lacks the Pod label or the spread constraint (with the Pods' selector) it was given" >&2; exit 1; }
[ "$(kubectl -n "$OPNS" get pdb "$RELEASE" -o jsonpath='{.spec.maxUnavailable}')" = 1 ] \
  || { echo "no PodDisruptionBudget $OPNS/$RELEASE with maxUnavailable 1" >&2; exit 1; }
# Namespaced: the operator may act on MSDs in the watched namespace and read only that Namespace.
op_can() { kubectl auth can-i "$@" --as "system:serviceaccount:$OPNS:$SA" 2>/dev/null || true; }
rights="$(op_can list microservicedeployments.blueshift.dev -n "$APPNS")/$(op_can list microservicedeployments.blueshift.dev -n "$OPNS")"
rights+="/$(op_can list microservicedeployments.blueshift.dev -A)/$(op_can get "namespaces/$APPNS")/$(op_can get namespaces/kube-system)"
[ "$rights" = "yes/no/no/yes/no" ] \
  || { echo "namespaced install: the operator may list MSDs in $APPNS/$OPNS/all namespaces, get Namespace $APPNS/kube-system = $rights (want yes/no/no/yes/no)" >&2; exit 1; }
# Service teams get MSDs through the default roles: edit may release, view may only read.
kubectl -n "$APPNS" create rolebinding team-edit --clusterrole=edit --serviceaccount="$APPNS:team-dev" >/dev/null
kubectl -n "$APPNS" create rolebinding team-view --clusterrole=view --serviceaccount="$APPNS:team-viewer" >/dev/null
can() { kubectl auth can-i "$1" microservicedeployments.blueshift.dev -n "$APPNS" --as "system:serviceaccount:$APPNS:$2" 2>/dev/null || true; }
for _ in $(seq 1 30); do [ "$(can patch team-dev)" = yes ] && break; sleep 1; done  # aggregation is a controller's work
[ "$(can create team-dev)/$(can patch team-dev)/$(can delete team-dev)/$(can list team-viewer)/$(can patch team-viewer)" = "yes/yes/yes/yes/no" ] \
  || { echo "aggregation to edit/view: edit create/patch/delete, view list/patch = $(can create team-dev)/$(can patch team-dev)/$(can delete team-dev)/$(can list team-viewer)/$(can patch team-viewer)" >&2; exit 1; }

# NOTES.txt speaks to an admin who has the chart, not this repository.
if helm get notes "$RELEASE" -n "$OPNS" | grep -nE '(hack|plugin|manifests|operator|helm/blueshift|target)/'; then
  echo "NOTES.txt names a path that exists only in this repository" >&2; exit 1
fi
# helm test's Pod, accepted by the API server now that its ServiceAccount exists.
helm get hooks "$RELEASE" -n "$OPNS" | kubectl apply --dry-run=server -n "$OPNS" -f - >/dev/null

TOKEN="$(kubectl -n "$OPNS" create token "$SA" --duration=1h)"
SERVER="$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
CA="$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
CA_FILE="$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')"
if [ -z "$CA" ] && [ -n "$CA_FILE" ]; then CA="$(base64 -w0 < "$CA_FILE")"; fi
# The settings file the chart mounts into the operator's Pod, read as the Pod reads it.
mkdir -p "$WORK/settings"
kubectl -n "$OPNS" get configmap "$RELEASE-settings" -o jsonpath='{.data.blueshift\.properties}' > "$WORK/settings/blueshift.properties"
grep -q "^blueshift.guardrails.profiles.platform.allow-role-adoption=true$" "$WORK/settings/blueshift.properties" \
  || { echo "the chart's settings file lacks the profile it was given:" >&2; cat "$WORK/settings/blueshift.properties" >&2; exit 1; }
# The operator's environment as the chart's Deployment sets it (the downward API's namespace filled in).
mapfile -t POD_ENV < <(kubectl -n "$OPNS" get deployment "$RELEASE" -o json | jq -r --arg ns "$OPNS" \
  '.spec.template.spec.containers[0].env[] | "\(.name)=\(if .value != null then .value elif .valueFrom.fieldRef.fieldPath == "metadata.namespace" then $ns else error("env \(.name): unsupported valueFrom") end)"')
# It leaves alone the MSDs of test runs (the tests that ran just before may still be cleaning up theirs;
# some ask AWS, which this operator has no endpoint for, and would hold its reconcile threads): the
# install above set the chart's `selector` value to "!blueshift.dev/test-run".
printf '%s\n' "${POD_ENV[@]}" | grep -qx 'QUARKUS_OPERATOR_SDK_CONTROLLERS_BLUESHIFT_SELECTOR=!blueshift.dev/test-run' \
  || { echo "the chart's Deployment does not pass the selector value: ${POD_ENV[*]}" >&2; exit 1; }
HTTP_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

limit="$(kubectl -n "$OPNS" get deployment "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].resources.limits.memory}')"
[[ "$limit" =~ ^([0-9]+)Mi$ ]] && LIMIT_MI="${BASH_REMATCH[1]}" || { echo "expected the chart's memory limit in Mi, got '$limit'" >&2; exit 1; }

if [ "$REAL_NODE" = true ]; then
  MODE=pod
  # helm install --wait above waited for the kubelet's readiness probes: the operator's Pods run.
  PODS=($(kubectl -n "$OPNS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[*].metadata.name}'))
  nodes="$(kubectl -n "$OPNS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[*].spec.nodeName}')"
  [ "$(tr ' ' '\n' <<<"$nodes" | sort -u)" = "$(kubectl get nodes -l blueshift.dev/node=real -o jsonpath='{.items[0].metadata.name}')" ] \
    || { echo "the operator's Pods are on nodes '$nodes', not (only) the real node" >&2; exit 1; }
  log "operator Pods ${PODS[*]} Ready on the real node (the kubelet's readiness probe)"
  in_operator() { kubectl -n "$OPNS" exec "${PODS[0]}" -- "$@"; }
elif [ "$(id -u)" = 0 ] && command -v runc >/dev/null && command -v umoci >/dev/null; then
  MODE=image
  log "operator image, run by runc as the chart's Pod: its ServiceAccount token, its settings, read-only root"
  "$HACK_DIR/images.sh" build
  # Where a Pod has its ServiceAccount: token, CA, namespace (files readable by the image's user).
  mkdir -p "$WORK/sa"
  printf '%s' "$TOKEN" > "$WORK/sa/token"
  base64 -d <<<"$CA" > "$WORK/sa/ca.crt"
  printf '%s' "$OPNS" > "$WORK/sa/namespace"
  chmod 755 "$WORK" "$WORK/sa" "$WORK/settings"; chmod 644 "$WORK"/sa/* "$WORK/settings/blueshift.properties"
  API_HOST_PORT="${SERVER#https://}"; API_HOST_PORT="${API_HOST_PORT%%/*}"
  [ "${API_HOST_PORT%:*}" = 127.0.0.1 ] || { echo "the in-container run reaches only an API server on 127.0.0.1 (the host's network namespace); this one is $SERVER" >&2; exit 1; }
  BUNDLE_ARGS=(--memory "$LIMIT_MI" --hostname "$RELEASE-image"
    --mount "$WORK/sa:/var/run/secrets/kubernetes.io/serviceaccount" --mount "$WORK/settings:/etc/blueshift"
    --env KUBERNETES_SERVICE_HOST=127.0.0.1 --env "KUBERNETES_SERVICE_PORT=${API_HOST_PORT##*:}"
    --env "QUARKUS_HTTP_PORT=$HTTP_PORT")  # the host's network: 8080 may be taken there
  for e in "${POD_ENV[@]}"; do BUNDLE_ARGS+=(--env "$e"); done
  "$HACK_DIR/images.sh" bundle blueshift-operator "$WORK/bundle" "${BUNDLE_ARGS[@]}"
  CID="helm-check-$RUN"
  echo "$CID" > "$WORK/container.id"
  START=(runc run --bundle "$WORK/bundle" "$CID")
else
  MODE=jar
  log "NOT running the operator image: runc needs root here (uid $(id -u)) and runc and umoci installed" \
    "(hack/images.sh install). Falling back to java -jar with the chart's ServiceAccount token in a kubeconfig."
  (cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
  cat > "$WORK/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "$SERVER", certificate-authority-data: "$CA"}}]
users: [{name: sa, user: {token: "$TOKEN"}}]
contexts: [{name: sa, context: {cluster: c, user: sa}}]
current-context: sa
KUBECONFIG
  START=(env "${POD_ENV[@]}" KUBECONFIG="$WORK/kubeconfig" QUARKUS_HTTP_PORT="$HTTP_PORT"
    QUARKUS_CONFIG_LOCATIONS="$WORK/settings/blueshift.properties"
    java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar")
fi
if [ "$MODE" != pod ]; then
  # The Pod's readiness probe, answered.
  operator_ready() { curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1; }
  bg_start "the operator ($MODE)" "$WORK/operator.pid" "$WORK/operator.log" 120 operator_ready "${START[@]}"
fi
[ "$MODE" = image ] && in_operator() { runc exec "$CID" "$@"; }
if [ "$MODE" != jar ]; then
  # What the container is: the image's user, a root it cannot write, a heap from the memory limit.
  uid="$(in_operator id -u)"
  [ "$uid" = 10001 ] || { echo "the operator runs as uid $uid, not 10001" >&2; exit 1; }
  if in_operator touch /deployments/written 2>/dev/null; then echo "the container's root filesystem is writable" >&2; exit 1; fi
  heap="$(in_operator java -XX:MaxRAMPercentage=75 -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {print $4}')"
  want=$(( $LIMIT_MI * 1024 * 1024 * 3 / 4 ))
  [ "$heap" -le "$want" ] && [ "$heap" -ge $(( want * 9 / 10 )) ] \
    || { echo "the JVM's max heap in the container is $heap, not about 75% of the ${LIMIT_MI}Mi limit ($want)" >&2; exit 1; }
  log "operator container ($MODE) ready: uid $uid, read-only root, max heap $((heap / 1048576)) MiB of a ${LIMIT_MI}Mi limit"
fi
if [ "$MODE" = pod ]; then
  # helm test's Pod, on the real node: the operator's Service (kube-proxy) and the API server.
  # (The test Pod goes when it passed; one that failed stays, with its log.)
  helm test "$RELEASE" -n "$OPNS" --timeout 120s >/dev/null \
    || { echo "helm test failed on the real node; its Pod said:" >&2; kubectl -n "$OPNS" logs "$RELEASE-test" >&2 || true; exit 1; }
elif [ "$MODE" = image ]; then
  # `helm test`'s Pod runs the operator image; kwok runs no container, so its script runs here, in the
  # operator's container (its ServiceAccount, the API server's address), the operator's Service
  # replaced by the host port.
  test_script="$(helm get hooks "$RELEASE" -n "$OPNS" | kubectl create --dry-run=client -o json -f - \
    | jq -r 'if .kind == "List" then .items[] else . end | select(.kind == "Pod") | .spec.containers[0].args[0]')"
  [ -n "$test_script" ] || { echo "the release has no helm test Pod" >&2; exit 1; }
  runc exec --user 10001:10001 --env OPERATOR_HOST=127.0.0.1 --env "OPERATOR_PORT=$HTTP_PORT" "$CID" bash -c "$test_script" >&2 \
    || { echo "helm test's script failed in the operator image" >&2; exit 1; }
fi

# Its Pods run the test image (a real cluster's nodes pull it; kwok's pull nothing); the second
# release is a new environment variable, so both releases run the same image.
kubectl apply -n "$APPNS" -f - >/dev/null <<MSD
apiVersion: blueshift.dev/v1alpha1
kind: MicroserviceDeployment
metadata: {name: rbac-check}
spec:
  replicas: 2
  strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: 1}}
  template:
    spec:
      containers: [{name: app, image: "$BLUESHIFT_TEST_IMAGE"}]
MSD
wait_stable() { # $1: a revision that is not the one wanted (the previous release), or nothing
  for _ in $(seq 1 120); do
    phase="$(kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.status.phase}/{.status.stableRevision}/{.status.currentRevision}')"
    case "$phase" in
      Healthy/*) s="${phase#Healthy/}"; [ "${s%%/*}" = "${s#*/}" ] && [ "${s%%/*}" != "${1:-}" ] && { STABLE="${s%%/*}"; return 0; } ;;
      Failed/*) break ;;
    esac
    sleep 1
  done
  echo "the operator did not release under the chart's RBAC (status: $phase); its log:" >&2
  operator_log | grep -E 'WARN|ERROR|forbidden' | tail -20 >&2
  kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.status.conditions}' >&2; echo >&2
  exit 1
}
wait_stable
first="$STABLE"
kubectl -n "$APPNS" patch msd rbac-check --type=json \
  -p='[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"RELEASE","value":"2"}]}]' >/dev/null
wait_stable "$first"
if [ "$MODE" = pod ]; then
  # The operator Pod's own AWS: an IAM role for the MSD's workload (IRSA) made through the chart's
  # endpoint and credentials, then deleted when spec.aws goes (and with it the finalizer).
  kubectl -n "$APPNS" patch msd rbac-check --type=merge \
    -p '{"spec":{"aws":{"iam":{"managedPolicyArns":["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}}}}' >/dev/null
  for _ in $(seq 1 90); do
    role="$(kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.status.aws.roleArn}')"
    annotated="$(kubectl -n "$APPNS" get serviceaccount rbac-check -o jsonpath='{.metadata.annotations.eks\.amazonaws\.com/role-arn}' 2>/dev/null || true)"
    [ -n "$role" ] && [ "$annotated" = "$role" ] && break; sleep 1
  done
  [ -n "$role" ] && [ "$annotated" = "$role" ] || { echo "the operator's Pod made no IAM role (status.aws.roleArn '$role'," \
    "ServiceAccount annotated '$annotated'); conditions: $(kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.status.conditions}')" >&2; exit 1; }
  [[ "$role" == */blueshift/checks/* ]] || { echo "the role $role is not under the guardrails' rolePath /blueshift/checks/" >&2; exit 1; }
  kubectl -n "$APPNS" patch msd rbac-check --type=json -p '[{"op":"remove","path":"/spec/aws"}]' >/dev/null
  for _ in $(seq 1 90); do
    left="$(kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.status.aws.roleArn}{.metadata.finalizers}')"
    [ -z "$left" ] && break; sleep 1
  done
  [ -z "$left" ] || { echo "after spec.aws went the MSD still has '$left' (role, finalizer)" >&2; exit 1; }
  aws_status="made IAM role $role through the chart's AWS endpoint, deleted it when spec.aws went"
  log "operator (pod): $aws_status"
fi
holder="$(kubectl -n "$OPNS" get lease blueshift-operator -o jsonpath='{.spec.holderIdentity}')"
[ -n "$holder" ] || { echo "no leader holds the Lease $OPNS/blueshift-operator" >&2; exit 1; }
if operator_log | grep -qi forbidden; then
  echo "the operator was refused something under the chart's RBAC; the log lines that say so:" >&2
  grep -i forbidden "$WORK/operator.log" | cut -c1-600 | sort -u | head -5 >&2
  exit 1
fi
# A Pod is stopped with SIGTERM: the operator (leader election on) must exit by itself, promptly.
if [ "$MODE" = pod ]; then
  # The leader's Pod deleted: the kubelet sends SIGTERM and waits up to the grace period; the Pod
  # is gone once its container stopped.
  leader=""; for p in "${PODS[@]}"; do [[ "$holder" == *"$p"* ]] && leader="$p"; done
  [ -n "$leader" ] || { echo "the Lease's holder '$holder' is none of the operator's Pods (${PODS[*]})" >&2; exit 1; }
  kubectl -n "$OPNS" logs -f "$leader" > "$WORK/stopped.log" 2>&1 &
  follow=$!
  for _ in $(seq 1 50); do [ -s "$WORK/stopped.log" ] && break; sleep 0.2; done  # following: its log so far is in
  stop_start=$SECONDS
  kubectl -n "$OPNS" delete pod "$leader" --wait=false >/dev/null
  for _ in $(seq 1 100); do kubectl -n "$OPNS" get pod "$leader" >/dev/null 2>&1 || break; sleep 0.2; done
  if kubectl -n "$OPNS" get pod "$leader" >/dev/null 2>&1; then
    echo "the operator's Pod $leader was not gone within 20 s of its deletion (SIGTERM)" >&2; exit 1
  fi
  wait "$follow" || true
  status="Pod $leader gone $((SECONDS - stop_start)) s after its deletion"
  # It handed the Lease back as it stopped, and the other replica (or the new one) takes it at its next try.
  grep -q "released the leader Lease" "$WORK/stopped.log" \
    || { echo "the leader $leader stopped without handing its Lease back; its last lines:" >&2; tail -5 "$WORK/stopped.log" >&2; exit 1; }
  for _ in $(seq 1 60); do
    next="$(kubectl -n "$OPNS" get lease blueshift-operator -o jsonpath='{.spec.holderIdentity}')"
    [ -n "$next" ] && [[ "$next" != *"$leader"* ]] && break; sleep 1
  done
  [ -n "$next" ] && [[ "$next" != *"$leader"* ]] || { echo "60 s after $leader stopped the Lease is held by '$next'" >&2; exit 1; }
  status+=", the Lease taken by $next $((SECONDS - stop_start)) s after it"
else
  pid="$(cat "$WORK/operator.pid")"
  if [ "$MODE" = image ]; then runc kill "$CID" TERM; else kill "$pid"; fi
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the operator ($MODE) did not exit within 20 s of SIGTERM" >&2; exit 1
  fi
  status=0; wait "$pid" || status=$?
  rm "$WORK/operator.pid"
  # A JVM stopped by SIGTERM exits 143 once its shutdown hooks ran.
  [ "$status" = 143 ] || [ "$status" = 0 ] || { echo "the operator ($MODE) exited $status on SIGTERM; its log:" >&2; tail -20 "$WORK/operator.log" >&2; exit 1; }
  cp "$WORK/operator.log" "$WORK/stopped.log"
  [ "$MODE" = image ] && rm "$WORK/container.id"  # runc run deletes the container when it ends
fi
# Quarkus logs that it stopped once its shutdown hooks ran.
grep -q "stopped in" "$WORK/stopped.log" || { echo "the operator ($MODE) did not shut down in order; its log:" >&2; tail -20 "$WORK/stopped.log" >&2; exit 1; }

log "helm upgrade: a value changed, the operator's Pods replaced"
pods_of() { kubectl -n "$OPNS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{range .items[*]}{.metadata.labels.pod-template-hash}{"\n"}{end}' | sort -u | tr '\n' ' '; }
before="$(pods_of)"
helm upgrade "$RELEASE" "$CHART" -n "$OPNS" --wait --timeout 120s "${VALUES[@]}" --set logLevel=DEBUG >/dev/null
kubectl -n "$OPNS" rollout status deployment "$RELEASE" --timeout=120s >/dev/null
for _ in $(seq 1 60); do after="$(pods_of)"; [ -n "$after" ] && [ "$after" != "$before" ] && [ "$(wc -w <<<"$after")" = 1 ] && break; sleep 1; done
[ "$(wc -w <<<"$after")" = 1 ] && [ "$after" != "$before" ] \
  || { echo "after the upgrade the operator's Pods are of template(s) '$after' (before: '$before')" >&2; exit 1; }
kubectl -n "$OPNS" get deployment "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].env}' | grep -q '"DEBUG"' \
  || { echo "the upgrade did not reach the Deployment (QUARKUS_LOG_LEVEL)" >&2; exit 1; }

log "helm uninstall"
# An MSD without AWS resources carries no finalizer: with the operator gone, it and its namespace
# still go (below).
finalizers="$(kubectl -n "$APPNS" get msd rbac-check -o jsonpath='{.metadata.finalizers}')"
[ -z "$finalizers" ] || { echo "the MSD rbac-check (no spec.aws) carries finalizers $finalizers" >&2; exit 1; }
helm uninstall "$RELEASE" -n "$OPNS" --wait --timeout 120s >/dev/null
# (Pods that run go after their grace period, once the garbage collector removed their ReplicaSet.)
for _ in $(seq 1 60); do
  left="$(kubectl get clusterroles,clusterrolebindings -l "app.kubernetes.io/instance=$RELEASE" -o name; kubectl -n "$OPNS" get all,cm,sa,pdb,role,rolebinding -l "app.kubernetes.io/instance=$RELEASE" -o name)"
  [ -z "$left" ] && break; sleep 1
done
[ -z "$left" ] || { echo "60 s after helm uninstall there are still: $left" >&2; exit 1; }
kubectl get crd microservicedeployments.blueshift.dev >/dev/null || { echo "helm uninstall removed the CRD (it must keep it, and so every MSD)" >&2; exit 1; }
kubectl delete namespace "$APPNS" --wait=true --timeout=60s >/dev/null \
  || { echo "with the operator uninstalled, namespace $APPNS did not go: $(kubectl -n "$APPNS" get msd -o name 2>&1)" >&2; exit 1; }
log "chart OK: lint, schema, dry run, namespaced install (rights end at $APPNS), CRD current, PDB, edit/view aggregation; the operator ($MODE)$([ "$MODE" != jar ] && echo " passed helm test,") made two BlueGreen releases under its RBAC${aws_status:+, $aws_status} (Lease held by $holder) and exited in order on SIGTERM ($status); upgrade rolled its Pods ($before-> $after); uninstall left nothing but the CRD, and the MSDs' namespace went without the operator"
