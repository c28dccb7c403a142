# shellcheck shell=bash
# placeholder: being written
elasticsearch_ports() { echo 0; }
elasticsearch_install() { die "elasticsearch: module not written yet"; }
elasticsearch_start() { die "elasticsearch: module not written yet"; }
elasticsearch_ready() { return 1; }
