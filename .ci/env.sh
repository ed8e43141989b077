# Sourced by .ci/run and .ci/demo: a project-local virtualenv with the build and
# test tools, and reelkit built into it (release mode) from this checkout.
VENV="${REELKIT_VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.7,<2" "pytest>=7" "pytest-timeout>=2" "ruff>=0.6" >/dev/null
echo "== building reelkit (maturin develop --release)"
VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release -q 2>&1 \
  | grep -vE '^\s*(Compiling|Downloaded|Downloading|Ignoring|Looking in links)' || true
"$VENV/bin/python" -c "import reelkit" 
