#!/usr/bin/env bash
# The operator image and the sample service image, as OCI archives, with no Docker daemon and no
# container registry: a Debian root with a Java 17 runtime made from Debian's packages (mmdebstrap),
# turned into an OCI base layer (umoci), and the Quarkus application (target/quarkus-app) on top.
#
#   hack/images.sh install        apt-get installs what is missing (mmdebstrap, umoci, skopeo, runc)
#   hack/images.sh missing        prints those of them that are missing
#   hack/images.sh build          the base (once per key, cached) and both images; prints digest and size
#   hack/images.sh ensure         build only when an archive is missing (what make test uses)
#   hack/images.sh archive NAME   prints the archive's path (NAME: blueshift-operator, blueshift-sample-service)
#   hack/images.sh bundle NAME DIR [--env K=V]... [--mount HOST:PATH]... [--memory MiB] [--hostname H]
#                                 unpacks the image into a runc bundle DIR (umoci, as root) set up
#                                 as a Pod runs it: read-only root, /tmp a tmpfs, every capability
#                                 dropped, its own PID, mount, IPC and UTS namespaces, a memory
#                                 limit (cgroup); the host's network namespace (it reaches the
#                                 API server and test servers on 127.0.0.1); each --mount read-only.
#                                 Run it with: runc run --bundle DIR ID
#
# Output: target/images/<name>.oci.tar (an OCI image layout in a tar, tag = the chart's appVersion,
# also named <name>:<tag> for containerd), <name>.digest (the manifest digest).
# The base root is cached in $BLUESHIFT_CACHE/images/base-<key>/, the key being the recipe below
# and the candidate versions of its main packages in apt's lists (so `apt-get update` followed by
# a newer openjdk, libc or libssl means a new base). The builds are reproducible: every timestamp
# is SOURCE_DATE_EPOCH (the base: a fixed epoch; the images: the git commit's time; Java's cacerts
# keystore re-dated by hack/jks-epoch.py), tar entries are sorted with fixed owners, and nothing of
# the build machine goes in.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT="$REPO_ROOT/target/images"
IMAGES=(blueshift-operator blueshift-sample-service)
SUITE=bookworm
MIRROR="${BLUESHIFT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${BLUESHIFT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
PACKAGES=(openjdk-17-jre-headless)
# Packages whose version names the base (apt's candidate version at build time).
KEY_PACKAGES=(openjdk-17-jre-headless libc6 libssl3 ca-certificates base-files tzdata)
# The base's timestamps: fixed, so that the same packages give the same layer, bit for bit.
BASE_EPOCH=1735689600 # 2025-01-01T00:00:00Z
APP_UID=10001
# The Debian packages of the image tools, when missing.
cmd_missing() {
  local tool
  for tool in mmdebstrap umoci skopeo runc; do command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || echo "$tool"; done
}

cmd_install() {
  local missing
  missing="$(cmd_missing)"
  if [ -z "$missing" ]; then log "mmdebstrap, umoci, skopeo and runc are installed"; return; fi
  apt_install $missing
}

# The recipe of the base root; any change to it (or to a key package's version) is a new base.
mmdebstrap_args() {
  printf '%s\n' --variant=essential --include="$(IFS=,; echo "${PACKAGES[*]}")" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-include=/usr/share/man/man1/' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='chroot "$1" dpkg --purge --force-depends usrmerge libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl perl libperl5.36 perl-modules-5.36 >/dev/null 2>&1' \
    --customize-hook="echo 'app:x:$APP_UID:$APP_UID:app:/tmp:/usr/sbin/nologin' >> \"\$1/etc/passwd\"; echo 'app:x:$APP_UID:' >> \"\$1/etc/group\"" \
    --customize-hook='python3 "$BLUESHIFT_JKS_EPOCH" "$1/etc/ssl/certs/java/cacerts" "$SOURCE_DATE_EPOCH" >/dev/null' \
    --customize-hook='rm -rf "$1/etc/resolv.conf" "$1/etc/hostname" "$1/usr/share/man" "$1"/var/lib/dpkg/*-old "$1"/var/cache/debconf/*-old' \
    "$SUITE" - \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY_MIRROR $SUITE-security main"
}

base_key() {
  { mmdebstrap_args; echo "$BASE_EPOCH $APP_UID"; cat "$HACK_DIR/jks-epoch.py"
    for p in "${KEY_PACKAGES[@]}"; do echo "$p $(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')"; done
  } | sha256sum | cut -c1-16
}

# The base OCI layout (one layer: the Debian root), cached by key.
cmd_base() {
  local key dir tmp start=$SECONDS
  key="$(base_key)"
  dir="$BLUESHIFT_CACHE/images/base-$key"
  if [ -f "$dir/done" ]; then log "base $key (cached): $(cat "$dir/summary")"; echo "$dir"; return; fi
  command -v mmdebstrap >/dev/null && command -v umoci >/dev/null || die "mmdebstrap or umoci missing: run $0 install"
  [ "$(id -u)" = 0 ] || die "mmdebstrap's root mode needs root here (or run it in unshare mode yourself)"
  log "building base $key: Debian $SUITE + ${PACKAGES[*]} from $MIRROR (mmdebstrap)"
  rm -rf "$dir"; tmp="$dir.tmp.$$"; rm -rf "$tmp"; mkdir -p "$tmp"
  local args=(); mapfile -t args < <(mmdebstrap_args)
  SOURCE_DATE_EPOCH=$BASE_EPOCH BLUESHIFT_JKS_EPOCH="$HACK_DIR/jks-epoch.py" mmdebstrap --quiet "${args[@]}" > "$tmp/rootfs.tar"
  tar -xOf "$tmp/rootfs.tar" ./var/lib/dpkg/status | awk '/^Package:/ {p=$2} /^Version:/ {print p, $2}' | sort > "$tmp/packages.txt"
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:base"
  umoci raw add-layer --image "$tmp/oci:base" \
    --history.created="$(date -u -d "@$BASE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)" \
    --history.created_by="mmdebstrap $SUITE ${PACKAGES[*]} (hack/images.sh base $key)" "$tmp/rootfs.tar"
  rm "$tmp/rootfs.tar"
  echo "$(grep -c . "$tmp/packages.txt") packages, $(grep '^openjdk-17-jre-headless ' "$tmp/packages.txt"), $(du -sh "$tmp/oci" | cut -f1) compressed, built in $((SECONDS - start)) s" > "$tmp/summary"
  touch "$tmp/done"; mv "$tmp" "$dir"
  log "base $key: $(cat "$dir/summary")"
  echo "$dir"
}

# A reproducible tar of DIR's entries named in $@ (sorted, root-owned, fixed mtime, world-readable).
layer_tar() { # $1: output, $2: directory, rest: entries
  local out="$1" dir="$2"; shift 2
  tar --create --file "$out" --directory "$dir" --sort=name --format=gnu \
    --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --mode='u+w,go-w,a+rX' "$@"
}

app_version() { sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$REPO_ROOT/pom.xml" | head -n 1; }
image_tag() { echo "${BLUESHIFT_IMAGE_TAG:-$(awk '/^appVersion:/ {gsub(/"/, "", $2); print $2}' "$REPO_ROOT/helm/blueshift/Chart.yaml")}"; }

build_image() { # $1: image name, $2: module dir, $3: title, $4: base layout dir
  local name="$1" module="$2" title="$3" base="$4" app="$REPO_ROOT/$2/target/quarkus-app"
  local tag work created revision
  [ -f "$app/quarkus-run.jar" ] || die "$app is not built"
  tag="$(image_tag)"
  work="$(mktemp -d)"
  revision="$(git -C "$REPO_ROOT" rev-parse HEAD)"
  git -C "$REPO_ROOT" diff --quiet HEAD -- "$module" 2>/dev/null || revision="$revision-dirty"
  created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  # The layout: the cached base's blobs (hard links: umoci only adds blobs), then two layers of
  # our own, dependencies first, as they change less often than the application.
  mkdir -p "$work/oci/blobs"
  cp -al "$base/oci/blobs/sha256" "$work/oci/blobs/"
  cp "$base/oci/oci-layout" "$base/oci/index.json" "$work/oci/"
  mkdir -p "$work/root/deployments"
  cp -r "$app/." "$work/root/deployments/"
  layer_tar "$work/lib.tar" "$work/root" deployments/lib
  layer_tar "$work/app.tar" "$work/root" --exclude=deployments/lib deployments
  umoci raw add-layer --image "$work/oci:base" --tag "$tag" --history.created="$created" \
    --history.created_by="$module/target/quarkus-app/lib" "$work/lib.tar"
  umoci raw add-layer --image "$work/oci:$tag" --history.created="$created" \
    --history.created_by="$module/target/quarkus-app (application)" "$work/app.tar"
  umoci rm --image "$work/oci:base"
  # The heap follows the container's memory limit (JDK 17 reads cgroup v1 and v2); the JVM writes
  # only to /tmp (hsperfdata, Vert.x's cache), so a read-only root filesystem works.
  umoci config --image "$work/oci:$tag" --no-history --created="$created" \
    --author="Blueshift" --architecture=amd64 --os=linux \
    --config.user="$APP_UID:$APP_UID" --config.workingdir=/deployments \
    --config.env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.env="LANG=C.UTF-8" --config.env="HOME=/tmp" \
    --config.env="JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64" \
    --config.entrypoint=java --config.entrypoint=-XX:MaxRAMPercentage=75 \
    --config.entrypoint=-XX:+ExitOnOutOfMemoryError --config.entrypoint=-Djava.io.tmpdir=/tmp \
    --config.entrypoint=-jar --config.entrypoint=/deployments/quarkus-run.jar \
    --config.exposedports=8080/tcp --config.stopsignal=SIGTERM \
    --config.label="org.opencontainers.image.title=$title" \
    --config.label="org.opencontainers.image.source=${BLUESHIFT_IMAGE_SOURCE:-https://github.com/blueshift-dev/blueshift}" \
    --config.label="org.opencontainers.image.version=$(app_version)" \
    --config.label="org.opencontainers.image.revision=$revision" \
    --config.label="org.opencontainers.image.created=$created" \
    --config.label="dev.blueshift.image.base=debian $SUITE + ${PACKAGES[*]} (mmdebstrap, $(basename "$base"))"
  umoci gc --layout "$work/oci"
  # containerd (kind load image-archive, ctr import) names the image by this annotation.
  jq --arg n "$name:$tag" '.manifests[0].annotations["io.containerd.image.name"] = $n' \
    "$work/oci/index.json" > "$work/index.json" && mv "$work/index.json" "$work/oci/index.json"
  find "$work/oci" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  mkdir -p "$OUT"
  tar --create --file "$OUT/$name.oci.tar.tmp" --directory "$work/oci" --sort=name --format=gnu \
    --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --mode='u+w,go-w,a+rX' .
  mv "$OUT/$name.oci.tar.tmp" "$OUT/$name.oci.tar"
  jq -r '.manifests[0].digest' "$work/oci/index.json" > "$OUT/$name.digest"
  local manifest size layers
  manifest="$(jq -r '.manifests[0].digest' "$work/oci/index.json" | sed 's/sha256://')"
  size="$(jq '[.layers[].size] | add' "$work/oci/blobs/sha256/$manifest")"
  layers="$(jq -r '[.layers[].digest[7:19]] | join(" ")' "$work/oci/blobs/sha256/$manifest")"
  rm -rf "$work"
  printf '%-26s %s:%s  %s  %s MB compressed (layers %s)\n' "$name" "$name" "$tag" "$(cat "$OUT/$name.digest")" \
    "$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1e6}')" "$layers"
}

cmd_build() {
  local start=$SECONDS base
  SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO_ROOT" log -1 --format=%ct)}"
  export SOURCE_DATE_EPOCH
  if [ "${BLUESHIFT_IMAGES_SKIP_MVN:-}" != 1 ]; then
    log "mvn package (operator, sample-service)"
    (cd "$REPO_ROOT" && mvn -B -q ${MVN_OFFLINE:+-o} package -DskipTests)
  fi
  base="$(cmd_base)"
  build_image blueshift-operator operator "Blueshift operator" "$base"
  build_image blueshift-sample-service sample-service "Blueshift sample service" "$base"
  log "images in $OUT, built in $((SECONDS - start)) s"
}

cmd_ensure() {
  local name
  for name in "${IMAGES[@]}"; do [ -f "$OUT/$name.oci.tar" ] || { cmd_build; return; }; done
  log "images present in $OUT (hack/images.sh build rebuilds them)"
}

cmd_bundle() { # $1: name, $2: bundle dir, then options
  local name="$1" bundle="$2" tmp memory=512 hostname="$1" envs=() mounts=()
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --env) envs+=("$2"); shift 2 ;;
      --mount) mounts+=("$2"); shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      --hostname) hostname="$2"; shift 2 ;;
      *) die "bundle: unknown option $1" ;;
    esac
  done
  [ "$(id -u)" = 0 ] || die "umoci unpack and runc need root here"
  [ -f "$OUT/$name.oci.tar" ] || die "$OUT/$name.oci.tar is missing: run $0 build"
  tmp="$(mktemp -d)"
  tar -xf "$OUT/$name.oci.tar" -C "$tmp"
  rm -rf "$bundle"
  umoci unpack --image "$tmp:$(image_tag)" "$bundle" >/dev/null
  rm -rf "$tmp"
  local env_json mounts_json m
  env_json="$(printf '%s\n' "${envs[@]}" | jq -R . | jq -s 'map(select(. != ""))')"
  mounts_json="$(for m in "${mounts[@]}"; do
    jq -n --arg s "${m%%:*}" --arg d "${m#*:}" '{destination: $d, type: "bind", source: $s, options: ["rbind", "ro", "nosuid", "nodev"]}'
  done | jq -s .)"
  jq --argjson env "$env_json" --argjson mounts "$mounts_json" --arg host "$hostname" \
     --argjson mem "$((memory * 1024 * 1024))" '
    .root.readonly = true
    | .hostname = $host
    | .process.terminal = false
    | .process.env += $env
    | .process.capabilities = {bounding: [], effective: [], inheritable: [], permitted: [], ambient: []}
    | .linux.namespaces |= map(select(.type != "network"))
    | .linux.resources.memory = {limit: $mem}
    | .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=128m"]}]
    | .mounts += $mounts' "$bundle/config.json" > "$bundle/config.json.new"
  mv "$bundle/config.json.new" "$bundle/config.json"
}

case "${1:-}" in
  install) cmd_install ;;
  missing) cmd_missing ;;
  base) cmd_base >/dev/null ;;
  build) cmd_build ;;
  ensure) cmd_ensure ;;
  archive) [ $# = 2 ] || die "usage: $0 archive NAME"; echo "$OUT/$2.oci.tar" ;;
  bundle) [ $# -ge 3 ] || die "usage: $0 bundle NAME DIR [options]"; shift; cmd_bundle "$@" ;;
  *) echo "usage: $0 install|missing|base|build|ensure|archive NAME|bundle NAME DIR [options]" >&2; exit 2 ;;
esac
