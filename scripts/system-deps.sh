#!/usr/bin/env bash
# Installs the system libraries that WeasyPrint, the PDF checks and the browser tests need
# (npm fetches axe-core for the accessibility checks), and the servers the fault tests start and
# stop themselves (redis-server; PostgreSQL's initdb/pg_ctl for a throwaway cluster: tests/faults/;
# nginx in front of two gunicorn replicas: tests/stack/; Request Tracker 5 with its SQLite driver and
# standalone server, which tests/connectors/ starts on a database of its own), the CJK fonts the PDFs
# need for Chinese (Noto Sans CJK SC), and gettext's msgfmt for the catalogues (docs/i18n.md).
# As root it uses apt-get; otherwise it prints the exact command to run.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra poppler-utils fonts-noto-cjk gettext chromium redis-server postgresql nginx
  request-tracker5 rt5-db-sqlite rt5-standalone)
if [ "${WITH_DOCKER_COMPOSE:-1}" = 1 ]; then packages+=(docker-compose); fi
missing=()
# npm from any source will do (a NodeSource or nvm Node brings its own); Debian's otherwise.
command -v npm >/dev/null || missing+=(npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 0
fi
# RT's package would offer to set up a database through dbconfig-common: the tests make their own.
cmd="echo 'request-tracker5 request-tracker5/dbconfig-install boolean false' | debconf-set-selections; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  bash -c "$cmd" >/dev/null
else
  echo "Some system packages are missing. Run as root:" >&2
  echo "  sudo sh -c '$cmd'" >&2
fi
