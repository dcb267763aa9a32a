#!/bin/sh
# shellcheck shell=dash disable=SC2317 # helpers are run indirectly, through check
# 79-wb-corrupt.sh: a lower tier that returns other bytes than it was given
# never makes vswap return wrong data: every page read back is either the
# page that was written, byte for byte, or an I/O error; the objects that do
# not check out are counted (lower_csum_errors, the tier's csum_errors in
# lower_tiers' column 10, failed_reads); compaction, drain and migration
# never move wrong data.
#
# Why: a disk can corrupt data, write it to the wrong place or drop a write
# and report success. Each object on a tier carries a crc32c seeded with its
# slot and its segment's write generation, checked on every read (refault,
# compaction, drain, migrate), so all three are caught (issue 9). Without it
# a raw page comes back as garbage, a misdirected one as another slot's page,
# a lost write as the page's previous content.
# Tiers are device-mapper devices over the blank disk /dev/vdb, attached as
# block devices, with 64 KiB segments (15 raw pages each); data goes through
# the raw device with direct I/O, swap off, so every page's content is known
# (vswap-pages: mixed zero, same-filled, text and random pages; it reads
# page by page and tells right data, wrong data and EIO apart):
#   a) tier A (linear over the first half of the disk), data written back,
#      then /dev/vdb overwritten under it: random bytes over segment 0,
#      zeroes over part of segment 1, a copy of segment 2 over segment 3 (a
#      misdirected write); every page must read back right or fail with EIO,
#      and lower_migrate to tier B must fail with EIO (or report the
#      corrupt objects) and leave readable what was readable;
#   b) A's table becomes dm-flakey with corrupt_bio_byte on reads (a lying
#      device; checked to lie first; where flakey cannot corrupt reads, as
#      on 6.1, a remap table reading one sector in eight from random junk):
#      the same read-back; with the table linear again everything reads back;
#   c) a tier C of 8 segments, filled up (the rest with raw pages, 15 to a
#      segment): C's pages are written again with new content of the same
#      sizes and written back while flakey drops every write, into C's own
#      freed segments (the only free ones), in the same layout; the read-back
#      must never return the old content;
#   d) A and B attached; on A, segments of random pages with only their first
#      object kept (14 of 15 discarded: sparse) and mixed pages after them;
#      A lying on reads: `compact` and lower_migrate must fail with EIO (or
#      report the corrupt objects), lower_remove must fail with EIO, nothing
#      wrong may be moved; with the table linear again everything reads back,
#      migrates to B and drains into memory.
# Until lower_csum_errors and lower_tiers' tenth column exist, the checks on
# them fail as "not numbers" and the script goes on.
# Figures printed: pages read back right, wrong and with EIO, and the csum
# errors counted, per case.
# timeout: 900
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. /tests/lib.sh

LOWER_DISK=/dev/vdb
DM_A=vsc-a
DM_B=vsc-b
DM_C=vsc-c
SEG=65536
SEG_SECT=$((SEG / 512))
# Tier C: a few segments, so that writeback wraps around it.
C_SEGS=8
RAW_PER_SEG=15
MIX=5,15,50,30
# Pages per data set: 1/32 of the reference memory (8 MiB of a 256 MiB
# guest), at least enough for tier A's case a) to fill 6 segments.
PAGES=$(($(mem_ref_kb) / 128))
[ "$PAGES" -ge 384 ] || PAGES=384
[ "$PAGES" -le 3072 ] || PAGES=3072
C_PAGES=96
# Page offsets on /dev/vswap, whole clusters apart.
A_AT=1024
B_AT=$((A_AT + 8192))
C_AT=$((B_AT + 8192))
F_AT=$((C_AT + 1024))
D_AT=$((C_AT + 8192))
E_AT=$((D_AT + 1024))
# d): D is random pages in one cluster (at most 512 pages), 15 to a segment,
# so that the first object of every segment is known; E is mixed.
D_SEGS=$((PAGES / 60))
[ "$D_SEGS" -ge 8 ] || D_SEGS=8
[ "$D_SEGS" -le 34 ] || D_SEGS=34
D_PAGES=$((D_SEGS * RAW_PER_SEG))
E_PAGES=$((PAGES / 4))
# Flakey's corrupted byte: past a read's first logical block, so that it lands
# inside the object read (an object starts within the first block read).
BAD_BYTE=520
BAD_VALUE=165
# dm tables, set once the disk's size is known.
LIN_A=
LIN_B=
LIN_C=

# ---- local helpers (lib.sh has the lower-tier ones) ----------------------------

dev_of() {
	echo "/dev/mapper/$1"
}

lower_disk_ready() {
	virtio_disk "$LOWER_DISK" || return 1
	command -v dmsetup || return 1
	modprobe dm_mod && modprobe dm_flakey
}

dmsetup_() {
	dmsetup --noudevsync "$@"
}

dm_exists() {
	dmsetup_ info "$1" >/dev/null 2>&1
}

# dm_create NAME TABLE
dm_create() {
	dmsetup_ create "$1" --table "$2" || return 1
	[ -b "$(dev_of "$1")" ] || dmsetup_ mknodes "$1" || return 1
	dmsetup_ table "$1"
	[ -b "$(dev_of "$1")" ]
}

# dm_table NAME TABLE: swap the live table (TABLE: a table, or a file holding one).
dm_table() {
	dmsetup_ suspend "$1" || return 1
	if [ -f "$2" ]; then
		dmsetup_ load "$1" "$2"
	else
		dmsetup_ load "$1" --table "$2"
	fi || {
		dmsetup_ resume "$1"
		return 1
	}
	dmsetup_ resume "$1" || return 1
	dmsetup_ table "$1" >"$T_TMP/table" || return 1
	head -n 3 "$T_TMP/table"
}

dm_create_all() {
	dm_create "$DM_A" "$LIN_A" && dm_create "$DM_B" "$LIN_B" && dm_create "$DM_C" "$LIN_C"
}

# dm_remove_all: the devices and their nodes are gone (with no udev, mknodes
# drops a node left behind).
dm_remove_all() {
	local n
	for n in "$DM_A" "$DM_B" "$DM_C"; do
		dmsetup_ remove "$n" || return 1
		[ ! -e "$(dev_of "$n")" ] || dmsetup_ mknodes || return 1
		! dm_exists "$n" && [ ! -e "$(dev_of "$n")" ] || return 1
	done
}

# lie_table START LEN: flakey over the disk from sector START, corrupting one
# byte of every read.
lie_table() {
	echo "0 $2 flakey $LOWER_DISK $1 0 1 5 corrupt_bio_byte $BAD_BYTE r $BAD_VALUE 0"
}

# drop_table START LEN: flakey dropping every write (and reporting success).
drop_table() {
	echo "0 $2 flakey $LOWER_DISK $1 0 1 1 drop_writes"
}

# pages_write AT PAGES SEED GEN [MIX]
pages_write() {
	vswap-pages write "$VSWAP_DEV" "$1" "$2" "$3" "$4" "${5:-$MIX}"
}

# pages_verify TAG AT PAGES SEED GEN [OLDGEN [STRIDE [MIX]]]: read every page
# back; sets V_RIGHT, V_EIO, V_WRONG, V_OLD, V_OTHER (n/a when vswap-pages
# reported nothing, so that the checks on them fail). Never fails.
pages_verify() {
	local tag=$1 out line
	shift
	out=$(vswap-pages verify "$VSWAP_DEV" "$1" "$2" "$3" "$4" "${7:-$MIX}" "${5:-0}" \
		"${6:-1}" 2>&1) || true
	printf '%s\n' "$out" | sed "s/^/  | $tag: /"
	line=$(printf '%s\n' "$out" | grep '^vswap-pages: verify ' | tail -n 1) || true
	V_RIGHT=$(v_field "$line" right)
	V_EIO=$(v_field "$line" eio)
	V_WRONG=$(v_field "$line" wrong)
	V_OLD=$(v_field "$line" old)
	V_OTHER=$(v_field "$line" other)
}

v_field() {
	local v
	v=$(printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p")
	is_uint "$v" || v=n/a
	echo "$v"
}

# csum counters: the global one and tier PATH's column 10 ("n/a" when absent).
csum_all() {
	local v
	v=$(vs_get lower_csum_errors)
	is_uint "$v" || v=n/a
	echo "$v"
}

csum_tier() {
	local v
	v=$(tier_col "$1" 10)
	is_uint "$v" || v=n/a
	echo "$v"
}

# figure CASE: one line of figures for the last read-back and the counters'
# growth since CS0 (global) and CT0 (the tier's).
figure() {
	log "figure: $1: pages right $V_RIGHT, wrong $V_WRONG (old content $V_OLD), EIO $V_EIO," \
		"other errors $V_OTHER; lower_csum_errors +$(sub "$(csum_all)" "$CS0")," \
		"tier csum_errors +$(sub "$(csum_tier "$2")" "$CT0")," \
		"failed_reads +$(sub "$(vs_get failed_reads)" "$FR0")"
}

# mark_counters TIER: remember the counters figure() and the checks compare with.
mark_counters() {
	CS0=$(csum_all)
	CT0=$(csum_tier "$1")
	FR0=$(vs_get failed_reads)
}

# read_back_checks CASE TIER: the checks every corrupt read-back makes.
read_back_checks() {
	check_num "$1: no page read back wrong" "$V_WRONG" -eq 0
	check_num "$1: no read failed otherwise than with EIO" "$V_OTHER" -eq 0
	check_num "$1: some pages failed with EIO" "$V_EIO" -gt 0
	check_num "$1: failed_reads counted every EIO" \
		"$(sub "$(vs_get failed_reads)" "$FR0")" -ge "$V_EIO"
	check_num "$1: lower_csum_errors counted every EIO" \
		"$(sub "$(csum_all)" "$CS0")" -ge "$V_EIO"
	check_num "$1: the tier's csum_errors (lower_tiers column 10) counted every EIO" \
		"$(sub "$(csum_tier "$2")" "$CT0")" -ge "$V_EIO"
}

# segs_used TIER: segments in use on TIER.
segs_used() {
	local u
	u=$(tier_col "$1" 5)
	is_uint "$u" || {
		echo n/a
		return 0
	}
	echo $((u / SEG))
}

# discard AT PAGES: free the pages (and their objects on any tier).
discard() {
	vswap-blkop discard "$VSWAP_DEV" $(($1 * 4096)) $(($2 * 4096))
}

# tier_pages LINE: pages of a set that go to a tier (text and random; zero
# and same-filled pages have no payload), from vswap-pages' write line.
tier_pages() {
	printf '%s\n' "$1" | tr ' ' '\n' | awk -F= '$1 == "text" || $1 == "random" { n += $2 }
		END { print n + 0 }'
}

# write_set TAG AT PAGES SEED GEN [MIX]: pages_write, its output shown and
# kept for tiered.
write_set() {
	pages_write "$2" "$3" "$4" "$5" "${6:-$MIX}" >"$T_TMP/wrote-$1" 2>&1 || {
		cat "$T_TMP/wrote-$1"
		return 1
	}
	cat "$T_TMP/wrote-$1"
}

# tiered TAG: pages of set TAG that go to a tier.
tiered() {
	tier_pages "$(grep '^vswap-pages: wrote' "$T_TMP/wrote-$1" 2>/dev/null || true)"
}

writeback_all() {
	vs_set writeback all
	echo "lower_pages $(vs_get lower_pages); $(vs_get lower_tiers | tr '\n' ';')"
}

# lower_pages_is N
lower_pages_is() {
	echo "lower_pages $(vs_get lower_pages), want $1"
	[ "$(vs_get lower_pages)" = "$1" ]
}

# attached TIER: TIER is still in lower_tiers.
attached() {
	tier_paths | grep -x "$1" >/dev/null
}

# remap_table: A's table with sector 1 of each 4 KiB block of its first
# REMAP_BLOCKS blocks read from the junk area (random bytes at JUNK): the
# lying device on kernels whose dm-flakey cannot corrupt reads (6.1's
# flakey_end_io walks the completed, already advanced bio).
remap_table() {
	awk -v n="$REMAP_BLOCKS" -v d="$LOWER_DISK" -v j="$JUNK" -v len="$HALF" 'BEGIN {
		for (k = 0; k < n; k++) {
			s = k * 8
			printf "%d 1 linear %s %d\n", s, d, s
			printf "%d 1 linear %s %d\n", s + 1, d, j + k
			printf "%d 6 linear %s %d\n", s + 2, d, s + 2
		}
		printf "%d %d linear %s %d\n", n * 8, len - n * 8, d, n * 8
	}'
}

make_remap() {
	dd if=/dev/urandom of="$LOWER_DISK" bs=512 seek="$JUNK" count="$REMAP_BLOCKS" \
		oflag=direct conv=notrunc || return 1
	remap_table >"$T_TMP/lie-remap" || return 1
	echo "$(wc -l <"$T_TMP/lie-remap") targets"
}

# first_page_differs TIER NAME TABLE: a direct read of TIER's first page
# differs once dm device NAME has TABLE.
first_page_differs() {
	dd if="$1" of="$T_TMP/good" bs=4096 count=1 iflag=direct 2>/dev/null || return 1
	dm_table "$2" "$3" || return 1
	dd if="$1" of="$T_TMP/bad" bs=4096 count=1 iflag=direct 2>/dev/null || return 1
	! cmp -s "$T_TMP/good" "$T_TMP/bad"
}

# choose_lie: give A a table that returns wrong bytes on reads: dm-flakey's
# corrupt_bio_byte if it does on this kernel, else the remap table; the
# choice goes to $T_TMP/lie (A's linear table is restored between tries).
choose_lie() {
	if first_page_differs "$TA" "$DM_A" "$LIE_FLAKEY"; then
		echo "$LIE_FLAKEY" >"$T_TMP/lie"
		echo "dm-flakey corrupts reads"
		return 0
	fi
	echo "dm-flakey returned the right bytes (it does not corrupt reads on this kernel):" \
		"remapping one sector in eight instead"
	dm_table "$DM_A" "$LIN_A" || return 1
	first_page_differs "$TA" "$DM_A" "$T_TMP/lie-remap" || return 1
	echo "$T_TMP/lie-remap" >"$T_TMP/lie"
}

# eio_or_reported ATTR VALUE: writing VALUE to ATTR fails with EIO, or
# succeeds with the corrupt objects it met reported (lower_csum_errors grew)
# and left where they are; what the next read-back shows decides the rest.
eio_or_reported() {
	local cs out rc=0
	cs=$(csum_all)
	out=$(vs_write_expect "$1" EIO "$2" -n 2>&1) || rc=$?
	echo "$out"
	[ "$rc" -ne 0 ] || return 0
	case $out in
	*": ok") ;;
	*) return 1 ;;
	esac
	echo "succeeded; lower_csum_errors +$(sub "$(csum_all)" "$cs")"
	[ "$(sub "$(csum_all)" "$cs")" != n/a ] && [ "$(sub "$(csum_all)" "$cs")" -gt 0 ]
}

# d_verify TAG, e_verify TAG: read back the kept pages of D, all of E.
d_verify() {
	pages_verify "$1" "$D_AT" "$D_PAGES" 4 1 0 "$RAW_PER_SEG" 0,0,0,1
	figure "$1" "$TA"
}

e_verify() {
	pages_verify "$1" "$E_AT" "$E_PAGES" 6 1
	figure "$1" "$TA"
}

add_a_b() {
	vs_set lower_add "$TA 5" && vs_set lower_add "$TB 0"
}

wb_cleanup() {
	local n
	set +e
	_test_cleanup
	for n in "$DM_A:$LIN_A" "$DM_B:$LIN_B" "$DM_C:$LIN_C"; do
		[ -z "${n#*:}" ] || ! dm_exists "${n%%:*}" || dm_table "${n%%:*}" "${n#*:}" >/dev/null 2>&1
	done
	tiers_cleanup
	for n in "$DM_A" "$DM_B" "$DM_C"; do
		! dm_exists "$n" || dmsetup_ remove "$n" || log "cleanup: could not remove $n"
	done
}

test_begin 100
trap wb_cleanup EXIT
require "load vswap" vswap_fresh
require "$LOWER_DISK present, dm-mod and dm-flakey loaded" lower_disk_ready
SECTORS=$(blockdev --getsz "$LOWER_DISK")
HALF=$(((SECTORS / 2) / SEG_SECT * SEG_SECT))
C_SECT=$((C_SEGS * SEG_SECT))
B_SECT=$((SECTORS - HALF - C_SECT))
LIN_A="0 $HALF linear $LOWER_DISK 0"
LIN_B="0 $B_SECT linear $LOWER_DISK $HALF"
LIN_C="0 $C_SECT linear $LOWER_DISK $((HALF + B_SECT))"
LIE_FLAKEY=$(lie_table 0 "$HALF")
# The remap table's junk: A's last MiB, which its writeback never reaches.
REMAP_BLOCKS=2048
JUNK=$((HALF - 2048))
DROP_C=$(drop_table $((HALF + B_SECT)) "$C_SECT")
TA=$(dev_of "$DM_A")
TB=$(dev_of "$DM_B")
TC=$(dev_of "$DM_C")
log "$PAGES pages per data set (mix zero,same,text,random $MIX), segments of $SEG bytes"
require "dm devices: A, B, C linear over $LOWER_DISK ($SECTORS sectors)" dm_create_all
require "junk for the remap table written, the remap table made" make_remap
require "segment_size 64K" vs_set segment_size 64K
require "lower_add A (priority 5)" vs_set lower_add "$TA 5"

# ---- a) the disk under the tier overwritten --------------------------------------
require "data set A: $PAGES pages written" write_set a "$A_AT" "$PAGES" 1 1
A_TIER=$(tiered a)
require "writeback all" writeback_all
check "lower_pages $A_TIER (A's text and random pages)" lower_pages_is "$A_TIER"
A_SEGS=$(segs_used "$TA")
check_num "A fills at least 6 segments" "$A_SEGS" -ge 6
pages_verify a0 "$A_AT" "$PAGES" 1 1
check_num "a: before the corruption, every page of A reads back" "$V_RIGHT" -eq "$PAGES"
check "a: random bytes over the first 16 KiB of segment 0 (on $LOWER_DISK)" \
	dd if=/dev/urandom of="$LOWER_DISK" bs=4096 seek=0 count=4 oflag=direct conv=notrunc
check "a: zeroes over 16 KiB of segment 1" \
	dd if=/dev/zero of="$LOWER_DISK" bs=4096 seek=$((SEG / 4096 + 2)) count=4 oflag=direct \
	conv=notrunc
check "a: segment 2 copied over segment 3 (a misdirected write)" \
	dd if="$LOWER_DISK" of="$LOWER_DISK" bs="$SEG" skip=2 seek=3 count=1 iflag=direct \
	oflag=direct conv=notrunc
mark_counters "$TA"
pages_verify a "$A_AT" "$PAGES" 1 1
figure a "$TA"
read_back_checks a "$TA"
check_num "a: the pages outside the corrupted segments read back (right > 0)" "$V_RIGHT" -gt 0
A_RIGHT=$V_RIGHT
check "lower_add B (priority 0)" vs_set lower_add "$TB 0"
check "a: lower_migrate A fails with EIO (or reports the corrupt objects)" \
	eio_or_reported lower_migrate "$TA"
pages_verify a-migrate "$A_AT" "$PAGES" 1 1
figure a-after-migrate "$TA"
log "a: after the migration B uses $(tier_col "$TB" 5) bytes"
check_num "a: after the migration, no page read back wrong" "$V_WRONG" -eq 0
check_num "a: after the migration, the $A_RIGHT readable pages still read back" \
	"$V_RIGHT" -eq "$A_RIGHT"
check "a: A's pages discarded" discard "$A_AT" "$PAGES"
check "a: lower_pages 0" lower_pages_is 0
check "a: lower_remove B" vs_set lower_remove "$TB"
check "a: lower_remove A (nothing left on it)" vs_set lower_remove "$TA"

# ---- b) a lying device: flakey corrupts a byte of every read ----------------------
require "lower_add A again (a fresh tier)" vs_set lower_add "$TA 5"
require "data set B: $PAGES pages written" write_set b "$B_AT" "$PAGES" 2 1
B_TIER=$(tiered b)
require "writeback all" writeback_all
check "lower_pages $B_TIER" lower_pages_is "$B_TIER"
check "b: A's table returns wrong bytes on reads (dm-flakey corrupt_bio_byte, or a remap)" \
	choose_lie
LIE_A=$(cat "$T_TMP/lie" 2>/dev/null || echo "$LIE_FLAKEY")
log "b: A's lying table: $(head -c 100 "$LIE_A" 2>/dev/null || echo "$LIE_A")"
mark_counters "$TA"
pages_verify b "$B_AT" "$PAGES" 2 1
figure b "$TA"
read_back_checks b "$TA"
check "b: A's table linear again" dm_table "$DM_A" "$LIN_A"
pages_verify b-linear "$B_AT" "$PAGES" 2 1
figure b-linear "$TA"
check_num "b: with the table linear, every page of B reads back" "$V_RIGHT" -eq "$PAGES"
check "b: B's pages discarded" discard "$B_AT" "$PAGES"
check "b: lower_remove A" vs_set lower_remove "$TA"

# ---- c) lost writes: flakey drops the writes into reused segments -----------------
require "lower_add C ($C_SEGS segments)" vs_set lower_add "$TC"
require "data set C: $C_PAGES pages written (generation 1)" \
	write_set c "$C_AT" "$C_PAGES" 3 1 0,20,40,40
C_TIER=$(tiered c)
require "writeback all" writeback_all
C_USED=$(segs_used "$TC")
check_num "c: generation 1 takes 2 to $((C_SEGS - 2)) segments" "$C_USED" -ge 2
check_num "c: (at most $((C_SEGS - 2)))" "$C_USED" -le $((C_SEGS - 2))
is_uint "$C_USED" || C_USED=$((C_SEGS - 2))
F_PAGES=$(((C_SEGS - C_USED) * RAW_PER_SEG))
require "filler: $F_PAGES random pages written" write_set f "$F_AT" "$F_PAGES" 5 1 0,0,0,1
require "writeback all" writeback_all
check_str "c: tier C is full" "$(tier_col "$TC" 5)" "$(tier_col "$TC" 4)"
check "c: lower_pages $((C_TIER + F_PAGES))" lower_pages_is $((C_TIER + F_PAGES))
check "c: generation 2 of C written (same kinds, same sizes)" \
	write_set c2 "$C_AT" "$C_PAGES" 3 2 0,20,40,40
check_num "c: generation 1's $C_USED segments freed" "$(segs_used "$TC")" -eq \
	$((C_SEGS - C_USED))
check "c: C's table is flakey dropping writes" dm_table "$DM_C" "$DROP_C"
mark_counters "$TC"
check "c: writeback all (the writes are dropped)" writeback_all
check "c: C's table linear again" dm_table "$DM_C" "$LIN_C"
pages_verify c "$C_AT" "$C_PAGES" 3 2 1 1 0,20,40,40
figure c "$TC"
check_num "c: no page read back its old content (a lost write)" "$V_OLD" -eq 0
read_back_checks c "$TC"
pages_verify c-filler "$F_AT" "$F_PAGES" 5 1 0 1 0,0,0,1
check_num "c: the filler reads back" "$V_RIGHT" -eq "$F_PAGES"
check "c: C's and the filler's pages discarded" discard "$C_AT" $((F_AT - C_AT + F_PAGES))
check "c: lower_remove C" vs_set lower_remove "$TC"

# ---- d) compaction, migration and drain meeting corrupt objects -------------------
require "lower_add A (priority 5) and B (priority 0)" add_a_b
require "data set D: $D_PAGES random pages written ($D_SEGS segments' worth)" \
	write_set d "$D_AT" "$D_PAGES" 4 1 0,0,0,1
require "data set E: $E_PAGES pages written (mixed, written back after D)" \
	write_set e "$E_AT" "$E_PAGES" 6 1
E_TIER=$(tiered e)
require "writeback all" writeback_all
check_num "d: B holds nothing" "$(tier_col "$TB" 5)" -eq 0
check "d: 14 pages of 15 of D discarded (each segment keeps its first object)" \
	vswap-pages punch "$VSWAP_DEV" "$D_AT" "$D_PAGES" "$RAW_PER_SEG"
D_LOWER=$((D_SEGS + E_TIER))
check "d: lower_pages $D_LOWER" lower_pages_is "$D_LOWER"
check "d: A's table lies on reads" dm_table "$DM_A" "$LIE_A"
mark_counters "$TA"
check "d: compact fails with EIO (or reports the corrupt objects)" eio_or_reported compact 1
d_verify d-compact
check_num "d: after compact, no page of D read back wrong" "$V_WRONG" -eq 0
check "d: lower_migrate A fails with EIO (or reports the corrupt objects)" \
	eio_or_reported lower_migrate "$TA"
check "d: lower_remove A fails with EIO" vs_write_expect lower_remove EIO "$TA" -n
check "d: A stays attached" attached "$TA"
d_verify d-drain
check_num "d: after migrate and remove, no page of D read back wrong" "$V_WRONG" -eq 0
e_verify e-drain
check_num "d: after migrate and remove, no page of E read back wrong" "$V_WRONG" -eq 0
check_num "d: lower_csum_errors counted the corrupt objects" "$(sub "$(csum_all)" "$CS0")" -gt 0
check_num "d: A's csum_errors counted them" "$(sub "$(csum_tier "$TA")" "$CT0")" -gt 0
check "d: A's table linear again" dm_table "$DM_A" "$LIN_A"
d_verify d-linear
check_num "d: with the table linear, all $D_SEGS kept pages of D read back" "$V_RIGHT" -eq \
	"$D_SEGS"
e_verify e-linear
check_num "d: with the table linear, all of E reads back" "$V_RIGHT" -eq "$E_PAGES"
check "d: lower_pages unchanged" lower_pages_is "$D_LOWER"
check "d: lower_migrate A" vs_set lower_migrate "$TA"
check_num "d: A holds nothing" "$(tier_col "$TA" 5)" -eq 0
d_verify d-migrated
check_num "d: migrated to B, all $D_SEGS kept pages of D read back" "$V_RIGHT" -eq "$D_SEGS"
e_verify e-migrated
check_num "d: migrated to B, all of E reads back" "$V_RIGHT" -eq "$E_PAGES"
check "d: lower_remove A" vs_set lower_remove "$TA"
check "d: lower_remove B (drains into memory)" vs_set lower_remove "$TB"
check "d: lower_pages 0" lower_pages_is 0
d_verify d-memory
check_num "d: drained into memory, all $D_SEGS kept pages of D read back" "$V_RIGHT" -eq \
	"$D_SEGS"
e_verify e-memory
check_num "d: drained into memory, all of E reads back" "$V_RIGHT" -eq "$E_PAGES"
check "dm devices removed" dm_remove_all
check "vswap unloaded" vswap_unload
test_end
