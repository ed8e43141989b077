# Sourced by .ci/run and .ci/demo: a project-local virtualenv with the build and
# test tools, and reelkit built into it from this checkout. REELKIT_PROFILE=release
# (the demo's default) or dev (the tests': shares compiled dependencies with
# `cargo test`, so CI builds the dependency tree once). pytest < 9.2: pytest-xdist's
# --dist loadgroup does not group on pytest 9.2's node ids (pytest-xdist#1386).
VENV="${REELKIT_VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=7,<9.2" "pytest-timeout>=2" "pytest-xdist>=3" "ruff==0.17.6" "mypy>=1.10" basedpyright \
  "tqdm>=4.60" "fastapi>=0.100" "uvicorn>=0.20" "django>=4.2" pandas "httpx>=0.27" nbclient ipykernel nbformat \
  "redis>=5" "celery[redis]>=5.3" \
  "hoox-mcp==0.1.7" "mcp>=1.0,<2" \
  "atheris>=2.3; sys_platform == 'linux' and platform_machine == 'x86_64' and python_version >= '3.11' and python_version < '3.14'" \
  >/dev/null
PROFILE="${REELKIT_PROFILE:-release}"
PROFILE_FLAG=()
[ "$PROFILE" = release ] && PROFILE_FLAG=(--release)
echo "== building reelkit (maturin develop, $PROFILE)"
# pipefail (set by the callers) makes a failed build fail the script; the filter
# only hides progress noise.
VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop "${PROFILE_FLAG[@]}" -q 2>&1 \
  | { grep -vE '^\s*(Compiling|Downloaded|Downloading|Ignoring|Looking in links)' || true; }
"$VENV/bin/python" -c "import reelkit"
