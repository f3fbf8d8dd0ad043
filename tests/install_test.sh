#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/install_test.sh: make install into a temporary DESTDIR (PREFIX
# /opt/tzsim), then use the installed tzsim from outside the tree as a
# SystemC user would: its files, pkg-config, every public header compiled
# alone, the examples (examples/systemc) built out of tree against it with
# pkg-config and run, tzsim::Platform's digest against `tzsim run`'s for
# every shipped scenario, the bash completion (installed where
# bash-completion looks, sourced, completing commands), then make uninstall.
#
# Prints "ok NAME" or "FAIL NAME" per check and "N passed, N failed" last;
# exit status 0 when all passed. Everything happens under one temporary
# directory, removed at exit; nothing is written to the work tree.
#   BUILD   build directory (default build); an ASan/UBSan build (make asan)
#           builds the examples with the same sanitizers.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) TZ=$BUILD/tzsim ;; *) TZ=$ROOT/$BUILD/tzsim ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-install-XXXXXX")
trap 'rm -rf "$T"' EXIT
PREFIX=/opt/tzsim
D=$T/stage
P=$D$PREFIX
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

pass=0; fail=0
ok()  { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do printf '%s\n' "$l" | head -40 | sed 's/^/    /'; done; fail=$((fail + 1)); }
# a make of this tree, not a child of the make running the tests
tmake() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -C "$ROOT" BUILD="$BUILD" "$@"; }

# ---- install ---------------------------------------------------------------------------

if tmake install PREFIX=$PREFIX DESTDIR="$D" >"$T/install.log" 2>&1; then
	ok "make install PREFIX=$PREFIX DESTDIR=..."
else
	bad "make install PREFIX=$PREFIX DESTDIR=..." "$(tail -20 "$T/install.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi

headers=$(tmake -s print-public-headers)
{
	for f in bin/tzsim lib/libtzsim.a lib/pkgconfig/tzsim.pc share/man/man1/tzsim.1 \
		share/bash-completion/completions/tzsim; do echo "$P/$f"; done
	for h in $headers; do echo "$P/include/tzsim/$h"; done
} | sort >"$T/want"
find "$D" -type f | sort >"$T/have"
if cmp -s "$T/want" "$T/have"; then
	ok "installs the binary, libtzsim.a, tzsim.pc, the man page, the bash completion and $(echo $headers | wc -w) headers, nothing else"
else
	bad "installs exactly the expected files" "$(diff "$T/want" "$T/have")"
fi

out=$("$P/bin/tzsim" --version 2>&1)
[ "$out" = "$("$TZ" --version)" ] && ok "installed tzsim runs ($out)" || bad "installed tzsim runs" "$out"

man=$P/share/man/man1/tzsim.1
if grep -q '^\.SH NAME' "$man" && grep -q 'tzsim \\- a cycle-level simulator' "$man" && grep -q 'compare FILE' "$man"; then
	ok "man page from help2man: NAME and the commands"
else
	bad "man page from help2man" "$(head -20 "$man")"
fi
# every command of tzsim --help, and its options, are in the man page
missing=""
# a command with its operand ("compare FILE"), or alone (calibrate takes none)
for c in $("$TZ" --help | sed -n 's/^  \([a-z][a-z]*\)\( [A-Z][A-Z]*\)\{0,1\}  .*/\1/p'); do
	grep -qE "^$c( [A-Z]|$)" "$man" || missing="$missing $c"
done
case " $missing " in *" calibrate "*) ;; *) "$TZ" --help | grep -q '^  calibrate  ' || missing="$missing calibrate(not in --help)" ;; esac
for o in $("$TZ" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	grep -qF -- "$(sed 's/-/\\-/g' <<<"$o")" "$man" || missing="$missing $o"
done
[ -z "$missing" ] && ok "man page lists every command and option of tzsim --help (merge, completion, --report, --emit-jobs, ...)" ||
	bad "man page lacks commands or options of tzsim --help:$missing" "$(grep -n '^[a-z]* [A-Z]' "$man")"

# ---- bash completion -------------------------------------------------------------------

comp=$P/share/bash-completion/completions/tzsim
if [ -f "$comp" ] && cmp -s "$comp" <("$P/bin/tzsim" completion bash); then
	ok "bash completion installed as share/bash-completion/completions/tzsim (= tzsim completion bash)"
else
	bad "bash completion installed as share/bash-completion/completions/tzsim" "$(ls -l "$comp" 2>&1)"
fi
# sourced by a plain bash (no bash-completion package needed), without a message, and registered
out=$(bash --norc --noprofile -c '. "$1" && complete -p tzsim' _ "$comp" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "complete -F _tzsim tzsim" ] && ok "bash sources the completion without error: $out" ||
	bad "bash sources the completion (exit $rc)" "$out"
# what bash does on TAB: call the registered function with COMP_WORDS, COMP_CWORD, COMP_LINE,
# COMP_POINT set and the command, the current and the previous word as arguments
complete_words() {
	bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		fn=$(complete -p tzsim | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$fn" tzsim "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'
}
for t in "ru:run" "me:merge" "comp:compare completion" "v:validate" "--v:--version"; do
	got=$(complete_words tzsim "${t%%:*}")
	[ "$got" = "${t#*:}" ] && ok "completion: tzsim ${t%%:*}<TAB> -> $got" || bad "completion: tzsim ${t%%:*}<TAB>" "got:  '$got'" "want: '${t#*:}'"
done
got=$(complete_words tzsim merge --r)
[ "$got" = "--report" ] && ok "completion: tzsim merge --r<TAB> -> $got" || bad "completion: tzsim merge --r<TAB>" "got: '$got'"
got=$(complete_words tzsim compare x.yaml --vary transport.kind=f)
[ "$got" = "ffa" ] && ok "completion: --vary transport.kind=f<TAB> -> $got" || bad "completion: --vary transport.kind=f<TAB>" "got: '$got'"

# ---- pkg-config ------------------------------------------------------------------------

PC="pkg-config --define-variable=prefix=$P"
export PKG_CONFIG_PATH=$P/lib/pkgconfig
cflags=$($PC --cflags tzsim 2>&1); libs=$($PC --libs --static tzsim 2>&1)
if [ "$cflags" != "${cflags/-I$P\/include\/tzsim/}" ] && [[ "$libs" == *"-L$P/lib -ltzsim"* ]] &&
   [[ "$libs" == *-lsystemc* ]] && [[ "$libs" == *-lyaml* ]] && [[ "$libs" == *-lfdt* ]] && [[ "$libs" == *-lstdc++* ]]; then
	ok "pkg-config: --cflags $cflags"
	ok "pkg-config: --libs --static $libs"
else
	bad "pkg-config --cflags --libs --static tzsim" "cflags: $cflags" "libs: $libs"
fi
dynlibs=$($PC --libs tzsim 2>&1)
[[ "$dynlibs" != *-lyaml* && "$dynlibs" == *-lsystemc* ]] && ok "pkg-config: yaml-0.1 is Requires.private, systemc Requires" ||
	bad "pkg-config --libs tzsim (without --static)" "$dynlibs"

# ---- each public header compiles alone, from outside the tree --------------------------

mkdir -p "$T/hdr" && cd "$T/hdr"
for h in $headers; do
	echo "#include \"$h\"" >one.c
	echo "#include \"$h\"" >one.cc
	msg=""
	case $h in
	sim/systemc/tlm_*) ;; # C++ only (SystemC modules)
	*) gcc -std=c11 -Wall -Wextra -Werror -fsyntax-only $cflags one.c >c.log 2>&1 || msg="C11: $(cat c.log)" ;;
	esac
	g++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only $cflags one.cc >cc.log 2>&1 || msg="$msg C++17: $(cat cc.log)"
	[ -z "$msg" ] && ok "header $h compiles alone (installed)" || bad "header $h compiles alone (installed)" "$msg"
done
cd "$ROOT"

# ---- the examples, out of tree ---------------------------------------------------------

cp -r examples/systemc "$T/ex"
exflags="-std=c++17 -O2 -g -Wall -Wextra -Werror"
if nm "$BUILD/libtzsim.a" 2>/dev/null | grep -q __asan_; then
	exflags="-std=c++17 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-omit-frame-pointer"
fi
if (cd "$T/ex" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -j2 PKG_CONFIG="$PC" CXXFLAGS="$exflags") >"$T/ex.log" 2>&1; then
	ok "examples/systemc builds out of tree with pkg-config against the install"
else
	bad "examples/systemc builds out of tree" "$(tail -30 "$T/ex.log")"
fi

if [ -x "$T/ex/gic_demo" ]; then
	out=$(cd "$T/ex" && ./gic_demo demo 2>&1); rc=$?
	[ $rc -eq 0 ] && ok "gic_demo runs" || bad "gic_demo runs (exit $rc)" "$out"
	grep -Eq '0x400 \(Secure view\), 0x0 \(Non-secure view\)' <<<"$out" &&
		ok "gic_demo: the Non-secure view of GICD_IGROUPR reads zero" || bad "gic_demo: IGROUPR views" "$out"
	# the uart raises SPI 42 at 5 us; gic.pend_to_wire (100 ns) later the IRQ rises
	grep -Eq '^ +5\.100 us  gic   cpu0 IRQ line rises' <<<"$out" && grep -Eq '^ +12\.100 us  gic   cpu0 IRQ line rises' <<<"$out" &&
		ok "gic_demo: the IRQ rises gic.pend_to_wire after the device's line" || bad "gic_demo: IRQ timing" "$out"
	[ "$(grep -c 'acknowledged INTID 42' <<<"$out")" = 2 ] && ok "gic_demo: both interrupts acknowledged as INTID 42" ||
		bad "gic_demo: acknowledges" "$out"
	vcd=$T/ex/demo.vcd
	if [ -f "$vcd" ] && id=$(awk '$1 == "$var" && $5 == "cpu0_irq" { print $4 }' "$vcd") && [ -n "$id" ] &&
	   awk -v id="$id" '/^#/ { t = substr($0, 2) } $0 == "1" id { print t }' "$vcd" | head -1 | grep -qx 5100000; then
		ok "gic_demo: demo.vcd traces cpu0_irq (rises at 5100000 ps)"
	else
		bad "gic_demo: the VCD trace of the IRQ line" "$(head -40 "$vcd" 2>&1)"
	fi
else
	bad "gic_demo was not built"
fi

# tzsim::Platform inside sc_main gives `tzsim run --kernel systemc`'s digest, for every shipped scenario
if [ -x "$T/ex/platform_demo" ]; then
	for s in scenarios/*.yaml; do
		got=$(cd "$T" && "$T/ex/platform_demo" "$ROOT/$s" 2>&1 | sed -n 's/^digest \([0-9a-f]*\) (\([0-9]*\) records)$/\1 \2/p')
		want=$(cd "$T" && "$TZ" run "$ROOT/$s" --kernel systemc --json --trace none 2>/dev/null |
			sed -n 's/.*"digest":"\([0-9a-f]*\)","records":\([0-9]*\).*/\1 \2/p')
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "platform_demo $s: digest $got = tzsim run --kernel systemc"
		else
			bad "platform_demo $s: digest" "platform_demo: '$got'" "tzsim run:     '$want'"
		fi
	done
	out=$(cd "$T" && "$T/ex/platform_demo" "$ROOT/scenarios/default.yaml" 2>&1)
	seen=$(sed -n 's/^platform_demo: \([0-9]*\) notifications delivered.*/\1/p' <<<"$out")
	summary=$(sed -n 's/^  notifications [0-9]*  *delivered \([0-9]*\) .*/\1/p' <<<"$out")
	[ -n "$seen" ] && [ "$seen" = "$summary" ] && grep -Eq '^  latency \(us\)' <<<"$out" &&
		ok "platform_demo: the bottom halves it saw delivered ($seen) are the summary's" || bad "platform_demo output" "$out"
else
	bad "platform_demo was not built"
fi

# ---- uninstall -------------------------------------------------------------------------

if tmake uninstall PREFIX=$PREFIX DESTDIR="$D" >"$T/uninstall.log" 2>&1 && [ -z "$(find "$D" -type f)" ] &&
   [ ! -e "$P/include/tzsim" ] && [ ! -e "$comp" ]; then
	ok "make uninstall removes every installed file (the bash completion too) and the include/tzsim tree"
else
	bad "make uninstall" "$(tail -5 "$T/uninstall.log")" "left: $(find "$D" -type f -o -type d -path '*tzsim*' | head)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
