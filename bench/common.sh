# Sourced by the bench/*.sh scripts: JDK 25, the benchmarks jar, where data and results go.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/steadfast-bench/target/benchmarks.jar"
BENCH_DIR="${BENCH_DIR:-/tmp/steadfast-bench}"      # generated data, peers' data, PostgreSQL cluster
RESULTS="${RESULTS:-$ROOT/bench/results}"            # TSV and logs (not committed)
PG_PORT="${PG_PORT:-15432}"
export TCP_NODELAY=1                                  # dcmtk and Orthanc: Nagle off (the Nagle case unsets it per sender)
mkdir -p "$BENCH_DIR" "$RESULTS"

build() {
    if [ ! -f "$JAR" ] || [ ! -f "$ROOT/steadfast-server/target/steadfast.jar" ] || [ -n "${REBUILD:-}" ]; then
        # the benchmarks jar, and the server jar the benchmarks start as a user would
        (cd "$ROOT" && ./mvnw -q -pl steadfast-bench,steadfast-server -am package -DskipTests)
    fi
}

run() { # main class, args...
    local cls="$1"; shift
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" "dev.steadfast.bench.$cls" "$@"
}

generate() { # name profile studies seed [max-instances]
    local out="$BENCH_DIR/data/$1"
    if [ ! -f "$out/manifest.tsv" ]; then
        run data.Generate --out "$out" --profile "$2" --studies "$3" --seed "$4" ${5:+--max-instances "$5"}
    fi
    echo "$out"
}
