#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 (trust authentication, data in a fresh
# temporary folder) for the history-store tests, and print its URL:
#     export AGING_TEST_POSTGRES_URL="$(bash .ci/postgres.sh)"
# Needs Debian's postgresql package. Stop it with: pg_ctl -D <folder> stop (the folder is in
# the server log line this prints on stderr).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "postgres.sh: no PostgreSQL server installed (apt-get install postgresql)" >&2
  exit 1
fi
port=${AGING_PG_PORT:-54329}
# a port another server (an earlier run's) holds is skipped: the next free one serves
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  port=$((port + 1))
done
dir=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then  # the server refuses to run as root
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
echo "postgres.sh: server on 127.0.0.1:$port, data in $dir" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
