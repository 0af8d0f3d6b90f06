# shellcheck shell=bash
# Sourced by the project's scripts: finds a JDK 25 or newer (the Vector API needs it) and exports
# JAVA_HOME and PATH for it, then checks that Maven is there.
#
#   source scripts/java25.sh           # JDK and mvn are both required
#   source scripts/java25.sh --no-mvn  # JDK only; call depthwise_require_mvn before using mvn
#
# Looks, in order, at: $JAVA_HOME; the JDKs under /usr/lib/jvm (the newest one that is >= 25);
# `java` on PATH. Exits the sourcing script with status 1 if none is new enough.

DEPTHWISE_MIN_JAVA=25

# Prints the feature version (8, 17, 25, ...) of the java binary $1, or nothing if it does not run.
depthwise_java_major() {
    local line v
    [[ -x "$1" ]] || return 0
    # The version is the first quoted string of `java -version`: "25.0.3", "26-ea" or "1.8.0_412".
    line=$("$1" -version 2>&1 | grep -m1 ' version "') || return 0
    v=${line#*\"}
    v=${v%%\"*}
    v=${v#1.}
    v=${v%%[!0-9]*}
    [[ -n "$v" ]] && echo "$v"
}

depthwise_find_jdk() {
    local major best="" best_major=0 dir java
    if [[ -n "${JAVA_HOME:-}" ]]; then
        major=$(depthwise_java_major "$JAVA_HOME/bin/java")
        if [[ -n "$major" ]] && (( major >= DEPTHWISE_MIN_JAVA )); then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    # Checks every JDK by what it says rather than by its directory name: names such as
    # "temurin-25-jdk-amd64" or "jdk-25.0.1" vary by vendor, versions do not.
    for dir in /usr/lib/jvm/*/; do
        dir=${dir%/}
        major=$(depthwise_java_major "$dir/bin/java")
        if [[ -n "$major" ]] && (( major >= DEPTHWISE_MIN_JAVA && major > best_major )); then
            best=$dir
            best_major=$major
        fi
    done
    if [[ -n "$best" ]]; then
        echo "$best"
        return 0
    fi
    java=$(command -v java 2>/dev/null) || return 1
    java=$(readlink -f "$java")
    major=$(depthwise_java_major "$java")
    if [[ -n "$major" ]] && (( major >= DEPTHWISE_MIN_JAVA )); then
        dirname "$(dirname "$java")"
        return 0
    fi
    return 1
}

depthwise_require_mvn() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "depthwise: needs Apache Maven 3.8 or newer (mvn) to build; none found on PATH. Install it and put mvn on PATH." >&2
        exit 1
    fi
}

if ! JAVA_HOME=$(depthwise_find_jdk); then
    echo "depthwise: needs a JDK 25 or newer (the Vector API); none found in JAVA_HOME, /usr/lib/jvm or PATH. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# Maven 3.8/3.9 bundle a Guava that calls sun.misc.Unsafe, which JDK 24+ warns about on every run.
case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
esac

if [[ "${1:-}" != "--no-mvn" ]]; then
    depthwise_require_mvn
fi
