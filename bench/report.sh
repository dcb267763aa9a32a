#!/usr/bin/env bash
# bench/report.sh OUTDIR MODE LANE...: turn the guests' rows into results.
#
# Why separate from the run: the report can be remade from build/bench/LANE/
# results.txt without booting anything (and its format changed at no cost).
# Input, per lane: build/bench/LANE/results.txt (rows R, I, P, E, see
# bench/guest/lib.sh). Output in OUTDIR:
#   raw.csv       every measurement (repetition 0, the warm-up, left out)
#   summary.csv   per lane, workload, metric, device: n, median, min, max,
#                 spread (max-min)/median in %, ratio to zram's median from the
#                 same boot (zram-wb for writeback) with the min and max of the
#                 per-repetition ratios
#   profile.csv   the ftrace function_graph profile, when there is one
#   results.md    the tables (targets first), for the README
#   *.png         plots (gnuplot)
set -euo pipefail
# shellcheck source=scripts/lanes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lanes.sh"

# Metrics shown, in order, with the better direction and a description.
METRICS=$(
	cat <<'EOF'
micro roundtrip_pages_per_s higher pages swapped out and back in per second (both rounds)
micro out_us_per_page lower MADV_PAGEOUT time per page
micro in_seq_us_per_page lower fault-in time per page, sequential order
micro in_rand_us_per_page lower fault-in time per page, random order
micro pool_bytes_per_page lower device memory per page of the region (pool + metadata)
micro meta_per_stored_page lower slot metadata per stored page (meta_bytes)
micro meta_per_stored_page_slab lower slot metadata per stored page (slab objects x object_size)
micro meta_per_used_slot lower slot metadata per swap slot in use (zero pages use a slot, not the device)
micro payload_per_nonsame_page lower pool payload per stored page that is not same-filled
micro payload_per_compressed_page lower payload per compressed (not raw) page
micro raw_share_of_nonsame lower share of stored pages kept raw (incompressible)
pressure elapsed_s lower wall time of the access phase
pressure sys_s lower system time of the access phase (all processes)
pressure swpin lower pages swapped in (access phase; zswap: its loads)
pressure swpout lower pages swapped out (access phase; zswap: its stores)
pressure sys_us_per_swapped_page lower system time per page swapped in or out
pressure oom_kills lower OOM kills in the cgroup (a kill leaves that repetition without timings)
stress pageswap_bogo_ops_per_s higher stress-ng pageswap bogo ops/s (real time)
stress vm_bogo_ops_per_s higher stress-ng vm (write64) bogo ops/s (real time)
stress swap_pages_per_s higher pages swapped in and out per second of the run
stress oom_kills lower OOM kills in the cgroup (stress-ng restarts the stressor)
stress swpin lower pages swapped in during the run
stress swpout lower pages swapped out during the run
wb bytes_per_wb_page lower bytes written to the lower device per written-back page (device counters)
wb disk_bytes_per_wb_page lower the same, from the disk's sectors written (/sys/block/*/stat)
wb lower_reads_per_refault lower lower-device reads per refaulted page (device counters)
wb disk_reads_per_refault lower the same, from the disk's read I/Os
wb refault_us lower read-back time per refaulted page
wb readback_us_per_page lower read-back time per page of the region
wb written_back_share higher share of the region's pages written back
wb failed_writes lower pages refused by the pool (over mem_limit) while paging out
meta meta_per_stored_page lower slot metadata per stored page, full clusters (meta_bytes)
meta meta_per_stored_page_slab lower the same from slab objects x object_size
empty loaded_1M_mem_kb lower MemAvailable drop: module loaded, smallest device
empty loaded_1M_kmem_kb lower slab+vmalloc+percpu growth: module loaded, smallest device
empty mem_kb_1G lower MemAvailable drop for an empty 1 GiB device (vs smallest)
empty kmem_kb_1G lower slab+vmalloc+percpu growth, empty 1 GiB device
empty mem_kb_64G lower MemAvailable drop, empty 64 GiB device
empty kmem_kb_64G lower slab+vmalloc+percpu growth, empty 64 GiB device
empty mem_kb_1T lower MemAvailable drop, empty 1 TiB device
empty kmem_kb_1T lower slab+vmalloc+percpu growth, empty 1 TiB device
empty meta_bytes_1T lower vswap meta_bytes, empty 1 TiB device
empty table_bytes_per_slot lower zram slot table per slot (vmalloc growth / slots)
EOF
)
DEVICE_ORDER="vswap zram zswap brd vswap-none vswap-wb vswap-wb-t zram-wb"

# raw_csv LANE...: the R rows of every lane, as CSV with lane and kernel.
raw_csv() {
	local lane res kernel
	echo "lane,kernel,workload,metric,device,rep,value,unit,flag"
	for lane in "$@"; do
		res=$BUILD/bench/$lane/results.txt
		kernel=$(awk -F, '$1 == "I" && $2 == "kernel" { print $3 }' "$res")
		awk -F, -v l="$lane" -v k="$kernel" '$1 == "R" && $5 > 0 && $6 != "nan" && $6 != "" {
			print l "," k "," $2 "," $3 "," $4 "," $5 "," $6 "," $7 "," $8 }' "$res"
	done
}

# summary_csv RAW: medians, spreads and ratios to the reference device.
summary_csv() {
	echo "lane,kernel,workload,metric,device,n,median,min,max,spread_pct,ratio,ratio_min,ratio_max,unit,flag"
	tail -n +2 "$1" | sort -t, -k1,1 -k3,3 -k4,4 -k5,5 -k7,7g | awk -F, '
	function flush(   m) {
		if (n == 0) return
		m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%s,%d,%.6g,%.6g,%.6g,%.1f,%s,%s\n", key, n, m, v[1], v[n],
			m != 0 ? (v[n] - v[1]) / m * 100 : 0, unit, flag
		n = 0
	}
	{
		k = $1 "," $2 "," $3 "," $4 "," $5
		if (k != key) { flush(); key = k }
		v[++n] = $7; unit = $8; flag = $9
	}
	END { flush() }' | awk -F, -v raw="$1" '
	function ref(wl) { return wl == "wb" ? "zram-wb" : "zram" }
	BEGIN {
		while ((getline line < raw) > 0) {
			split(line, f, ",")
			val[f[1] "," f[3] "," f[4] "," f[5] "," f[6]] = f[7]
			reps[f[1] "," f[3] "," f[4] "," f[5]] = reps[f[1] "," f[3] "," f[4] "," f[5]] " " f[6]
		}
	}
	{ rows[NR] = $0; med[$1 "," $3 "," $4 "," $5] = $7 }
	END {
		for (i = 1; i <= NR; i++) {
			split(rows[i], f, ",")
			r = f[1] "," f[3] "," f[4] "," ref(f[3])
			ratio = ""; rmin = ""; rmax = ""
			if ((r in med) && med[r] != 0) {
				ratio = sprintf("%.4g", f[7] / med[r])
				nr = split(reps[f[1] "," f[3] "," f[4] "," f[5]], rp, " ")
				for (j = 1; j <= nr; j++) {
					a = val[f[1] "," f[3] "," f[4] "," f[5] "," rp[j]]
					b = val[r "," rp[j]]
					if (b == "" || b == 0) continue
					q = a / b
					if (rmin == "" || q < rmin) rmin = q
					if (rmax == "" || q > rmax) rmax = q
				}
				if (rmin != "") { rmin = sprintf("%.4g", rmin); rmax = sprintf("%.4g", rmax) }
			}
			printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", f[1], f[2], f[3], f[4],
				f[5], f[6], f[7], f[8], f[9], f[10], ratio, rmin, rmax, f[11], f[12]
		}
	}'
}

profile_csv() {
	local lane res kernel
	echo "lane,kernel,device,pass,function,calls,total_us,depth"
	for lane in "$@"; do
		res=$BUILD/bench/$lane/results.txt
		kernel=$(awk -F, '$1 == "I" && $2 == "kernel" { print $3 }' "$res")
		awk -F, -v l="$lane" -v k="$kernel" '$1 == "P" { print l "," k "," $2 "," $3 "," $4 "," $5 "," $6 "," $7 }' "$res"
	done
}

# ---- lookups in summary.csv --------------------------------------------------------

# sval SUMMARY LANE WORKLOAD METRIC DEVICE COLUMN: one field (7 median, 8 min,
# 9 max, 10 spread, 11 ratio), empty when absent.
sval() {
	awk -F, -v l="$2" -v w="$3" -v m="$4" -v d="$5" -v c="$6" \
		'$1 == l && $3 == w && $4 == m && $5 == d { print $c }' "$1"
}

info_of() {
	awk -F, -v k="$2" '$1 == "I" && $2 == k { sub(/^I,[^,]*,/, ""); print; exit }' \
		"$BUILD/bench/$1/results.txt"
}

fmt() {
	awk -v v="$1" 'BEGIN { if (v == "") print "–"; else if (v + 0 >= 1000 || v + 0 <= -1000) printf "%.0f", v;
		else if (v + 0 >= 100) printf "%.1f", v; else printf "%.3g", v }'
}

# cell SUMMARY LANE WORKLOAD METRIC DEVICE: "median ±spread% (ratio×)".
cell() {
	local med spread ratio flag out
	med=$(sval "$@" 7)
	[[ -n $med ]] || { echo "–"; return; }
	spread=$(sval "$@" 10)
	ratio=$(sval "$@" 11)
	flag=$(sval "$@" 15)
	spread=${spread#-}
	out="$(fmt "$med") ±${spread%.*}%"
	[[ -z $ratio || $5 == zram || $5 == zram-wb ]] || out+=" ($(fmt "$ratio")×)"
	[[ $flag != extrapolated ]] || out+=" (extrapolated)"
	echo "$out"
}

# ---- targets ------------------------------------------------------------------------

# verdict VALUE OP LIMIT: "met" or "missed" ("n/a" when there is no value).
verdict() {
	[[ -n $1 ]] || { echo "n/a"; return; }
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "ge") ? v >= l : v <= l; print ok ? "**met**" : "**missed**" }'
}

# target_cell SUMMARY LANE KIND: the measured value of target KIND, with its verdict.
target_cell() {
	local s=$1 lane=$2 v a b
	case $3 in
	throughput)
		v=$(sval "$s" "$lane" micro roundtrip_pages_per_s vswap 11)
		echo "$(fmt "$v")× $(verdict "$v" ge 1.05)"
		;;
	nocomp)
		a=$(sval "$s" "$lane" micro roundtrip_pages_per_s vswap-none 7)
		b=$(sval "$s" "$lane" micro roundtrip_pages_per_s brd 7)
		v=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a != "" && b > 0) printf "%.3f", a / b }')
		echo "$(fmt "$v")× $(verdict "$v" ge 0.95)"
		;;
	meta_full)
		v=$(sval "$s" "$lane" meta meta_per_stored_page vswap 7)
		echo "$(fmt "$v") B $(verdict "$v" le 8.5)"
		;;
	meta_swap)
		v=$(sval "$s" "$lane" micro meta_per_stored_page vswap 7)
		a=$(sval "$s" "$lane" micro meta_per_used_slot vswap 7)
		echo "$(fmt "$v") B per stored page, $(fmt "$a") B per used slot $(verdict "$v" le 8.5)"
		;;
	empty)
		v=$(sval "$s" "$lane" empty kmem_kb_1T vswap 7)
		a=$(sval "$s" "$lane" empty mem_kb_1T vswap 7)
		b=$(sval "$s" "$lane" empty meta_bytes_1T vswap 7)
		echo "kmem $(fmt "$v") KiB, MemAvailable $(fmt "$a") KiB, meta_bytes $(fmt "$b") $(verdict "$v" le 64)"
		;;
	wb_bytes)
		v=$(sval "$s" "$lane" wb bytes_per_wb_page vswap-wb 11)
		a=$(sval "$s" "$lane" wb bytes_per_wb_page vswap-wb 7)
		b=$(sval "$s" "$lane" wb bytes_per_wb_page zram-wb 7)
		echo -n "bench mix: $(fmt "$v")× ($(fmt "$a") B vs $(fmt "$b") B) $(verdict "$v" le 0.45)"
		v=$(sval "$s" "$lane" wb bytes_per_wb_page vswap-wb-t 11)
		a=$(sval "$s" "$lane" wb bytes_per_wb_page vswap-wb-t 7)
		echo "; test mix (vswap-wb-t): $(fmt "$v")× ($(fmt "$a") B) $(verdict "$v" le 0.45)"
		;;
	wb_reads)
		v=$(sval "$s" "$lane" wb lower_reads_per_refault vswap-wb 7)
		a=$(sval "$s" "$lane" wb disk_reads_per_refault vswap-wb 7)
		echo "$(fmt "$v") (disk: $(fmt "$a")) $(verdict "$v" le 1.1)"
		;;
	esac
}

targets_table() {
	local s=$1 lane kind label
	shift
	printf '| target |'
	for lane in "$@"; do printf ' %s |' "$lane"; done
	printf '\n|---|'
	for lane in "$@"; do printf -- '---|'; done
	printf '\n'
	while IFS='|' read -r kind label; do
		printf '| %s |' "$label"
		for lane in "$@"; do printf ' %s |' "$(target_cell "$s" "$lane" "$kind")"; done
		printf '\n'
	done <<'EOF'
throughput|mixed-content swap throughput, vswap / zram (round trip pages/s) ≥ 1.05
nocomp|compression off: vswap-none / brd (round trip pages/s) ≥ 0.95
meta_full|slot metadata per stored page, full clusters ≤ 8.5 B
meta_swap|slot metadata per stored page, mixed swap workload ≤ 8.5 B
empty|empty 1 TiB device ≤ 64 KiB (slab+vmalloc+percpu growth over a 1 MiB device)
wb_bytes|writeback bytes per written-back page, vswap / zram ≤ 0.45
wb_reads|lower reads per refault ≤ 1.1
EOF
}

# workload_table SUMMARY LANE WORKLOAD: devices as columns.
workload_table() {
	local s=$1 lane=$2 wl=$3 devs=() d line metric better desc
	for d in $DEVICE_ORDER; do
		grep -q "^$lane,[^,]*,$wl,[^,]*,$d," "$s" && devs+=("$d")
	done
	[[ ${#devs[@]} -gt 0 ]] || return 0
	printf '\n| %s | better |' "$wl"
	for d in "${devs[@]}"; do printf ' %s |' "$d"; done
	printf '\n|---|---|'
	for d in "${devs[@]}"; do printf -- '---|'; done
	printf '\n'
	while read -r line; do
		read -r _ metric better desc <<<"$line"
		grep -q "^$lane,[^,]*,$wl,$metric," "$s" || continue
		printf '| %s (%s) | %s |' "$desc" "$(sval "$s" "$lane" "$wl" "$metric" "$(
			awk -F, -v l="$lane" -v w="$wl" -v m="$metric" '$1 == l && $3 == w && $4 == m { print $5; exit }' "$s")" 14)" "$better"
		for d in "${devs[@]}"; do printf ' %s |' "$(cell "$s" "$lane" "$wl" "$metric" "$d")"; done
		printf '\n'
	done < <(grep "^$wl " <<<"$METRICS")
}

profile_table() {
	local p=$1 lane=$2 d pass
	grep -q "^$lane," "$p" || return 0
	printf '\n#### Where the micro workload spends its time\n\n'
	printf 'ftrace function_graph, one traced %s micro run per device and pass: "device" = under the\n' "$(info_of "$lane" profile_mb)"
	printf "device's own entry points, \"path\" = under the swap core's entry points (4 levels). Per\n"
	printf 'function: µs per call (inclusive, inflated by tracing) × calls, most expensive first.\n\n'
	for d in vswap zram vswap-none brd zswap; do
		for pass in device path; do
			grep -q "^$lane,[^,]*,$d,$pass," "$p" || continue
			printf -- '- %s, %s: ' "$d" "$pass"
			awk -F, -v l="$lane" -v d="$d" -v s="$pass" '$1 == l && $3 == d && $4 == s {
				printf "%s%s %.1f×%s", sep, $5, $7 / $6, $6; sep = "; "; if (++n == 8) exit }' "$p"
			printf '\n'
		done
	done
}

results_md() {
	local s=$1 p=$2 mode=$3 lane wl
	shift 3
	echo "# vswap benchmark results"
	echo
	echo "Made by \`make bench\` (bench/run.sh $mode) on $(date -u '+%Y-%m-%d %H:%M UTC'). Host CPU:"
	echo "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), guests under QEMU TCG"
	echo "(2 vCPUs, $(($(info_of "$1" mem_total_kb) / 1024)) MiB visible to the guest), one boot per kernel; every device"
	echo "is measured in that boot, one swap device at a time, the device order rotated per repetition."
	echo "Guest command line as the test suite's (slub_debug=FZPU page_poison=1 kfence: debug"
	echo "overheads apply to every device alike)."
	echo
	echo "Each cell: median of $(info_of "$1" reps) repetitions ±spread ((max−min)/median), and in"
	echo "parentheses the ratio to zram's median from the same boot (writeback: to zram-wb)."
	echo "Per-repetition ratios (min, max) are in summary.csv."
	echo
	echo "Sizes: $(info_of "$1" sizes)."
	echo "Content: $(info_of "$1" content)."
	echo "Devices: vswap (lz4), zram (lz4, same size), zswap (lz4, zsmalloc, in front of a swap file on"
	echo "ext4 on a virtio disk), brd (RAM disk, no compression), vswap-none (comp_algorithm=none),"
	echo "vswap-wb (lower file on ext4 on a virtio disk, mem_limit forcing writeback), vswap-wb-t"
	echo "(the same on the test suite's mix, fewer random pages), zram-wb"
	echo "(backing_dev = a raw virtio disk, \`idle all\` + \`writeback idle\`)."
	echo
	echo "## Targets"
	echo
	targets_table "$s" "$@"
	for lane in "$@"; do
		echo
		echo "## Kernel $lane ($(info_of "$lane" kernel))"
		for wl in micro pressure stress wb meta empty; do
			workload_table "$s" "$lane" "$wl"
		done
		profile_table "$p" "$lane"
		echo
		echo "Run time: $(info_of "$lane" seconds_total) s in the guest."
	done
	echo
	echo "Plots: $(find "$OUTDIR" -maxdepth 1 -name '*.png' -printf '%f\n' | sort |
		sed 's/.*/[&](&)/' | paste -sd' ')"
}

# ---- plots -----------------------------------------------------------------------------

# plot_ratios SUMMARY LANE: the key figures against zram, as "times better than
# zram" (ratio for higher-is-better figures, 1/ratio for lower-is-better), with
# the per-repetition min/max.
plot_ratios() {
	local s=$1 lane=$2 dat
	dat=$(mktemp)
	awk -F, -v l="$lane" '
	BEGIN {
		dir["micro,roundtrip_pages_per_s"] = 1; dir["micro,out_us_per_page"] = -1
		dir["micro,in_seq_us_per_page"] = -1; dir["micro,in_rand_us_per_page"] = -1
		dir["pressure,elapsed_s"] = -1; dir["pressure,sys_s"] = -1
		dir["stress,pageswap_bogo_ops_per_s"] = 1; dir["stress,vm_bogo_ops_per_s"] = 1
		dir["wb,bytes_per_wb_page"] = -1; dir["wb,refault_us"] = -1
	}
	$1 == l && $11 != "" && $11 > 0 && ($3 "," $4) in dir && $5 != "zram" && $5 != "zram-wb" {
		lo = ($12 == "" || $12 <= 0) ? $11 : $12; hi = ($13 == "" || $13 <= 0) ? $11 : $13
		if (dir[$3 "," $4] > 0) printf "\"%s: %s, %s\" %g %g %g\n", $5, $3, $4, $11, lo, hi
		else printf "\"%s: %s, %s\" %g %g %g\n", $5, $3, $4, 1 / $11, 1 / hi, 1 / lo
	}' "$s" | sort >"$dat"
	[[ -s $dat ]] || { rm -f "$dat"; return 0; }
	gnuplot <<EOF
set terminal pngcairo noenhanced size 1400,700 font "sans,9"
set output "$OUTDIR/ratios-$lane.png"
set title "Kernel $lane: times better than zram from the same boot (median; bars: per-repetition min/max; > 1 = better)"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6
set boxwidth 0.8
set xtics rotate by 50 right font "sans,8"
set bmargin 16
set lmargin 14
set yrange [0:*]
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "red"
plot "$dat" using 2:3:4:xtic(1) notitle lc rgb "#4477aa"
EOF
	rm -f "$dat"
}

# plot_micro SUMMARY LANE...: µs per page out / in (seq) / in (random) per device.
plot_micro() {
	local s=$1 dat lane
	shift
	dat=$(mktemp)
	for lane in "$@"; do
		for d in vswap zram zswap brd vswap-none; do
			echo "$lane/$d $(sval "$s" "$lane" micro out_us_per_page "$d" 7) $(sval "$s" "$lane" micro in_seq_us_per_page "$d" 7) $(sval "$s" "$lane" micro in_rand_us_per_page "$d" 7)"
		done
	done | awk 'NF == 4' >"$dat"
	[[ -s $dat ]] || { rm -f "$dat"; return 0; }
	gnuplot <<EOF
set terminal pngcairo noenhanced size 1200,550 font "sans,9"
set output "$OUTDIR/micro.png"
set title "Swap-path micro benchmark (mixed content): µs per page, median"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7
set xtics rotate by 45 right
set ylabel "µs per page"
set yrange [0:*]
set grid ytics
set key top left
plot "$dat" using 2:xtic(1) title "out (MADV_PAGEOUT)", "" using 3 title "in, sequential", "" using 4 title "in, random"
EOF
	rm -f "$dat"
}

# plot_empty SUMMARY LANE...: memory of an empty device by virtual size (log scale).
plot_empty() {
	local s=$1 dat lane d size v
	shift
	dat=$(mktemp)
	for lane in "$@"; do
		for d in vswap zram; do
			printf '%s/%s' "$lane" "$d"
			for size in 1G 64G 1T; do
				v=$(sval "$s" "$lane" empty "kmem_kb_$size" "$d" 7)
				printf ' %s' "$(awk -v v="${v:-0}" 'BEGIN { print (v < 1) ? 1 : v }')"
			done
			printf '\n'
		done
	done >"$dat"
	gnuplot <<EOF
set terminal pngcairo noenhanced size 1000,550 font "sans,9"
set output "$OUTDIR/empty-device.png"
set title "Memory of an empty device (slab + vmalloc + percpu growth over the smallest device; <1 KiB drawn as 1; zram 64G/1T extrapolated)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7
set logscale y
set ylabel "KiB"
set grid ytics
set key top left
plot "$dat" using 2:xtic(1) title "1 GiB", "" using 3 title "64 GiB", "" using 4 title "1 TiB"
EOF
	rm -f "$dat"
}

# plot_wb SUMMARY LANE...: bytes per written-back page and reads per refault.
plot_wb() {
	local s=$1 dat lane d
	shift
	dat=$(mktemp)
	for lane in "$@"; do
		for d in vswap-wb vswap-wb-t zram-wb; do
			echo "$lane/$d $(sval "$s" "$lane" wb bytes_per_wb_page "$d" 7) $(sval "$s" "$lane" wb disk_bytes_per_wb_page "$d" 7)"
		done
	done | awk 'NF == 3' >"$dat"
	[[ -s $dat ]] || { rm -f "$dat"; return 0; }
	gnuplot <<EOF
set terminal pngcairo noenhanced size 900,500 font "sans,9"
set output "$OUTDIR/writeback.png"
set title "Writeback: bytes written per written-back page (median)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7
set ylabel "bytes"
set yrange [0:*]
set grid ytics
set key top left
plot "$dat" using 2:xtic(1) title "device counters", "" using 3 title "disk sectors written"
EOF
	rm -f "$dat"
}

main() {
	[[ $# -ge 3 ]] || die "usage: report.sh OUTDIR MODE LANE..."
	OUTDIR=$1
	local mode=$2 lane
	shift 2
	for lane in "$@"; do
		[[ -s $BUILD/bench/$lane/results.txt ]] || die "no results for lane $lane"
	done
	mkdir -p "$OUTDIR"
	rm -f "$OUTDIR"/*.png
	raw_csv "$@" >"$OUTDIR/raw.csv"
	summary_csv "$OUTDIR/raw.csv" >"$OUTDIR/summary.csv"
	profile_csv "$@" >"$OUTDIR/profile.csv"
	for lane in "$@"; do
		plot_ratios "$OUTDIR/summary.csv" "$lane"
	done
	plot_micro "$OUTDIR/summary.csv" "$@"
	plot_empty "$OUTDIR/summary.csv" "$@"
	plot_wb "$OUTDIR/summary.csv" "$@"
	results_md "$OUTDIR/summary.csv" "$OUTDIR/profile.csv" "$mode" "$@" >"$OUTDIR/results.md"
	[[ $(wc -l <"$OUTDIR/raw.csv") -gt 1 ]] || die "no measurements in the results"
	log "report: ${OUTDIR#"$REPO"/}/{raw.csv,summary.csv,profile.csv,results.md} and $(find "$OUTDIR" -maxdepth 1 -name '*.png' | wc -l) plots"
}

main "$@"
exit
