#!/bin/sh
# expect_finding.sh REPORT COMMAND...: runs COMMAND (a canary), passes when its output holds
# REPORT (a grep -E pattern: the sanitizer's report), it failed (a finding must fail the test
# that meets it), and it did not go on past the error ("canary: survived"; a leak is found at
# exit, after that line, so the leak canary is called with SURVIVAL_OK=1).
report="$1"
shift
out="$("$@" 2>&1)"
status=$?
printf '%s\n' "$out"
echo "expect_finding: exit status $status"
if ! printf '%s\n' "$out" | grep -Eq "$report"; then
  echo "expect_finding: FAIL: no report matching '$report': the sanitizer is not live" >&2
  exit 1
fi
if [ "$status" -eq 0 ]; then
  echo "expect_finding: FAIL: the process reported the finding but succeeded" >&2
  exit 1
fi
if [ -z "${SURVIVAL_OK:-}" ] && printf '%s\n' "$out" | grep -q "canary: survived"; then
  echo "expect_finding: FAIL: the process went on past the finding (halt_on_error?)" >&2
  exit 1
fi
echo "expect_finding: reported, and the process failed: as the stage needs"
