#!/usr/bin/env bash
# Take an app instance out of nginx before stopping it, and put it back afterwards: a planned
# restart (reboot, new unit file, new Python) then loses no request, not even a POST.
#
#   abziehen.sh ab  /etc/nginx/netzwerkatlas-upstream.conf 127.0.0.1:8001   # drain
#   systemctl restart netzwerkatlas@8001
#   abziehen.sh zu  /etc/nginx/netzwerkatlas-upstream.conf 127.0.0.1:8001   # back in
#
# Why: gunicorn, stopped with SIGTERM, stops accepting, but its workers keep the listening
# socket open until they exit; connections the kernel accepted meanwhile are reset when the
# last one closes. nginx has sent the request by then, and passes a non-idempotent request
# (POST) to the next instance only if it sent nothing to the first (`proxy_next_upstream`):
# the visitor gets a 502 and does not know whether the write happened. A drained instance
# gets no new connection, and is stopped only when nginx holds none to it any more.
#
# `ab` marks the instance's `server` line in the upstream file `down`, reloads nginx (running
# requests finish in the old nginx workers) and waits until nginx has no connection to the
# instance (at most ABZIEHEN_SEKUNDEN, 40: longer than proxy_read_timeout). `zu` first waits
# until the instance answers /-/ready/ (at most 60 s), then removes `down` and reloads.
# NGINX_NEU_LADEN: the reload command (default `nginx -s reload`; scripts/cluster.sh passes its
# own nginx).
set -euo pipefail

aktion=${1:?ab oder zu}
datei=${2:?die Upstream-Datei}
adresse=${3:?host:port der Instanz}
neu_laden=${NGINX_NEU_LADEN:-nginx -s reload}
grenze=${ABZIEHEN_SEKUNDEN:-40}

grep -Eq "^[[:space:]]*server[[:space:]]+${adresse//./\\.}([[:space:]]|;)" "$datei" || {
  echo "$adresse steht nicht in $datei." >&2
  exit 1
}
zeile="^([[:space:]]*server[[:space:]]+${adresse//./\\.})([[:space:]][^;]*)?;"

case "$aktion" in
  ab)
    # Append " down" once.
    sed -E -i "/ down;/! s/${zeile}/\1\2 down;/" "$datei"
    $neu_laden
    ende=$((SECONDS + grenze))
    while [ -n "$(ss -Htn state established dst "$adresse")" ]; do
      if [ $SECONDS -ge $ende ]; then
        echo "Nach $grenze s hält nginx noch Verbindungen zu $adresse; sie brechen beim Stoppen ab." >&2
        exit 2
      fi
      sleep 0.2
    done
    ;;
  zu)
    ende=$((SECONDS + 60))
    until curl -fsS -o /dev/null -H "Host: 127.0.0.1" "http://$adresse/-/ready/" 2>/dev/null; do
      if [ $SECONDS -ge $ende ]; then
        echo "$adresse ist nach 60 s nicht bereit (/-/ready/); bleibt abgezogen." >&2
        exit 2
      fi
      sleep 0.25
    done
    sed -E -i "/${zeile}/ s/ down;/;/" "$datei"
    $neu_laden
    ;;
  *)
    echo "ab oder zu, nicht $aktion" >&2
    exit 1
    ;;
esac
