#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# PID 1 of the vdgpu test VM, run by the initramfs after switch_root into the
# Debian root (read-only 9p share under a tmpfs overlay).  vm.sh writes its
# job description to /vdgpu/ctl/job.conf.
#
# The script mounts the kernel file systems and the host's shares, loads the
# driver with modprobe, runs the job, writes its exit status to the results
# share and powers the VM off.  Everything it prints goes to the serial
# console, which the host shows and keeps as console.log.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-linux}
umask 022

BB=/vdgpu/bin/busybox
CTL=/vdgpu/ctl
OUT=/vdgpu/results
P9="trans=virtio,version=9p2000.L,msize=512000"

# Progress goes to the console and, time-stamped, to the kernel log.
log() {
	echo "vm-guest: $*"
	echo "vm-guest: $*" >/dev/kmsg 2>/dev/null
}

# Errors also go to the results, for check-results.py to fail the run on.
error() {
	log "error: $*"
	if grep -qs " $OUT 9p " /proc/mounts; then
		echo "$*" >>"$OUT/guest-errors"
	fi
}

# The plumbing uses the static busybox the initramfs left behind: every
# dynamically linked tool costs a few hundred ms of 9p reads under TCG.
for tool in mount umount hostname mkdir ln sleep; do
	eval "$tool() { \$BB $tool \"\$@\"; }"
done

DMESG_PID=
STATUS_WRITTEN=

shutdown_vm() {
	# Let the kernel log reach the results share before it goes away.
	if [ -n "$DMESG_PID" ]; then
		sleep 0.5
		kill "$DMESG_PID" 2>/dev/null
		wait "$DMESG_PID" 2>/dev/null
	fi
	sync
	umount "$OUT" 2>/dev/null
	$BB poweroff -f
	# Not reached unless poweroff failed; PID 1 exiting panics, and the
	# host runs QEMU with -no-reboot and the kernel with panic=-1.
	echo o >/proc/sysrq-trigger
	sleep 30
	exit 1
}

finish() {
	local rc=$1

	if [ -z "$STATUS_WRITTEN" ] && grep -qs " $OUT 9p " /proc/mounts; then
		cat /proc/sys/kernel/tainted >"$OUT/taint"
		echo "$rc" >"$OUT/guest-status"
		STATUS_WRITTEN=1
	fi
	log "job finished with status $rc, powering off"
	shutdown_vm
}

die() {
	error "$*"
	finish 2
}

trap 'die "guest init exited unexpectedly"' EXIT

mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /dev/pts /dev/shm /var/tmp
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config 2>/dev/null
ln -sf /proc/self/fd /dev/fd
hostname vdgpu-vm

# shellcheck source=/dev/null
. "$CTL/job.conf" || die "no job description"

mkdir -p "$OUT" /vdgpu/igt /vdgpu/tools "/lib/modules/$KVER"
mount -t 9p -o "$P9,cache=mmap" vdgpu-results "$OUT" || die "mount results"
mount -t 9p -o "$P9,ro,cache=loose" vdgpu-modules "/lib/modules/$KVER" ||
	die "mount modules"
mount -t 9p -o "$P9,ro" vdgpu-igt /vdgpu/igt || die "mount igt"
mount -t 9p -o "$P9,ro" vdgpu-tools /vdgpu/tools || die "mount tools"

# The kernel log, from boot on, follows the run onto the host as it is
# written, so that it survives a guest that hangs.
dmesg --follow >"$OUT/dmesg.txt" 2>&1 &
DMESG_PID=$!

log "kernel $(uname -r), job '$JOB'"

if [ -n "$DRIVER" ]; then
	log "modprobe $DRIVER $MODPARAMS"
	# shellcheck disable=SC2086 # MODPARAMS is a list of words
	if ! modprobe "$DRIVER" $MODPARAMS; then
		error "modprobe $DRIVER $MODPARAMS failed"
		finish 3
	fi
	grep -q "^$DRIVER " /proc/modules || die "$DRIVER not loaded"
fi

# Symlink the upstream tests named in the test list and every test binary of
# ours into one directory, which is what igt_runner wants, and expand each
# binary into its subtests.
prepare_tests() {
	local dir=$1 list=$2 entry bin sub path rc names=()

	mkdir -p "$dir"
	: >"$list"
	: >"$list.bins"
	while read -r entry; do
		entry=${entry%%#*}
		entry=${entry//[[:space:]]/}
		[ -n "$entry" ] || continue
		entry=${entry#igt@}
		bin=${entry%%@*}
		sub=
		[ "$bin" = "$entry" ] || sub=${entry#*@}
		path=/usr/libexec/igt-gpu-tools/$bin
		[ -x "$path" ] || { error "no upstream test $bin"; return 1; }
		if [ ! -e "$dir/$bin" ]; then
			ln -s "$path" "$dir/$bin"
			names+=("$bin")
		fi
		if [ -n "$sub" ]; then
			echo "igt@$bin@$sub" >>"$list"
		else
			echo "igt@$bin" >>"$list.bins"
		fi
	done <"$CTL/testlist"

	for path in /vdgpu/igt/*; do
		if [ ! -f "$path" ] || [ ! -x "$path" ]; then
			continue
		fi
		bin=${path##*/}
		case $bin in *.so | *.sh) continue ;; esac
		[ ! -e "$dir/$bin" ] || { error "test name clash: $bin"; return 1; }
		ln -s "$path" "$dir/$bin"
		names+=("$bin")
		echo "igt@$bin" >>"$list.bins"
	done

	# Whole binaries become one entry per subtest; a binary without
	# subtests (--list-subtests exits 79) stays a single entry.  The
	# listings run in parallel: each costs most of a second under TCG.
	local n=0 pids=()
	while read -r entry; do
		bin=${entry#igt@}
		n=$((n + 1))
		(
			"$dir/$bin" --list-subtests >"$list.$n" 2>/dev/null
			echo $? >"$list.$n.rc"
		) &
		pids+=($!)
	done <"$list.bins"
	[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
	n=0
	while read -r entry; do
		bin=${entry#igt@}
		n=$((n + 1))
		read -r rc <"$list.$n.rc"
		if [ "$rc" -eq 0 ] && [ -s "$list.$n" ]; then
			sed "s/^/igt@$bin@/" "$list.$n" >>"$list"
		else
			[ "$rc" -eq 79 ] || [ "$rc" -eq 0 ] ||
				error "$bin --list-subtests failed ($rc)"
			echo "igt@$bin" >>"$list"
		fi
	done <"$list.bins"

	# Tests that rebind the driver run last, so that a failure there
	# cannot change what the others see, and after them vdgpu_module,
	# which unloads and reloads the module itself.
	grep -v -e '^igt@core_hotunplug' -e '^igt@vdgpu_module' "$list" >"$list.tmp"
	grep '^igt@core_hotunplug' "$list" >>"$list.tmp"
	grep '^igt@vdgpu_module' "$list" >>"$list.tmp"
	mv "$list.tmp" "$list"

	{
		echo TESTLIST
		echo "${names[*]}"
		echo END TESTLIST
	} >"$dir/test-list.txt"
}

# The loaded driver's parameters, one "name=value" a line, or "not loaded".
module_params() {
	local p

	[ -n "$DRIVER" ] || return 0
	if [ ! -d "/sys/module/$DRIVER" ]; then
		echo "not loaded"
		return 0
	fi
	for p in "/sys/module/$DRIVER"/parameters/*; do
		[ -f "$p" ] && echo "${p##*/}=$(cat "$p")"
	done
}

# On a kernel with kmemleak (the debug lane's), leaks from boot and from
# loading the driver are forgotten before the tests, and what the tests
# left is scanned for afterwards, twice as kmemleak.rst advises, so that an
# object in flight during the first scan is not reported.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_start() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan >"$KMEMLEAK" && echo clear >"$KMEMLEAK" ||
		error "cannot reset kmemleak"
}

kmemleak_report() {
	[ -w "$KMEMLEAK" ] || return 0
	log "kmemleak: scanning"
	echo scan >"$KMEMLEAK" && sleep 5 && echo scan >"$KMEMLEAK" &&
		cat "$KMEMLEAK" >"$OUT/kmemleak.txt" ||
		error "kmemleak scan failed"
	log "kmemleak: $(grep -c '^unreferenced object' "$OUT/kmemleak.txt") reports"
}

job_test() {
	local dir=/tmp/igt-tests list=/tmp/igt-testlist rc params_before

	prepare_tests "$dir" "$list" || return 2
	if [ -n "$TEST_FILTER" ]; then
		grep -E -- "$TEST_FILTER" "$list" >"$list.filtered"
		mv "$list.filtered" "$list"
	fi
	if [ -n "${TEST_EXCLUDE:-}" ]; then
		grep -v -E -- "$TEST_EXCLUDE" "$list" >"$list.filtered"
		mv "$list.filtered" "$list"
	fi
	cp "$list" "$OUT/testlist.txt"
	[ -s "$list" ] || { error "no test matches '$TEST_FILTER'"; return 2; }
	log "running $(wc -l <"$list") tests"

	params_before=$(module_params)
	kmemleak_start


	# The results go straight to the host share so that a hung guest
	# still leaves the tests that finished.
	# The console shows one line a test; runner.log has everything.
	# shellcheck disable=SC2086 # RUNNER_ARGS is a list of words
	igt_runner --test-list "$list" $RUNNER_ARGS \
		--per-test-timeout "$PER_TEST_TIMEOUT" \
		--overall-timeout "$OVERALL_TIMEOUT" \
		--dmesg-warn-level 4 \
		--sync \
		-e "IGT_FORCE_DRIVER=$DRIVER" \
		"$dir" "$OUT/igt" 2>&1 |
		tee "$OUT/runner.log" |
		grep --line-buffered -v '^results: parsing output'
	rc=${PIPESTATUS[0]}
	log "igt_runner exited with $rc"
	kmemleak_report

	# Tests that unload the driver must leave it as they found it.
	if [ -n "$DRIVER" ] && [ "$(module_params)" != "$params_before" ]; then
		error "$DRIVER not left loaded with its parameters:" \
			"before '$params_before', after '$(module_params)'"
	fi
	return "$rc"
}

job_run() {
	local demo=/vdgpu/tools/vdgpu_demo

	[ -x "$demo" ] || { error "no $demo (make tools)"; return 2; }
	log "running ${demo##*/} -d $OUT $DEMO_ARGS"
	# The demo leaves its VRAM snapshot (vram_map.txt) next to its log;
	# vm.sh renders it on the host.
	# shellcheck disable=SC2086 # DEMO_ARGS is a list of words
	"$demo" -d "$OUT" $DEMO_ARGS 2>&1 | tee "$OUT/demo.log"
	return "${PIPESTATUS[0]}"
}

# make bench: the guest half, next to vgem (the stock kernel's module).
job_bench() {
	local bench=/vdgpu/tools/vdgpu_bench

	[ -x "$bench" ] || { error "no $bench (make tools)"; return 2; }
	modprobe vgem || log "modprobe vgem failed: no vgem rows"
	log "running ${bench##*/} $BENCH_ARGS"
	# shellcheck disable=SC2086 # BENCH_ARGS is a list of words
	"$bench" -o "$OUT/bench-raw.csv" $BENCH_ARGS 2>&1 | tee "$OUT/bench.log"
	return "${PIPESTATUS[0]}"
}

job_shell() {
	log "interactive shell; exit it to power off"
	cd /root || true
	if [ -n "${TTY_SIZE:-}" ]; then
		# shellcheck disable=SC2086 # "rows cols"
		set -- $TTY_SIZE
		stty -F /dev/ttyS0 rows "$1" cols "$2"
	fi
	setsid --ctty --wait bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
	return 0
}

case $JOB in
test) job_test; rc=$? ;;
run) job_run; rc=$? ;;
bench) job_bench; rc=$? ;;
shell) job_shell; rc=$? ;;
*) die "unknown job '$JOB'" ;;
esac

trap - EXIT
finish "$rc"
