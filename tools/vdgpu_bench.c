// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_bench: the guest half of "make bench" (scripts/bench.sh).
 *
 * Measures, in the VM, what only a ratio measured in the same run can make
 * meaningful under TCG, and writes every sample as one CSV line
 * "metric,variant,size,unit,run,value" for scripts/bench-report.py to
 * turn into medians, ratios and verdicts:
 *
 *   memcpy, memset   user-space memcpy/memset bandwidth over 64 MiB
 *   memcpy/kernel    the kernel copying pages, through the driver's
 *                    bench_moves file, at each blitter size
 *   blit             the blitter moving BOs of 1 to 64 MiB VRAM->GTT,
 *                    GTT->VRAM and VRAM->VRAM (bench_moves)
 *   evict            user data cycled through VRAM at 2x oversubscription,
 *                    with the blitter and with force_memcpy_moves
 *   gem_create       GEM create+close, vdgpu (SYSTEM, VRAM) and vgem
 *   mmap_fault       first-touch faults through mmap, the same three
 *   slab_per_bo      slab growth per BO over 10000 4 KiB BOs, the same three
 *
 * Usage: vdgpu_bench [-r RUNS] [-o FILE] [-s SECTION,...]
 * Sections: memcpy,blit,evict,gem,fault,slab (default: all).  Needs root
 * (debugfs) and vgem loaded for the comparisons; without vgem its rows are
 * left out.  Exit status: 0, 1 on a failure, 2 on usage errors.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_dev.h"

#define KIB		(1024ull)
#define MIB		(1024ull * 1024)
#define NSEC		1000000000.0

/* User-space memcpy and memset: two buffers of this, copied so often. */
#define MEM_BUF		(64 * MIB)
#define MEM_REPS	4
/*
 * Bytes each blitter or kernel memcpy sample moves, in at least BLIT_MIN
 * copies: under TCG the first copies between new objects are now and then
 * several times slower than the next ones.
 */
#define BLIT_BYTES	(64 * MIB)
#define BLIT_MIN	4
/* The eviction workload's object size: both copy engines split it. */
#define EVICT_OBJ	(4 * MIB)
/* Objects of the slab measurement. */
#define SLAB_OBJS	10000

static unsigned int runs = 5;
static FILE *csv;
static int vdgpu_fd = -1, vgem_fd = -1;
static char debugfs_dir[PATH_MAX];
static uint64_t page_size;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vdgpu_bench: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Keeps the compiler from dropping stores nobody reads. */
static void clobber(void *p)
{
	asm volatile("" : : "r"(p) : "memory");
}

static void sample(const char *metric, const char *variant, uint64_t size,
		   const char *unit, unsigned int run, double value)
{
	fprintf(csv, "%s,%s,%" PRIu64 ",%s,%u,%.6g\n", metric, variant, size,
		unit, run, value);
	fflush(csv);
	printf("  %-12s %-14s %10" PRIu64 " run %u: %.4g %s\n", metric,
	       variant, size, run, value, unit);
	fflush(stdout);
}

/* --- debugfs ---------------------------------------------------------- */

static int debugfs_write(const char *name, const char *text)
{
	char path[PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", debugfs_dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static void debugfs_read(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 32];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", debugfs_dir, name);
	ret = vdgpu_read_file(path, buf, len);
	if (ret < 0)
		die("cannot read %s: %s", path, strerror(-ret));
}

/* Runs @spec in bench_moves; returns the nanoseconds it reports. */
static uint64_t bench_moves(const char *spec)
{
	char buf[256];
	const char *ns;
	int ret;

	ret = debugfs_write("bench_moves", spec);
	if (ret)
		die("bench_moves '%s': %s", spec, strerror(-ret));
	debugfs_read("bench_moves", buf, sizeof(buf));
	ns = strstr(buf, " ns=");
	if (!ns)
		die("bench_moves: unexpected result '%s'", buf);
	return strtoull(ns + 4, NULL, 10);
}

static void set_force_memcpy(bool on)
{
	int ret = debugfs_write("force_memcpy_moves", on ? "1" : "0");

	if (ret)
		die("force_memcpy_moves: %s", strerror(-ret));
}

/* --- objects ---------------------------------------------------------- */

enum kind { VDGPU_SYSTEM, VDGPU_VRAM, VGEM, NUM_KINDS };

static const char *const kind_name[NUM_KINDS] = {
	[VDGPU_SYSTEM] = "vdgpu-system",
	[VDGPU_VRAM] = "vdgpu-vram",
	[VGEM] = "vgem",
};

static int kind_fd(enum kind k)
{
	return k == VGEM ? vgem_fd : vdgpu_fd;
}

static int vdgpu_create(const uint32_t *regions, uint32_t n, uint64_t size,
			uint32_t *handle)
{
	struct drm_vdgpu_gem_create c = {
		.size = size,
		.regions = (uintptr_t)regions,
		.num_regions = n,
	};

	if (drmIoctl(vdgpu_fd, DRM_IOCTL_VDGPU_GEM_CREATE, &c))
		return -errno;
	*handle = c.handle;
	return 0;
}

static uint32_t create(enum kind k, uint64_t size)
{
	static const uint32_t system[] = { DRM_VDGPU_REGION_SYSTEM };
	static const uint32_t vram[] = { DRM_VDGPU_REGION_VRAM0 };
	struct drm_mode_create_dumb d = {
		.width = 1024,
		.bpp = 32,
	};
	uint32_t handle;
	int ret;

	switch (k) {
	case VDGPU_SYSTEM:
		ret = vdgpu_create(system, 1, size, &handle);
		break;
	case VDGPU_VRAM:
		ret = vdgpu_create(vram, 1, size, &handle);
		break;
	default:
		/* A 4 KiB pitch: one row per page. */
		d.height = size / 4096;
		ret = drmIoctl(vgem_fd, DRM_IOCTL_MODE_CREATE_DUMB, &d) ?
		      -errno : 0;
		handle = d.handle;
		break;
	}
	if (ret)
		die("%s: create %" PRIu64 " bytes: %s", kind_name[k], size,
		    strerror(-ret));
	return handle;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
		die("GEM_CLOSE: %s", strerror(errno));
}

static uint64_t mmap_offset(enum kind k, uint32_t handle)
{
	struct drm_vdgpu_gem_mmap_offset o = { .handle = handle };
	struct drm_mode_map_dumb m = { .handle = handle };

	if (k == VGEM) {
		if (drmIoctl(vgem_fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
			die("MAP_DUMB: %s", strerror(errno));
		return m.offset;
	}
	if (drmIoctl(vdgpu_fd, DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET, &o))
		die("GEM_MMAP_OFFSET: %s", strerror(errno));
	return o.offset;
}

static void *map(int fd, uint64_t offset, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       offset);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	return p;
}

static void gem_wait(uint32_t handle)
{
	struct drm_vdgpu_gem_wait w = {
		.handle = handle,
		.timeout_ns = (int64_t)(now_ns() + 60 * 1000000000ull),
	};

	if (drmIoctl(vdgpu_fd, DRM_IOCTL_VDGPU_GEM_WAIT, &w))
		die("GEM_WAIT: %s", strerror(errno));
}

/* Region @id as the query ioctl reports it now. */
static struct drm_vdgpu_mem_region query_region(uint32_t id)
{
	char buf[4096];
	struct drm_vdgpu_query q = {
		.query = DRM_VDGPU_QUERY_MEM_REGIONS,
		.size = sizeof(buf),
		.data = (uintptr_t)buf,
	};
	const struct drm_vdgpu_query_mem_regions *r = (const void *)buf;
	struct drm_vdgpu_mem_region m;
	uint32_t i;

	if (drmIoctl(vdgpu_fd, DRM_IOCTL_VDGPU_QUERY, &q))
		die("QUERY: %s", strerror(errno));
	for (i = 0; i < r->num_regions; i++) {
		memcpy(&m, (const char *)r->regions + i * r->region_size,
		       sizeof(m));
		if (m.id == id)
			return m;
	}
	die("no region %u", id);
	return m;
}

static uint64_t region_used(uint32_t id)
{
	return query_region(id).used;
}

/*
 * Waits until objects closed earlier are gone (their clears and moves
 * done, TTM's delayed destruction run): VRAM and GTT back to what they
 * held when the benchmark started.
 */
static uint64_t base_vram, base_gtt;

static void settle(void)
{
	uint64_t deadline = now_ns() + 30 * 1000000000ull;

	while (region_used(DRM_VDGPU_REGION_VRAM0) > base_vram ||
	       region_used(DRM_VDGPU_REGION_GTT) > base_gtt) {
		if (now_ns() > deadline) {
			fprintf(stderr, "vdgpu_bench: memory not released after 30 s\n");
			return;
		}
		sleep_ms(20);
	}
}

/* --- 1. memcpy and memset ---------------------------------------------- */

static void bench_memcpy(void)
{
	char *src = malloc(MEM_BUF), *dst = malloc(MEM_BUF);
	unsigned int run, i;
	uint64_t t;

	if (!src || !dst)
		die("out of memory");
	memset(src, 0x5a, MEM_BUF);
	memset(dst, 0xa5, MEM_BUF);
	printf("memcpy and memset, user space, %llu MiB buffers\n",
	       MEM_BUF / MIB);
	for (run = 1; run <= runs; run++) {
		t = now_ns();
		for (i = 0; i < MEM_REPS; i++) {
			memcpy(dst, src, MEM_BUF);
			clobber(dst);
		}
		t = now_ns() - t;
		sample("memcpy", "user", MEM_BUF, "GB/s", run,
		       MEM_REPS * MEM_BUF / (t / NSEC) / 1e9);

		t = now_ns();
		for (i = 0; i < MEM_REPS; i++) {
			memset(dst, i, MEM_BUF);
			clobber(dst);
		}
		t = now_ns() - t;
		sample("memset", "user", MEM_BUF, "GB/s", run,
		       MEM_REPS * MEM_BUF / (t / NSEC) / 1e9);
	}
	free(src);
	free(dst);
}

/* --- 2. the blitter, in the kernel -------------------------------------- */

static void bench_blit(void)
{
	static const struct {
		const char *name, *src, *dst;
	} dirs[] = {
		{ "vram-gtt", "vram", "gtt" },
		{ "gtt-vram", "gtt", "vram" },
		{ "vram-vram", "vram", "vram" },
	};
	unsigned int run, d;
	uint64_t size, ns;
	char spec[64];
	unsigned int count;

	printf("blitter moves (bench_moves), %llu MiB per sample\n",
	       BLIT_BYTES / MIB);
	for (run = 1; run <= runs; run++) {
		for (size = MIB; size <= 64 * MIB; size *= 2) {
			count = BLIT_BYTES / size < BLIT_MIN ? BLIT_MIN :
				BLIT_BYTES / size;
			snprintf(spec, sizeof(spec), "memcpy %" PRIu64 " %u",
				 size, count);
			ns = bench_moves(spec);
			sample("memcpy", "kernel", size, "GB/s", run,
			       (double)size * count / ns);
			for (d = 0; d < ARRAY_SIZE(dirs); d++) {
				snprintf(spec, sizeof(spec),
					 "blit %s %s %" PRIu64 " %u",
					 dirs[d].src, dirs[d].dst, size, count);
				ns = bench_moves(spec);
				sample("blit", dirs[d].name, size, "GB/s", run,
				       (double)size * count / ns);
			}
		}
	}
}

/* --- 3. eviction ------------------------------------------------------- */

struct evict_obj {
	uint32_t handle;
};

static void write_obj(uint32_t handle, const void *data)
{
	void *p = map(vdgpu_fd, mmap_offset(VDGPU_VRAM, handle), EVICT_OBJ);

	memcpy(p, data, EVICT_OBJ);
	clobber(p);
	munmap(p, EVICT_OBJ);
}

static void read_obj(uint32_t handle, void *data)
{
	void *p = map(vdgpu_fd, mmap_offset(VDGPU_VRAM, handle), EVICT_OBJ);

	memcpy(data, p, EVICT_OBJ);
	clobber(data);
	munmap(p, EVICT_OBJ);
}

/*
 * The workload: 2x VRAM in objects that prefer VRAM and may live in GTT,
 * each full of user data.  A cycle takes the oldest object, which sits in
 * GTT, and brings its data back into VRAM the only way this uAPI allows:
 * a new VRAM object (whose creation evicts the least recently placed one
 * to GTT), the old data read through one mapping and written through the
 * other, the old object closed.  A run is half the objects cycled, one
 * VRAM's worth of user data in and one out, and ends when the last new
 * object is idle, so that the blitter's queued work counts.  Runs with and
 * without force_memcpy_moves alternate on the same objects.
 */
static void bench_evict(void)
{
	static const uint32_t regions[] = {
		DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT,
	};
	static const char *const variant[] = { "pipelined", "memcpy" };
	unsigned int n = 2 * query_region(DRM_VDGPU_REGION_VRAM0).total_size /
			 EVICT_OBJ;
	unsigned int head = 0, cycles = n / 2, run, v, i;
	uint32_t *objs = calloc(n, sizeof(*objs));
	char *data = malloc(EVICT_OBJ);
	uint64_t t;

	if (!objs || !data)
		die("out of memory");
	printf("eviction at 2x oversubscription: %u objects of %llu MiB\n", n,
	       EVICT_OBJ / MIB);
	memset(data, 0x3c, EVICT_OBJ);
	for (i = 0; i < n; i++) {
		if (vdgpu_create(regions, 2, EVICT_OBJ, &objs[i]))
			die("evict: create: %s", strerror(errno));
		write_obj(objs[i], data);
	}

	for (run = 1; run <= runs; run++) {
		for (v = 0; v < ARRAY_SIZE(variant); v++) {
			set_force_memcpy(v);
			t = now_ns();
			for (i = 0; i < cycles; i++) {
				uint32_t old = objs[head], new;

				if (vdgpu_create(regions, 2, EVICT_OBJ, &new))
					die("evict: create: %s",
					    strerror(errno));
				read_obj(old, data);
				gem_close(vdgpu_fd, old);
				write_obj(new, data);
				objs[head] = new;
				head = (head + 1) % n;
			}
			gem_wait(objs[(head + n - 1) % n]);
			t = now_ns() - t;
			sample("evict", variant[v], EVICT_OBJ, "MiB/s", run,
			       (double)cycles * EVICT_OBJ / MIB / (t / NSEC));
		}
	}

	set_force_memcpy(false);
	for (i = 0; i < n; i++)
		gem_close(vdgpu_fd, objs[i]);
	settle();
	free(objs);
	free(data);
}

/* --- 4. GEM create+close and mmap faults --------------------------------- */

static const uint64_t gem_sizes[] = { 4 * KIB, 64 * KIB, MIB, 16 * MIB };

static unsigned int gem_count(uint64_t size)
{
	uint64_t n = 256 * MIB / size;

	return n < 20 ? 20 : n > 1000 ? 1000 : n;
}

static bool have(enum kind k)
{
	return k != VGEM || vgem_fd >= 0;
}

static void bench_gem(void)
{
	unsigned int run, s, i, n;
	enum kind k;
	uint64_t t;

	printf("GEM create+close\n");
	for (run = 1; run <= runs; run++) {
		for (s = 0; s < ARRAY_SIZE(gem_sizes); s++) {
			n = gem_count(gem_sizes[s]);
			for (k = 0; k < NUM_KINDS; k++) {
				if (!have(k))
					continue;
				t = now_ns();
				for (i = 0; i < n; i++)
					gem_close(kind_fd(k),
						  create(k, gem_sizes[s]));
				t = now_ns() - t;
				sample("gem_create", kind_name[k], gem_sizes[s],
				       "ops/s", run, n / (t / NSEC));
				settle();
			}
		}
	}
}

static void bench_fault(void)
{
	unsigned int run, s, i, n;
	uint64_t t, size, off;
	uint32_t *handles;
	enum kind k;

	printf("mmap first-touch faults\n");
	for (run = 1; run <= runs; run++) {
		for (s = 0; s < ARRAY_SIZE(gem_sizes); s++) {
			size = gem_sizes[s];
			n = 64 * MIB / size;
			n = n < 4 ? 4 : n > 1024 ? 1024 : n;
			handles = calloc(n, sizeof(*handles));
			if (!handles)
				die("out of memory");
			for (k = 0; k < NUM_KINDS; k++) {
				if (!have(k))
					continue;
				for (i = 0; i < n; i++)
					handles[i] = create(k, size);
				/* VRAM: the clears done before the clock runs. */
				if (k != VGEM)
					gem_wait(handles[n - 1]);
				t = now_ns();
				for (i = 0; i < n; i++) {
					volatile char *p;

					off = mmap_offset(k, handles[i]);
					p = map(kind_fd(k), off, size);
					for (off = 0; off < size; off += page_size)
						p[off] = 1;
					munmap((void *)p, size);
				}
				t = now_ns() - t;
				sample("mmap_fault", kind_name[k], size, "MiB/s",
				       run, n * size / MIB / (t / NSEC));
				for (i = 0; i < n; i++)
					gem_close(kind_fd(k), handles[i]);
				settle();
			}
			free(handles);
		}
	}
}

/* --- 6. kernel memory per BO --------------------------------------------- */

/* Slab from /proc/meminfo, in bytes. */
static uint64_t slab_bytes(void)
{
	char buf[8192], *p;
	int ret;

	ret = vdgpu_read_file("/proc/meminfo", buf, sizeof(buf));
	if (ret < 0)
		die("/proc/meminfo: %s", strerror(-ret));
	p = strstr(buf, "\nSlab:");
	if (!p)
		die("no Slab in /proc/meminfo");
	return strtoull(p + 6, NULL, 10) * KIB;
}

static void bench_slab(void)
{
	uint32_t *handles = calloc(SLAB_OBJS, sizeof(*handles));
	uint64_t before, after;
	unsigned int run, i;
	enum kind k;

	if (!handles)
		die("out of memory");
	printf("slab per BO, %u BOs of 4 KiB\n", SLAB_OBJS);
	for (run = 1; run <= runs; run++) {
		for (k = 0; k < NUM_KINDS; k++) {
			if (!have(k))
				continue;
			sleep_ms(200);
			before = slab_bytes();
			for (i = 0; i < SLAB_OBJS; i++)
				handles[i] = create(k, 4 * KIB);
			/* Clears in flight hold jobs and fences: let them go. */
			if (k != VGEM)
				for (i = 0; i < SLAB_OBJS; i++)
					gem_wait(handles[i]);
			sleep_ms(200);
			after = slab_bytes();
			sample("slab_per_bo", kind_name[k], 4 * KIB, "bytes", run,
			       ((double)after - (double)before) / SLAB_OBJS);
			for (i = 0; i < SLAB_OBJS; i++)
				gem_close(kind_fd(k), handles[i]);
			settle();
		}
	}
	free(handles);
}

/* --- main ---------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
	{ "memcpy", bench_memcpy },
	{ "blit", bench_blit },
	{ "evict", bench_evict },
	{ "gem", bench_gem },
	{ "fault", bench_fault },
	{ "slab", bench_slab },
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-r RUNS] [-o FILE] [-s SECTION,...]\n"
		"Benchmark vdgpu next to the guest's memcpy and vgem; samples go\n"
		"to FILE (default stdout) as CSV.  Sections: memcpy, blit, evict,\n"
		"gem, fault, slab (default all).  Needs root.\n", prog);
}

static bool wanted(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	if (!list)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *only = NULL;
	unsigned int minor;
	size_t i;
	int opt, ret;

	while ((opt = getopt(argc, argv, "hr:o:s:")) != -1) {
		switch (opt) {
		case 'r':
			runs = strtoul(optarg, NULL, 10);
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			only = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc || !runs) {
		usage(stderr, argv[0]);
		return 2;
	}

	page_size = sysconf(_SC_PAGESIZE);
	csv = out ? fopen(out, "w") : stdout;
	if (!csv)
		die("%s: %s", out, strerror(errno));
	fprintf(csv, "metric,variant,size,unit,run,value\n");

	vdgpu_fd = vdgpu_dev_open(VDGPU_DRIVER_NAME, VDGPU_NODE_PRIMARY, NULL, 0);
	if (vdgpu_fd < 0)
		die("no vdgpu device");
	vgem_fd = vdgpu_dev_open("vgem", VDGPU_NODE_PRIMARY, NULL, 0);
	if (vgem_fd < 0)
		fprintf(stderr, "vdgpu_bench: no vgem device: its rows are left out\n");

	ret = vdgpu_debugfs_mount();
	if (!ret)
		ret = vdgpu_dev_minor(vdgpu_fd, &minor);
	if (ret)
		die("debugfs: %s", strerror(-ret));
	snprintf(debugfs_dir, sizeof(debugfs_dir), "%s/dri/%u",
		 VDGPU_DEBUGFS_ROOT, minor);

	base_vram = region_used(DRM_VDGPU_REGION_VRAM0);
	base_gtt = region_used(DRM_VDGPU_REGION_GTT);

	for (i = 0; i < ARRAY_SIZE(sections); i++)
		if (wanted(only, sections[i].name))
			sections[i].fn();

	if (csv != stdout && fclose(csv))
		die("%s: %s", out, strerror(errno));
	return 0;
}
