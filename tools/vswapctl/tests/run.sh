#!/usr/bin/env bash
# run.sh [--out DIR]: host tests of vswapctl against a fake sysfs tree.
#
# Builds vswapctl (and tests/fakeerr.so, an LD_PRELOAD shim that makes the
# fake tree's files fail a write or an open with a chosen errno, as the
# module's store() does) into a scratch directory, points VSWAPCTL_SYSFS at
# a tree of regular files, and checks: the device table (default, -b, -o,
# -o +LIST, --output-all, -n, -r, -J parsed as JSON), the tier table with the
# 9 and the 10 columns of lower_tiers, the bytes every command writes to which
# file, the translation of the errno of a rejected write, bad usage, and the
# man page (man --warnings or groff -wall, when one is installed).
#
# Prints one "ok N name" / "not ok N name" line per check (diagnostics as
# "# " lines), then "1..N" and "N passed, N failed"; exit status 1 if any
# failed. With --out DIR, also DIR/results.ktap and DIR/verdict.counts
# ("PASSED FAILED SKIPPED", as the stages of `make check` leave them).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(dirname "$HERE")
OUT=
if [[ ${1:-} == --out ]]; then
	OUT=$2
	mkdir -p "$OUT"
fi

WORK=$(mktemp -d /tmp/vswapctl-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
KTAP=$WORK/results.ktap
N=0
PASS=0
FAIL=0
echo "KTAP version 1" >"$KTAP"

emit() {
	echo "$1" | tee -a "$KTAP"
}

# result OK NAME [DIAGNOSTIC...]
result() {
	local ok=$1 name=$2
	shift 2
	N=$((N + 1))
	if [[ $ok == 1 ]]; then
		PASS=$((PASS + 1))
		emit "ok $N $name"
	else
		FAIL=$((FAIL + 1))
		emit "not ok $N $name"
		local line
		for line in "$@"; do
			while IFS= read -r l; do emit "# $l"; done <<<"$line"
		done
	fi
}

# ---- build ------------------------------------------------------------------
BIN=$WORK/vswapctl
SHIM=$WORK/fakeerr.so
if make -s -C "$SRC" O="$WORK" "$BIN" >"$WORK/build.log" 2>&1 && [[ -x $BIN ]]; then
	result 1 "build vswapctl (-Wall -Wextra -Werror -O2)"
else
	result 0 "build vswapctl (-Wall -Wextra -Werror -O2)" "$(cat "$WORK/build.log")"
	echo "1..$N" | tee -a "$KTAP"
	echo "$PASS passed, $FAIL failed"
	[[ -z $OUT ]] || { cp "$KTAP" "$OUT/results.ktap"; echo "$PASS $FAIL 0" >"$OUT/verdict.counts"; }
	exit 1
fi
if ${CC:-cc} -shared -fPIC -O2 -Wall -Wextra -Werror -std=gnu11 -o "$SHIM" \
	"$HERE/fakeerr.c" -ldl >"$WORK/shim.log" 2>&1; then
	result 1 "build the errno shim"
else
	result 0 "build the errno shim" "$(cat "$WORK/shim.log")"
fi

# ---- the fake tree ----------------------------------------------------------
T=$WORK/sys
export VSWAPCTL_SYSFS=$T
# no swap area on, whatever the host has
: >"$WORK/noswaps"
export VSWAPCTL_SWAPS=$WORK/noswaps
TIERS9='id path priority size used written reads errors state
0 /var/lib/vswap/lower0 10 8589934592 1048576 2097152 12 0 active
1 /mnt/my disk 2 -5 536870912 0 0 1536 3 failing'
TIERS10='id path priority size used written reads errors state csum_errors
0 /var/lib/vswap/lower0 10 8589934592 1048576 2097152 12 0 active 0
3 /srv/t1 0 1073741824 536870912 1073741824 99 1 draining 7'
WRITABLE="mem_limit mem_used_max compact lower_add lower_remove lower_migrate writeback idle
wb_high wb_low wb_budget wb_budget_period wb_huge_direct wb_comp_algorithm segment_size"

# A tree as the module shows it: statistics, and empty files for what is written.
make_tree() {
	rm -rf "$T"
	mkdir -p "$T"
	echo 8589934592 >"$T/disksize"
	echo "lzo lzo-rle [lz4] zstd deflate none" >"$T/comp_algorithm"
	# orig compr total limit max same compacted huge huge_since
	echo "1048576000 262144000 270000000 0 300000000 120 7 33 40" >"$T/mm_stat"
	echo 65536 >"$T/meta_bytes"
	echo 256 >"$T/lower_pages"
	echo "$TIERS9" >"$T/lower_tiers"
	local f
	for f in $WRITABLE; do
		: >"$T/$f"
	done
}

# run ARGS...: vswapctl ARGS with the shim; stdout in $WORK/out, stderr in
# $WORK/err, exit status in RC.
RC=0
run() {
	RC=0
	LD_PRELOAD=$SHIM "$BIN" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || RC=$?
}

# expect_out NAME EXPECTED ARGS...: exit status 0 and exactly EXPECTED on stdout.
expect_out() {
	local name=$1 want=$2
	shift 2
	run "$@"
	if [[ $RC == 0 && $(cat "$WORK/out") == "$want" ]]; then
		result 1 "$name"
	else
		result 0 "$name" "vswapctl $* -> exit $RC" "expected:" "$want" "got:" \
			"$(cat "$WORK/out")" "stderr:" "$(cat "$WORK/err")"
	fi
}

# expect_fail NAME TEXT ARGS...: exit status 1, TEXT in the message on stderr,
# nothing on stdout.
expect_fail() {
	local name=$1 text=$2
	shift 2
	run "$@"
	if [[ $RC == 1 && $(cat "$WORK/err") == *"$text"* && ! -s $WORK/out ]]; then
		result 1 "$name"
	else
		result 0 "$name" "vswapctl $* -> exit $RC, expected 1 and a message with: $text" \
			"stderr:" "$(cat "$WORK/err")" "stdout:" "$(cat "$WORK/out")"
	fi
}

# expect_writes NAME "FILE=CONTENT;FILE=CONTENT" ARGS...: exit status 0, the
# files named received exactly CONTENT plus a newline, every other writable
# file of the tree stayed empty.
expect_writes() {
	local name=$1 spec=$2 f want got bad=() item
	local -A expect=()
	shift 2
	make_tree
	run "$@"
	[[ $RC == 0 ]] || bad+=("exit $RC: $(cat "$WORK/err")")
	IFS=';' read -ra items <<<"$spec"
	for item in "${items[@]}"; do
		expect[${item%%=*}]=${item#*=}
	done
	for f in $WRITABLE disksize comp_algorithm; do
		if [[ -n ${expect[$f]+set} ]]; then
			want=$(printf '%s\n' "${expect[$f]}" | od -An -c)
			got=$(od -An -c <"$T/$f")
			[[ $want == "$got" ]] || bad+=("$f: expected [${expect[$f]}\\n], got [$(cat "$T/$f")]")
		elif [[ $f == disksize || $f == comp_algorithm ]]; then
			:
		elif [[ -s $T/$f ]]; then
			bad+=("$f: expected no write, got [$(cat "$T/$f")]")
		fi
	done
	if [[ ${#bad[@]} -eq 0 ]]; then
		result 1 "$name"
	else
		result 0 "$name" "vswapctl $*" "${bad[@]}"
	fi
}

# inject FILE ERRNO [open]: the next writes (or opens) of FILE fail with ERRNO.
inject() {
	echo "$2" >"$T/$1.${3:+open-}errno"
}

# errno numbers (asm-generic/errno-base.h, errno.h; the same on every Linux arch we run)
EPERM=1 ENOENT=2 EINTR=4 EIO=5 ENOMEM=12 EACCES=13 EBUSY=16 EINVAL=22 ENOSPC=28
EDQUOT=122

# ---- the device table ---------------------------------------------------------
make_tree
HDR='NAME       DISKSIZE  DATA COMPR ALGORITHM  TOTAL MEM-LIMIT MEM-USED ZERO-PAGES COMP-RATIO TIERS WB-USED'
ROW='/dev/vswap       8G 1000M  250M lz4       257.5M        0B   286.1M        120     3.8836     2      1M'
expect_out "table: default columns, human sizes" "$HDR
$ROW"
expect_out "table: -b prints bytes" \
	"NAME         DISKSIZE       DATA     COMPR ALGORITHM     TOTAL MEM-LIMIT  MEM-USED ZERO-PAGES COMP-RATIO TIERS WB-USED
/dev/vswap 8589934592 1048576000 262144000 lz4       270000000         0 300000000        120     3.8836     2 1048576" -b
expect_out "table: --bytes" "$("$BIN" -b)" --bytes
expect_out "table: -o LIST, any case" "NAME        DATA COMP-RATIO
/dev/vswap 1000M     3.8836" -o name,DATA,comp-ratio
expect_out "table: -o +LIST appends to the defaults" "$HDR HUGE-PAGES MIGRATED
$ROW         33        7" -o +huge-pages,migrated
expect_out "table: the device may be named, as zramctl's <device>" "$HDR
$ROW" /dev/vswap
expect_out "table: options after the device" "/dev/vswap 1000M" /dev/vswap -r -n -o name,data
expect_out "table: -n drops the header (widths from the values)" \
	"/dev/vswap 8G 1000M 250M lz4 257.5M 0B 286.1M 120 3.8836 2 1M" -n
expect_out "table: -r raw" "NAME DISKSIZE DATA COMPR ALGORITHM TOTAL MEM-LIMIT MEM-USED ZERO-PAGES COMP-RATIO TIERS WB-USED
/dev/vswap 8G 1000M 250M lz4 257.5M 0B 286.1M 120 3.8836 2 1M" -r
expect_out "table: --raw -n" "/dev/vswap 8G 1000M 250M lz4 257.5M 0B 286.1M 120 3.8836 2 1M" --raw -n
run --output-all -r
cols=$(head -n 1 "$WORK/out")
if [[ $RC == 0 && $cols == "NAME DISKSIZE DATA COMPR ALGORITHM TOTAL MEM-LIMIT MEM-USED ZERO-PAGES COMP-RATIO TIERS WB-USED HUGE-PAGES MIGRATED METADATA WB-PAGES TIER-SIZE" &&
	$(sed -n 2p "$WORK/out") == "/dev/vswap 8G 1000M 250M lz4 257.5M 0B 286.1M 120 3.8836 2 1M 33 7 64K 256 8.5G" ]]; then
	result 1 "table: --output-all"
else
	result 0 "table: --output-all" "$(cat "$WORK/out" "$WORK/err")"
fi

# json_check FILE EXPR: EXPR (python, on d = the parsed document) holds;
# without python3, a strict shell check of the shape is done by the caller.
HAVE_PY=0
command -v python3 >/dev/null && HAVE_PY=1
json_check() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}
run -J
if [[ $HAVE_PY == 1 ]]; then
	if [[ $RC == 0 ]] && json_check "$WORK/out" 'list(d) == ["vswap"] and len(d["vswap"]) == 1 and
		d["vswap"][0] == {"name": "/dev/vswap", "disksize": "8G", "data": "1000M", "compr": "250M",
		"algorithm": "lz4", "total": "257.5M", "mem-limit": "0B", "mem-used": "286.1M",
		"zero-pages": 120, "comp-ratio": 3.8836, "tiers": 2, "wb-used": "1M"}'; then
		result 1 "table: -J is JSON with the default columns (python3)"
	else
		result 0 "table: -J is JSON with the default columns (python3)" "$(cat "$WORK/out" "$WORK/err")"
	fi
	run -J -b -o name,disksize,comp-ratio
	if [[ $RC == 0 ]] && json_check "$WORK/out" 'd == {"vswap": [{"name": "/dev/vswap",
		"disksize": 8589934592, "comp-ratio": 3.8836}]}'; then
		result 1 "table: -J -b gives numbers"
	else
		result 0 "table: -J -b gives numbers" "$(cat "$WORK/out" "$WORK/err")"
	fi
else
	# no python3: the exact text, which is valid JSON by construction
	want='{
   "vswap": [
      {"name": "/dev/vswap", "disksize": 8589934592, "comp-ratio": 3.8836}
   ]
}'
	run -J -b -o name,disksize,comp-ratio
	if [[ $RC == 0 && $(cat "$WORK/out") == "$want" ]]; then
		result 1 "table: -J -b gives numbers (strict text check, no python3)"
	else
		result 0 "table: -J -b gives numbers (strict text check, no python3)" "$(cat "$WORK/out")"
	fi
	run -J
	if [[ $RC == 0 && $(tr -d '\n' <"$WORK/out") =~ ^\{\ +\"vswap\":\ \[\ +\{(\"[a-z-]+\":\ (\"[^\"]*\"|[0-9.]+|null)(,\ )?){12}\}\ +\]\}$ ]]; then
		result 1 "table: -J shape (strict shell check, no python3)"
	else
		result 0 "table: -J shape (strict shell check, no python3)" "$(cat "$WORK/out")"
	fi
fi

# COMP-RATIO as zramctl computes it (DATA / TOTAL, 4 decimals); none when TOTAL is 0
echo "4096 100 3000 0 0 0 0 0 0" >"$T/mm_stat"
expect_out "table: COMP-RATIO = DATA/TOTAL" "1.3653" -n -o comp-ratio
echo "0 0 0 0 0 0 0 0 0" >"$T/mm_stat"
expect_out "table: COMP-RATIO of an empty device is empty" "0B " -n -r -o data,comp-ratio
# human sizes at the unit boundaries, as util-linux rounds them
sizes=""
for v in 0 1023 1024 1536 1048575 1048576 1363149 5368709120 1099511627776; do
	echo "$v" >"$T/disksize"
	LD_PRELOAD=$SHIM "$BIN" -n -o disksize >>"$WORK/sizes" 2>&1 || true
done
sizes=$(tr '\n' ' ' <"$WORK/sizes")
if [[ $sizes == "0B 1023B 1K 1.5K 1024K 1M 1.3M 5G 1T " ]]; then
	result 1 "table: human sizes round as util-linux"
else
	result 0 "table: human sizes round as util-linux" "got: $sizes"
fi
make_tree
rm "$T/mm_stat"
expect_out "table: a missing statistic is an empty cell" "/dev/vswap 8G  lz4" -n -r -o name,disksize,data,algorithm
mv "$T" "$T.gone"
expect_fail "table: no device: exit 1, says to load the module" "is the vswap module loaded" 
mv "$T.gone" "$T"

# ---- the tier table ------------------------------------------------------------
make_tree
expect_out "tiers: 9 columns" "PATH                  PRIO SIZE USED WRITTEN READS ERRORS STATE
/var/lib/vswap/lower0   10   8G   1M      2M    12      0 active
/mnt/my disk 2          -5 512M   0B      0B  1536      3 failing" tiers
expect_out "tiers: options after the command, -b" "PATH                  PRIO       SIZE    USED WRITTEN READS ERRORS STATE
/var/lib/vswap/lower0   10 8589934592 1048576 2097152    12      0 active
/mnt/my disk 2          -5  536870912       0       0  1536      3 failing" tiers -b
expect_out "tiers: -r escapes blanks in a path" "0 /var/lib/vswap/lower0
1 /mnt/my\\x20disk\\x202" tiers -r -n -o id,path
expect_out "tiers: CSUM-ERRORS asked of a 9-column module is empty" \
	"ID CSUM-ERRORS
0 
1 " -r tiers -o id,csum-errors
echo "$TIERS10" >"$T/lower_tiers"
expect_out "tiers: 10 columns show CSUM-ERRORS" "PATH                  PRIO SIZE USED WRITTEN READS ERRORS STATE    CSUM-ERRORS
/var/lib/vswap/lower0   10   8G   1M      2M    12      0 active             0
/srv/t1                  0   1G 512M      1G    99      1 draining           7" tiers
expect_out "tiers: --output-all" "ID PATH PRIO SIZE USED WRITTEN READS ERRORS STATE CSUM-ERRORS
0 /var/lib/vswap/lower0 10 8G 1M 2M 12 0 active 0
3 /srv/t1 0 1G 512M 1G 99 1 draining 7" tiers --output-all -r
expect_out "tiers: -o +LIST" "PATH PRIO SIZE USED WRITTEN READS ERRORS STATE CSUM-ERRORS ID
/var/lib/vswap/lower0 10 8G 1M 2M 12 0 active 0 0
/srv/t1 0 1G 512M 1G 99 1 draining 7 3" -r tiers -o +id
if [[ $HAVE_PY == 1 ]]; then
	echo "$TIERS9" >"$T/lower_tiers"
	run -J -b tiers
	if [[ $RC == 0 ]] && json_check "$WORK/out" 'd["tiers"][1] == {"path": "/mnt/my disk 2",
		"prio": -5, "size": 536870912, "used": 0, "written": 0, "reads": 1536, "errors": 3,
		"state": "failing"} and len(d["tiers"]) == 2'; then
		result 1 "tiers: -J, a path with blanks kept whole"
	else
		result 0 "tiers: -J, a path with blanks kept whole" "$(cat "$WORK/out" "$WORK/err")"
	fi
fi
printf 'id path priority size used written reads errors state\n' >"$T/lower_tiers"
expect_out "tiers: none attached, header only" "PATH PRIO SIZE USED WRITTEN READS ERRORS STATE" tiers -r
printf 'id path priority state\n0 /x 0 active\n' >"$T/lower_tiers"
expect_fail "tiers: a format of 4 columns is refused" "unexpected format" tiers
printf 'id path priority size used written reads errors state\n0 /x 0 active\n' >"$T/lower_tiers"
expect_fail "tiers: a short line is refused" "unexpected format" tiers

# ---- what each command writes ----------------------------------------------------
expect_writes "set: KEY=VALUE, '-' for '_'" "mem_limit=256M;wb_high=80" set mem-limit=256M wb_high=80
expect_writes "set: a value with '=' and blanks" "wb_comp_algorithm=a=b c" set wb_comp_algorithm='a=b c'
expect_writes "tier add: PATH with priority 0" "lower_add=/srv/lower0 0" tier add /srv/lower0
expect_writes "tier add --priority N" "lower_add=/srv/lower0 -7" tier add /srv/lower0 --priority -7
expect_writes "tier add -p N before the path" "lower_add=/srv/lower 1 5" tier add -p 5 "/srv/lower 1"
mkdir -p "$WORK/d"
: >"$WORK/d/rel"
ln -sf rel "$WORK/d/link"
cd "$WORK/d"
expect_writes "tier add: a relative path or a link is resolved" "lower_add=$WORK/d/rel 0" tier add link
cd - >/dev/null
# --create
make_tree
run tier add "$WORK/new0" --create 4M --priority 3
mode=$(stat -c %a "$WORK/new0" 2>/dev/null || echo none)
size=$(stat -c %s "$WORK/new0" 2>/dev/null || echo 0)
blocks=$(stat -c '%b*%B' "$WORK/new0" 2>/dev/null || echo 0)
if [[ $RC == 0 && $mode == 600 && $size == 4194304 && $((blocks)) -ge 4194304 &&
	$(cat "$T/lower_add") == "$WORK/new0 3" ]]; then
	result 1 "tier add --create: mode 0600, allocated, then attached"
else
	result 0 "tier add --create: mode 0600, allocated, then attached" \
		"exit $RC mode $mode size $size allocated $((blocks))" "lower_add: $(cat "$T/lower_add")" \
		"$(cat "$WORK/err")"
fi
echo keep >"$WORK/exists"
make_tree
run tier add "$WORK/exists" --create 4M
if [[ $RC == 1 && $(cat "$WORK/exists") == keep && ! -s $T/lower_add &&
	$(cat "$WORK/err") == *"refusing to overwrite"* ]]; then
	result 1 "tier add --create refuses an existing file"
else
	result 0 "tier add --create refuses an existing file" "exit $RC" "$(cat "$WORK/err")"
fi
make_tree
inject lower_add $EINVAL
run tier add "$WORK/new1" --create 1M
if [[ $RC == 1 && ! -e $WORK/new1 && $(cat "$WORK/err") == *"removed $WORK/new1"* ]]; then
	result 1 "tier add --create: a file the module refused is removed again"
else
	result 0 "tier add --create: a file the module refused is removed again" "exit $RC" \
		"$(ls -l "$WORK/new1" 2>&1)" "$(cat "$WORK/err")"
fi
make_tree
printf 'id path priority size used written reads errors state\n0 /srv/x y 0 8 0 0 0 0 active\n' >"$T/lower_tiers"
run tier remove "/srv/x y"
if [[ $RC == 0 && $(cat "$T/lower_remove") == "/srv/x y" ]]; then
	result 1 "tier remove: the path as attached"
else
	result 0 "tier remove: the path as attached" "exit $RC [$(cat "$T/lower_remove")]" "$(cat "$WORK/err")"
fi
expect_writes "tier migrate PATH" "lower_migrate=/var/lib/vswap/lower0" tier migrate /var/lib/vswap/lower0
expect_writes "writeback idle" "writeback=idle" writeback idle
expect_writes "writeback huge" "writeback=huge" writeback huge
expect_writes "writeback all" "writeback=all" writeback all
expect_writes "writeback N pages" "writeback=1000" writeback 1000
expect_writes "idle all" "idle=all" idle all
expect_writes "idle SECONDS" "idle=300" idle 300
expect_writes "compact" "compact=1" compact
expect_writes "reset writes disksize to itself" "disksize=8589934592" reset
expect_writes "-s SIZE sets disksize in bytes" "disksize=1073741824" -s 1G
expect_writes "-a ALG sets comp_algorithm" "comp_algorithm=zstd" -a zstd
expect_writes "zramctl's form: DEVICE -s SIZE" "disksize=2097152" /dev/vswap -s 2M
expect_writes "--size and --algorithm together" "disksize=3000000;comp_algorithm=lzo" --size 3MB --algorithm lzo

# ---- errors the module returns, translated -----------------------------------------
make_tree
inject lower_add $EACCES
expect_fail "lower_add EACCES: chmod 600" "tier file is accessible by group or others, or not owned by you: chmod 600 /srv/t0" tier add /srv/t0
make_tree
inject lower_add $EBUSY
expect_fail "lower_add EBUSY: already a swap area or a tier" "already a swap area or a tier" tier add /srv/t0
make_tree
inject lower_add $ENOSPC
expect_fail "lower_add ENOSPC: 8 tiers" "8 tiers are attached already" tier add /srv/t0
make_tree
inject lower_add $EINVAL
expect_fail "lower_add EINVAL: what a tier must be" "least two segments preallocated without holes" tier add /srv/t0
make_tree
inject lower_add $ENOENT
expect_fail "lower_add ENOENT" "No such file or directory: no such file or block device: /srv/t0" tier add /srv/t0
make_tree
inject lower_remove $ENOENT
expect_fail "lower_remove ENOENT: not a tier" "not a tier: /srv/t0: see vswapctl tiers" tier remove /srv/t0
make_tree
inject lower_remove $EINTR
expect_fail "lower_remove EINTR: run it again" "run the same command again" tier remove /srv/t0
make_tree
inject lower_remove $ENOMEM
expect_fail "lower_remove ENOMEM: nothing is lost" "nothing is lost" tier remove /srv/t0
make_tree
inject lower_migrate $ENOSPC
expect_fail "lower_migrate ENOSPC: add a tier" "the other tiers cannot take all its pages" tier migrate /srv/t0
make_tree
rm "$T/writeback"
ln -s /dev/full "$T/writeback"
expect_fail "writeback ENOSPC (/dev/full): no tier with free space" "No space left on device: no tier with free space" writeback all
make_tree
inject writeback $EDQUOT
expect_fail "writeback EDQUOT: the budget" "wb_budget" writeback idle
make_tree
inject writeback $EIO
expect_fail "writeback EIO: a tier failed" "a tier failed" writeback 10
make_tree
inject compact $EPERM
expect_fail "EPERM: needs CAP_SYS_ADMIN" "needs CAP_SYS_ADMIN" compact
make_tree
inject disksize $EBUSY
expect_fail "reset while swapped on: EBUSY, swapoff first" "in use (swapped on): swapoff /dev/vswap first" reset
make_tree
printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vswap                              partition\t16777212\t0\t\t-2\n' >"$WORK/swaps"
VSWAPCTL_SWAPS=$WORK/swaps run reset
if [[ $RC == 1 && $(cat "$T/disksize") == 8589934592 &&
	$(cat "$WORK/err") == *"Device or resource busy: /dev/vswap is in use (swapped on): swapoff /dev/vswap first"* ]]; then
	result 1 "reset refuses while /proc/swaps lists /dev/vswap, writes nothing"
else
	result 0 "reset refuses while /proc/swaps lists /dev/vswap, writes nothing" "exit $RC" "$(cat "$WORK/err")"
fi
: >"$T/disksize"
VSWAPCTL_SWAPS=$WORK/swaps run -s 2G
if [[ $RC == 1 && ! -s $T/disksize && $(cat "$WORK/err") == *"swapoff /dev/vswap first"* ]]; then
	result 1 "-s refuses while swapped on"
else
	result 0 "-s refuses while swapped on" "exit $RC [$(cat "$T/disksize")]" "$(cat "$WORK/err")"
fi
printf 'Filename\tType\tSize\tUsed\tPriority\n/dev/vda2 partition 1000 0 -2\n' >"$WORK/swaps"
make_tree
VSWAPCTL_SWAPS=$WORK/swaps run reset
if [[ $RC == 0 && $(cat "$T/disksize") == 8589934592 ]]; then
	result 1 "reset with another swap area on goes ahead"
else
	result 0 "reset with another swap area on goes ahead" "exit $RC" "$(cat "$WORK/err")"
fi
make_tree
inject disksize $EINVAL
expect_fail "-s out of range: EINVAL" "between 1M and 16T" -s 1K
make_tree
inject segment_size $EBUSY
expect_fail "set segment_size EBUSY" "cannot change while a tier is attached" set segment_size=64K
make_tree
inject mem_limit $EINVAL
expect_fail "set EINVAL names the value" "rejected the value 12Q" set mem_limit=12Q
make_tree
inject mem_limit $EACCES open
chmod 0644 "$T/mem_limit"
expect_fail "open EACCES: needs root" "needs root" set mem_limit=1G
make_tree
inject stored_pages $EACCES open
echo 5 >"$T/stored_pages"
chmod 0444 "$T/stored_pages"
expect_fail "set of a statistic: read-only" "stored_pages is read-only" set stored_pages=0
make_tree
expect_fail "set of an unknown key: does not exist" "$T/no_such does not exist" set no-such=1
make_tree
mkdir "$T/adir"
expect_fail "set of a directory: EISDIR" "Is a directory" set adir=1
make_tree
inject wb_low $EINVAL
run set wb_high=60 wb_low=70 mem_limit=1G
if [[ $RC == 1 && $(cat "$T/wb_high") == 60 && ! -s $T/mem_limit && $(cat "$WORK/err") == *wb_low* ]]; then
	result 1 "set stops at the first rejected key"
else
	result 0 "set stops at the first rejected key" "exit $RC" "$(cat "$WORK/err")"
fi
mv "$T" "$T.gone"
expect_fail "a command with no device: load the module" "is the vswap module loaded" compact
mv "$T.gone" "$T"

# ---- bad usage --------------------------------------------------------------------
make_tree
expect_fail "unknown option" "unrecognized option '--frobnicate'" --frobnicate
expect_fail "unknown short option" "invalid option -- 'x'" -x
expect_fail "unknown column" "unknown column: NOPE" -o name,NOPE
expect_fail "unknown tier column" "unknown column: disksize" tiers -o disksize
expect_fail "bad size for -s" "failed to parse size: '12X'" -s 12X
expect_fail "bad size for --create" "bad size '1.5G'" tier add /srv/t --create 1.5G
expect_fail "bad priority" "bad priority '2000'" tier add /srv/t --priority 2000
expect_fail "unknown command" "unknown command 'frob'" frob
expect_fail "tier: unknown subcommand" "unknown subcommand 'attach'" tier attach /x
expect_fail "tier add without a path" "expects one PATH" tier add
expect_fail "writeback garbage" "'soon' is not idle, huge, all or a page count" writeback soon
expect_fail "writeback 0 pages" "'0' is not idle" writeback 0
expect_fail "idle garbage" "'-5' is not all or a number of seconds" idle -5
expect_fail "set without '='" "'mem_limit' is not KEY=VALUE" set mem_limit
expect_fail "set of a path" "is not a setting name" set ../x=1
expect_fail "-J with --raw" "mutually exclusive" -J -r
expect_fail "compact takes no argument" "takes no arguments" compact now
bad=()
for f in $WRITABLE disksize; do
	[[ ! -s $T/$f || $f == disksize ]] || bad+=("$f: $(cat "$T/$f")")
done
if [[ ${#bad[@]} -eq 0 && $(cat "$T/disksize") == 8589934592 ]]; then
	result 1 "bad usage wrote nothing"
else
	result 0 "bad usage wrote nothing" "${bad[@]}"
fi
expect_out "-V" "vswapctl from vswap $(sed -n 's/^VERSION := //p' "$SRC/../../Makefile")" -V
run --help
if [[ $RC == 0 && $(cat "$WORK/out") == *COMP-RATIO* && $(cat "$WORK/out") == *CSUM-ERRORS* &&
	$(cat "$WORK/out") == *"vswapctl(8)"* ]]; then
	result 1 "--help lists the columns"
else
	result 0 "--help lists the columns" "$(cat "$WORK/out" "$WORK/err")"
fi

# ---- the man page ---------------------------------------------------------------
MAN=$SRC/vswapctl.8
if command -v man >/dev/null; then
	warn=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null) || warn+=" (man failed)"
	checker="man --warnings -l"
elif command -v groff >/dev/null; then
	warn=$(groff -z -wall -man "$MAN" 2>&1) || warn+=" (groff failed)"
	checker="groff -z -wall"
else
	warn="neither man nor groff is installed (scripts/deps.sh installs man-db)"
	checker="none"
fi
if [[ -z $warn ]]; then
	result 1 "man page: $checker has no warnings"
else
	result 0 "man page: $checker has no warnings" "$warn"
fi
# every option and command of --help is in the man page
missing=()
plain=$(sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\(em/-/g' "$MAN")
for word in --algorithm --bytes --json --noheadings --output --output-all --raw --size --help \
	--version --priority --create tiers set "tier add" "tier remove" "tier migrate" writeback \
	idle compact reset VSWAPCTL_SYSFS VSWAPCTL_SWAPS CSUM-ERRORS WB-USED; do
	[[ $plain == *"$word"* ]] || missing+=("$word")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	result 1 "man page documents every option and command"
else
	result 0 "man page documents every option and command" "missing: ${missing[*]}"
fi

echo "1..$N" | tee -a "$KTAP"
if [[ -n $OUT ]]; then
	cp "$KTAP" "$OUT/results.ktap"
	echo "$PASS $FAIL 0" >"$OUT/verdict.counts"
fi
echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
