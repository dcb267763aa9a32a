# shellcheck shell=dash
# bench/guest/workloads.sh: the benchmark's workloads, one function each
# (sourced by /bench/run.sh). Each takes DEVICE REP, brings the device up,
# measures, emits rows (lib.sh's row) and brings it down; it returns non-zero
# (after a fail line) when something went wrong, and never leaves a device
# swapped on.
#
# Why these: they are the four workloads of the benchmark issue, sized by the
# profile in run.sh (tens of MiB: the guest is QEMU TCG).
#   micro     MADV_PAGEOUT of a mixed-content region, then sequential and random
#             read-back, every page verified (vswap-bench micro)
#   pressure  processes with a working set 2-3x their cgroup's memory.max and a
#             hot/cold skew (vswap-bench pressure)
#   stress    stress-ng --pageswap and --vm with --metrics in a cgroup
#   wb        writeback: vswap with a lower file and mem_limit against zram with
#             backing_dev and `writeback idle`; bytes per written-back page, lower
#             reads per refault, refault time
#   meta      vswap slot metadata per stored page over full clusters (raw writes)
#   empty     memory of an empty device of 1 GiB, 64 GiB and 1 TiB

# ---- micro -------------------------------------------------------------------------

# micro_device_rows DEVICE REP PAGES: what the device holds while the region is out.
micro_device_rows() {
	local dev=$1 rep=$2 pages=$3 stored meta slab same huge cds
	row micro pool_bytes_per_page "$dev" "$rep" "$(calc "p / n" -v p="$(pool_bytes "$dev")" -v n="$pages")" B
	case $dev in vswap | vswap-none) ;; *) return 0 ;; esac
	stored=$(vs_get stored_pages)
	meta=$(vs_get meta_bytes)
	slab=$(vswap_slab_bytes)
	same=$(vs_get same_pages)
	huge=$(vs_get huge_pages)
	cds=$(vs_get compr_data_size)
	row micro stored_pages "$dev" "$rep" "$stored" pages
	row micro meta_per_stored_page "$dev" "$rep" "$(calc "m / s" -v m="$meta" -v s="$stored")" B
	row micro meta_per_stored_page_slab "$dev" "$rep" "$(calc "m / s" -v m="$slab" -v s="$stored")" B
	row micro meta_per_used_slot "$dev" "$rep" \
		"$(calc "m / u" -v m="$meta" -v u="$(awk -v d="$VSWAP_DEV" '$1 == d { print $4 / 4 }' /proc/swaps)")" B
	[ "$dev" = vswap ] || return 0
	# What writeback will have to write: payload per non-same page, share of raw pages.
	row micro payload_per_nonsame_page "$dev" "$rep" \
		"$(calc "c / (s - m)" -v c="$cds" -v s="$stored" -v m="$same")" B
	row micro raw_share_of_nonsame "$dev" "$rep" "$(calc "h / (s - m)" -v h="$huge" -v s="$stored" -v m="$same")" ratio
	row micro payload_per_compressed_page "$dev" "$rep" \
		"$(calc "(c - 4096 * h) / (s - m - h)" -v c="$cds" -v s="$stored" -v m="$same" -v h="$huge")" B
}

# median_col FILE COLUMN: the median of a column of numbers (one run per line).
median_col() {
	sort -g -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# micro_run LOG SEED [--wait]: one vswap-bench micro run; appends
# "pages out1 inseq out2 inrand" to /tmp/bench-micro.runs. With --wait, the
# device rows (of wl_micro's $dev and $rep) are taken while the region is out.
micro_run() {
	local log=$1 seed=$2 wait=${3:-}
	# shellcheck disable=SC2086 # $wait is an option or nothing
	bench_start "$log" micro --size "${MICRO_MB}M" --seed "$seed" $wait
	if [ -n "$wait" ]; then
		if ! wait_for_line "$log" "paged out, waiting" "$RUN_TIMEOUT" "$BENCH_PID"; then
			bench_finish "$log"
			return 1
		fi
		micro_device_rows "$dev" "$rep" $((MICRO_MB * 256))
		bench_go
	fi
	bench_finish "$log"
	[ "$BENCH_RC" -eq 0 ] || return 1
	echo "$(field "$log" pages) $(field "$log" out1_s) $(field "$log" inseq_s)" \
		"$(field "$log" out2_s) $(field "$log" inrand_s)" >>/tmp/bench-micro.runs
}

# wl_micro DEVICE REP: $MICRO_RUNS runs back to back on one device; each figure
# of the repetition is the median over the runs (short bursts of host load,
# which TCG guests feel as slow CPUs, then move no median).
wl_micro() {
	local dev=$1 rep=$2 log=/tmp/bench-micro.log pages o1 i1 o2 i2 slab0 run=1 wait=--wait
	dev_up "$dev" || { fail micro "$dev" "$rep" "device setup failed"; dev_down; return 1; }
	slab0=$(vswap_slab_bytes 2>/dev/null || echo 0)
	case $dev in
	vswap*) [ "$slab0" = 0 ] || fail micro "$dev" "$rep" "vswap slab bytes before the run: $slab0" ;;
	esac
	: >/tmp/bench-micro.runs
	while [ "$run" -le "$MICRO_RUNS" ]; do
		if ! micro_run $log $((1000 + 10 * rep + run)) $wait; then
			fail micro "$dev" "$rep" "vswap-bench micro run $run: exit status $BENCH_RC"
			dev_down
			return 1
		fi
		wait=
		run=$((run + 1))
	done
	dev_down || fail micro "$dev" "$rep" "teardown failed"
	pages=$(median_col /tmp/bench-micro.runs 1)
	o1=$(median_col /tmp/bench-micro.runs 2)
	i1=$(median_col /tmp/bench-micro.runs 3)
	o2=$(median_col /tmp/bench-micro.runs 4)
	i2=$(median_col /tmp/bench-micro.runs 5)
	row micro out_us_per_page "$dev" "$rep" "$(calc "(a + b) / 2 / n * 1e6" -v a="$o1" -v b="$o2" -v n="$pages")" us
	row micro in_seq_us_per_page "$dev" "$rep" "$(calc "a / n * 1e6" -v a="$i1" -v n="$pages")" us
	row micro in_rand_us_per_page "$dev" "$rep" "$(calc "a / n * 1e6" -v a="$i2" -v n="$pages")" us
	row micro out_pages_per_s "$dev" "$rep" "$(calc "2 * n / (a + b)" -v a="$o1" -v b="$o2" -v n="$pages")" pages/s
	row micro in_pages_per_s "$dev" "$rep" "$(calc "2 * n / (a + b)" -v a="$i1" -v b="$i2" -v n="$pages")" pages/s
	row micro roundtrip_pages_per_s "$dev" "$rep" "$(awk '{ print 2 * $1 / ($2 + $3 + $4 + $5) }' \
		/tmp/bench-micro.runs | sort -g | awk '{ v[NR] = $1 } END { printf "%.6g\n", v[int((NR + 1) / 2)] }')" pages/s
}

# ---- pressure ------------------------------------------------------------------------

wl_pressure() {
	local dev=$1 rep=$2 log=/tmp/bench-pressure.log cg rc=0 oom
	dev_up "$dev" || { fail pressure "$dev" "$rep" "device setup failed"; dev_down; return 1; }
	cg=$(cg_make pressure "$PRESS_MAX") || { fail pressure "$dev" "$rep" "cgroup setup failed"; dev_down; return 1; }
	cg_exec "$cg" timeout -s KILL "$RUN_TIMEOUT" vswap-bench pressure --size "${PRESS_MB}M" \
		--procs "$PRESS_PROCS" --accesses "$PRESS_ACCESSES" --seed $((2000 + rep)) \
		>$log 2>&1 || rc=$?
	sed 's/^/  | /' $log
	oom=$(cg_event "$cg" oom_kill)
	row pressure oom_kills "$dev" "$rep" "$oom" kills
	cg_destroy "$cg" || fail pressure "$dev" "$rep" "cgroup removal failed"
	dev_down || fail pressure "$dev" "$rep" "teardown failed"
	# The cgroup's OOM killer took the workload (SIGKILL): the device did not
	# keep up with the pressure. A measured outcome (oom_kills), not a failure.
	if [ "$rc" -eq 137 ] && [ "$oom" != 0 ]; then
		echo "[bench] pressure on $dev: OOM-killed in rep $rep, no timings"
		return 0
	fi
	if [ "$rc" -ne 0 ]; then
		fail pressure "$dev" "$rep" "vswap-bench pressure exit status $rc"
		return 1
	fi
	row pressure elapsed_s "$dev" "$rep" "$(field $log elapsed_s)" s
	row pressure sys_s "$dev" "$rep" "$(field $log sys_s)" s
	row pressure user_s "$dev" "$rep" "$(field $log user_s)" s
	row pressure swpin "$dev" "$rep" "$(field $log swpin)" pages
	row pressure swpout "$dev" "$rep" "$(field $log swpout)" pages
	row pressure sys_us_per_swapped_page "$dev" "$rep" \
		"$(calc "s / (i + o) * 1e6" -v s="$(field $log sys_s)" -v i="$(field $log swpin)" -v o="$(field $log swpout)")" us
}

# ---- stress-ng -------------------------------------------------------------------------

# stress_metric FILE STRESSOR: bogo ops/s (real time) from stress-ng's metrics.
stress_metric() {
	awk -v s="$2" '$2 == "metrc:" && $4 == s && $9 ~ /^[0-9.]+$/ { print $9 }' "$1" | head -n 1
}

# stress_real_time FILE: the longest real time of the stressors (seconds).
stress_real_time() {
	awk '$2 == "metrc:" && $6 ~ /^[0-9.]+$/ && $6 > t { t = $6 } END { print t + 0 }' "$1"
}

wl_stress() {
	local dev=$1 rep=$2 log=/tmp/bench-stress.log cg rc=0 in0 out0 in1 out1 p v t0 t1
	dev_up "$dev" || { fail stress "$dev" "$rep" "device setup failed"; dev_down; return 1; }
	cg=$(cg_make stress "$STRESS_MAX") || { fail stress "$dev" "$rep" "cgroup setup failed"; dev_down; return 1; }
	# Load stress-ng and its libraries outside the cgroup first: page cache is
	# charged to the cgroup that reads it, and inside memory.max the program
	# itself would be read from disk over and over.
	stress-ng --version >/dev/null 2>&1
	in0=$(swapped_in)
	out0=$(swapped_out)
	mkdir -p /tmp/bench-stress
	t0=$(date +%s)
	# vm: one method (write64, a pass over the buffer per bogo op) rather than
	# "all", whose multi-pass methods finish no bogo op in a short run that swaps.
	(cd /tmp/bench-stress && cg_exec "$cg" timeout -s KILL "$RUN_TIMEOUT" stress-ng --pageswap 1 \
		--vm 1 --vm-bytes "${STRESS_VM_MB}M" --vm-keep --vm-method write64 --verify --metrics \
		--timeout "${STRESS_TIME}s") >$log 2>&1 || rc=$?
	t1=$(date +%s)
	in1=$(swapped_in)
	out1=$(swapped_out)
	sed 's/^/  | /' $log
	echo "[bench] stress-ng took $((t1 - t0)) s"
	row stress swpin "$dev" "$rep" $((in1 - in0)) pages
	row stress swpout "$dev" "$rep" $((out1 - out0)) pages
	row stress swap_pages_per_s "$dev" "$rep" "$(calc "(i + o) / t" -v i=$((in1 - in0)) \
		-v o=$((out1 - out0)) -v t="$(stress_real_time $log)")" pages/s
	# stress-ng restarts a stressor the OOM killer took: a figure, not a failure.
	row stress oom_kills "$dev" "$rep" "$(cg_event "$cg" oom_kill)" kills
	cg_destroy "$cg" || fail stress "$dev" "$rep" "cgroup removal failed"
	dev_down || fail stress "$dev" "$rep" "teardown failed"
	echo "[bench] stress teardown done after $(($(date +%s) - t1)) s"
	p=$(stress_metric $log pageswap)
	v=$(stress_metric $log vm)
	if [ "$rc" -ne 0 ] || ! grep -q 'successful run completed' $log || [ -z "$p" ] || [ -z "$v" ]; then
		fail stress "$dev" "$rep" "stress-ng exit status $rc or no metrics"
		return 1
	fi
	row stress pageswap_bogo_ops_per_s "$dev" "$rep" "$p" ops/s
	row stress vm_bogo_ops_per_s "$dev" "$rep" "$v" ops/s
}

# ---- writeback ---------------------------------------------------------------------------

# wb_settle: wait until vswap's background writeback is idle (wb_pages steady
# for a second), at most 30 s.
wb_settle() {
	local i=0 a b
	a=$(vs_get wb_pages)
	while [ "$i" -lt 30 ]; do
		sleep 1
		b=$(vs_get wb_pages)
		[ "$a" != "$b" ] || return 0
		a=$b
		i=$((i + 1))
	done
}

# zram_writeback REP: `idle all` + `writeback idle`, once more if it wrote back
# less than half of what zram holds (seen once on 6.12: one page written, no
# error; the counters are shown on the console).
zram_writeback() {
	local try held
	for try in 1 2; do
		echo all >"$ZRAM_SYS"/idle && echo idle >"$ZRAM_SYS"/writeback ||
			{ fail wb zram-wb "$1" "zram idle writeback failed"; return 1; }
		held=$(awk '{ print int($1 / 4096) - $6 }' "$ZRAM_SYS"/mm_stat)
		echo "[bench] zram writeback try $try: bd_stat $(cat "$ZRAM_SYS"/bd_stat)," \
			"mm_stat $(cat "$ZRAM_SYS"/mm_stat)"
		[ "$(awk '{ print $1 }' "$ZRAM_SYS"/bd_stat)" -lt $((held / 2)) ] || return 0
		info "zram_writeback_retry_rep$1" "try $try wrote back less than half: $(cat "$ZRAM_SYS"/bd_stat)"
	done
}

# wb_counters DEVICE: "written_pages written_bytes refaults lower_reads" now.
wb_counters() {
	case $1 in
	vswap-wb*) echo "$(vs_get wb_pages) $(vs_get wb_bytes) $(vs_get wb_refaults) $(vs_get lower_reads)" ;;
	# zram: bd_stat "bd_count bd_reads bd_writes" in pages; one read I/O per page.
	zram-wb) awk '{ print $3, $3 * 4096, $2, $2 }' "$ZRAM_SYS"/bd_stat ;;
	esac
}

# wb_rows DEVICE REP PAGES INSEQ_S "C0" "C1" "C2" W0 W1 R0 R1: the figures from
# the counters before the run (C0), after writeback (C1) and after the read-back
# (C2), and the disk's sectors written (W) and read I/Os (R) around them.
wb_rows() {
	local dev=$1 rep=$2 pages=$3 t=$4 c0=$5 c1=$6 c2=$7 w0=$8 w1=$9 r0=${10} r1=${11} wp rf
	# shellcheck disable=SC2086 # the counters are space-separated lists
	set -- $c0 $c1 $c2
	wp=$(($5 - $1))
	rf=$((${11} - $7))
	if [ "$wp" -le 0 ] || [ "$rf" -le 0 ]; then
		fail wb "$dev" "$rep" "written back $wp pages, refaulted $rf: nothing to measure"
		return 1
	fi
	row wb written_back_pages "$dev" "$rep" "$wp" pages
	row wb written_back_share "$dev" "$rep" "$(calc "w / n" -v w="$wp" -v n="$pages")" ratio
	row wb bytes_per_wb_page "$dev" "$rep" "$(calc "b / w" -v b=$(($6 - $2)) -v w="$wp")" B
	row wb disk_bytes_per_wb_page "$dev" "$rep" "$(calc "s * 512 / w" -v s=$((w1 - w0)) -v w="$wp")" B
	row wb refaults "$dev" "$rep" "$rf" pages
	row wb lower_reads_per_refault "$dev" "$rep" "$(calc "r / f" -v r=$((${12} - $8)) -v f="$rf")" ratio
	row wb disk_reads_per_refault "$dev" "$rep" "$(calc "r / f" -v r=$((r1 - r0)) -v f="$rf")" ratio
	row wb refault_us "$dev" "$rep" "$(calc "t / f * 1e6" -v t="$t" -v f="$rf")" us
	row wb readback_us_per_page "$dev" "$rep" "$(calc "t / n * 1e6" -v t="$t" -v n="$pages")" us
}

# wl_wb DEVICE REP (vswap-wb, vswap-wb-t or zram-wb): page a region out; vswap
# writes back by itself past mem_limit (waited for), zram is told `idle all` +
# `writeback idle`; then the region is read back once, in order, and verified.
# vswap-wb-t is vswap-wb on the test suite's mix ($WB_MIX_T), with fewer random
# pages: zram writes 4096 B per written-back page whatever the mix, so its
# bytes per page compare with zram-wb's.
wl_wb() {
	local dev=$1 rep=$2 log=/tmp/bench-wb.log disk c0 c1 c2 w0 w1 r0 r1 mix=
	case $dev in vswap-wb*) disk=$FS_DISK ;; *) disk=$WB_DISK ;; esac
	[ "$dev" != vswap-wb-t ] || mix="--mix $WB_MIX_T"
	dev_up "$dev" || { fail wb "$dev" "$rep" "device setup failed"; dev_down; return 1; }
	c0=$(wb_counters "$dev")
	w0=$(disk_stat "$disk" 7)
	# shellcheck disable=SC2086 # $mix is an option and its value, or nothing
	bench_start $log micro --size "${WB_MB}M" --seed $((3000 + rep)) --wait --one-round \
		--min-swapped 50 $mix
	if ! wait_for_line $log "paged out, waiting" "$RUN_TIMEOUT" "$BENCH_PID"; then
		bench_finish $log
		fail wb "$dev" "$rep" "vswap-bench did not reach its pause"
		dev_down
		return 1
	fi
	case $dev in
	vswap-wb*)
		wb_settle
		row wb failed_writes "$dev" "$rep" "$(vs_get failed_writes)" pages
		;;
	zram-wb) zram_writeback "$rep" ;;
	esac
	sync
	c1=$(wb_counters "$dev")
	w1=$(disk_stat "$disk" 7)
	r0=$(disk_stat "$disk" 1)
	bench_go
	bench_finish $log
	c2=$(wb_counters "$dev")
	r1=$(disk_stat "$disk" 1)
	dev_down || fail wb "$dev" "$rep" "teardown failed"
	[ "$BENCH_RC" -eq 0 ] || { fail wb "$dev" "$rep" "vswap-bench exit status $BENCH_RC"; return 1; }
	wb_rows "$dev" "$rep" "$(field $log pages)" "$(field $log inseq_s)" "$c0" "$c1" "$c2" \
		"$w0" "$w1" "$r0" "$r1"
}

# ---- metadata over full clusters ------------------------------------------------------------

wl_meta() {
	local rep=$1 n stored meta slab
	n=$((META_CLUSTERS * 512 - 1))
	modprobe vswap disksize=64M && wait_until 10 _dev_ready ||
		{ fail meta vswap "$rep" "module load failed"; dev_down; return 1; }
	dd if=/dev/urandom of=/tmp/bench-meta.dat bs=4096 count="$n" 2>/dev/null &&
		dd if=/tmp/bench-meta.dat of="$VSWAP_DEV" bs=4096 seek=1 oflag=direct 2>/dev/null ||
		{ fail meta vswap "$rep" "writing $n pages failed"; dev_down; return 1; }
	rm -f /tmp/bench-meta.dat
	stored=$(vs_get stored_pages)
	meta=$(vs_get meta_bytes)
	slab=$(vswap_slab_bytes)
	dev_down || fail meta vswap "$rep" "teardown failed"
	[ "$stored" = "$n" ] || { fail meta vswap "$rep" "stored_pages $stored, want $n"; return 1; }
	row meta meta_per_stored_page vswap "$rep" "$(calc "m / s" -v m="$meta" -v s="$stored")" B
	row meta meta_per_stored_page_slab vswap "$rep" "$(calc "m / s" -v m="$slab" -v s="$stored")" B
}

# ---- empty devices -----------------------------------------------------------------------------

# snap_delta "A0 K0" "A1 K1": "MemAvailable drop, kmem growth" in KiB.
snap_delta() {
	echo "$1 $2" | awk '{ print $1 - $3, $4 - $2 }'
}

wl_empty_vswap() {
	local rep=$1 m0 m1 mx d size
	m0=$(memsnap)
	modprobe vswap disksize=1M && wait_until 10 _dev_ready ||
		{ fail empty vswap "$rep" "module load failed"; dev_down; return 1; }
	m1=$(memsnap)
	d=$(snap_delta "$m0" "$m1")
	row empty loaded_1M_mem_kb vswap "$rep" "${d% *}" KiB
	row empty loaded_1M_kmem_kb vswap "$rep" "${d#* }" KiB
	for size in 1G 64G 1T; do
		vs_set disksize $size >/dev/null || { fail empty vswap "$rep" "disksize $size refused"; continue; }
		mx=$(memsnap)
		d=$(snap_delta "$m1" "$mx")
		row empty "mem_kb_$size" vswap "$rep" "${d% *}" KiB
		row empty "kmem_kb_$size" vswap "$rep" "${d#* }" KiB
		row empty "meta_bytes_$size" vswap "$rep" "$(vs_get meta_bytes)" B
	done
	dev_down || fail empty vswap "$rep" "teardown failed"
}

# zram allocates its slot table when disksize is set; sizes whose table (from
# the 1 GiB figure) would take more than half of MemAvailable are not tried (the
# allocation would fail or OOM the guest): their figure is extrapolated.
wl_empty_zram() {
	local rep=$1 m0 m1 mx d size slots per_slot=0 need
	m0=$(memsnap)
	modprobe zram num_devices=1 && wait_until 10 _blk /dev/zram0 ||
		{ fail empty zram "$rep" "module load failed"; dev_down; return 1; }
	m1=$(memsnap)
	d=$(snap_delta "$m0" "$m1")
	row empty loaded_1M_mem_kb zram "$rep" "${d% *}" KiB
	row empty loaded_1M_kmem_kb zram "$rep" "${d#* }" KiB
	for size in 1G 64G 1T; do
		case $size in 1G) slots=262144 ;; 64G) slots=16777216 ;; 1T) slots=268435456 ;; esac
		need=$(calc "p * s / 1024" -v p="$per_slot" -v s="$slots")
		if [ "$size" != 1G ] && awk -v n="$need" -v a="$(meminfo_kb MemAvailable)" 'BEGIN { exit !(n > a / 2) }'; then
			row empty "mem_kb_$size" zram "$rep" "$need" KiB extrapolated
			row empty "kmem_kb_$size" zram "$rep" "$need" KiB extrapolated
			continue
		fi
		echo lz4 >"$ZRAM_SYS"/comp_algorithm && echo $size >"$ZRAM_SYS"/disksize ||
			{ fail empty zram "$rep" "disksize $size refused"; continue; }
		mx=$(memsnap)
		d=$(snap_delta "$m1" "$mx")
		row empty "mem_kb_$size" zram "$rep" "${d% *}" KiB
		row empty "kmem_kb_$size" zram "$rep" "${d#* }" KiB
		[ "$size" != 1G ] || per_slot=$(calc "k * 1024 / s" -v k="${d#* }" -v s="$slots")
		[ "$size" != 1G ] || row empty table_bytes_per_slot zram "$rep" "$per_slot" B
		echo 1 >"$ZRAM_SYS"/reset || fail empty zram "$rep" "reset failed"
	done
	dev_down || fail empty zram "$rep" "teardown failed"
}
