# Finds a JDK 21+ for ./steadfast and ./mvnw, so that both pick the same one (issue 13: `./mvnw
# verify` failed with a class-version error where the default java is older, while ./steadfast
# found a newer JDK by itself). POSIX sh, sourced by both; defines functions and sf_* variables only.
#
# Order: JAVA_HOME, then java on PATH, then (macOS) /usr/libexec/java_home, then the newest JDK in
# the usual install folders: /usr/lib/jvm, /opt/java, /Library/Java/JavaVirtualMachines, or the
# folders named in STEADFAST_JDK_DIRS (space-separated) instead. The first that is Java 21+ wins.

sf_min_java=21
sf_jdk=""
sf_rejected=""

# Major version of the Java installation at $1 (a JAVA_HOME); empty if it is not one.
sf_java_major() {
    sf_home="$1"
    sf_v=""
    [ -x "$sf_home/bin/java" ] || return 0
    if [ -f "$sf_home/release" ]; then
        sf_v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$sf_home/release" | head -n1)"
    fi
    if [ -z "$sf_v" ]; then
        sf_v="$("$sf_home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n1)"
    fi
    sf_v="${sf_v#1.}"          # 1.8.0_x -> 8.0_x
    sf_v="${sf_v%%[.+_-]*}"     # 25.0.3 -> 25
    case "$sf_v" in '' | *[!0-9]*) return 0 ;; esac
    echo "$sf_v"
}

# sf_accept HOME MAJOR: takes HOME when it is new enough, else remembers why it was passed over.
sf_accept() {
    if [ -n "$2" ] && [ "$2" -ge "$sf_min_java" ]; then
        sf_jdk="$1"
        return 0
    fi
    if [ -n "$2" ]; then
        sf_rejected="$sf_rejected$1 (Java $2)
"
    else
        sf_rejected="$sf_rejected$1 (not a Java installation)
"
    fi
    return 1
}

# Sets sf_jdk to the JDK to use, or leaves it empty (sf_rejected then says what was found).
sf_find_jdk() {
    sf_jdk=""
    sf_rejected=""
    if [ -n "${JAVA_HOME:-}" ]; then
        sf_accept "$JAVA_HOME" "$(sf_java_major "$JAVA_HOME")" && return 0
    fi
    if sf_java="$(command -v java 2>/dev/null)"; then
        sf_java="$(readlink -f "$sf_java" 2>/dev/null || echo "$sf_java")"
        sf_home="$(cd "$(dirname "$sf_java")/.." && pwd -P)"
        sf_accept "$sf_home" "$(sf_java_major "$sf_home")" && return 0
    fi
    if [ -x /usr/libexec/java_home ]; then # macOS knows its JDKs
        sf_home="$(/usr/libexec/java_home -v "$sf_min_java+" 2>/dev/null || true)"
        if [ -n "$sf_home" ] && sf_accept "$sf_home" "$(sf_java_major "$sf_home")"; then return 0; fi
    fi
    sf_best=0
    case $- in *f*) sf_noglob=1 ;; *) sf_noglob=0 ;; esac
    set +f # mvnw runs with globbing off
    for sf_dir in ${STEADFAST_JDK_DIRS:-/usr/lib/jvm /opt/java /Library/Java/JavaVirtualMachines}; do
        for sf_home in "$sf_dir"/*; do
            [ -d "$sf_home/Contents/Home" ] && sf_home="$sf_home/Contents/Home" # macOS bundle layout
            [ -d "$sf_home" ] || continue
            sf_major="$(sf_java_major "$sf_home")"
            [ -n "$sf_major" ] || continue
            if [ "$sf_major" -ge "$sf_min_java" ]; then
                if [ "$sf_major" -gt "$sf_best" ]; then
                    sf_jdk="$sf_home"
                    sf_best="$sf_major"
                fi
            else
                sf_rejected="$sf_rejected$sf_home (Java $sf_major)
"
            fi
        done
    done
    [ "$sf_noglob" = 1 ] && set -f
    return 0
}

# sf_no_jdk NAME: says on stderr that no JDK 21+ was found, what was, and what to do.
sf_no_jdk() {
    {
        echo "$1: needs Java $sf_min_java or newer (a JDK), and none was found."
        if [ -n "$sf_rejected" ]; then
            echo "  Found only:"
            printf '%s' "$sf_rejected" | awk '!seen[$0]++ { print "    " $0 }' # symlinked folders repeat
        fi
        echo "  Looked at JAVA_HOME, java on PATH and ${STEADFAST_JDK_DIRS:-/usr/lib/jvm, /opt/java and /Library/Java/JavaVirtualMachines}."
        echo "  Install a JDK $sf_min_java+ (for example Temurin from https://adoptium.net) and set JAVA_HOME to it."
    } >&2
}
