#!/usr/bin/env bash
# Builds Signet's container image as an OCI layout tar (Jib, on the Debian/jlink base), pushes it to a
# real registry (Debian's docker-registry on 127.0.0.1), pulls it back, unpacks its layers into a root
# filesystem and runs the image's own entrypoint from it the way a container runtime would: as user
# 65532, root filesystem read-only, a tmpfs /tmp, in its own mount and PID namespaces (unshare+chroot;
# no container runtime can be installed here). It checks --version, a verification that succeeds and
# one that fails. Run from the repository root; needs root, docker-registry, curl, jq.
set -euo pipefail
repo=$(pwd)
work=$(mktemp -d)
registry_pid=
serve_pid=
cleanup() {
  [ -n "$serve_pid" ] && stop_serve
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  mountpoint -q "$work/rootfs" 2>/dev/null && umount -R "$work/rootfs" || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "image check FAILED: $*" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

# 1. Base (Debian libc6 + jlink runtime) and the image, as an OCI layout tar.
deploy/image/build-base.sh "$work/base.tar"
./mvnw -B -q -DskipTests -Dsignet.aot.skip=true -Pimage -pl signet-cli -am package \
  "-Dsignet.image.base=tar://$work/base.tar" \
  > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "image build"; }
image="$repo/signet-cli/target/jib-image.tar"
mkdir -p "$work/layout" && tar -xf "$image" -C "$work/layout"
manifest_digest=$(jq -r '.manifests[0].digest' "$work/layout/index.json")
version=$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$work/layout/index.json")
version=${version##*:}
blob() { echo "$work/layout/blobs/sha256/${1#sha256:}"; }

# 2. Push to the registry.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-40000 -n 1)
mkdir -p "$work/registry"
cat > "$work/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
reg="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$reg/v2/" >/dev/null && break; sleep 0.2; done
curl -sf "$reg/v2/" >/dev/null || fail "registry did not start"
push_blob() {
  local digest=$1 location
  location=$(curl -sf -o /dev/null -D - -X POST "$reg/v2/signet/blobs/uploads/" \
    | awk 'tolower($1)=="location:"{print $2}' | tr -d '\r')
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary @"$(blob "$digest")" "$location&digest=$digest" || fail "push of blob $digest"
}
manifest="$(blob "$manifest_digest")"
for digest in $(jq -r '.config.digest, .layers[].digest' "$manifest"); do push_blob "$digest"; done
curl -sf -o /dev/null -X PUT -H "Content-Type: $(jq -r .mediaType "$manifest")" \
  --data-binary @"$manifest" "$reg/v2/signet/manifests/$version" || fail "push of the manifest"

# 3. Pull it back by tag, every blob checked against its digest, and unpack the layers in order.
pulled=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$reg/v2/signet/manifests/$version")
[ "sha256:$(printf '%s' "$pulled" | sha256sum | cut -d' ' -f1)" = "$manifest_digest" ] || fail "manifest digest"
fetch() {
  curl -sf "$reg/v2/signet/blobs/$1" -o "$work/blob" || fail "pull of $1"
  [ "sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)" = "$1" ] || fail "digest of $1"
}
fetch "$(printf '%s' "$pulled" | jq -r .config.digest)" && cp "$work/blob" "$work/config.json"
mkdir -p "$work/rootfs"
for digest in $(printf '%s' "$pulled" | jq -r '.layers[].digest'); do
  fetch "$digest" && tar -xzf "$work/blob" -C "$work/rootfs" --numeric-owner --warning=no-unknown-keyword
done
config="$work/config.json"
[ "$(jq -r .config.User "$config")" = "65532:65532" ] || fail "the image does not run as 65532"
for label in title version source licenses; do
  jq -e ".config.Labels[\"org.opencontainers.image.$label\"]" "$config" >/dev/null || fail "label $label"
done
[ "$(jq -r '.config.Cmd[0]' "$config")" = "serve" ] || fail "the default command is not serve"
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t environment < <(jq -r '.config.Env[]' "$config")

# 4. Run the image's entrypoint as its user on its read-only root filesystem.
vectors=${SIGNET_VECTORS:-$repo/testdata/vectors}
e2e=$vectors/notary/notation/test/e2e/testdata
subject=sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9
mkdir -p "$work/data/layout" "$work/data/certs"
cp -r "$e2e/registry/oci_layout/e2e-valid-signature/." "$work/data/layout/"
cp "$e2e/config/localkeys/e2e.crt" "$work/data/certs/"
cat > "$work/data/config.json" <<'JSON'
{"store": {"version": "1.0.0", "plugins": [{"name": "ocilayout", "path": "/data/layout"}]},
 "policy": {"version": "1.0.0", "plugin": {"name": "configPolicy",
   "artifactVerificationPolicies": {"application/vnd.cncf.notary.signature": "any"}}},
 "verifier": {"version": "1.0.0", "plugins": [{"name": "notation",
   "artifactTypes": "application/vnd.cncf.notary.signature",
   "verificationCertStores": {"ca": {"e2e": ["/data/certs/e2e.crt"]}},
   "trustPolicyDoc": {"version": "1.0", "trustPolicies": [{"name": "e2e", "registryScopes": ["local/e2e"],
     "signatureVerification": {"level": "strict"}, "trustStores": ["ca:e2e"],
     "trustedIdentities": ["x509.subject: CN=e2e,O=Notary,L=Seattle,ST=WA,C=US"]}]}}]}}
JSON
mkdir -p "$work/rootfs/data"
run() {
  # In new mount and PID namespaces: the root filesystem read-only, /data read-only, /tmp a tmpfs.
  exec unshare --mount --pid --fork --kill-child sh -c '
    r=$1; d=$2; shift 2
    mount --bind "$r" "$r" && mount -o remount,bind,ro "$r" "$r"
    mount --bind "$d" "$r/data" && mount -o remount,bind,ro "$d" "$r/data"
    mount -t tmpfs -o size=64m tmpfs "$r/tmp"
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    exec env -i "$@"
  ' sh "$work/rootfs" "$work/data" "${environment[@]}" \
    "$(command -v chroot)" --userspec="$(jq -r .config.User "$config")" "$work/rootfs" "${entrypoint[@]}" "$@"
}
out=$(run --version 2>&1) || fail "--version: $out"
echo "$out" | grep -qx "signet $version" || fail "--version printed: $out"
echo "image: signet --version -> $out"
out=$(run verify --config /data/config.json --subject "local/e2e@$subject" 2>&1) || fail "verify: $out"
echo "$out" | grep -q "^VERIFIED" || fail "verify printed: $out"
echo "image: signet verify local/e2e@$subject -> $(echo "$out" | head -n 1 | cut -c1-40)..."
set +e
out=$(run verify --config /data/config.json --subject "local/other@$subject" 2>&1); status=$?
set -e
[ "$status" = 1 ] || fail "verify of an uncovered repository exited $status: $out"
echo "image: signet verify local/other@... -> exit 1 (no trust policy covers it), as expected"

# 5. serve from the image: the demo's configuration and TLS files mounted read-only, Gatekeeper's
#    request over HTTPS, the signed image allowed and the unsigned one denied.
SIGNET_AOT=off bin/signet demo --dir "$work/data/demo" > "$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "demo files"; }
chmod -R a+rX "$work/data"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
https_port=$(free_port); health_port=$(free_port)
run serve --config=/data/demo/config.json --cert-dir=/data/demo/tls \
  --http="127.0.0.1:$https_port" --health-port="127.0.0.1:$health_port" > "$work/serve.log" 2>&1 &
serve_pid=$!
# unshare ignores SIGTERM while it waits; the server (its child) gets it and shuts down gracefully.
stop_serve() {
  pkill -TERM -P "$serve_pid" 2>/dev/null || kill -KILL "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=
}
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$health_port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$health_port/readyz" >/dev/null || { cat "$work/serve.log" >&2; fail "serve did not become ready"; }
answer=$(curl -sf --max-time 120 --cacert "$work/data/demo/tls/ca.crt" -H 'Content-Type: application/json' \
  --data '{"apiVersion":"externaldata.gatekeeper.sh/v1beta1","kind":"ProviderRequest","request":{"keys":["demo.signet.local/signed:v1","demo.signet.local/unsigned:v1"]}}' \
  "https://127.0.0.1:$https_port/ratify/gatekeeper/v1/verify") || { cat "$work/serve.log" >&2; fail "provider request"; }
stop_serve
verdict() { printf '%s' "$answer" | jq -r --arg k "$1" '.response.items[] | select(.key == $k) | .value.isSuccess'; }
[ "$(verdict demo.signet.local/signed:v1)" = true ] || fail "serve: signed image not allowed: $answer"
[ "$(verdict demo.signet.local/unsigned:v1)" = false ] || fail "serve: unsigned image not denied: $answer"
grep -q '"verification response for subject demo.signet.local/unsigned:v1"' "$work/serve.log" \
  || fail "serve: no decision log line: $(cat "$work/serve.log")"
echo "image: signet serve on the read-only root filesystem -> Gatekeeper provider over TLS: signed isSuccess=true, unsigned isSuccess=false"

size=$(du -m "$image" | cut -f1)
echo "image: pushed to and pulled from $reg/signet:$version ($manifest_digest, ${size} MB), runs as 65532 on a read-only root filesystem"
