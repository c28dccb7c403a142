# shellcheck shell=bash
# placeholder: being written
cassandra_ports() { echo 0; }
cassandra_install() { die "cassandra: module not written yet"; }
cassandra_start() { die "cassandra: module not written yet"; }
cassandra_ready() { return 1; }
