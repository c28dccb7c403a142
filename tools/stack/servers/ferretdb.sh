# shellcheck shell=bash
# placeholder: being written
ferretdb_ports() { echo 0; }
ferretdb_install() { die "ferretdb: module not written yet"; }
ferretdb_start() { die "ferretdb: module not written yet"; }
ferretdb_ready() { return 1; }
