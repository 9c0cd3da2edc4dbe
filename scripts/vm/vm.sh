#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot Debian's stock kernel under QEMU (TCG), load vdgpu and run a job.
#
#   scripts/vm/vm.sh test     IGT's runner over tests/vm/testlist and build/igt
#   scripts/vm/vm.sh run [ARGS...]   build/tools/vdgpu_demo ARGS, then its VRAM picture
#   scripts/vm/vm.sh bench [ARGS...] build/tools/vdgpu_bench ARGS, vgem loaded
#   scripts/vm/vm.sh shell    an interactive shell on the serial console
#
# See scripts/vm/README.md for the environment variables it reads.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)

log() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: error: %s\n' "$*" >&2; exit 2; }

usage() {
	sed -n '3,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

# Values from the environment win over $VDGPU_CACHE/env.mk.
load_env() {
	local mk key val
	mk=${VDGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdgpu}/env.mk
	if [ -r "$mk" ]; then
		while IFS= read -r line; do
			[[ $line =~ ^(VDGPU_[A-Z_]+)[[:space:]]*:?=[[:space:]]*(.*)$ ]] || continue
			key=${BASH_REMATCH[1]}
			val=${BASH_REMATCH[2]}
			[ -n "${!key:-}" ] || printf -v "$key" '%s' "$val"
		done <"$mk"
	fi
	local v
	for v in VDGPU_CACHE VDGPU_KVER VDGPU_IMAGE VDGPU_ROOT; do
		[ -n "${!v:-}" ] || die "$v unknown: run scripts/setup.sh (make setup)"
	done
}

JOB=${1:-}
[ $# -eq 0 ] || shift
case $JOB in
test | run | bench | shell) ;;
-h | --help | help | "") usage ;;
*) die "unknown job '$JOB' (test, run, bench or shell)" ;;
esac

load_env
KVER=$VDGPU_KVER
KERNEL=$VDGPU_IMAGE/boot/vmlinuz-$KVER
STOCK_MODULES=$VDGPU_IMAGE/lib/modules/$KVER
ROOT=$VDGPU_ROOT
VMC=$VDGPU_CACHE/$KVER/vm

# MODULE=none boots without an out-of-tree module, with DRIVER naming a stock
# one (DRIVER=virtio_gpu QEMU_EXTRA="-device virtio-gpu-pci" to try the
# lane itself).
MODULE=${MODULE:-$REPO/drivers/gpu/drm/vdgpu/vdgpu.ko}
if [ "$MODULE" = none ]; then
	MODULE=
	DRIVER=${DRIVER-}
else
	[ -f "$MODULE" ] || die "no module $MODULE (build it with make)"
	MODULE=$(realpath "$MODULE")
	DRIVER=${DRIVER:-$(basename "$MODULE" .ko)}
fi
# The demo overcommits a small VRAM, so that evictions show within a minute
# of TCG; MODPARAMS= (set and empty) keeps the module's defaults.
if [ "$JOB" = run ]; then
	MODPARAMS=${MODPARAMS-vram_size=64 visible_vram_size=32}
else
	MODPARAMS=${MODPARAMS:-}
fi
RESULTS=${RESULTS:-$REPO/results/vm-$JOB}
IGT_DIR=${IGT_DIR:-$REPO/build/igt}
TOOLS_DIR=${TOOLS_DIR:-$REPO/build/tools}
TESTLIST=${TESTLIST:-$REPO/tests/vm/testlist}
EXPECTED_SKIPS=${EXPECTED_SKIPS:-$REPO/tests/vm/expected-skips}
TESTS=${TESTS:-}
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-90}
OVERALL_TIMEOUT=${OVERALL_TIMEOUT:-360}
VM_MEM=${VM_MEM:-2048}
VM_SMP=${VM_SMP:-2}
VM_MACHINE=${VM_MACHINE:-pc}
# One TCG thread for both vCPUs: with a thread per vCPU (VM_ACCEL=tcg), QEMU
# 7.2 now and then lets a vCPU run code another one has just patched back
# from an int3 (static keys), and the guest oopses in the int3 handler.  The
# lane takes about as long either way: the tests are mostly serial.
VM_ACCEL=${VM_ACCEL:-tcg,thread=single}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_EXTRA=${QEMU_EXTRA:-}
case $JOB in
test) VM_TIMEOUT=${VM_TIMEOUT:-$((OVERALL_TIMEOUT + PER_TEST_TIMEOUT + 90))} ;;
run) VM_TIMEOUT=${VM_TIMEOUT:-300} ;;
bench) VM_TIMEOUT=${VM_TIMEOUT:-600} ;;
shell) VM_TIMEOUT=${VM_TIMEOUT:-0} ;;
esac

[ -r "$KERNEL" ] || die "no kernel $KERNEL"
[ -d "$STOCK_MODULES" ] || die "no modules $STOCK_MODULES"
[ -x "$ROOT/usr/bin/igt_runner" ] || die "no igt_runner in $ROOT"
command -v "$QEMU" >/dev/null || die "$QEMU not installed"
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "no static busybox at $BUSYBOX"
for t in depmod modprobe cpio xz; do
	command -v "$t" >/dev/null || command -v "/sbin/$t" >/dev/null ||
		die "$t not installed"
done
export PATH=$PATH:/usr/sbin:/sbin

mkdir -p "$VMC/runs"

# --- Cached inputs -----------------------------------------------------------

# The stock module tree, decompressed once: depmod over 4000 .ko.xz costs
# seconds per run, over plain .ko well under one.  The signatures stay valid
# (they cover the uncompressed module).
MODBASE=$VMC/modules
prepare_modules() {
	local id tmp
	id="$KVER $(stat -c '%Y %s' "$VDGPU_IMAGE/.stamp" 2>/dev/null) v1"
	[ "$(cat "$MODBASE/.stamp" 2>/dev/null)" != "$id" ] || return 0

	log "caching the stock module tree (once)"
	tmp=$VMC/modules.tmp
	rm -rf "$tmp" "$MODBASE"
	mkdir -p "$tmp/lib/modules"
	cp -a "$STOCK_MODULES" "$tmp/lib/modules/"
	find "$tmp" -name '*.ko.xz' -print0 | xargs -0 -r -P "$(nproc)" -n 64 xz -d
	depmod -b "$tmp" "$KVER"
	echo "$id" >"$tmp/.stamp"
	mv "$tmp" "$MODBASE"
}

INITRAMFS=$VMC/initramfs.cpio
INITRAMFS_MODULES=(9pnet_virtio 9p overlay)
prepare_initramfs() {
	local key tmp m path list=()
	key=$( {
		echo "$KVER" "${INITRAMFS_MODULES[*]}"
		cat "$MODBASE/.stamp"
		sha256sum <"$SCRIPT_DIR/initramfs-init"
		sha256sum <"$BUSYBOX"
	} | sha256sum)
	[ "$(cat "$INITRAMFS.key" 2>/dev/null)" != "$key" ] || return 0

	log "building the initramfs"
	for m in "${INITRAMFS_MODULES[@]}"; do
		while read -r what path _; do
			[ "$what" = insmod ] || continue
			[[ " ${list[*]} " == *" $path "* ]] || list+=("$path")
		done < <(modprobe -d "$MODBASE" -S "$KVER" --show-depends "$m")
	done
	# A kernel with them built in (the debug lane's) needs none.
	for m in "${INITRAMFS_MODULES[@]}"; do
		modprobe -d "$MODBASE" -S "$KVER" --show-depends "$m" >/dev/null ||
			die "cannot resolve $m"
	done

	tmp=$(mktemp -d "$VMC/initramfs.XXXXXX")
	mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
	: >"$tmp/modules.list"
	cp "$BUSYBOX" "$tmp/bin/busybox"
	install -m 0755 "$SCRIPT_DIR/initramfs-init" "$tmp/init"
	for path in "${list[@]}"; do
		cp "$path" "$tmp/modules/"
		basename "$path" >>"$tmp/modules.list"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
		>"$INITRAMFS.tmp"
	rm -rf "$tmp"
	mv "$INITRAMFS.tmp" "$INITRAMFS"
	echo "$key" >"$INITRAMFS.key"
}

exec 9>"$VMC/.lock"
flock 9
prepare_modules
prepare_initramfs
# Runs that were killed too hard to clean up after themselves.
find "$VMC/runs" -mindepth 1 -maxdepth 1 -mmin +720 -exec rm -rf {} +
exec 9>&-

# --- This run ----------------------------------------------------------------

RUN=$(mktemp -d "$VMC/runs/run.XXXXXX")
QEMU_PID=
cleanup() {
	if [ -n "$QEMU_PID" ]; then
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The guest's /lib/modules/$KVER: the cached tree hard-linked, plus the
# module under test in extra/, indexed by depmod.
MODTREE=$RUN/modroot/lib/modules/$KVER
mkdir -p "$RUN/modroot/lib/modules"
cp -al "$MODBASE/lib/modules/$KVER" "$MODTREE"
find "$MODTREE" -maxdepth 1 -name 'modules.*' ! -name modules.order \
	! -name modules.builtin ! -name modules.builtin.modinfo -delete
if [ -n "$MODULE" ]; then
	mkdir -p "$MODTREE/extra"
	cp "$MODULE" "$MODTREE/extra/"
fi
# With the headers' Module.symvers, depmod also reports symbols the module
# under test needs and the stock kernel does not export (or exports with
# another CRC): such a module would not load, so say so now.
SYMVERS=${VDGPU_HEADERS:+$VDGPU_HEADERS/Module.symvers}
DEPMOD_ARGS=()
[ -z "$SYMVERS" ] || [ ! -r "$SYMVERS" ] || DEPMOD_ARGS=(-e -E "$SYMVERS")
depmod -b "$RUN/modroot" "${DEPMOD_ARGS[@]}" "$KVER" 2>"$RUN/depmod.err" ||
	{ cat "$RUN/depmod.err" >&2; die "depmod failed"; }
if [ -s "$RUN/depmod.err" ]; then
	cat "$RUN/depmod.err" >&2
	! grep -q '/extra/' "$RUN/depmod.err" ||
		die "$(basename "$MODULE") does not resolve against $KVER"
fi

mkdir -p "$RUN/ctl" "$RUN/empty"
install -m 0755 "$SCRIPT_DIR/guest-init.sh" "$RUN/ctl/guest-init.sh"
case $JOB in
test)
	[ -r "$TESTLIST" ] || die "no test list $TESTLIST"
	cp "$TESTLIST" "$RUN/ctl/testlist"
	;;
run)
	[ -x "$TOOLS_DIR/vdgpu_demo" ] ||
		die "no $TOOLS_DIR/vdgpu_demo (build it with make tools)"
	;;
bench)
	[ -x "$TOOLS_DIR/vdgpu_bench" ] ||
		die "no $TOOLS_DIR/vdgpu_bench (build it with make tools)"
	;;
esac
{
	printf 'JOB=%q\n' "$JOB"
	printf 'KVER=%q\n' "$KVER"
	printf 'DRIVER=%q\n' "$DRIVER"
	printf 'MODPARAMS=%q\n' "$MODPARAMS"
	printf 'TEST_FILTER=%q\n' "$TESTS"
	printf 'TEST_EXCLUDE=%q\n' "${TESTS_EXCLUDE:-}"
	printf 'PER_TEST_TIMEOUT=%q\n' "$PER_TEST_TIMEOUT"
	printf 'OVERALL_TIMEOUT=%q\n' "$OVERALL_TIMEOUT"
	printf 'RUNNER_ARGS=%q\n' "${RUNNER_ARGS:-}"
	printf 'DEMO_ARGS=%q\n' "$*"
	printf 'BENCH_ARGS=%q\n' "$*"
	# The serial console cannot tell the guest the terminal's size.
	if [ "$JOB" = shell ] && [ -t 0 ] && size=$(stty size 2>/dev/null); then
		printf 'TTY_SIZE=%q\n' "$size"
	fi
} >"$RUN/ctl/job.conf"

mkdir -p "$RESULTS"
RESULTS=$(realpath "$RESULTS")
(cd "$RESULTS" && rm -rf console.log dmesg.txt guest-status guest-errors \
	taint igt testlist.txt runner.log demo.log summary.txt bench-raw.csv \
	bench.log vram_map.txt vram-map.png kmemleak.txt)

share_dir() { # dir-or-empty
	if [ -d "$1" ]; then realpath "$1"; else echo "$RUN/empty"; fi
}

# QEMU's option syntax: a comma inside a value is written twice.
qesc() { printf '%s' "${1//,/,,}"; }

virtfs() { # tag path ro|rw
	local ro=
	[ "$3" = rw ] || ro=,readonly=on
	printf '%s\n' -fsdev \
		"local,id=$1,path=$(qesc "$2"),security_model=none$ro" \
		-device "virtio-9p-pci,fsdev=$1,mount_tag=$1"
}

CMDLINE="console=ttyS0,115200 loglevel=4 panic=-1"
CMDLINE+=" 8250.nr_uarts=1 random.trust_cpu=on mitigations=off"
CMDLINE+=" no_timer_check tsc=reliable lpj=10000000"
[ "$JOB" != shell ] || CMDLINE+=" TERM=${TERM:-linux}"
CMDLINE+=${CMDLINE_EXTRA:+ $CMDLINE_EXTRA}

# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
QEMU_ARGS=(
	-nodefaults -no-user-config -no-reboot
	-machine "$VM_MACHINE" -accel "$VM_ACCEL" -cpu max -smp "$VM_SMP" -m "$VM_MEM"
	-display none -vga none
	-kernel "$KERNEL" -initrd "$INITRAMFS" -append "$CMDLINE"
)
mapfile -t -O ${#QEMU_ARGS[@]} QEMU_ARGS < <(
	virtfs vdgpu-root "$ROOT" ro
	virtfs vdgpu-ctl "$RUN/ctl" ro
	virtfs vdgpu-modules "$MODTREE" ro
	virtfs vdgpu-igt "$(share_dir "$IGT_DIR")" ro
	virtfs vdgpu-tools "$(share_dir "$TOOLS_DIR")" ro
	virtfs vdgpu-results "$RESULTS" rw
)
if [ "$JOB" = shell ]; then
	QEMU_ARGS+=(-serial mon:stdio)
else
	QEMU_ARGS+=(-chardev "stdio,id=con,logfile=$(qesc "$RESULTS/console.log")"
		-serial chardev:con)
fi
# shellcheck disable=SC2206 # QEMU_EXTRA is a list of words
QEMU_ARGS+=($QEMU_EXTRA)

log "booting $KVER (job $JOB, driver ${DRIVER:-none}${MODPARAMS:+ $MODPARAMS})"
log "results in $RESULTS"
START=$(date +%s)
if [ "$JOB" = shell ]; then
	"$QEMU" "${QEMU_ARGS[@]}" || true
	exit 0
fi

# The watchdog: QEMU gets VM_TIMEOUT seconds, then SIGTERM, then SIGKILL.
# It runs in the background so that a signal to this script, which the
# shell handles only between commands, stops it at once (see cleanup).
timeout --foreground -k 10 "$VM_TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" </dev/null &
QEMU_PID=$!
set +e
wait "$QEMU_PID"
QRC=$?
set -e
QEMU_PID=
ELAPSED=$(($(date +%s) - START))

VM_ERROR=
if [ $QRC -eq 124 ] || [ $QRC -eq 137 ]; then
	VM_ERROR="the VM did not finish within ${VM_TIMEOUT}s and was killed (hung guest?)"
elif [ $QRC -ne 0 ]; then
	VM_ERROR="QEMU failed with status $QRC"
elif [ ! -s "$RESULTS/guest-status" ]; then
	VM_ERROR="the guest stopped without reporting a status (panic or early failure)"
fi
GUEST_STATUS=$(cat "$RESULTS/guest-status" 2>/dev/null || true)
log "VM finished after ${ELAPSED}s${GUEST_STATUS:+, guest status $GUEST_STATUS}"
[ -z "$VM_ERROR" ] || log "error: $VM_ERROR; see $RESULTS/console.log"

case $JOB in
test)
	set +e
	python3 "$SCRIPT_DIR/check-results.py" \
		--results "$RESULTS" --expected-skips "$EXPECTED_SKIPS" \
		--name "${LANE_NAME:-vm-test}" \
		--guest-status "$GUEST_STATUS" ${VM_ERROR:+--vm-error "$VM_ERROR"}
	exit $?
	;;
run)
	# The demo's snapshot of debugfs vram_map, taken while VRAM was full.
	if [ -s "$RESULTS/vram_map.txt" ]; then
		python3 "$REPO/scripts/vram-map" -o "$RESULTS/vram-map.png" \
			"$RESULTS/vram_map.txt" ||
			{ log "error: scripts/vram-map failed on $RESULTS/vram_map.txt"; exit 1; }
		log "VRAM picture: $RESULTS/vram-map.png"
	else
		log "no VRAM snapshot: see $RESULTS/demo.log"
	fi
	[ -z "$VM_ERROR" ] || exit 1
	exit "${GUEST_STATUS:-1}"
	;;
bench)
	[ -z "$VM_ERROR" ] || exit 1
	exit "${GUEST_STATUS:-1}"
	;;
esac
