# shellcheck shell=bash
# mongodb wire protocol from de.bwaldvogel mongo-java-server (maven central) with its h2 backend:
# one MVStore file in .stack/data/mongodb, run by the small main in tools/stack/mongodb. it locks
# each collection for a write, so single-document updates are atomic as on a real mongod (ferretdb,
# used before, lost concurrent updates). no transactions, change streams, text search or explain;
# non-unique indexes are listed but not built (queries scan), partialFilterExpression is ignored.
# every write is committed and fsynced before it is acknowledged, so a kill -9 loses none
# (check-mongo-durability.mjs); `down` (sigterm) closes the file cleanly.
MONGODB_VERSION="${MONGODB_VERSION:-1.47.0}"
MONGODB_PORT="${MONGODB_PORT:-27017}"
MONGODB_HEAP="${MONGODB_HEAP:-256m}"
# the backend's pom declares slf4j-api 2.0.17 and no binding; slf4j-simple of the same version
MONGODB_JARS=("de.bwaldvogel:mongo-java-server-h2-backend:$MONGODB_VERSION" org.slf4j:slf4j-simple:2.0.17)

mongodb_src() { echo "$STACK_ROOT/mongodb"; }
# the directory names the version and a hash of the main and the jar list, so an edit rebuilds
mongodb_home() {
  local sum
  sum=$( { cat "$(mongodb_src)/MongoServerMain.java"; printf '%s\n' "${MONGODB_JARS[@]}"; } | sha256sum | cut -c1-10)
  echo "$STACK_CACHE/mongo-java-server-$MONGODB_VERSION-$sum"
}
mongodb_ports() { echo "$MONGODB_PORT"; }
mongodb_env() { echo "MONGODB_PORT=$MONGODB_PORT"; }
mongodb_timeout() { echo 60; }

mongodb_install() {
  ensure_java
  install_once mongodb "$(mongodb_home)" mongodb_build
}
mongodb_build() {
  step "mongodb: downloading mongo-java-server $MONGODB_VERSION (h2 backend) from Maven Central and compiling its main"
  mvn_fetch_deps "$1/libs" "${MONGODB_JARS[@]}"
  mkdir -p "$1/classes"
  "$JAVA_HOME/bin/javac" -nowarn -d "$1/classes" -cp "$1/libs/*" "$(mongodb_src)/MongoServerMain.java" >"$1/javac.log" 2>&1 \
    || { cat "$1/javac.log" >&2; die "mongodb: compiling $(mongodb_src)/MongoServerMain.java failed"; }
}

mongodb_start() {
  ensure_java
  local dir home; dir=$(data_dir mongodb); home=$(mongodb_home)
  own_dir "$dir"
  # serial gc: a small heap on two cores shared with other jvms. slf4j-simple logs to stdout,
  # which spawn sends to the stack's log file; the wire handler's per-connection info lines are
  # dropped (its errors stay)
  spawn mongodb "$JAVA_HOME/bin/java" -Xms64m "-Xmx$MONGODB_HEAP" -XX:+UseSerialGC \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.logFile=System.out -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS" \
    -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=warn \
    -cp "$home/classes:$home/libs/*" MongoServerMain "$STACK_HOST" "$MONGODB_PORT" "$dir/mongodb.mv"
}
# the main binds the port only after the MVStore file is open and its databases are loaded,
# so an open port means it serves
mongodb_ready() { port_open "$MONGODB_PORT"; }
