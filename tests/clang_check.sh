#!/usr/bin/env bash
# tests/clang_check.sh: the library, the CLI and the fuzz targets compile without a diagnostic under clang with
# the project's warnings (-Wall -Wextra -Werror), as `make fuzz` builds libtzsim with clang:
# a warning clang has and gcc lacks (e.g. -Wmissing-field-initializers for a positional
# initializer shorter than its struct) broke make fuzz once. `make clang-check` does the work;
# the last line is "N passed, N failed" alone: 1 passed, or 1 failed with clang's messages.
set -u
cd "$(dirname "$0")/.." || exit 2
if ! command -v clang >/dev/null; then
	echo "FAIL clang is not installed (make deps installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
if out=$(make --no-print-directory clang-check 2>&1); then
	echo "clang: the library, the CLI and the fuzz targets compile clean"
	echo "1 passed, 0 failed"
else
	echo "FAIL clang -Wall -Wextra -Werror:"
	echo "$out" | head -40 | sed 's/^/    /'
	echo "0 passed, 1 failed"
	exit 1
fi
