#!/usr/bin/env bash
# Makes sure the servers the test suite starts are installed: Prometheus and PostgreSQL (Debian packages),
# used by test/diagnostics/realServers.test.ts. Runs before `npm test` (the pretest script), so the
# README's test command works on a fresh Debian machine with only Node.js. Installs what is missing with
# apt-get as root (or with passwordless sudo); otherwise stops with the exact command to run. Never skips.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
# PostgreSQL refuses to run as root; as root the tests run it as `nobody` through runuser (util-linux).
if [ "$(id -u)" -eq 0 ] && ! command -v runuser >/dev/null 2>&1; then missing+=(util-linux); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

command_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test setup: the tests need ${missing[*]} (Prometheus and PostgreSQL servers), and this machine has no apt-get." >&2
  echo "Install them with your package manager so that 'prometheus' and 'initdb' are on PATH, then run npm test again." >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "test setup: the tests need ${missing[*]}, which are not installed, and installing them needs root." >&2
    echo "Run: sudo sh -c '${command_line}'" >&2
    echo "then run npm test again." >&2
    exit 1
  fi
fi

echo "test setup: installing ${missing[*]} (needed by the diagnostics integration tests)"
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
  ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "test setup: installing ${missing[*]} failed (see apt-get's message above)." >&2
  echo "Fix it, or run as root: ${command_line}" >&2
  exit 1
fi
