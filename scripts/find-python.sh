#!/bin/sh
# Prints the path of the Python to build the virtualenv with: the newest of 3.13, 3.12 and 3.11 that
# runs here and can create a venv, looked for on PATH and then among pyenv's installed versions (a
# pyenv shim for a version that is not selected exits with an error and is passed over).
# `scripts/find-python.sh 3.11` asks for that one version only.
versions=${1:-"3.13 3.12 3.11"}
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
without_venv=""
for version in $versions; do
  for candidate in "python$version" $(ls -d "$pyenv_root"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -r -V); do
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then
      if "$candidate" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        exec "$candidate" -c 'import sys; print(sys.executable)'
      fi
      without_venv="$without_venv python$version"
    fi
  done
done
if [ -n "$without_venv" ]; then
  echo "Found$without_venv but it cannot create a virtualenv: install its venv package (e.g. apt-get install python3-venv)." >&2
else
  echo "No Python $versions found: install one of them." >&2
fi
exit 1
