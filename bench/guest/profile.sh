# shellcheck shell=dash
# bench/guest/profile.sh: where the swap path spends its time, per device, from
# ftrace's function_graph tracer (sourced by /bench/run.sh; run with
# vswapbench.profile_ftrace=1).
#
# Why function_graph: Debian's kernels have no function profiler
# (CONFIG_FUNCTION_PROFILER is off) and the guest has no perf; function_graph
# gives the duration of every call under chosen roots, which we sum per
# function. Two passes per device, each one small micro run ($PROFILE_MB):
#   path    roots: the swap core's entry points (swap_writepage / swap_writeout,
#           swap_read_folio / swap_readpage, whatever this kernel has), 4 levels:
#           how the swap core reaches the device (synchronous bio and wait,
#           asynchronous bio, zswap)
#   device  roots: the device's own entry points (vswap_submit_bio, zram_rw_page,
#           brd_submit_bio, zswap_store...), 5 levels: what the device does
# Depth is limited so that one run's events fit the trace buffer (overruns are
# reported as I rows). The profile runs with one CPU online (see profile_micro). Tracing slows every call down, so the times are
# inflated: compare devices with each other, not with the untraced figures.
# Rows: P,device,pass,function,calls,total_us,depth (the $PROFILE_TOP most
# expensive functions, inclusive time; depth 0 = a root).

PROFILE_TOP=25

tracefs() {
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -e "$d/current_tracer" ] && echo "$d" && return 0
	done
	return 1
}

# profile_roots TRACEFS PASS DEVICE: the traceable root functions (one line).
profile_roots() {
	local tr=$1 pass=$2 dev=$3 want fn list=
	if [ "$pass" = path ]; then
		want="swap_writepage swap_writeout swap_read_folio swap_readpage"
	else
		case $dev in
		vswap*) want="vswap_submit_bio vswap_rw_page" ;;
		zram*) want="zram_submit_bio zram_rw_page" ;;
		brd) want="brd_submit_bio brd_rw_page" ;;
		zswap) want="zswap_store zswap_frontswap_store zswap_load zswap_frontswap_load" ;;
		esac
	fi
	for fn in $want; do
		grep -qE "^$fn( \[[a-z_]+\])?\$" "$tr/available_filter_functions" && list="$list $fn"
	done
	echo "$list"
}

# profile_aggregate TRACE DEVICE PASS: sum inclusive time and calls per function.
profile_aggregate() {
	awk -F'|' '
	NF >= 2 && $1 ~ /us/ {
		d = $1; sub(/^.*\)/, "", d); gsub(/[^0-9.]/, "", d)
		f = $2; lead = match(f, /[^ ]/) - 1
		# Module functions print as "name [module]".
		if (match(f, /\} \/\* [A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])? \*\//))
			name = substr(f, RSTART + 5, RLENGTH - 8)
		else if (match(f, /[A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])?\(\);/))
			name = substr(f, RSTART, RLENGTH - 3)
		else
			next
		sub(/ \[.*/, "", name)
		t[name] += d; n[name]++
		depth = int((lead - 2) / 2); if (!(name in dep) || depth < dep[name]) dep[name] = depth
	}
	END {
		for (k in t) printf "%s %d %.1f %d\n", k, n[k], t[k], dep[k]
	}' "$1" | sort -k3 -n -r | head -n "$PROFILE_TOP" |
		while read -r fn calls total depth; do
			emit "P,$2,$3,$fn,$calls,$total,$depth"
		done
}

# profile_run TRACEFS DEVICE PASS ROOTS DEPTH: one traced micro run, aggregated.
profile_run() {
	local tr=$1 dev=$2 pass=$3 roots=$4 depth=$5 log=/tmp/bench-profile.log over
	echo 0 >"$tr/tracing_on"
	echo nop >"$tr/current_tracer"
	echo >"$tr/trace"
	echo "$roots" >"$tr/set_graph_function"
	echo "$depth" >"$tr/max_graph_depth"
	echo 12288 >"$tr/buffer_size_kb"
	[ ! -e "$tr/options/funcgraph-tail" ] || echo 1 >"$tr/options/funcgraph-tail"
	[ ! -e "$tr/options/funcgraph-irqs" ] || echo 0 >"$tr/options/funcgraph-irqs"
	echo function_graph >"$tr/current_tracer"
	echo 1 >"$tr/tracing_on"
	timeout -s KILL "$RUN_TIMEOUT" vswap-bench micro --size "${PROFILE_MB}M" --seed 7 >$log 2>&1 ||
		fail profile "$dev" 0 "vswap-bench micro failed under the tracer ($pass)"
	echo 0 >"$tr/tracing_on"
	over=$(cat "$tr"/per_cpu/cpu*/stats 2>/dev/null |
		awk '$1 == "overrun:" { s += $2 } END { print s + 0 }')
	info "profile_${dev}_${pass}_overrun_events" "$over"
	cp "$tr/trace" /tmp/bench-trace.txt
	echo nop >"$tr/current_tracer"
	echo >"$tr/set_graph_function"
	echo 1408 >"$tr/buffer_size_kb"
	profile_aggregate /tmp/bench-trace.txt "$dev" "$pass"
	rm -f /tmp/bench-trace.txt
}

profile_device() {
	local dev=$1 tr=$2 pass roots
	dev_up "$dev" || { fail profile "$dev" 0 "device setup failed"; dev_down; return 1; }
	for pass in path device; do
		roots=$(profile_roots "$tr" $pass "$dev")
		if [ -z "$roots" ]; then
			info "profile_${dev}_${pass}" "no traceable root function"
			continue
		fi
		info "profile_${dev}_${pass}_roots" "$roots"
		case $pass in
		path) profile_run "$tr" "$dev" $pass "$roots" 4 ;;
		device) profile_run "$tr" "$dev" $pass "$roots" 5 ;;
		esac
	done
	dev_down || fail profile "$dev" 0 "teardown failed"
}

# cpus_online 0|1: take every CPU but cpu0 offline, or back online.
cpus_online() {
	local c
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ ! -e "$c" ] || echo "$1" >"$c" || return 1
	done
}

# profile_micro DEVICE...: the micro workload under function_graph, per device
# and pass, on one CPU: switching tracers patches kernel text (int3 first,
# then the call), and under TCG another vCPU can run the half-patched code and
# take the int3 as an Oops (seen on 6.12); with one CPU online nothing runs
# while the text changes.
profile_micro() {
	local tr dev
	tr=$(tracefs) || { info profile "no tracefs: no profile"; return 0; }
	cpus_online 0 || { fail profile - 0 "could not take the other CPUs offline"; return 1; }
	info profile_cpus "$(cat /sys/devices/system/cpu/online)"
	for dev in "$@"; do
		echo "[bench] ==== profile: micro on $dev under function_graph ($(date +%T))"
		profile_device "$dev" "$tr"
	done
	cpus_online 1 || fail profile - 0 "could not bring the CPUs back online"
}
