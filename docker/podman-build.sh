#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman, on a machine with no Docker engine and no image registry.
#
# The Dockerfile's base images (maven:3.9-eclipse-temurin-17, eclipse-temurin:25-jre) cannot be pulled here, so
# stand-ins are made under those names when they are missing: a Debian bookworm minbase root file system
# (debootstrap, from Debian's mirror) plus this machine's JDKs at /opt/java/openjdk, and, for the build stage,
# Apache Maven 3.9 from Maven Central at /usr/share/maven, with the environment those images set (JAVA_HOME,
# PATH, MAVEN_HOME). An image already present under either name (a real one, or a stand-in made before) is used
# as it is. The script installs nothing on the machine; it checks for what it needs and says what is missing.
#
#   docker/podman-build.sh [--tag=berth:test] [--rebuild-bases] [--no-m2] [--check]
#
#   --tag=NAME        the image to build (default berth:test)
#   --rebuild-bases   make the stand-ins again (after a JDK update); a real image under the name is left alone
#   --no-m2           do not lend the build stage this machine's Maven repository (~/.m2/repository, mounted as an
#                     overlay: read, never written); without it every artifact comes from Maven Central
#   --check           only say whether a build could run here: exit 0, or 69 with what is missing on stderr
#
# Environment: BERTH_JDK25 and BERTH_JDK17 (the JDKs the stand-ins take; defaults below), BERTH_IMAGE_STATE (where
# containers.conf is written; default ~/.cache/berth-image), DEBIAN_MIRROR, PODMAN (the podman command).
#
# podman runs as root with runc and cgroupfs, and with a containers.conf of its own (given through
# CONTAINERS_CONF, the system's is not touched) whose default_ulimits is empty: some sandboxes refuse the rlimits
# podman sets by default. Run the image with the same file:
#   CONTAINERS_CONF=~/.cache/berth-image/containers.conf podman run --rm --network=host -e PORT=8080 \
#       -v "$PWD/app.war:/app/app.war:ro" berth:test
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAG=berth:test
REBUILD_BASES=false
LEND_M2=true
CHECK_ONLY=false
for arg in "$@"; do
    case "$arg" in
        --tag=*) TAG=${arg#--tag=} ;;
        --rebuild-bases) REBUILD_BASES=true ;;
        --no-m2) LEND_M2=false ;;
        --check) CHECK_ONLY=true ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "podman-build.sh: unknown argument '$arg' (see --help)" >&2; exit 64 ;;
    esac
done

PODMAN=${PODMAN:-podman}
JDK25=${BERTH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK17=${BERTH_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
STATE=${BERTH_IMAGE_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth-image}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
MAVEN_VERSION=3.9.11
# the names the Dockerfile's FROM lines resolve to (Docker Hub's official images)
BUILD_BASE=docker.io/library/maven:3.9-eclipse-temurin-17
RUN_BASE=docker.io/library/eclipse-temurin:25-jre
STAND_IN_LABEL=dev.berth.stand-in
EX_UNAVAILABLE=69

say() { echo "podman-build.sh: $*" >&2; }

# ---------------------------------------------------------------- what the build needs

missing=()
for tool in "$PODMAN" runc tar; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool (not on PATH)")
done
if ((${#missing[@]} == 0)); then
    mkdir -p "$STATE"
    export CONTAINERS_CONF="$STATE/containers.conf"
    cat > "$CONTAINERS_CONF.tmp" <<'EOF'
# Written by docker/podman-build.sh: podman settings for building and running Berth's image here.
[containers]
# no rlimits from podman: some sandboxes refuse to let runc set them
default_ulimits = []
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    mv "$CONTAINERS_CONF.tmp" "$CONTAINERS_CONF"
    if ! info=$("$PODMAN" info 2>&1 > /dev/null); then
        missing+=("a podman that works ('podman info' fails: $(echo "$info" | tail -1))")
    fi
    needs_bases=false
    for base in "$BUILD_BASE" "$RUN_BASE"; do
        if $REBUILD_BASES || ! "$PODMAN" image exists "$base"; then
            needs_bases=true
        fi
    done
    if $needs_bases; then
        [[ $(id -u) == 0 ]] || missing+=("root (debootstrap makes the stand-in base images as root)")
        for tool in debootstrap mvn; do
            command -v "$tool" >/dev/null 2>&1 || missing+=("$tool (not on PATH; needed to make the stand-in base images)")
        done
        [[ -x "$JDK25/bin/java" ]] || missing+=("a JDK 25 at $JDK25 (set BERTH_JDK25)")
        [[ -x "$JDK17/bin/javac" ]] || missing+=("a JDK 17 at $JDK17 (set BERTH_JDK17)")
    fi
fi
if ((${#missing[@]})); then
    say "missing: $(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g')"
    [[ "${missing[*]}" != *"not on PATH"* ]] || say "on Debian or Ubuntu, as root: apt-get install podman runc debootstrap"
    exit $EX_UNAVAILABLE
fi
if $CHECK_ONLY; then
    echo "podman-build.sh: a build can run here (containers.conf: $CONTAINERS_CONF)"
    exit 0
fi

# ---------------------------------------------------------------- the stand-in base images

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-bases.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

rootfs() {
    if [[ ! -d "$WORK/rootfs" ]]; then
        say "debootstrap --variant=minbase bookworm from $MIRROR (about 30 s)"
        debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
            || { tail -20 "$WORK/debootstrap.log" >&2; say "debootstrap failed"; exit 1; }
        rm -rf "$WORK/rootfs"/var/cache/apt/*.bin "$WORK/rootfs"/var/cache/apt/archives/*.deb "$WORK/rootfs"/var/lib/apt/lists/*
    fi
}

# A copy of a JDK with its links resolved: Debian's and Adoptium's packages link cacerts and the configuration
# into /etc, which the image does not have. Broken links (Debian's src.zip) are left out.
copy_jdk() {
    mkdir -p "$2"
    tar -C "$1" --dereference --ignore-failed-read --exclude=./man --exclude=./lib/src.zip --exclude=./demo \
        -cf - . 2>/dev/null | tar -C "$2" -xf -
    "$2/bin/java" -version > /dev/null 2>&1 || { say "the copy of $1 does not run"; exit 1; }
}

jdk_release() { sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$1/release"; }

import_base() {  # name directory change...
    local name=$1 dir=$2
    shift 2
    local changes=()
    for change in "$@"; do changes+=(--change "$change"); done
    tar -C "$dir" -cf - . | "$PODMAN" import "${changes[@]}" - "$name" > /dev/null
    say "made the stand-in $name"
}

make_base() {  # name kind
    local name=$1 kind=$2
    if "$PODMAN" image exists "$name"; then
        if ! $REBUILD_BASES; then
            say "base image $name: present"
            return
        fi
        if [[ -z $("$PODMAN" image inspect --format "{{index .Labels \"$STAND_IN_LABEL\"}}" "$name") ]]; then
            say "base image $name: a real image, kept"
            return
        fi
        "$PODMAN" rmi "$name" > /dev/null || true
    fi
    rootfs
    local dir="$WORK/$kind" path=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    cp -a "$WORK/rootfs" "$dir"
    # C.UTF-8, not the real images' en_US.UTF-8: minbase has no locales package, and C.UTF-8 is in libc
    local env=("ENV JAVA_HOME=/opt/java/openjdk" "ENV PATH=$path" "ENV LANG=C.UTF-8" "ENV LC_ALL=C.UTF-8")
    if [[ $kind == build ]]; then
        copy_jdk "$JDK17" "$dir/opt/java/openjdk"
        mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
            -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$WORK" \
            || { say "could not fetch Apache Maven $MAVEN_VERSION from Maven Central"; exit 1; }
        mkdir -p "$dir/usr/share/maven" "$dir/root/.m2"
        tar -C "$dir/usr/share/maven" --strip-components=1 -xzf "$WORK/apache-maven-$MAVEN_VERSION-bin.tar.gz"
        ln -s /usr/share/maven/bin/mvn "$dir/usr/bin/mvn"
        import_base "$name" "$dir" "${env[@]}" "ENV MAVEN_HOME=/usr/share/maven" "ENV MAVEN_CONFIG=/root/.m2" \
            "LABEL $STAND_IN_LABEL=debian-bookworm-minbase+jdk-$(jdk_release "$JDK17")+maven-$MAVEN_VERSION" 'CMD ["mvn"]'
    else
        copy_jdk "$JDK25" "$dir/opt/java/openjdk"
        import_base "$name" "$dir" "${env[@]}" "ENV JAVA_VERSION=$(jdk_release "$JDK25")" \
            "LABEL $STAND_IN_LABEL=debian-bookworm-minbase+jdk-$(jdk_release "$JDK25")"
    fi
    rm -rf "$dir"
}

make_base "$BUILD_BASE" build
make_base "$RUN_BASE" run

# ---------------------------------------------------------------- the image

volumes=()
M2_REPO="$HOME/.m2/repository"
if $LEND_M2 && [[ -d "$M2_REPO" ]]; then
    # an overlay: the build reads the machine's artifacts, and what it downloads is thrown away with the build
    volumes+=(--volume "$M2_REPO:/root/.m2/repository:O")
fi
say "podman build -t $TAG $ROOT"
start=$(date +%s)
"$PODMAN" build --network=host --pull=never "${volumes[@]}" --tag "$TAG" --file "$ROOT/Dockerfile" "$ROOT"
say "built $TAG in $(( $(date +%s) - start )) s"
# Each build whose sources changed leaves the previous one's layers (the Maven stage alone is about 450 MB) untagged.
# Those of builds on the stand-ins (they inherit its label) and older than an hour go: a build that runs at the same
# time (another checkout's tests) may still need its own.
"$PODMAN" image prune --force --filter "label=$STAND_IN_LABEL" --filter "until=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" > /dev/null
