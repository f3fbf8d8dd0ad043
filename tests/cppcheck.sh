#!/usr/bin/env bash
# tests/cppcheck.sh: cppcheck over sim/ and models/ (STYLE.md: no warnings
# from cppcheck). Prints each finding as file:line:col: severity: message [id],
# then "N passed, N failed" alone on the last line: 1 passed with no
# finding, 1 failed with any. `make cppcheck` runs this.
#
# The checks: warning, style, performance and portability, inconclusive
# ones included (unusedFunction is left out: sim/ and models/ are a library
# whose API tests and the CLI call). A finding is fixed in the code; an
# inline `// cppcheck-suppress id` needs a comment saying why the code is right.
set -u
cd "$(dirname "$0")/.." || exit 2
if ! command -v cppcheck >/dev/null; then
	echo "FAIL cppcheck is not installed (make deps installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
out=$(cppcheck --quiet --std=c11 --enable=warning,style,performance,portability --inconclusive \
	--inline-suppr -I. -D_GNU_SOURCE -j"${CPPCHECK_JOBS:-2}" \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' sim models 2>&1)
n=$(printf '%s' "$out" | grep -c ': \(error\|warning\|style\|performance\|portability\|information\): ')
if [ -n "$out" ]; then
	echo "$out"
	[ "$n" -gt 0 ] || n=1 # cppcheck said something else (cannot run): a failure too
fi
echo "cppcheck: $n findings in sim/ and models/"
if [ "$n" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
