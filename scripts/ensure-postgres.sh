#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with database `test` for user postgres.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null; then
  echo "PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
ver=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "== starting PostgreSQL $ver"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432; see /var/log/postgresql/" >&2
  exit 1
fi
# A server installed by setup.sh asks for passwords on TCP; the tests use trust on loopback,
# as on the project's machines. Only then is pg_hba.conf changed.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  echo "== allowing trust authentication on loopback in $hba"
  sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  sleep 1
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname='test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE test' >/dev/null
fi
psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null
echo "== PostgreSQL $ver ready on 127.0.0.1:5432"
