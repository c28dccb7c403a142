# shellcheck shell=bash
# placeholder: being written
kafka_ports() { echo 0; }
kafka_install() { die "kafka: module not written yet"; }
kafka_start() { die "kafka: module not written yet"; }
kafka_ready() { return 1; }
