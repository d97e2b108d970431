#!/usr/bin/env bash
# What the test suite needs from the machine: a running PostgreSQL, Debian's Chromium and nginx.
# Idempotent; run by .ci/run before the test command. Needs root for apt-get and pg_ctlcluster.
set -uo pipefail

if command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_lsclusters --no-header 2>/dev/null | grep -q online; then
    version=$(ls /etc/postgresql | head -n1)
    echo "ensure-services: starting PostgreSQL $version" >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || echo "ensure-services: could not start PostgreSQL" >&2
  fi
else
  echo "ensure-services: pg_lsclusters not found; PostgreSQL must be reachable at \$PHIGATE_TEST_POSTGRES_URL" >&2
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-services: installing Debian chromium for the browser tests" >&2
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "ensure-services: chromium could not be installed" >&2
  else
    echo "ensure-services: not root; install chromium yourself (apt-get install chromium)" >&2
  fi
fi
if ! command -v nginx >/dev/null 2>&1; then
  # tests/scale/ runs the deployment's nginx site file (deploy/nginx/phigate.conf) in front of replicas.
  echo "ensure-services: installing Debian nginx for the scale-out tests" >&2
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
      || echo "ensure-services: nginx could not be installed" >&2
  else
    echo "ensure-services: not root; install nginx yourself (apt-get install nginx)" >&2
  fi
fi
exit 0
