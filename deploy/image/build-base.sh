#!/usr/bin/env bash
# Builds the base of Signet's container image without pulling any image: a root filesystem made of
# Debian's libc6 package, a Java runtime cut from the build JDK with jlink, and the non-root user
# 65532, written as a `docker save` tar that Jib takes as its base (tar://...).
#
#   deploy/image/build-base.sh OUT.tar [JDK_HOME]
#
# On a machine that can pull images the documented default base (eclipse-temurin JRE) serves instead.
set -euo pipefail
out=$(realpath -m "$1")
jdk=${2:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"

# The C library the JVM links against, from the Debian archive this machine uses.
if ! (cd "$work" && apt-get download -qq libc6 >/dev/null 2>&1); then
  apt-get update -qq && (cd "$work" && apt-get download -qq libc6 >/dev/null)
fi
dpkg-deb -x "$work"/libc6_*.deb "$root"
rm -rf "$root"/usr/share/doc "$root"/usr/share/lintian "$root"/usr/lib/x86_64-linux-gnu/gconv \
       "$root"/usr/share/man "$root"/usr/share/locale "$root"/usr/sbin "$root"/sbin "$root"/usr/bin
libc_version=$(dpkg-deb -f "$work"/libc6_*.deb Version)

# The modules jdeps finds in signet-cli and its libraries (java.base, java.desktop, java.management,
# java.naming, java.net.http, java.sql, jdk.unsupported), plus JUL and the JVM's container metrics.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.management,jdk.unsupported
"$jdk/bin/jlink" --add-modules "$modules" --output "$root/opt/java/openjdk" \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 --generate-cds-archive >/dev/null

mkdir -p "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/home/nonroot" "$root/var/cache/signet" "$root/app"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chown 65532:65532 "$root/home/nonroot" "$root/var/cache/signet"

tar --sort=name --mtime=@0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
java_version=$("$root/opt/java/openjdk/bin/java" -version 2>&1 | head -n 1 | cut -d'"' -f2)
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8","HOME=/home/nonroot"],
   "Labels":{"dev.signet.base.libc6":"$libc_version","dev.signet.base.java":"$java_version"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["signet-base:local"],"Layers":["layer.tar"]}]\n' > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --mtime=@0 -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "base image $out: libc6 $libc_version, Java $java_version ($(du -h "$work/layer.tar" | cut -f1) uncompressed)"
