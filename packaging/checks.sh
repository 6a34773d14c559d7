# Counted checks shared by smoke.sh and package_test.sh (sourced, not run): `check DESCRIPTION
# COMMAND...` runs COMMAND with its output appended to $CHECK_LOG and prints PASS or FAIL.
passed=0
failed=0

check() {
    local description="$1"
    shift
    if "$@" >>"$CHECK_LOG" 2>&1; then
        passed=$((passed + 1))
        printf 'PASS  %s\n' "$description"
    else
        failed=$((failed + 1))
        printf 'FAIL  %s (see %s)\n' "$description" "$CHECK_LOG"
    fi
}
