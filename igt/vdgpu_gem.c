// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_gem: the memory uAPI of vdgpu 1.1 (include/uapi/drm/vdgpu_drm.h)
 * end to end: the query ioctl and what it says about the device, its
 * memory regions and engines; buffer objects created in every region and
 * combination of regions with every flag; CPU mappings; waits; madvise and
 * purging under pressure; running out of VRAM; the contents of new objects;
 * CPU faults on objects outside the CPU-visible window; and one subtest per
 * argument the kernel must refuse.
 *
 * Each subtest opens its own DRM files (the render node unless it says
 * otherwise) and is documented where it is defined.  Every subtest skips
 * on a driver older than 1.1.  Sizes are kept to some hundreds of MiB in
 * total per subtest, as the VM lane runs under QEMU without KVM.
 *
 * fault-migrates-invisible needs a CPU-visible window smaller than VRAM;
 * when the module is loaded with all of VRAM visible (the default), it
 * reloads the module with a small window and restores the original
 * parameters afterwards, so it is the last subtest of the table.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define SYSTEM		DRM_VDGPU_REGION_SYSTEM
#define GTT		DRM_VDGPU_REGION_GTT
#define VRAM		DRM_VDGPU_REGION_VRAM0

#define CPU_ACCESS	DRM_VDGPU_GEM_CREATE_CPU_ACCESS
#define NO_CPU_ACCESS	DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS
#define CONTIGUOUS	DRM_VDGPU_GEM_CREATE_CONTIGUOUS
#define SYSTEM_WC	DRM_VDGPU_GEM_CREATE_SYSTEM_WC
#define ALL_FLAGS	(CPU_ACCESS | NO_CPU_ACCESS | CONTIGUOUS | SYSTEM_WC)

#define KIB		((uint64_t)1024)
#define MIB		((uint64_t)VDGPU_MIB)
#define NSEC_PER_SEC	1000000000ll

/* How long freed memory may take to show in the region's used (deferred frees). */
#define FREE_TIMEOUT_MS	5000

/* The module parameters fault-migrates-invisible reloads with if it has to. */
#define SMALL_BAR_PARAMS	"vram_size=128 visible_vram_size=32 gart_size=64"

static const uint32_t region_ids[] = { SYSTEM, GTT, VRAM };

static uint64_t page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static uint64_t page_align(uint64_t size)
{
	return (size + page_size() - 1) & ~(page_size() - 1);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The render node of a device with the memory uAPI; skips otherwise. */
static int open_gem(void)
{
	int fd = vdgpu_open_render();

	vdgpu_require_gem(fd);
	return fd;
}

/*
 * Region usage.  used and cpu_visible_used are snapshots, and memory of a
 * closed object may be freed later, once the kernel's work on it is done
 * (TTM's delayed destroy).  So a subtest first waits for the figure to
 * settle, and after closing objects polls for it to come back.
 */
static uint64_t region_usage(int fd, uint32_t id, bool visible)
{
	return visible ? vdgpu_region_visible_used(fd, id) :
			 vdgpu_region_used(fd, id);
}

/* The usage once it has not changed for 50 ms (2 s at most). */
static uint64_t settled_usage(int fd, uint32_t id, bool visible)
{
	uint64_t last = region_usage(fd, id, visible), now;
	unsigned int ms, stable = 0;

	for (ms = 0; ms < 2000 && stable < 5; ms += 10) {
		sleep_ms(10);
		now = region_usage(fd, id, visible);
		stable = now == last ? stable + 1 : 0;
		last = now;
	}
	return last;
}

/* Poll until the usage is at most @limit; returns the last value seen. */
static uint64_t wait_usage_at_most(int fd, uint32_t id, bool visible,
				   uint64_t limit)
{
	uint64_t now = region_usage(fd, id, visible);
	unsigned int ms;

	for (ms = 0; now > limit && ms < FREE_TIMEOUT_MS; ms += 10) {
		sleep_ms(10);
		now = region_usage(fd, id, visible);
	}
	return now;
}

static void assert_usage_back(int fd, uint32_t id, bool visible, uint64_t before)
{
	uint64_t now = wait_usage_at_most(fd, id, visible, before);

	igt_assert_f(now <= before,
		     "%s %s is %" PRIu64 " bytes %d ms after closing everything, was %" PRIu64 " before\n",
		     vdgpu_region_name(id), visible ? "cpu_visible_used" : "used",
		     now, FREE_TIMEOUT_MS, before);
}

/*
 * Contents.  Stamps are two 64-bit words per page, at its start and end,
 * never zero: cheap enough for hundreds of MiB under emulation, and since
 * memory is handed out in pages, any page an object reuses has the
 * previous owner's stamps where the new owner looks for them.  Patterns
 * fill every byte, for the smaller objects.
 */
static uint64_t stamp_value(uint64_t seed, uint64_t offset)
{
	return ((seed * 0x9e3779b97f4a7c15ull) ^ (offset * 0xbf58476d1ce4e5b9ull)) | 1;
}

static void write_stamps(void *ptr, uint64_t size, uint64_t seed)
{
	uint64_t off, last = page_size() - sizeof(uint64_t);

	for (off = 0; off < size; off += page_size()) {
		volatile uint64_t *p = (uint64_t *)((char *)ptr + off);

		p[0] = stamp_value(seed, off);
		p[last / sizeof(uint64_t)] = stamp_value(seed, off + last);
	}
}

/* Every stamp is there (@zero false) or every stamp position is 0 (@zero true). */
static void check_stamps(const void *ptr, uint64_t size, uint64_t seed,
			 bool zero, const char *what)
{
	uint64_t off, last = page_size() - sizeof(uint64_t);

	for (off = 0; off < size; off += page_size()) {
		const volatile uint64_t *p = (const uint64_t *)((const char *)ptr + off);
		uint64_t pos[2] = { off, off + last };
		uint64_t got[2] = { p[0], p[last / sizeof(uint64_t)] };
		int i;

		for (i = 0; i < 2; i++) {
			uint64_t want = zero ? 0 : stamp_value(seed, pos[i]);

			igt_assert_f(got[i] == want,
				     "%s: offset %#" PRIx64 " of %#" PRIx64 " holds %#" PRIx64 ", expected %#" PRIx64 "\n",
				     what, pos[i], size, got[i], want);
		}
	}
}

static uint32_t pattern_value(uint32_t seed, uint64_t index)
{
	return (uint32_t)(seed * 0x01000193u + index * 0x9e3779b1u) | 1;
}

static void write_pattern(void *ptr, uint64_t size, uint32_t seed)
{
	uint32_t *p = ptr;
	uint64_t i;

	for (i = 0; i < size / sizeof(*p); i++)
		p[i] = pattern_value(seed, i);
}

/* Every byte holds the pattern (@zero false) or is zero (@zero true). */
static void check_pattern(const void *ptr, uint64_t size, uint32_t seed,
			  bool zero, const char *what)
{
	const uint32_t *p = ptr;
	uint64_t i;

	for (i = 0; i < size / sizeof(*p); i++) {
		uint32_t want = zero ? 0 : pattern_value(seed, i);

		if (p[i] != want)
			igt_fail("%s: offset %#" PRIx64 " of %#" PRIx64 " holds %#x, expected %#x\n",
				 what, i * sizeof(*p), size, p[i], want);
	}
}

/* Map and unmap a whole object, failing the subtest on error. */
static void *map_bo(int fd, uint32_t handle, uint64_t size)
{
	return vdgpu_gem_mmap(fd, handle, size);
}

static void unmap_bo(void *ptr, uint64_t size)
{
	igt_assert_eq(munmap(ptr, size), 0);
}

static void bo_write_stamps(int fd, uint32_t handle, uint64_t size, uint64_t seed)
{
	void *ptr = map_bo(fd, handle, size);

	write_stamps(ptr, size, seed);
	unmap_bo(ptr, size);
}

static void bo_check_stamps(int fd, uint32_t handle, uint64_t size,
			    uint64_t seed, bool zero, const char *what)
{
	void *ptr = map_bo(fd, handle, size);

	check_stamps(ptr, size, seed, zero, what);
	unmap_bo(ptr, size);
}

/*
 * Stamps on the first and the last page only: enough to tell that an
 * object kept its contents (was neither purged nor lost in a move).
 */
static void bo_write_ends(int fd, uint32_t handle, uint64_t size, uint64_t seed)
{
	char *ptr = map_bo(fd, handle, size);

	write_stamps(ptr, page_size(), seed);
	write_stamps(ptr + size - page_size(), page_size(), seed + 1);
	unmap_bo(ptr, size);
}

static void bo_check_ends(int fd, uint32_t handle, uint64_t size,
			  uint64_t seed, const char *what)
{
	char *ptr = map_bo(fd, handle, size);

	check_stamps(ptr, page_size(), seed, false, what);
	check_stamps(ptr + size - page_size(), page_size(), seed + 1, false, what);
	unmap_bo(ptr, size);
}

/*
 * Reading @ptr raises SIGBUS: true, or false with the value read.  The
 * harness's own SIGBUS handler (a crash) is put back afterwards.
 */
static sigjmp_buf sigbus_jmp;

static void sigbus_handler(int sig)
{
	siglongjmp(sigbus_jmp, sig);
}

static bool read_raises_sigbus(const volatile uint64_t *ptr, uint64_t *val)
{
	struct sigaction sa = { .sa_handler = sigbus_handler }, old;

	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGBUS, &sa, &old), 0);
	if (sigsetjmp(sigbus_jmp, 1)) {
		sigaction(SIGBUS, &old, NULL);
		return true;
	}
	*val = *ptr;
	sigaction(SIGBUS, &old, NULL);
	return false;
}

/* No handle in 1..@count exists in @fd: nothing was created there. */
static void assert_no_handles(int fd, uint32_t count)
{
	uint32_t h;

	for (h = 1; h <= count; h++)
		igt_assert_f(__gem_close(fd, h) == -EINVAL,
			     "handle %u exists, though no object was created\n", h);
}

/* A page nobody may read or write, for -EFAULT. */
static void *inaccessible_page(void)
{
	void *ptr = mmap(NULL, page_size(), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

static const char *flag_names(uint32_t flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s",
		 flags & CPU_ACCESS ? "|CPU_ACCESS" : "",
		 flags & NO_CPU_ACCESS ? "|NO_CPU_ACCESS" : "",
		 flags & CONTIGUOUS ? "|CONTIGUOUS" : "",
		 flags & SYSTEM_WC ? "|SYSTEM_WC" : "",
		 flags & ~ALL_FLAGS ? "|unknown" : "");
	return buf[0] ? buf + 1 : "0";
}

/*
 * Check what GEM_INFO says of an object created with @size, @regions and
 * @flags on an otherwise idle device: the size rounded up to the page,
 * the allowed regions as a bitmask, the flags echoed, no madvise state,
 * and a current region from the list.  Returns the current region.
 */
static uint32_t check_info(int fd, uint32_t handle, uint64_t size,
			   const uint32_t *regions, uint32_t num, uint32_t flags)
{
	struct drm_vdgpu_gem_info info;
	uint32_t allowed = 0, i;
	char buf[80];

	for (i = 0; i < num; i++)
		allowed |= 1u << regions[i];

	vdgpu_gem_info(fd, handle, &info);
	igt_debug("object %u: size %" PRIu64 " region %s allowed %#x flags %s state %#x\n",
		  handle, (uint64_t)info.size, vdgpu_region_name(info.region),
		  info.allowed_regions, flag_names(info.flags, buf, sizeof(buf)),
		  info.state);
	igt_assert_eq(info.handle, handle);
	igt_assert_eq_u64(info.size, page_align(size));
	igt_assert_eq(info.allowed_regions, allowed);
	igt_assert_eq(info.flags, flags);
	igt_assert_eq(info.state, 0);
	igt_assert_eq(info.pad, 0);
	igt_assert_eq_u64(info.extensions, 0);
	igt_assert_eq_u64(info.reserved[0], 0);
	igt_assert_eq_u64(info.reserved[1], 0);
	igt_assert_f(info.region < 32 && (allowed & (1u << info.region)),
		     "object in region %u, allowed %#x\n", info.region, allowed);
	return info.region;
}

/*
 * Query
 */

/* DRM_IOCTL_VDGPU_QUERY with every field under the caller's control. */
static int query_raw(int fd, struct drm_vdgpu_query *q)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_QUERY, q);
}

/*
 * The protocol of one query item, @min_size being the size of this uAPI's
 * structure and @stable whether two reads must be identical (usage figures
 * are not):
 * - size 0 answers the item's size, at least @min_size, and ignores data,
 *   even a pointer nothing could be written to;
 * - a buffer of exactly that size is filled and the size is answered again;
 * - a larger buffer gets the item and its size, the bytes beyond untouched;
 * - one byte short, or 1 byte, is -EINVAL and writes nothing;
 * - an unwritable buffer (NULL, PROT_NONE, read-only) is -EFAULT.
 * Returns the item, read into a malloc()ed buffer, and its size.
 */
static void *check_query_protocol(int fd, uint32_t id, uint32_t min_size,
				  bool stable, uint32_t *item_size)
{
	struct drm_vdgpu_query q;
	unsigned char *item, *big, *ro;
	void *none = inaccessible_page();
	uint32_t size, i;

	memset(&q, 0, sizeof(q));
	q.query = id;
	igt_assert_err(query_raw(fd, &q), 0);
	size = q.size;
	igt_info("query %u: %u bytes\n", id, size);
	igt_assert_lte(min_size, size);

	memset(&q, 0, sizeof(q));
	q.query = id;
	q.data = to_user_pointer(none);
	igt_assert_err(query_raw(fd, &q), 0);
	igt_assert_eq(q.size, size);

	item = malloc(size);
	igt_assert(item);
	memset(item, 0xa5, size);
	memset(&q, 0, sizeof(q));
	q.query = id;
	q.size = size;
	q.data = to_user_pointer(item);
	igt_assert_err(query_raw(fd, &q), 0);
	igt_assert_eq(q.size, size);

	big = malloc(size + 64);
	igt_assert(big);
	memset(big, 0x5a, size + 64);
	memset(&q, 0, sizeof(q));
	q.query = id;
	q.size = size + 64;
	q.data = to_user_pointer(big);
	igt_assert_err(query_raw(fd, &q), 0);
	igt_assert_eq(q.size, size);
	for (i = size; i < size + 64; i++)
		igt_assert_f(big[i] == 0x5a,
			     "query %u wrote byte %u of a %u-byte buffer, the item has %u\n",
			     id, i, size + 64, size);
	if (stable)
		igt_assert_f(!memcmp(item, big, size),
			     "query %u answers differently for a larger buffer\n", id);
	free(big);

	/* Too small: refused, and nothing written. */
	{
		const uint32_t small[] = { size - 1, 1 };

		for (i = 0; i < ARRAY_SIZE(small); i++) {
			unsigned char *buf = malloc(size);

			igt_assert(buf);
			memset(buf, 0x3c, size);
			memset(&q, 0, sizeof(q));
			q.query = id;
			q.size = small[i];
			q.data = to_user_pointer(buf);
			igt_assert_err(query_raw(fd, &q), -EINVAL);
			igt_assert_f(buf[0] == 0x3c && buf[small[i] - 1] == 0x3c,
				     "query %u refused a %u-byte buffer but wrote to it\n",
				     id, small[i]);
			free(buf);
		}
	}

	/* Unwritable buffers. */
	memset(&q, 0, sizeof(q));
	q.query = id;
	q.size = size;
	q.data = 0;
	igt_assert_err(query_raw(fd, &q), -EFAULT);
	q.size = size;
	q.data = to_user_pointer(none);
	igt_assert_err(query_raw(fd, &q), -EFAULT);
	ro = mmap(NULL, page_align(size), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(ro != MAP_FAILED);
	q.size = size;
	q.data = to_user_pointer(ro);
	igt_assert_err(query_raw(fd, &q), -EFAULT);
	munmap(ro, page_align(size));
	munmap(none, page_size());

	*item_size = size;
	return item;
}

/*
 * query-device: DRM_VDGPU_QUERY_DEVICE follows the query protocol (see
 * check_query_protocol()) and describes this device: uAPI 1.x with the
 * minor DRM_IOCTL_VERSION reports (each uAPI addition bumps it), 3 memory
 * regions and 3 engines, objects aligned to the CPU page size, a nonzero
 * maximum object size and room for at least one region in an object's
 * list; pad and reserved are zero.
 */
static void test_query_device(void)
{
	struct drm_vdgpu_query_device *dev;
	drmVersionPtr v;
	uint32_t size, i;
	int fd;

	fd = open_gem();
	dev = check_query_protocol(fd, DRM_VDGPU_QUERY_DEVICE, sizeof(*dev),
				   true, &size);
	igt_info("uAPI %u.%u, %u regions, %u engines, alignment %" PRIu64
		 ", max object %" PRIu64 ", max regions %u\n",
		 dev->uapi_major, dev->uapi_minor, dev->num_mem_regions,
		 dev->num_engines, (uint64_t)dev->min_alignment,
		 (uint64_t)dev->max_object_size, dev->max_regions);

	v = drmGetVersion(fd);
	igt_assert(v);
	igt_assert_eq(dev->uapi_major, v->version_major);
	igt_assert_eq(dev->uapi_minor, v->version_minor);
	drmFreeVersion(v);
	igt_assert_eq(dev->uapi_major, VDGPU_GEM_UAPI_MAJOR);
	igt_assert_lte(VDGPU_GEM_UAPI_MINOR, dev->uapi_minor);

	igt_assert_eq(dev->num_mem_regions, VDGPU_NUM_REGION_IDS);
	igt_assert_eq(dev->num_engines, 3);
	igt_assert_eq_u64(dev->min_alignment, page_size());
	igt_assert_lte_u64(dev->min_alignment, dev->max_object_size);
	igt_assert_lte(1, dev->max_regions);
	igt_assert_eq(dev->pad, 0);
	for (i = 0; i < ARRAY_SIZE(dev->reserved); i++)
		igt_assert_eq_u64(dev->reserved[i], 0);
	free(dev);
	close(fd);
}

/*
 * query-regions: DRM_VDGPU_QUERY_MEM_REGIONS follows the query protocol
 * and lists the three fixed regions in id order, with its stride
 * (region_size) at least this uAPI's structure and the size answered
 * exactly the header plus num_regions strides.  Region 0 is SYSTEM (class
 * 0), 1 GTT (class 1), 2 VRAM0 (class 2), all instance 0, with a
 * power-of-two min_page_size of at least 4 KiB.  The sizes are the module
 * parameters': GTT is exactly gart_size MiB; VRAM is vram_size MiB less
 * what the kernel keeps at its start for the GART table (8 bytes per 4 KiB
 * of aperture, rounded up to 2 MiB so that VMs can map VRAM with 2 MiB
 * pages): at most vram_size, at least vram_size - gart_size / 512 - 2 MiB;
 * its CPU-visible part likewise relative to
 * visible_vram_size (all of VRAM when that is 0).  SYSTEM is no larger
 * than the machine's RAM.  cpu_visible_size equals total_size for SYSTEM
 * and GTT, no used figure exceeds its total, and reserved is zero.
 */
static void test_query_regions(void)
{
	struct drm_vdgpu_query_mem_regions *r;
	uint64_t vram, visible, gart, slack, ram;
	struct sysinfo si;
	uint32_t size, i, j;
	int fd;

	fd = open_gem();
	vram = vdgpu_require_param_u64("vram_size") * MIB;
	visible = vdgpu_require_param_u64("visible_vram_size") * MIB ?: vram;
	gart = vdgpu_require_param_u64("gart_size") * MIB;
	slack = gart / 512 + 2 * MIB;
	igt_assert_eq(sysinfo(&si), 0);
	ram = (uint64_t)si.totalram * si.mem_unit;

	r = check_query_protocol(fd, DRM_VDGPU_QUERY_MEM_REGIONS, sizeof(*r),
				 false, &size);
	igt_assert_eq(r->num_regions, VDGPU_NUM_REGION_IDS);
	igt_assert_lte(sizeof(struct drm_vdgpu_mem_region), r->region_size);
	igt_assert_eq_u64(size, sizeof(*r) + (uint64_t)r->num_regions * r->region_size);

	for (i = 0; i < r->num_regions; i++) {
		struct drm_vdgpu_mem_region m;

		memcpy(&m, (char *)r->regions + (size_t)i * r->region_size, sizeof(m));
		igt_info("region %u: class %u instance %u, page %" PRIu64 ", total %" PRIu64
			 ", used %" PRIu64 ", visible %" PRIu64 ", visible used %" PRIu64 "\n",
			 m.id, m.mem_class, m.instance, (uint64_t)m.min_page_size,
			 (uint64_t)m.total_size, (uint64_t)m.used,
			 (uint64_t)m.cpu_visible_size, (uint64_t)m.cpu_visible_used);

		igt_assert_eq(m.id, region_ids[i]);
		igt_assert_eq(m.mem_class, i == SYSTEM ? DRM_VDGPU_MEM_CLASS_SYSTEM :
				i == GTT ? DRM_VDGPU_MEM_CLASS_GTT : DRM_VDGPU_MEM_CLASS_VRAM);
		igt_assert_eq(m.instance, 0);
		igt_assert_lte_u64(4096, m.min_page_size);
		igt_assert_f(!(m.min_page_size & (m.min_page_size - 1)),
			     "min_page_size %" PRIu64 " is not a power of two\n",
			     (uint64_t)m.min_page_size);
		igt_assert_lte_u64(m.used, m.total_size);
		igt_assert_lte_u64(m.cpu_visible_size, m.total_size);
		igt_assert_lte_u64(m.cpu_visible_used, m.cpu_visible_size);
		for (j = 0; j < ARRAY_SIZE(m.reserved); j++)
			igt_assert_eq_u64(m.reserved[j], 0);

		switch (m.id) {
		case SYSTEM:
			igt_assert_lt(0, m.total_size);
			igt_assert_lte_u64(m.total_size, ram);
			igt_assert_eq_u64(m.cpu_visible_size, m.total_size);
			break;
		case GTT:
			igt_assert_eq_u64(m.total_size, gart);
			igt_assert_eq_u64(m.cpu_visible_size, m.total_size);
			break;
		case VRAM:
			igt_assert_lte_u64(m.total_size, vram);
			igt_assert_lte_u64(vram - slack, m.total_size);
			igt_assert_lte_u64(m.cpu_visible_size, visible);
			igt_assert_lte_u64(visible - slack, m.cpu_visible_size);
			igt_assert_lte_u64(m.cpu_visible_used, m.used);
			break;
		}
	}
	free(r);
	close(fd);
}

/*
 * query-engines: DRM_VDGPU_QUERY_ENGINES follows the query protocol and
 * lists two copy engines (instances 0 and 1) and one compute engine
 * (instance 0), with a stride of at least this uAPI's structure, the size
 * answered exactly the header plus num_engines strides, and pad and
 * reserved zero.
 */
static void test_query_engines(void)
{
	struct drm_vdgpu_query_engines *e;
	unsigned int copy = 0, compute = 0;
	uint32_t size, i, j;
	int fd;

	fd = open_gem();
	e = check_query_protocol(fd, DRM_VDGPU_QUERY_ENGINES, sizeof(*e), true,
				 &size);
	igt_assert_eq(e->num_engines, 3);
	igt_assert_lte(sizeof(struct drm_vdgpu_engine), e->engine_size);
	igt_assert_eq_u64(size, sizeof(*e) + (uint64_t)e->num_engines * e->engine_size);

	for (i = 0; i < e->num_engines; i++) {
		struct drm_vdgpu_engine eng;

		memcpy(&eng, (char *)e->engines + (size_t)i * e->engine_size, sizeof(eng));
		igt_info("engine %u: class %u instance %u\n", i, eng.engine_class,
			 eng.instance);
		igt_assert_eq(eng.pad, 0);
		for (j = 0; j < ARRAY_SIZE(eng.reserved); j++)
			igt_assert_eq_u64(eng.reserved[j], 0);
		switch (eng.engine_class) {
		case DRM_VDGPU_ENGINE_CLASS_COPY:
			igt_assert_f(eng.instance < 2 && !(copy & (1u << eng.instance)),
				     "copy engine instance %u unexpected or repeated\n",
				     eng.instance);
			copy |= 1u << eng.instance;
			break;
		case DRM_VDGPU_ENGINE_CLASS_COMPUTE:
			igt_assert_f(eng.instance < 1 && !(compute & (1u << eng.instance)),
				     "compute engine instance %u unexpected or repeated\n",
				     eng.instance);
			compute |= 1u << eng.instance;
			break;
		default:
			igt_fail("engine %u has unknown class %u\n", i, eng.engine_class);
		}
	}
	igt_assert_eq(copy, 0x3);
	igt_assert_eq(compute, 0x1);
	free(e);
	close(fd);
}

/* A query of the device item that must succeed, for the bad-* controls. */
static void query_control(int fd, struct drm_vdgpu_query *q,
			  struct drm_vdgpu_query_device *dev)
{
	memset(q, 0, sizeof(*q));
	memset(dev, 0, sizeof(*dev));
	q->query = DRM_VDGPU_QUERY_DEVICE;
	q->size = sizeof(*dev);
	q->data = to_user_pointer(dev);
	igt_assert_err(query_raw(fd, q), 0);
	igt_assert_eq(dev->uapi_major, VDGPU_GEM_UAPI_MAJOR);
	memset(dev, 0, sizeof(*dev));
	q->size = sizeof(*dev);
}

/*
 * query-bad-id: query ids other than DEVICE, MEM_REGIONS and ENGINES are
 * -EINVAL, with size 0 as with a buffer, which stays untouched.
 */
static void test_query_bad_id(void)
{
	const uint32_t ids[] = { 3, 4, 0x100, 0x80000000u, ~0u };
	struct drm_vdgpu_query_device dev;
	struct drm_vdgpu_query q;
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		query_control(fd, &q, &dev);
		q.query = ids[i];
		igt_assert_err(query_raw(fd, &q), -EINVAL);
		igt_assert_eq(dev.uapi_major, 0);
		q.size = 0;
		igt_assert_err(query_raw(fd, &q), -EINVAL);
	}
	close(fd);
}

/*
 * query-bad-extensions: a nonzero extensions field is -EINVAL, even one
 * that points at readable zeroes; the buffer stays untouched.
 */
static void test_query_bad_extensions(void)
{
	uint64_t zeroes[8] = {};
	const uint64_t ext[] = { 1, to_user_pointer(zeroes), ~0ull };
	struct drm_vdgpu_query_device dev;
	struct drm_vdgpu_query q;
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		query_control(fd, &q, &dev);
		q.extensions = ext[i];
		igt_assert_err(query_raw(fd, &q), -EINVAL);
		igt_assert_eq(dev.uapi_major, 0);
	}
	close(fd);
}

/*
 * query-bad-reserved: a nonzero word of reserved is -EINVAL, with a buffer
 * and with size 0; the buffer stays untouched.
 */
static void test_query_bad_reserved(void)
{
	struct drm_vdgpu_query_device dev;
	struct drm_vdgpu_query q;
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(q.reserved); i++) {
		query_control(fd, &q, &dev);
		q.reserved[i] = 1;
		igt_assert_err(query_raw(fd, &q), -EINVAL);
		igt_assert_eq(dev.uapi_major, 0);
		q.size = 0;
		igt_assert_err(query_raw(fd, &q), -EINVAL);
	}
	close(fd);
}

/*
 * Creating objects
 */

/*
 * Objects of odd and even sizes in region @id: each has a distinct handle
 * and reports its size rounded up to the page, the region, the allowed
 * mask of that region alone, no flags and no madvise state.  For VRAM and
 * GTT, which place an object when it is created, used grows by at least
 * the size while an 8 MiB object exists and comes back once it is closed
 * (polling a little: the memory may be freed once the object is idle).
 * A closed handle is gone: closing it again is -EINVAL.
 */
static void test_create_region(uint32_t id)
{
	const uint64_t sizes[] = {
		1, 4095, 4096, 4097, 64 * KIB, MIB + 1, 3 * MIB,
	};
	uint32_t handles[ARRAY_SIZE(sizes)];
	bool placed = id != SYSTEM;
	uint64_t before = 0, during;
	uint32_t h;
	size_t i, j;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		handles[i] = vdgpu_gem_create_in(fd, sizes[i], id, 0);
		igt_assert_eq(check_info(fd, handles[i], sizes[i], &id, 1, 0), id);
		for (j = 0; j < i; j++)
			igt_assert_neq(handles[i], handles[j]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		gem_close(fd, handles[i]);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		igt_assert_err(__gem_close(fd, handles[i]), -EINVAL);

	if (placed) {
		before = settled_usage(fd, id, false);
		h = vdgpu_gem_create_in(fd, 8 * MIB, id, 0);
		during = vdgpu_region_used(fd, id);
		igt_info("%s used: %" PRIu64 " before, %" PRIu64 " with an 8 MiB object\n",
			 vdgpu_region_name(id), before, during);
		igt_assert_lte_u64(before + 8 * MIB, during);
		vdgpu_gem_wait_idle(fd, h);
		gem_close(fd, h);
		assert_usage_back(fd, id, false, before);
	}
	close(fd);
}

static void test_create_system(void) { test_create_region(SYSTEM); }
static void test_create_gtt(void) { test_create_region(GTT); }
static void test_create_vram(void) { test_create_region(VRAM); }

/*
 * create-combinations: objects allowed in several regions, in several
 * orders (every list of two regions and three orders of all three, as far
 * as max_regions allows), with and without flags.  On an idle device every
 * region has room, so each object is placed in the first region of its
 * list; GEM_INFO reports the union of the list as allowed_regions and the
 * flags as given.
 */
static void test_create_combinations(void)
{
	static const struct {
		uint32_t num;
		uint32_t regions[3];
	} lists[] = {
		{ 2, { SYSTEM, GTT } },
		{ 2, { GTT, SYSTEM } },
		{ 2, { VRAM, GTT } },
		{ 2, { GTT, VRAM } },
		{ 2, { VRAM, SYSTEM } },
		{ 2, { SYSTEM, VRAM } },
		{ 3, { VRAM, GTT, SYSTEM } },
		{ 3, { SYSTEM, GTT, VRAM } },
		{ 3, { GTT, VRAM, SYSTEM } },
	};
	const uint32_t flags[] = { 0, CPU_ACCESS, SYSTEM_WC, CONTIGUOUS };
	struct drm_vdgpu_query_device dev;
	size_t i, f;
	int fd, tested = 0;

	fd = open_gem();
	vdgpu_query_device(fd, &dev);
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		if (lists[i].num > dev.max_regions) {
			igt_info("max_regions %u: not trying a list of %u\n",
				 dev.max_regions, lists[i].num);
			continue;
		}
		for (f = 0; f < ARRAY_SIZE(flags); f++) {
			uint64_t size = 2 * MIB + 4 * KIB;
			uint32_t h, region;

			h = vdgpu_gem_create(fd, size, lists[i].regions,
					     lists[i].num, flags[f]);
			region = check_info(fd, h, size, lists[i].regions,
					    lists[i].num, flags[f]);
			igt_assert_f(region == lists[i].regions[0],
				     "list %u: object in %s, not in the first region %s\n",
				     (unsigned int)i, vdgpu_region_name(region),
				     vdgpu_region_name(lists[i].regions[0]));
			gem_close(fd, h);
			tested++;
		}
	}
	igt_assert_lt(0, tested);
	close(fd);
}

/*
 * create-flag-cpu-access: CPU_ACCESS is accepted in every region and
 * echoed by GEM_INFO.  A VRAM object with it lies in the CPU-visible
 * window: cpu_visible_used grows by at least its size; it maps and keeps
 * what is written to it.  In a VRAM-then-GTT list it still goes to VRAM.
 */
static void test_create_flag_cpu_access(void)
{
	const uint32_t vram_gtt[] = { VRAM, GTT };
	uint64_t size = 4 * MIB, before, during;
	uint32_t h;
	size_t i;
	void *ptr;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		h = vdgpu_gem_create_in(fd, size, region_ids[i], CPU_ACCESS);
		igt_assert_eq(check_info(fd, h, size, &region_ids[i], 1, CPU_ACCESS),
			      region_ids[i]);
		gem_close(fd, h);
	}

	before = settled_usage(fd, VRAM, true);
	h = vdgpu_gem_create_in(fd, size, VRAM, CPU_ACCESS);
	during = vdgpu_region_visible_used(fd, VRAM);
	igt_info("cpu_visible_used %" PRIu64 " before, %" PRIu64 " with the object\n",
		 before, during);
	igt_assert_lte_u64(before + size, during);
	ptr = map_bo(fd, h, size);
	write_pattern(ptr, size, 1);
	check_pattern(ptr, size, 1, false, "CPU_ACCESS object");
	unmap_bo(ptr, size);
	igt_assert_eq(vdgpu_gem_region(fd, h), VRAM);
	gem_close(fd, h);

	h = vdgpu_gem_create(fd, size, vram_gtt, 2, CPU_ACCESS);
	igt_assert_eq(check_info(fd, h, size, vram_gtt, 2, CPU_ACCESS), VRAM);
	gem_close(fd, h);
	close(fd);
}

/*
 * create-flag-no-cpu-access: NO_CPU_ACCESS is accepted in every region and
 * in a list, and echoed by GEM_INFO; such an object has no mmap offset
 * (-EINVAL, in any region), and the refusal leaves it usable (GEM_INFO,
 * GEM_WAIT).  With a CPU-visible window smaller than VRAM the object is
 * placed from the top, away from the window: cpu_visible_used does not
 * grow (checked only then).
 */
static void test_create_flag_no_cpu_access(void)
{
	const uint32_t vram_gtt[] = { VRAM, GTT };
	struct drm_vdgpu_mem_region vram;
	uint64_t size = 4 * MIB, offset = 0, before, during;
	uint32_t h;
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		h = vdgpu_gem_create_in(fd, size, region_ids[i], NO_CPU_ACCESS);
		igt_assert_eq(check_info(fd, h, size, &region_ids[i], 1, NO_CPU_ACCESS),
			      region_ids[i]);
		igt_assert_err(__vdgpu_gem_mmap_offset(fd, h, &offset), -EINVAL);
		vdgpu_gem_wait_idle(fd, h);
		check_info(fd, h, size, &region_ids[i], 1, NO_CPU_ACCESS);
		gem_close(fd, h);
	}

	h = vdgpu_gem_create(fd, size, vram_gtt, 2, NO_CPU_ACCESS);
	igt_assert_eq(check_info(fd, h, size, vram_gtt, 2, NO_CPU_ACCESS), VRAM);
	igt_assert_err(__vdgpu_gem_mmap_offset(fd, h, &offset), -EINVAL);
	gem_close(fd, h);

	vdgpu_query_region(fd, VRAM, &vram);
	if (vram.cpu_visible_size < vram.total_size &&
	    vram.total_size - vram.used > vram.cpu_visible_size + size) {
		before = settled_usage(fd, VRAM, true);
		h = vdgpu_gem_create_in(fd, size, VRAM, NO_CPU_ACCESS);
		during = vdgpu_region_visible_used(fd, VRAM);
		igt_info("cpu_visible_used %" PRIu64 " before, %" PRIu64 " with the object\n",
			 before, during);
		igt_assert_lte_u64(during, before);
		gem_close(fd, h);
	} else {
		igt_info("all of VRAM is CPU-visible: not checking the placement\n");
	}
	close(fd);
}

/*
 * create-flag-contiguous: CONTIGUOUS is accepted in every region (it only
 * matters in VRAM) and echoed; a contiguous VRAM object of a size that is
 * not a power of two is placed in VRAM, maps, and keeps what is written.
 */
static void test_create_flag_contiguous(void)
{
	uint64_t size = 5 * MIB + 12 * KIB;
	uint32_t h;
	size_t i;
	void *ptr;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		h = vdgpu_gem_create_in(fd, size, region_ids[i], CONTIGUOUS);
		igt_assert_eq(check_info(fd, h, size, &region_ids[i], 1, CONTIGUOUS),
			      region_ids[i]);
		ptr = map_bo(fd, h, size);
		write_pattern(ptr, size, 2 + i);
		unmap_bo(ptr, size);
		ptr = map_bo(fd, h, size);
		check_pattern(ptr, size, 2 + i, false, "CONTIGUOUS object");
		unmap_bo(ptr, size);
		igt_assert_eq(vdgpu_gem_region(fd, h), region_ids[i]);
		gem_close(fd, h);
	}
	close(fd);
}

/*
 * create-flag-system-wc: SYSTEM_WC is accepted in every region (it only
 * changes how system pages are mapped) and echoed; write-combined SYSTEM
 * and GTT objects map and keep what is written.  Whether the mapping
 * really is write-combined cannot be seen from userspace.
 */
static void test_create_flag_system_wc(void)
{
	uint64_t size = 2 * MIB;
	uint32_t h;
	size_t i;
	void *ptr;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		h = vdgpu_gem_create_in(fd, size, region_ids[i], SYSTEM_WC);
		igt_assert_eq(check_info(fd, h, size, &region_ids[i], 1, SYSTEM_WC),
			      region_ids[i]);
		ptr = map_bo(fd, h, size);
		write_pattern(ptr, size, 7 + i);
		unmap_bo(ptr, size);
		ptr = map_bo(fd, h, size);
		check_pattern(ptr, size, 7 + i, false, "SYSTEM_WC object");
		unmap_bo(ptr, size);
		gem_close(fd, h);
	}
	close(fd);
}

/*
 * Refused arguments.  Each *-bad-* subtest first has the kernel accept a
 * valid argument (the control), then changes one thing at a time and
 * expects the documented error, and finally checks that the refusals left
 * nothing behind.
 */

static int create_raw(int fd, struct drm_vdgpu_gem_create *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_CREATE, arg);
}

struct bad_create {
	int fd;				/* the refused calls go here */
	struct drm_vdgpu_query_device dev;
	uint32_t vram;			/* the region list of @arg */
	struct drm_vdgpu_gem_create arg; /* a valid argument */
	uint64_t vram_used;		/* VRAM used before the refusals */
};

/*
 * The control creates an object from @b->arg in another file, so that
 * the file of the refusals never holds a handle.
 */
static void bad_create_begin(struct bad_create *b)
{
	struct drm_vdgpu_gem_create arg;
	int ctl;

	b->fd = open_gem();
	vdgpu_query_device(b->fd, &b->dev);
	b->vram = VRAM;
	memset(&b->arg, 0, sizeof(b->arg));
	b->arg.size = MIB;
	b->arg.regions = to_user_pointer(&b->vram);
	b->arg.num_regions = 1;

	ctl = open_gem();
	arg = b->arg;
	igt_assert_err(create_raw(ctl, &arg), 0);
	igt_assert_neq(arg.handle, 0);
	vdgpu_gem_wait_idle(ctl, arg.handle);
	gem_close(ctl, arg.handle);
	close(ctl);
	b->vram_used = settled_usage(b->fd, VRAM, false);
}

/* No handle appeared in the file and VRAM use did not grow. */
static void bad_create_end(struct bad_create *b)
{
	uint64_t used;

	assert_no_handles(b->fd, 64);
	used = vdgpu_region_used(b->fd, VRAM);
	igt_assert_f(used <= b->vram_used,
		     "VRAM used grew from %" PRIu64 " to %" PRIu64 " though every create failed\n",
		     b->vram_used, used);
	close(b->fd);
}

/* Create with @regions (@num entries) instead of the control's list. */
static int bad_create_list(struct bad_create *b, const uint32_t *regions,
			   uint32_t num)
{
	struct drm_vdgpu_gem_create arg = b->arg;

	arg.regions = to_user_pointer(regions);
	arg.num_regions = num;
	return create_raw(b->fd, &arg);
}

/* create-bad-zero-size: a size of 0 is -EINVAL, in any region. */
static void test_create_bad_zero_size(void)
{
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		arg = b.arg;
		arg.size = 0;
		arg.regions = to_user_pointer(&region_ids[i]);
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * create-bad-overflow-size: sizes beyond max_object_size are -EINVAL
 * (not -ENOSPC, not an object of a wrapped-around size), in any region:
 * ~0, the sizes whose rounding up to the page would wrap to 0, 2^63,
 * and max_object_size plus one byte or one page.
 */
static void test_create_bad_overflow_size(void)
{
	struct drm_vdgpu_gem_create arg;
	uint64_t sizes[8], max;
	struct bad_create b;
	size_t n = 0, i, r;

	bad_create_begin(&b);
	max = b.dev.max_object_size;
	sizes[n++] = ~0ull;
	sizes[n++] = ~0ull - page_size() + 2;
	sizes[n++] = -page_size();
	sizes[n++] = 1ull << 63;
	if (max < ~0ull - page_size()) {
		sizes[n++] = max + 1;
		sizes[n++] = page_align(max) + page_size();
	}
	for (i = 0; i < n; i++) {
		igt_debug("size %#" PRIx64 "\n", sizes[i]);
		igt_assert_lt_u64(max, sizes[i]);
		for (r = 0; r < ARRAY_SIZE(region_ids); r++) {
			arg = b.arg;
			arg.size = sizes[i];
			arg.regions = to_user_pointer(&region_ids[r]);
			igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
		}
	}
	bad_create_end(&b);
}

/*
 * create-bad-unknown-region: a region id this version does not have (3 and
 * beyond) is -EINVAL, alone or after a valid id.
 */
static void test_create_bad_unknown_region(void)
{
	const uint32_t unknown[] = { VDGPU_NUM_REGION_IDS, 4, 31, 32, 0x80000002u, ~0u };
	struct bad_create b;
	uint32_t list[2];
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		igt_assert_err(bad_create_list(&b, &unknown[i], 1), -EINVAL);
		if (b.dev.max_regions < 2)
			continue;
		list[0] = VRAM;
		list[1] = unknown[i];
		igt_assert_err(bad_create_list(&b, list, 2), -EINVAL);
		list[0] = unknown[i];
		list[1] = SYSTEM;
		igt_assert_err(bad_create_list(&b, list, 2), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * create-bad-empty-regions: an empty region list is -EINVAL, whether the
 * pointer is valid or NULL.
 */
static void test_create_bad_empty_regions(void)
{
	struct bad_create b;

	bad_create_begin(&b);
	igt_assert_err(bad_create_list(&b, &b.vram, 0), -EINVAL);
	igt_assert_err(bad_create_list(&b, NULL, 0), -EINVAL);
	bad_create_end(&b);
}

/*
 * create-bad-too-many-regions: a list longer than max_regions is -EINVAL,
 * and the count is checked before the list is read: huge counts over a
 * three-entry array (including ones whose size in bytes wraps in 32 bits)
 * are -EINVAL, not -EFAULT.
 */
static void test_create_bad_too_many_regions(void)
{
	const uint32_t counts[] = { 64, 1024, 0x40000000u, 0x40000001u, ~0u };
	uint32_t *list, n, i;
	struct bad_create b;

	bad_create_begin(&b);
	n = b.dev.max_regions + 1;
	list = calloc(n, sizeof(*list));
	igt_assert(list);
	for (i = 0; i < n; i++)
		list[i] = region_ids[i % ARRAY_SIZE(region_ids)];
	igt_assert_err(bad_create_list(&b, list, n), -EINVAL);
	free(list);

	for (i = 0; i < ARRAY_SIZE(counts); i++)
		if (counts[i] > b.dev.max_regions)
			igt_assert_err(bad_create_list(&b, region_ids, counts[i]), -EINVAL);
	bad_create_end(&b);
}

/*
 * create-bad-duplicate-region: a region listed twice is -EINVAL, next to
 * each other or not.
 */
static void test_create_bad_duplicate_region(void)
{
	static const struct {
		uint32_t num;
		uint32_t regions[3];
	} lists[] = {
		{ 2, { VRAM, VRAM } },
		{ 2, { GTT, GTT } },
		{ 2, { SYSTEM, SYSTEM } },
		{ 3, { SYSTEM, GTT, SYSTEM } },
		{ 3, { VRAM, VRAM, GTT } },
		{ 3, { GTT, VRAM, VRAM } },
	};
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	igt_require_f(b.dev.max_regions >= 2, "max_regions is %u\n", b.dev.max_regions);
	for (i = 0; i < ARRAY_SIZE(lists); i++)
		if (lists[i].num <= b.dev.max_regions)
			igt_assert_err(bad_create_list(&b, lists[i].regions,
						       lists[i].num), -EINVAL);
	bad_create_end(&b);
}

/*
 * create-bad-regions-pointer: a region list the kernel cannot read is
 * -EFAULT: NULL, an inaccessible page, a kernel address, and a list whose
 * second entry lies on an inaccessible page after a readable first one.
 */
static void test_create_bad_regions_pointer(void)
{
	struct bad_create b;
	char *pages;

	bad_create_begin(&b);
	igt_assert_err(bad_create_list(&b, NULL, 1), -EFAULT);

	pages = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(pages != MAP_FAILED);
	igt_assert_eq(mprotect(pages + page_size(), page_size(), PROT_NONE), 0);
	igt_assert_err(bad_create_list(&b, (uint32_t *)(pages + page_size()), 1),
		       -EFAULT);
	if (b.dev.max_regions >= 2) {
		uint32_t *last = (uint32_t *)(pages + page_size()) - 1;

		*last = VRAM;
		igt_assert_err(bad_create_list(&b, last, 2), -EFAULT);
	}
	munmap(pages, 2 * page_size());

	igt_assert_err(bad_create_list(&b, (uint32_t *)(uintptr_t)0xffff888000000000ull, 1),
		       -EFAULT);
	bad_create_end(&b);
}

/*
 * create-bad-flags: every flag bit this version does not define is
 * -EINVAL, alone or with the valid flags.
 */
static void test_create_bad_flags(void)
{
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	unsigned int bit;

	bad_create_begin(&b);
	for (bit = 0; bit < 32; bit++) {
		if (ALL_FLAGS & (1u << bit))
			continue;
		arg = b.arg;
		arg.flags = 1u << bit;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
		arg.flags = (1u << bit) | CPU_ACCESS | CONTIGUOUS | SYSTEM_WC;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * create-bad-contradictory-flags: CPU_ACCESS together with NO_CPU_ACCESS
 * is -EINVAL in every region, with or without the other flags.
 */
static void test_create_bad_contradictory_flags(void)
{
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		arg = b.arg;
		arg.regions = to_user_pointer(&region_ids[i]);
		arg.flags = CPU_ACCESS | NO_CPU_ACCESS;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
		arg.flags = ALL_FLAGS;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * create-bad-extensions: a nonzero extensions field is -EINVAL, even one
 * pointing at readable zeroes.
 */
static void test_create_bad_extensions(void)
{
	uint64_t zeroes[8] = {};
	const uint64_t ext[] = { 1, to_user_pointer(zeroes), ~0ull };
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		arg = b.arg;
		arg.extensions = ext[i];
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/* create-bad-reserved: a nonzero word of reserved is -EINVAL. */
static void test_create_bad_reserved(void)
{
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(arg.reserved); i++) {
		arg = b.arg;
		arg.reserved[i] = 1;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
		arg.reserved[i] = ~0ull;
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * create-bad-vm-id: no VM exists in this version, so any vm_id but 0 is
 * -ENOENT (a VM id that does not exist), not -EINVAL.
 */
static void test_create_bad_vm_id(void)
{
	const uint32_t ids[] = { 1, 2, 0x80000000u, ~0u };
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		arg = b.arg;
		arg.vm_id = ids[i];
		igt_assert_err(create_raw(b.fd, &arg), -ENOENT);
	}
	bad_create_end(&b);
}

/*
 * create-bad-handle: handle is an output, and output fields must be zero on
 * input (so that they can become inputs later): any other value is -EINVAL.
 */
static void test_create_bad_handle(void)
{
	const uint32_t handles[] = { 1, 2, 0x80000000u, ~0u };
	struct drm_vdgpu_gem_create arg;
	struct bad_create b;
	size_t i;

	bad_create_begin(&b);
	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		arg = b.arg;
		arg.handle = handles[i];
		igt_assert_err(create_raw(b.fd, &arg), -EINVAL);
	}
	bad_create_end(&b);
}

/*
 * The other ioctls on an object: one VRAM object of 1 MiB, no flags.  At
 * the end it must be as it was (GEM_INFO unchanged, in particular no
 * madvise state) and its handle the only one in the file.
 */
struct bad_bo {
	int fd;
	uint32_t handle;
	uint32_t closed;	/* a handle that existed and was closed */
};

static void bad_bo_begin(struct bad_bo *b)
{
	const uint32_t vram = VRAM;

	b->fd = open_gem();
	b->closed = vdgpu_gem_create_in(b->fd, MIB, VRAM, 0);
	b->handle = vdgpu_gem_create_in(b->fd, MIB, VRAM, 0);
	gem_close(b->fd, b->closed);
	check_info(b->fd, b->handle, MIB, &vram, 1, 0);
}

static void bad_bo_end(struct bad_bo *b)
{
	const uint32_t vram = VRAM;

	check_info(b->fd, b->handle, MIB, &vram, 1, 0);
	gem_close(b->fd, b->handle);
	assert_no_handles(b->fd, 64);
	close(b->fd);
}

/* Handles that do not name an object in @b->fd. */
static void bad_handles(const struct bad_bo *b, uint32_t *handles, size_t *n)
{
	*n = 0;
	handles[(*n)++] = 0;
	handles[(*n)++] = b->closed;
	handles[(*n)++] = b->handle + 1;
	handles[(*n)++] = 0x7fffffffu;
	handles[(*n)++] = ~0u;
}

static int mmap_offset_raw(int fd, struct drm_vdgpu_gem_mmap_offset *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET, arg);
}

static void mmap_offset_control(const struct bad_bo *b,
				struct drm_vdgpu_gem_mmap_offset *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
	igt_assert_err(mmap_offset_raw(b->fd, arg), 0);
	igt_assert_neq(arg->offset, 0);
	arg->offset = 0;
}

/*
 * mmap-offset-bad-handle: MMAP_OFFSET of a handle the file does not have
 * (0, closed, never created) is -ENOENT.
 */
static void test_mmap_offset_bad_handle(void)
{
	struct drm_vdgpu_gem_mmap_offset arg;
	uint32_t handles[8];
	struct bad_bo b;
	size_t i, n;

	bad_bo_begin(&b);
	mmap_offset_control(&b, &arg);
	bad_handles(&b, handles, &n);
	for (i = 0; i < n; i++) {
		arg.handle = handles[i];
		igt_assert_err(mmap_offset_raw(b.fd, &arg), -ENOENT);
	}
	bad_bo_end(&b);
}

/* mmap-offset-bad-flags: any flag is -EINVAL: none is defined. */
static void test_mmap_offset_bad_flags(void)
{
	struct drm_vdgpu_gem_mmap_offset arg;
	struct bad_bo b;
	unsigned int bit;

	bad_bo_begin(&b);
	for (bit = 0; bit < 32; bit++) {
		mmap_offset_control(&b, &arg);
		arg.flags = 1u << bit;
		igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/* mmap-offset-bad-extensions: a nonzero extensions field is -EINVAL. */
static void test_mmap_offset_bad_extensions(void)
{
	struct drm_vdgpu_gem_mmap_offset arg;
	uint64_t zeroes[8] = {};
	struct bad_bo b;

	bad_bo_begin(&b);
	mmap_offset_control(&b, &arg);
	arg.extensions = 1;
	igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	arg.extensions = to_user_pointer(zeroes);
	igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/* mmap-offset-bad-reserved: a nonzero word of reserved is -EINVAL. */
static void test_mmap_offset_bad_reserved(void)
{
	struct drm_vdgpu_gem_mmap_offset arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(arg.reserved); i++) {
		mmap_offset_control(&b, &arg);
		arg.reserved[i] = 1;
		igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/*
 * mmap-offset-bad-output: offset is an output and must be zero on input:
 * anything else is -EINVAL, even the object's own offset.
 */
static void test_mmap_offset_bad_output(void)
{
	struct drm_vdgpu_gem_mmap_offset arg;
	struct bad_bo b;
	uint64_t offset;

	bad_bo_begin(&b);
	offset = vdgpu_gem_mmap_offset(b.fd, b.handle);
	mmap_offset_control(&b, &arg);
	arg.offset = offset;
	igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	arg.offset = 1;
	igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	arg.offset = ~0ull;
	igt_assert_err(mmap_offset_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

static int wait_raw(int fd, struct drm_vdgpu_gem_wait *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_WAIT, arg);
}

static void wait_control(const struct bad_bo *b, struct drm_vdgpu_gem_wait *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
	arg->timeout_ns = vdgpu_now_ns() + 10 * NSEC_PER_SEC;
	igt_assert_err(wait_raw(b->fd, arg), 0);
}

/*
 * wait-bad-handle: GEM_WAIT on a handle the file does not have is -ENOENT,
 * with a timeout in the future as in the past.
 */
static void test_wait_bad_handle(void)
{
	struct drm_vdgpu_gem_wait arg;
	uint32_t handles[8];
	struct bad_bo b;
	size_t i, n;

	bad_bo_begin(&b);
	wait_control(&b, &arg);
	bad_handles(&b, handles, &n);
	for (i = 0; i < n; i++) {
		arg.handle = handles[i];
		arg.timeout_ns = vdgpu_now_ns() + NSEC_PER_SEC;
		igt_assert_err(wait_raw(b.fd, &arg), -ENOENT);
		arg.timeout_ns = 0;
		igt_assert_err(wait_raw(b.fd, &arg), -ENOENT);
	}
	bad_bo_end(&b);
}

/* wait-bad-flags: any flag is -EINVAL: none is defined. */
static void test_wait_bad_flags(void)
{
	struct drm_vdgpu_gem_wait arg;
	struct bad_bo b;
	unsigned int bit;

	bad_bo_begin(&b);
	for (bit = 0; bit < 32; bit++) {
		wait_control(&b, &arg);
		arg.flags = 1u << bit;
		igt_assert_err(wait_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/* wait-bad-extensions: a nonzero extensions field is -EINVAL. */
static void test_wait_bad_extensions(void)
{
	struct drm_vdgpu_gem_wait arg;
	uint64_t zeroes[8] = {};
	struct bad_bo b;

	bad_bo_begin(&b);
	wait_control(&b, &arg);
	arg.extensions = 1;
	igt_assert_err(wait_raw(b.fd, &arg), -EINVAL);
	arg.extensions = to_user_pointer(zeroes);
	igt_assert_err(wait_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/* wait-bad-reserved: a nonzero word of reserved is -EINVAL. */
static void test_wait_bad_reserved(void)
{
	struct drm_vdgpu_gem_wait arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(arg.reserved); i++) {
		wait_control(&b, &arg);
		arg.reserved[i] = 1;
		igt_assert_err(wait_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

static int info_raw(int fd, struct drm_vdgpu_gem_info *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_INFO, arg);
}

static void info_control(const struct bad_bo *b, struct drm_vdgpu_gem_info *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
	igt_assert_err(info_raw(b->fd, arg), 0);
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
}

/* info-bad-handle: GEM_INFO of a handle the file does not have is -ENOENT. */
static void test_info_bad_handle(void)
{
	struct drm_vdgpu_gem_info arg;
	uint32_t handles[8];
	struct bad_bo b;
	size_t i, n;

	bad_bo_begin(&b);
	info_control(&b, &arg);
	bad_handles(&b, handles, &n);
	for (i = 0; i < n; i++) {
		arg.handle = handles[i];
		igt_assert_err(info_raw(b.fd, &arg), -ENOENT);
	}
	bad_bo_end(&b);
}

/* info-bad-pad: a nonzero pad is -EINVAL. */
static void test_info_bad_pad(void)
{
	const uint32_t pads[] = { 1, 0x80000000u, ~0u };
	struct drm_vdgpu_gem_info arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(pads); i++) {
		info_control(&b, &arg);
		arg.pad = pads[i];
		igt_assert_err(info_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/* info-bad-extensions: a nonzero extensions field is -EINVAL. */
static void test_info_bad_extensions(void)
{
	struct drm_vdgpu_gem_info arg;
	uint64_t zeroes[8] = {};
	struct bad_bo b;

	bad_bo_begin(&b);
	info_control(&b, &arg);
	arg.extensions = 1;
	igt_assert_err(info_raw(b.fd, &arg), -EINVAL);
	arg.extensions = to_user_pointer(zeroes);
	igt_assert_err(info_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/* info-bad-reserved: a nonzero word of reserved is -EINVAL. */
static void test_info_bad_reserved(void)
{
	struct drm_vdgpu_gem_info arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(arg.reserved); i++) {
		info_control(&b, &arg);
		arg.reserved[i] = 1;
		igt_assert_err(info_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/*
 * info-bad-output: size, region, allowed_regions, flags and state are
 * outputs and must be zero on input: each of them nonzero, even with the
 * very value the kernel would write, is -EINVAL.
 */
static void test_info_bad_output(void)
{
	struct drm_vdgpu_gem_info arg, good;
	struct bad_bo b;
	int i;

	bad_bo_begin(&b);
	vdgpu_gem_info(b.fd, b.handle, &good);
	for (i = 0; i < 5; i++) {
		info_control(&b, &arg);
		switch (i) {
		case 0:
			arg.size = good.size;
			break;
		case 1:
			arg.region = GTT;
			break;
		case 2:
			arg.allowed_regions = good.allowed_regions;
			break;
		case 3:
			arg.flags = CPU_ACCESS;
			break;
		case 4:
			arg.state = DRM_VDGPU_GEM_STATE_DONTNEED;
			break;
		}
		igt_assert_err(info_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

static int madvise_raw(int fd, struct drm_vdgpu_gem_madvise *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_MADVISE, arg);
}

/*
 * The control is WILLNEED, which leaves the object as it is; the bad
 * variants use DONTNEED, so that one wrongly applied shows in GEM_INFO's
 * state at the end.
 */
static void madvise_control(const struct bad_bo *b,
			    struct drm_vdgpu_gem_madvise *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
	arg->advice = DRM_VDGPU_MADV_WILLNEED;
	igt_assert_err(madvise_raw(b->fd, arg), 0);
	igt_assert_eq(arg->purged, 0);
	memset(arg, 0, sizeof(*arg));
	arg->handle = b->handle;
	arg->advice = DRM_VDGPU_MADV_DONTNEED;
}

/*
 * madvise-bad-advice: advice other than WILLNEED and DONTNEED is -EINVAL
 * and changes nothing.
 */
static void test_madvise_bad_advice(void)
{
	const uint32_t advice[] = { 2, 3, 0x100, 0x80000000u, ~0u };
	struct drm_vdgpu_gem_madvise arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(advice); i++) {
		madvise_control(&b, &arg);
		arg.advice = advice[i];
		igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/* madvise-bad-handle: GEM_MADVISE of a handle the file does not have is -ENOENT. */
static void test_madvise_bad_handle(void)
{
	struct drm_vdgpu_gem_madvise arg;
	uint32_t handles[8];
	struct bad_bo b;
	size_t i, n;

	bad_bo_begin(&b);
	madvise_control(&b, &arg);
	bad_handles(&b, handles, &n);
	for (i = 0; i < n; i++) {
		arg.handle = handles[i];
		igt_assert_err(madvise_raw(b.fd, &arg), -ENOENT);
	}
	bad_bo_end(&b);
}

/* madvise-bad-pad: a nonzero pad is -EINVAL and changes nothing. */
static void test_madvise_bad_pad(void)
{
	struct drm_vdgpu_gem_madvise arg;
	struct bad_bo b;

	bad_bo_begin(&b);
	madvise_control(&b, &arg);
	arg.pad = 1;
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	madvise_control(&b, &arg);
	arg.pad = ~0u;
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/*
 * madvise-bad-purged: purged is an output; nonzero on input is -EINVAL
 * and changes nothing.
 */
static void test_madvise_bad_purged(void)
{
	struct drm_vdgpu_gem_madvise arg;
	struct bad_bo b;

	bad_bo_begin(&b);
	madvise_control(&b, &arg);
	arg.purged = 1;
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	madvise_control(&b, &arg);
	arg.advice = DRM_VDGPU_MADV_WILLNEED;
	arg.purged = 1;
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/* madvise-bad-extensions: a nonzero extensions field is -EINVAL and changes nothing. */
static void test_madvise_bad_extensions(void)
{
	struct drm_vdgpu_gem_madvise arg;
	uint64_t zeroes[8] = {};
	struct bad_bo b;

	bad_bo_begin(&b);
	madvise_control(&b, &arg);
	arg.extensions = 1;
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	madvise_control(&b, &arg);
	arg.extensions = to_user_pointer(zeroes);
	igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	bad_bo_end(&b);
}

/* madvise-bad-reserved: a nonzero word of reserved is -EINVAL and changes nothing. */
static void test_madvise_bad_reserved(void)
{
	struct drm_vdgpu_gem_madvise arg;
	struct bad_bo b;
	size_t i;

	bad_bo_begin(&b);
	for (i = 0; i < ARRAY_SIZE(arg.reserved); i++) {
		madvise_control(&b, &arg);
		arg.reserved[i] = 1;
		igt_assert_err(madvise_raw(b.fd, &arg), -EINVAL);
	}
	bad_bo_end(&b);
}

/*
 * gem-close-bad-handle: DRM_IOCTL_GEM_CLOSE of a handle the file does not
 * have (0, never created, already closed) is -EINVAL, drm_gem.c's answer,
 * and leaves the file's other object alone.
 */
static void test_gem_close_bad_handle(void)
{
	uint32_t handles[8];
	struct bad_bo b;
	size_t i, n;

	bad_bo_begin(&b);
	bad_handles(&b, handles, &n);
	for (i = 0; i < n; i++)
		igt_assert_err(__gem_close(b.fd, handles[i]), -EINVAL);
	bad_bo_end(&b);
	/* bad_bo_end() closed the handle: once more is refused. */
	b.fd = open_gem();
	b.handle = vdgpu_gem_create_in(b.fd, MIB, SYSTEM, 0);
	gem_close(b.fd, b.handle);
	igt_assert_err(__gem_close(b.fd, b.handle), -EINVAL);
	close(b.fd);
}

/*
 * CPU mappings
 */

/*
 * An object in @region with @flags, mapped through MMAP_OFFSET: the offset
 * is nonzero, page aligned and the same on every call; a new object reads
 * as zeroes; a pattern written through one mapping is read back through a
 * second mapping at the same time (both map the same memory) and, after
 * both are unmapped, through a new one.  The object is still in @region
 * afterwards (nothing made it move).
 */
static void test_mmap_region(uint32_t region, uint32_t flags)
{
	uint64_t size = 2 * MIB + 3 * page_size(), offset;
	uint32_t *a, *b, h;
	int fd;

	fd = open_gem();
	h = vdgpu_gem_create_in(fd, size, region, flags);
	igt_assert_eq(check_info(fd, h, size, &region, 1, flags), region);

	offset = vdgpu_gem_mmap_offset(fd, h);
	igt_info("object %u in %s: offset %#" PRIx64 "\n", h,
		 vdgpu_region_name(region), offset);
	igt_assert_neq(offset, 0);
	igt_assert_eq_u64(offset & (page_size() - 1), 0);
	igt_assert_eq_u64(vdgpu_gem_mmap_offset(fd, h), offset);

	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(a != MAP_FAILED, "mmap: %s\n", strerror(errno));
	b = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert_f(b != MAP_FAILED, "mmap: %s\n", strerror(errno));
	check_pattern(a, size, 0, true, "new object");
	write_pattern(a, size, region + 100);
	check_pattern(b, size, region + 100, false, "second mapping");
	unmap_bo(a, size);
	unmap_bo(b, size);

	a = map_bo(fd, h, size);
	check_pattern(a, size, region + 100, false, "new mapping");
	unmap_bo(a, size);

	igt_assert_eq(vdgpu_gem_region(fd, h), region);
	gem_close(fd, h);
	close(fd);
}

/* mmap-system: a SYSTEM object maps, cached, and keeps what is written. */
static void test_mmap_system(void) { test_mmap_region(SYSTEM, 0); }
/* mmap-gtt: a GTT object maps and keeps what is written. */
static void test_mmap_gtt(void) { test_mmap_region(GTT, 0); }
/* mmap-vram: a VRAM object without flags maps and keeps what is written. */
static void test_mmap_vram(void) { test_mmap_region(VRAM, 0); }
/* mmap-vram-cpu-access: likewise with CPU_ACCESS. */
static void test_mmap_vram_cpu_access(void) { test_mmap_region(VRAM, CPU_ACCESS); }

/*
 * mmap-bad-offset: mmap() of the DRM file answers only for an object's
 * exact offset and at most its size (drm_gem_mmap()'s exact lookup):
 * -EINVAL for one page more than the object, for an offset inside it, and
 * for an offset no object has.  A mapping of the first pages only works.
 */
static void test_mmap_bad_offset(void)
{
	uint64_t size = 4 * page_size(), offset;
	void *ptr;
	uint32_t h;
	int fd;

	fd = open_gem();
	h = vdgpu_gem_create_in(fd, size, GTT, 0);
	offset = vdgpu_gem_mmap_offset(fd, h);

	ptr = mmap(NULL, size + page_size(), PROT_READ, MAP_SHARED, fd, offset);
	igt_assert_f(ptr == MAP_FAILED && errno == EINVAL,
		     "mapping beyond the object: %s\n",
		     ptr == MAP_FAILED ? strerror(errno) : "succeeded");
	ptr = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, offset + page_size());
	igt_assert_f(ptr == MAP_FAILED && errno == EINVAL,
		     "mapping from inside the object: %s\n",
		     ptr == MAP_FAILED ? strerror(errno) : "succeeded");
	ptr = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, 0);
	igt_assert_f(ptr == MAP_FAILED && errno == EINVAL,
		     "mapping offset 0: %s\n",
		     ptr == MAP_FAILED ? strerror(errno) : "succeeded");

	ptr = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	igt_assert_f(ptr != MAP_FAILED, "mapping the first page: %s\n", strerror(errno));
	*(volatile uint32_t *)ptr = 0xdeadbeef;
	unmap_bo(ptr, page_size());

	gem_close(fd, h);
	close(fd);
}

/*
 * mmap-after-close: a mapping holds its own reference to the object: after
 * GEM_CLOSE of the only handle it still reads and writes the object.  The
 * file may not map the object again, since it no longer holds it.
 * drm_gem_mmap() refuses that with -EINVAL when the GEM object is gone
 * (a TTM mapping holds the TTM object, not the GEM one) or -EACCES when
 * it is not (drm_vma_node_is_allowed()); either is a refusal.  Once the
 * last mapping is gone the offset names nothing (-EINVAL).
 */
static void test_mmap_after_close(void)
{
	uint64_t size = MIB, offset;
	uint32_t *ptr, *again, h;
	int fd;

	fd = open_gem();
	h = vdgpu_gem_create_in(fd, size, VRAM, 0);
	offset = vdgpu_gem_mmap_offset(fd, h);
	ptr = map_bo(fd, h, size);
	write_pattern(ptr, size, 42);
	gem_close(fd, h);

	check_pattern(ptr, size, 42, false, "mapping after GEM_CLOSE");
	write_pattern(ptr, size, 43);
	check_pattern(ptr, size, 43, false, "mapping after GEM_CLOSE");

	again = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert_f(again == MAP_FAILED && (errno == EACCES || errno == EINVAL),
		     "mapping a closed object still mapped: %s\n",
		     again == MAP_FAILED ? strerror(errno) : "succeeded");
	unmap_bo(ptr, size);

	again = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, offset);
	igt_assert_f(again == MAP_FAILED && errno == EINVAL,
		     "mapping a freed object: %s\n",
		     again == MAP_FAILED ? strerror(errno) : "succeeded");
	close(fd);
}

/*
 * Contents of new objects
 */

/*
 * Round after round, fill @region with objects of @bo_size up to @total
 * bytes (VRAM: up to what is free, less a margin), check that every page
 * of every new object reads as zeroes at the stamp positions (and the
 * whole first page byte by byte), stamp every page with nonzero values,
 * then close them all and wait for the memory to be free before the next
 * round.  Each round's objects reuse the memory of the previous one's.
 */
static void test_clear_on_alloc(uint32_t region, uint64_t total,
				uint64_t bo_size, unsigned int rounds)
{
	uint32_t handles[256];
	uint64_t used0, n, i;
	unsigned int round;
	int fd;

	fd = open_gem();
	used0 = settled_usage(fd, region, false);
	if (region == VRAM) {
		struct drm_vdgpu_mem_region r;

		vdgpu_query_region(fd, VRAM, &r);
		total = r.total_size - used0;
		total = total > 8 * MIB ? total - 8 * MIB : 0;
		igt_require_f(total >= bo_size, "VRAM has only %" PRIu64 " bytes free\n",
			      (uint64_t)r.total_size - used0);
	}
	n = total / bo_size;
	igt_assert_lte(n, ARRAY_SIZE(handles));
	igt_info("%u rounds of %" PRIu64 " objects of %" PRIu64 " KiB in %s\n",
		 rounds, n, bo_size / KIB, vdgpu_region_name(region));

	for (round = 0; round < rounds; round++) {
		for (i = 0; i < n; i++) {
			char what[64];
			char *ptr;

			handles[i] = vdgpu_gem_create_in(fd, bo_size, region, 0);
			snprintf(what, sizeof(what), "round %u, object %" PRIu64, round, i);
			ptr = map_bo(fd, handles[i], bo_size);
			check_pattern(ptr, page_size(), 0, true, what);
			check_stamps(ptr, bo_size, 0, true, what);
			write_stamps(ptr, bo_size, round * 1000 + i + 1);
			unmap_bo(ptr, bo_size);
		}
		for (i = 0; i < n; i++) {
			vdgpu_gem_wait_idle(fd, handles[i]);
			gem_close(fd, handles[i]);
		}
		if (region != SYSTEM)
			assert_usage_back(fd, region, false, used0);
	}
	close(fd);
}

/*
 * clear-on-alloc-system: 3 rounds of 64 MiB of SYSTEM objects: no object
 * shows bytes it did not write, though system pages are recycled.
 */
static void test_clear_on_alloc_system(void)
{
	test_clear_on_alloc(SYSTEM, 64 * MIB, 4 * MIB, 3);
}

/* clear-on-alloc-gtt: likewise, 3 rounds of 64 MiB of GTT objects. */
static void test_clear_on_alloc_gtt(void)
{
	test_clear_on_alloc(GTT, 64 * MIB, 4 * MIB, 3);
}

/*
 * clear-on-alloc-vram: 3 rounds over nearly all of VRAM (what is free
 * less 8 MiB) in 16 MiB VRAM-only objects: the second and third rounds
 * reuse the first's dirty blocks, which must be cleared before anyone
 * sees them.
 */
static void test_clear_on_alloc_vram(void)
{
	test_clear_on_alloc(VRAM, 0, 16 * MIB, 3);
}

/*
 * Waits
 */

/*
 * wait-idle: GEM_WAIT on objects nobody submitted work for.  A SYSTEM
 * object has no kernel work either: waits with a timeout in the past (0,
 * -1, a second ago: a poll) and in the future (a second ahead, INT64_MAX)
 * all return 0, at once.  A new VRAM or GTT object may still be being
 * cleared by the kernel: a poll answers 0 or -ETIME, a wait with a
 * timeout in the future 0, after which polls answer 0.  Waiting does not
 * change the object.  Interrupted waits need GPU work that takes long
 * enough to be interrupted, which this uAPI version cannot submit.
 */
static void test_wait_idle(void)
{
	const uint32_t regions[] = { SYSTEM, GTT, VRAM };
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		uint32_t h = vdgpu_gem_create_in(fd, 8 * MIB, regions[i], 0);
		int64_t start, elapsed;
		int ret;

		ret = __vdgpu_gem_wait(fd, h, 0);
		igt_info("%s: first poll %d (%s)\n", vdgpu_region_name(regions[i]),
			 ret, igt_errno_name(ret));
		if (regions[i] == SYSTEM)
			igt_assert_err(ret, 0);
		else
			igt_assert_f(ret == 0 || ret == -ETIME,
				     "poll of a new object: %d (%s)\n", ret,
				     igt_errno_name(ret));

		start = vdgpu_now_ns();
		igt_assert_err(__vdgpu_gem_wait(fd, h, start + NSEC_PER_SEC), 0);
		igt_assert_err(__vdgpu_gem_wait(fd, h, INT64_MAX), 0);
		igt_assert_err(__vdgpu_gem_wait(fd, h, 0), 0);
		igt_assert_err(__vdgpu_gem_wait(fd, h, -1), 0);
		igt_assert_err(__vdgpu_gem_wait(fd, h, INT64_MIN), 0);
		igt_assert_err(__vdgpu_gem_wait(fd, h, vdgpu_now_ns() - NSEC_PER_SEC), 0);
		elapsed = vdgpu_now_ns() - start;
		igt_assert_f(elapsed < NSEC_PER_SEC,
			     "waits on an idle object took %" PRId64 " ms\n",
			     elapsed / 1000000);

		check_info(fd, h, 8 * MIB, &regions[i], 1, 0);
		gem_close(fd, h);
	}
	close(fd);
}

/*
 * Madvise
 */

/*
 * madvise: without memory pressure, in each region: DONTNEED reports
 * purged 0 and GEM_INFO's state becomes DONTNEED, twice in a row; the
 * contents stay and can still be read through a mapping; WILLNEED reports
 * purged 0 (nothing was discarded) and clears the state, again twice in a
 * row; the contents are still there.
 */
static void test_madvise(void)
{
	uint64_t size = 2 * MIB;
	struct drm_vdgpu_gem_info info;
	size_t i;
	int fd;

	fd = open_gem();
	for (i = 0; i < ARRAY_SIZE(region_ids); i++) {
		uint32_t r = region_ids[i], h;
		void *ptr;

		h = vdgpu_gem_create_in(fd, size, r, 0);
		ptr = map_bo(fd, h, size);
		write_pattern(ptr, size, 50 + r);

		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_DONTNEED), 0);
		vdgpu_gem_info(fd, h, &info);
		igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED);
		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_DONTNEED), 0);
		vdgpu_gem_info(fd, h, &info);
		igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED);
		check_pattern(ptr, size, 50 + r, false, "DONTNEED object");

		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_WILLNEED), 0);
		vdgpu_gem_info(fd, h, &info);
		igt_assert_eq(info.state, 0);
		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_WILLNEED), 0);
		check_info(fd, h, size, &r, 1, 0);
		check_pattern(ptr, size, 50 + r, false, "WILLNEED again");

		unmap_bo(ptr, size);
		gem_close(fd, h);
	}
	close(fd);
}

/*
 * Purging under pressure, in @region (VRAM or GTT), with objects of @size:
 * an object P allowed only in @region, stamped on every page through a
 * mapping that stays, is marked DONTNEED.  Objects of the same size and
 * region then take as much of the region as was free besides P: the last
 * one needs P's space, and P, which is DONTNEED, must be purged to make it
 * (its memory freed, not moved) rather than the creation fail.  The other
 * objects, which are needed, keep their contents (first and last page
 * stamped) wherever they are.  Then: GEM_INFO's state is DONTNEED | PURGED
 * and its region SYSTEM (an object without memory); reading P's old
 * mapping raises SIGBUS (purged and still DONTNEED): it may show neither
 * P's old contents nor memory that now belongs to someone else.  Once the
 * other objects are gone, WILLNEED reports purged 1 and clears the state,
 * a second WILLNEED reports 0, and P reads as zeroes everywhere through
 * the old mapping.
 */
static void test_madvise_purge(uint32_t region, uint64_t size)
{
	struct drm_vdgpu_gem_info info;
	struct drm_vdgpu_mem_region r;
	uint32_t handles[128], p;
	uint64_t used0, avail, val;
	unsigned int n, i;
	char *ptr;
	int fd, ret;

	fd = open_gem();
	used0 = settled_usage(fd, region, false);
	vdgpu_query_region(fd, region, &r);
	avail = r.total_size - used0;
	n = avail / size;
	igt_info("%s: %" PRIu64 " bytes, %" PRIu64 " free: %u objects of %" PRIu64 " MiB\n",
		 vdgpu_region_name(region), (uint64_t)r.total_size, avail, n,
		 size / MIB);
	igt_require_f(n >= 2, "not enough free memory in %s\n",
		      vdgpu_region_name(region));
	igt_assert_lte(n, ARRAY_SIZE(handles));

	p = vdgpu_gem_create_in(fd, size, region, 0);
	ptr = map_bo(fd, p, size);
	write_stamps(ptr, size, 77);
	igt_assert_eq(vdgpu_gem_madvise(fd, p, DRM_VDGPU_MADV_DONTNEED), 0);

	/* With P, one more than the region holds. */
	for (i = 0; i < n; i++) {
		ret = __vdgpu_gem_create(fd, size, &region, 1, 0, &handles[i]);
		igt_assert_f(ret == 0, "object %u of %u: %d (%s)\n",
			     i, n, ret, igt_errno_name(ret));
		bo_write_ends(fd, handles[i], size, 1000 + i);
	}

	vdgpu_gem_info(fd, p, &info);
	igt_info("DONTNEED object: region %s, state %#x\n",
		 vdgpu_region_name(info.region), info.state);
	igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED | DRM_VDGPU_GEM_STATE_PURGED);
	igt_assert_eq(info.region, SYSTEM);
	igt_assert_f(read_raises_sigbus((uint64_t *)ptr, &val),
		     "reading a purged DONTNEED object through its old mapping gave %#" PRIx64 ", not SIGBUS (P's old stamp there was %#" PRIx64 ")\n",
		     val, stamp_value(77, 0));

	for (i = 0; i < n; i++) {
		char what[48];

		snprintf(what, sizeof(what), "needed object %u", i);
		igt_debug("needed object %u in %s\n", i,
			  vdgpu_region_name(vdgpu_gem_region(fd, handles[i])));
		bo_check_ends(fd, handles[i], size, 1000 + i, what);
		vdgpu_gem_wait_idle(fd, handles[i]);
		gem_close(fd, handles[i]);
	}
	assert_usage_back(fd, region, false, used0);

	igt_assert_eq(vdgpu_gem_madvise(fd, p, DRM_VDGPU_MADV_WILLNEED), 1);
	vdgpu_gem_info(fd, p, &info);
	igt_assert_eq(info.state, 0);
	igt_assert_eq(vdgpu_gem_madvise(fd, p, DRM_VDGPU_MADV_WILLNEED), 0);
	check_pattern(ptr, page_size(), 0, true, "purged object");
	check_stamps(ptr, size, 0, true, "purged object");
	unmap_bo(ptr, size);
	gem_close(fd, p);
	close(fd);
}

/*
 * madvise-purge-vram: purging under pressure in VRAM, 16 MiB VRAM-only
 * objects: P cannot be evicted anywhere it is allowed, and is purged
 * rather than the creation failing with -ENOSPC or P being moved.
 */
static void test_madvise_purge_vram(void)
{
	test_madvise_purge(VRAM, 16 * MIB);
}

/*
 * madvise-purge-gtt: the same in the GTT aperture, with 32 MiB GTT-only
 * objects; P's system pages are freed.
 */
static void test_madvise_purge_gtt(void)
{
	test_madvise_purge(GTT, 32 * MIB);
}

/*
 * Running out of VRAM
 */

/*
 * vram-overcommit: VRAM-only objects of 32 MiB totalling 64 MiB more than
 * VRAM, each stamped when created: every creation succeeds, since less
 * recently used objects are evicted out of VRAM (to GTT or SYSTEM) to make
 * room; VRAM used never exceeds its total; some objects are outside VRAM
 * at the end (they cannot all fit); every object keeps its contents.  With
 * VRAM full, a VRAM-then-GTT object still goes to VRAM, evicting, before
 * falling back to GTT.  After everything is closed, VRAM and GTT used come
 * back to where they were.
 */
static void test_vram_overcommit(void)
{
	const uint64_t size = 32 * MIB;
	const uint32_t vram_gtt[] = { VRAM, GTT };
	struct drm_vdgpu_mem_region vram;
	uint64_t vram0, gtt0, used;
	uint32_t handles[64], h;
	unsigned int n, i, outside = 0;
	int fd;

	fd = open_gem();
	vram0 = settled_usage(fd, VRAM, false);
	gtt0 = settled_usage(fd, GTT, false);
	vdgpu_query_region(fd, VRAM, &vram);
	n = (vram.total_size + 64 * MIB + size - 1) / size;
	igt_assert_lte(n, ARRAY_SIZE(handles));
	igt_info("%u VRAM-only objects of %" PRIu64 " MiB in %" PRIu64 " bytes of VRAM\n",
		 n, size / MIB, (uint64_t)vram.total_size);

	for (i = 0; i < n; i++) {
		handles[i] = vdgpu_gem_create_in(fd, size, VRAM, 0);
		bo_write_ends(fd, handles[i], size, 2000 + i);
		used = vdgpu_region_used(fd, VRAM);
		igt_assert_lte_u64(used, vram.total_size);
	}

	for (i = 0; i < n; i++) {
		char what[48];
		uint32_t region = vdgpu_gem_region(fd, handles[i]);

		igt_debug("object %u in %s\n", i, vdgpu_region_name(region));
		outside += region != VRAM;
		snprintf(what, sizeof(what), "VRAM-only object %u", i);
		bo_check_ends(fd, handles[i], size, 2000 + i, what);
	}
	igt_info("%u of %u objects evicted out of VRAM\n", outside, n);
	igt_assert_lt(0, outside);

	h = vdgpu_gem_create(fd, size, vram_gtt, 2, 0);
	igt_assert_eq(check_info(fd, h, size, vram_gtt, 2, 0), VRAM);
	gem_close(fd, h);

	for (i = 0; i < n; i++) {
		vdgpu_gem_wait_idle(fd, handles[i]);
		gem_close(fd, handles[i]);
	}
	assert_usage_back(fd, VRAM, false, vram0);
	assert_usage_back(fd, GTT, false, gtt0);
	close(fd);
}

/* A create of @size in @regions that must fail with -ENOSPC. */
static void expect_enospc(int fd, uint64_t size, const uint32_t *regions,
			  uint32_t num, uint32_t flags)
{
	uint32_t h = 0;

	igt_debug("%" PRIu64 " bytes in %u regions (first %s), flags %#x\n",
		  size, num, vdgpu_region_name(regions[0]), flags);
	igt_assert_err(__vdgpu_gem_create(fd, size, regions, num, flags, &h), -ENOSPC);
}

/*
 * enospc: -ENOSPC means that no region of the list can hold the object,
 * even after eviction: a VRAM-only object one page larger than VRAM, a
 * VRAM-then-GTT one a page larger than both (when max_object_size allows
 * such sizes), and, with a CPU-visible window smaller than VRAM, a
 * CPU_ACCESS VRAM-only object a page larger than the window.  The
 * refusals create no handle and leave VRAM and GTT used as they were; the
 * same sizes with SYSTEM in the list are accepted.
 */
static void test_enospc(void)
{
	const uint32_t vram[] = { VRAM }, vram_gtt[] = { VRAM, GTT };
	const uint32_t vram_gtt_sys[] = { VRAM, GTT, SYSTEM };
	struct drm_vdgpu_mem_region rv, rg, rs;
	struct drm_vdgpu_query_device dev;
	uint64_t vram0, gtt0, size;
	unsigned int tried = 0;
	uint32_t h;
	int fd;

	fd = open_gem();
	vdgpu_query_device(fd, &dev);
	vdgpu_query_region(fd, VRAM, &rv);
	vdgpu_query_region(fd, GTT, &rg);
	vdgpu_query_region(fd, SYSTEM, &rs);
	vram0 = settled_usage(fd, VRAM, false);
	gtt0 = settled_usage(fd, GTT, false);

	size = page_align(rv.total_size + 1);
	if (size <= dev.max_object_size) {
		expect_enospc(fd, size, vram, 1, 0);
		expect_enospc(fd, size, vram, 1, CONTIGUOUS);
		tried++;
	}
	size = page_align((rv.total_size > rg.total_size ? rv.total_size :
			   rg.total_size) + 1);
	if (size <= dev.max_object_size) {
		expect_enospc(fd, size, vram_gtt, 2, 0);
		tried++;
		if (size <= rs.total_size) {
			h = vdgpu_gem_create(fd, size, vram_gtt_sys, 3, 0);
			igt_assert_eq(vdgpu_gem_region(fd, h), SYSTEM);
			gem_close(fd, h);
		}
	}
	if (rv.cpu_visible_size < rv.total_size) {
		expect_enospc(fd, page_align(rv.cpu_visible_size + 1), vram, 1,
			      CPU_ACCESS);
		tried++;
	}
	igt_require_f(tried, "max_object_size %" PRIu64 " is not above VRAM\n",
		      (uint64_t)dev.max_object_size);

	assert_no_handles(fd, 64);
	igt_assert_lte_u64(vdgpu_region_used(fd, VRAM), vram0);
	igt_assert_lte_u64(vdgpu_region_used(fd, GTT), gtt0);
	close(fd);
}

/*
 * Files and nodes
 */

/*
 * two-files-isolated: objects belong to the file that created them.  In
 * another file of the same device a handle of the first means nothing:
 * GEM_INFO, MMAP_OFFSET, GEM_WAIT and GEM_MADVISE answer -ENOENT and
 * GEM_CLOSE -EINVAL; the same handle number in both files names two
 * different objects; and the second file cannot map the first's object at
 * its offset (-EACCES: drm_gem_mmap() refuses a file the object's offset
 * node does not allow).  Sharing takes PRIME: once imported, the second
 * file's handle names the same object, with the same mmap offset, which it
 * may now map; writes through either file's mapping show in the other's;
 * the object outlives the first file.
 */
static void test_two_files_isolated(void)
{
	uint64_t size_a = 2 * MIB, size_b = MIB, offset, off_b, other = 0;
	uint32_t ha[2], hb, shared, purged;
	struct drm_vdgpu_gem_info info;
	uint32_t *pa, *pb;
	int a, b, dmabuf;
	void *ptr;

	a = open_gem();
	b = open_gem();

	/* a has two objects, b one: b's handle number is also a's first. */
	ha[0] = vdgpu_gem_create_in(a, size_a, VRAM, 0);
	ha[1] = vdgpu_gem_create_in(a, size_a, VRAM, 0);
	hb = vdgpu_gem_create_in(b, size_b, GTT, 0);
	igt_info("handles %u and %u in file a, %u in file b\n", ha[0], ha[1], hb);
	igt_assert_f(hb != ha[1], "b's only handle %u is also a's second\n", hb);

	igt_assert_err(__vdgpu_gem_info(b, ha[1], &info), -ENOENT);
	igt_assert_err(__vdgpu_gem_mmap_offset(b, ha[1], &other), -ENOENT);
	igt_assert_err(__vdgpu_gem_wait(b, ha[1], 0), -ENOENT);
	igt_assert_err(__vdgpu_gem_madvise(b, ha[1], DRM_VDGPU_MADV_DONTNEED, &purged),
		       -ENOENT);
	igt_assert_err(__gem_close(b, ha[1]), -EINVAL);

	/* The same number, two objects. */
	if (hb == ha[0]) {
		vdgpu_gem_info(b, hb, &info);
		igt_assert_eq_u64(info.size, size_b);
		igt_assert_eq(info.region, GTT);
		vdgpu_gem_info(a, ha[0], &info);
		igt_assert_eq_u64(info.size, size_a);
		igt_assert_eq(info.region, VRAM);
	}

	/* b cannot map a's object. */
	offset = vdgpu_gem_mmap_offset(a, ha[1]);
	off_b = vdgpu_gem_mmap_offset(b, hb);
	igt_assert_neq(offset, off_b);
	pa = map_bo(a, ha[1], size_a);
	write_pattern(pa, size_a, 60);
	ptr = mmap(NULL, size_a, PROT_READ, MAP_SHARED, b, offset);
	igt_assert_f(ptr == MAP_FAILED && errno == EACCES,
		     "file b mapping file a's object: %s\n",
		     ptr == MAP_FAILED ? strerror(errno) : "succeeded");
	check_info(a, ha[1], size_a, (const uint32_t[]){ VRAM }, 1, 0);

	/* Sharing through PRIME. */
	igt_assert_err(drmPrimeHandleToFD(a, ha[1], DRM_CLOEXEC | DRM_RDWR, &dmabuf) ?
		       -errno : 0, 0);
	igt_assert_err(drmPrimeFDToHandle(b, dmabuf, &shared) ? -errno : 0, 0);
	close(dmabuf);
	igt_assert_neq(shared, hb);
	check_info(b, shared, size_a, (const uint32_t[]){ VRAM }, 1, 0);
	igt_assert_eq_u64(vdgpu_gem_mmap_offset(b, shared), offset);
	pb = map_bo(b, shared, size_a);
	check_pattern(pb, size_a, 60, false, "file b's mapping of the shared object");
	write_pattern(pb, size_a, 61);
	check_pattern(pa, size_a, 61, false, "file a's mapping of the shared object");
	unmap_bo(pa, size_a);

	/* a goes away; b's object stays. */
	close(a);
	check_info(b, shared, size_a, (const uint32_t[]){ VRAM }, 1, 0);
	check_pattern(pb, size_a, 61, false, "the shared object after file a closed");
	unmap_bo(pb, size_a);
	pb = map_bo(b, shared, size_a);
	check_pattern(pb, size_a, 61, false, "a new mapping after file a closed");
	unmap_bo(pb, size_a);
	gem_close(b, shared);
	gem_close(b, hb);
	close(b);
}

/*
 * The basic path on one node: query the device, create a VRAM and a GTT
 * object, map them and read back what was written, GEM_INFO, GEM_WAIT and
 * GEM_MADVISE them, close them.
 */
static void basic_path(int fd)
{
	const uint32_t regions[] = { VRAM, GTT };
	struct drm_vdgpu_query_device dev;
	uint64_t size = MIB + page_size();
	size_t i;

	vdgpu_require_gem(fd);
	vdgpu_query_device(fd, &dev);
	igt_assert_eq(dev.num_mem_regions, VDGPU_NUM_REGION_IDS);
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		uint32_t h = vdgpu_gem_create_in(fd, size, regions[i], 0);
		void *ptr;

		igt_assert_eq(check_info(fd, h, size, &regions[i], 1, 0), regions[i]);
		ptr = map_bo(fd, h, size);
		write_pattern(ptr, size, 70 + i);
		unmap_bo(ptr, size);
		ptr = map_bo(fd, h, size);
		check_pattern(ptr, size, 70 + i, false, "basic");
		unmap_bo(ptr, size);
		vdgpu_gem_wait_idle(fd, h);
		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_DONTNEED), 0);
		igt_assert_eq(vdgpu_gem_madvise(fd, h, DRM_VDGPU_MADV_WILLNEED), 0);
		gem_close(fd, h);
	}
}

/*
 * render-node: every ioctl of the memory uAPI is allowed on the render
 * node (DRM_RENDER_ALLOW), through the whole basic path.  The other
 * subtests use the render node too.
 */
static void test_render_node(void)
{
	int fd = vdgpu_open_render();

	igt_assert_eq(vdgpu_dev_node_type(fd), VDGPU_NODE_RENDER);
	basic_path(fd);
	close(fd);
}

/*
 * primary-node: the same basic path works on the primary node, with a
 * render file of the same device open beside it.
 */
static void test_primary_node(void)
{
	int fd = vdgpu_open_primary(), rfd = vdgpu_open_render();

	igt_assert_eq(vdgpu_dev_node_type(fd), VDGPU_NODE_PRIMARY);
	basic_path(fd);
	close(rfd);
	close(fd);
}

/*
 * CPU faults outside the visible window
 */

/*
 * Fill the CPU-visible window with CPU_ACCESS VRAM-only objects, each no
 * larger than what the window has left, so that none has to evict another:
 * 1 MiB while that fits, then the rest.  Each is stamped on every page
 * (which maps it: it is already within reach) and must have made
 * cpu_visible_used grow by its size.  Returns their number.
 */
static unsigned int fill_window(int fd, uint32_t *handles, uint64_t *sizes,
				unsigned int max)
{
	struct drm_vdgpu_mem_region vram;
	uint64_t left, size, before;
	unsigned int n = 0;

	for (;;) {
		vdgpu_query_region(fd, VRAM, &vram);
		left = vram.cpu_visible_size - vram.cpu_visible_used;
		if (left < page_size())
			break;
		igt_assert_f(n < max, "%u objects and the window is not full\n", n);
		size = left < MIB ? left & ~(page_size() - 1) : MIB;
		before = vram.cpu_visible_used;
		handles[n] = vdgpu_gem_create_in(fd, size, VRAM, CPU_ACCESS);
		sizes[n] = size;
		igt_assert_lte_u64(before + size, vdgpu_region_visible_used(fd, VRAM));
		bo_write_stamps(fd, handles[n], size, 3000 + n);
		n++;
	}
	igt_info("window filled with %u objects: cpu_visible_used %" PRIu64 " of %" PRIu64 "\n",
		 n, (uint64_t)vram.cpu_visible_used, (uint64_t)vram.cpu_visible_size);
	return n;
}

/*
 * fault-migrates-invisible: a CPU fault on a VRAM object outside the
 * CPU-visible window moves it where the CPU can reach it, keeping its
 * contents.  Needs a window smaller than VRAM: with all of VRAM visible
 * (the module's default) the subtest reloads the module with
 * vram_size=128 visible_vram_size=32 gart_size=64 and puts the original
 * parameters back at the end (needs root).
 *
 * The window is filled with CPU_ACCESS VRAM-only objects (fill_window()).
 * Two VRAM-then-GTT objects without flags, B and C, are then created: they
 * land in VRAM (there is room outside the window) and outside the window
 * (cpu_visible_used does not grow).
 * - Window full: mapping B reads zeroes (its contents, moved), and the
 *   fault moved B to GTT, its other region, rather than into the full
 *   window; what is written stays across mappings.
 * - Half of the window freed: mapping C reads zeroes, and the fault moved
 *   C into the window: still VRAM, cpu_visible_used grew by C's size; what
 *   is written stays across mappings.
 * Throughout, the objects filling the window stay in VRAM with their
 * stamps intact.
 */
static void test_fault_migrates_invisible(void)
{
	const uint32_t vram_gtt[] = { VRAM, GTT };
	const uint64_t bo_size = 2 * MIB;
	struct drm_vdgpu_mem_region vram;
	uint32_t fill[256], b, c, h;
	uint64_t fill_size[256], vis0, vis, freed = 0;
	unsigned int n, i;
	char *ptr;
	int fd;

	fd = open_gem();
	vdgpu_query_region(fd, VRAM, &vram);
	if (vram.cpu_visible_size >= vram.total_size) {
		igt_info("all %" PRIu64 " bytes of VRAM are CPU-visible: reloading vdgpu with %s\n",
			 (uint64_t)vram.total_size, SMALL_BAR_PARAMS);
		close(fd);
		vdgpu_kmod_prepare();
		vdgpu_kmod_reload(SMALL_BAR_PARAMS);
		fd = open_gem();
		vdgpu_query_region(fd, VRAM, &vram);
	}
	igt_info("VRAM %" PRIu64 " bytes, %" PRIu64 " CPU-visible\n",
		 (uint64_t)vram.total_size, (uint64_t)vram.cpu_visible_size);
	igt_assert_lt_u64(vram.cpu_visible_size, vram.total_size);
	igt_require_f(vram.total_size - vram.cpu_visible_size > 8 * bo_size,
		      "too little VRAM outside the window\n");
	igt_require_f(vram.cpu_visible_size <= 64 * MIB,
		      "a window of %" PRIu64 " MiB takes too long to fill\n",
		      (uint64_t)vram.cpu_visible_size / MIB);

	n = fill_window(fd, fill, fill_size, ARRAY_SIZE(fill));
	vis0 = vdgpu_region_visible_used(fd, VRAM);

	b = vdgpu_gem_create(fd, bo_size, vram_gtt, 2, 0);
	c = vdgpu_gem_create(fd, bo_size, vram_gtt, 2, 0);
	igt_assert_eq(check_info(fd, b, bo_size, vram_gtt, 2, 0), VRAM);
	igt_assert_eq(check_info(fd, c, bo_size, vram_gtt, 2, 0), VRAM);
	igt_assert_eq_u64(vdgpu_region_visible_used(fd, VRAM), vis0);

	/* Window full: B can only go to GTT. */
	ptr = map_bo(fd, b, bo_size);
	check_pattern(ptr, bo_size, 0, true, "B after the fault");
	igt_assert_eq(vdgpu_gem_region(fd, b), GTT);
	write_pattern(ptr, bo_size, 80);
	unmap_bo(ptr, bo_size);
	ptr = map_bo(fd, b, bo_size);
	check_pattern(ptr, bo_size, 80, false, "B mapped again");
	unmap_bo(ptr, bo_size);

	/* Room in the window: C moves into it. */
	for (i = 0; i < n && freed < vram.cpu_visible_size / 2; i += 2) {
		gem_close(fd, fill[i]);
		freed += fill_size[i];
		fill[i] = 0;
	}
	vis0 = wait_usage_at_most(fd, VRAM, true, vis0 - freed);
	igt_info("freed %" PRIu64 " bytes of the window: cpu_visible_used %" PRIu64 "\n",
		 freed, vis0);
	igt_assert_eq(vdgpu_gem_region(fd, c), VRAM);
	ptr = map_bo(fd, c, bo_size);
	check_pattern(ptr, bo_size, 0, true, "C after the fault");
	vis = vdgpu_region_visible_used(fd, VRAM);
	igt_info("C faulted: cpu_visible_used %" PRIu64 "\n", vis);
	igt_assert_eq(vdgpu_gem_region(fd, c), VRAM);
	igt_assert_lte_u64(vis0 + bo_size, vis);
	write_pattern(ptr, bo_size, 81);
	unmap_bo(ptr, bo_size);
	ptr = map_bo(fd, c, bo_size);
	check_pattern(ptr, bo_size, 81, false, "C mapped again");
	unmap_bo(ptr, bo_size);

	for (i = 0; i < n; i++) {
		char what[48];

		if (!fill[i])
			continue;
		h = fill[i];
		snprintf(what, sizeof(what), "window object %u", i);
		igt_assert_eq(vdgpu_gem_region(fd, h), VRAM);
		bo_check_stamps(fd, h, fill_size[i], 3000 + i, false, what);
		gem_close(fd, h);
	}
	gem_close(fd, b);
	gem_close(fd, c);
	close(fd);
}

/* One "drm-<stat>-<region>:\t<n>[ KiB| MiB]" value of fdinfo, in bytes. */
static int64_t fdinfo_value(int fd, const char *stat, const char *region)
{
	char path[64], key[64], line[256];
	int64_t value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(key, sizeof(key), "drm-%s-%s:", stat, region);
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long n;
		char unit[8] = "";

		if (strncmp(line, key, strlen(key)))
			continue;
		igt_assert_f(sscanf(line + strlen(key), "%llu %7s", &n, unit) >= 1,
			     "bad fdinfo line: %s", line);
		if (!strcmp(unit, "KiB"))
			n <<= 10;
		else if (!strcmp(unit, "MiB"))
			n <<= 20;
		else
			igt_assert_f(!unit[0], "bad unit in: %s", line);
		value = n;
	}
	fclose(f);
	return value;
}

/*
 * fdinfo: the file's fdinfo reports, per memory region, what the client
 * allocated, as the DRM client usage stats define it: drm-total-<region>
 * is the sum of its objects placed there; drm-resident counts SYSTEM
 * objects only once their pages exist; drm-purgeable the DONTNEED ones;
 * drm-shared those with a handle in another file too.  Another file's
 * objects do not show, and closing handles brings the counts back.
 */
static void test_fdinfo(void)
{
	int fd = vdgpu_open_render(), other = vdgpu_open_render();
	uint32_t v, vp, g, sys, o, imported;
	int dmabuf;
	void *ptr;

	vdgpu_require_gem(fd);
	igt_assert_f(fdinfo_value(fd, "total", "vram0") >= 0,
		     "no drm-total-vram0 in fdinfo\n");
	igt_assert_eq(fdinfo_value(fd, "total", "vram0"), 0);

	v = vdgpu_gem_create_in(fd, MIB, DRM_VDGPU_REGION_VRAM0, 0);
	vp = vdgpu_gem_create_in(fd, 512 * 1024, DRM_VDGPU_REGION_VRAM0, 0);
	g = vdgpu_gem_create_in(fd, 2 * MIB, DRM_VDGPU_REGION_GTT, 0);
	sys = vdgpu_gem_create_in(fd, 3 * MIB, DRM_VDGPU_REGION_SYSTEM, 0);
	o = vdgpu_gem_create_in(other, 4 * MIB, DRM_VDGPU_REGION_VRAM0, 0);
	vdgpu_gem_madvise(fd, vp, DRM_VDGPU_MADV_DONTNEED);

	igt_assert_eq(fdinfo_value(fd, "total", "vram0"), MIB + (512 * 1024));
	igt_assert_eq(fdinfo_value(fd, "resident", "vram0"),
		      MIB + (512 * 1024));
	igt_assert_eq(fdinfo_value(fd, "purgeable", "vram0"), 512 * 1024);
	igt_assert_eq(fdinfo_value(fd, "total", "gtt"), 2 * MIB);
	igt_assert_eq(fdinfo_value(fd, "total", "system"), 3 * MIB);
	igt_assert_eq(fdinfo_value(fd, "resident", "system"), 0);
	igt_assert_eq(fdinfo_value(fd, "shared", "vram0"), 0);
	igt_assert_eq(fdinfo_value(other, "total", "vram0"), 4 * MIB);

	/* Touching the SYSTEM object gives it pages. */
	ptr = vdgpu_gem_mmap(fd, sys, 3 * MIB);
	memset(ptr, 1, 3 * MIB);
	munmap(ptr, 3 * MIB);
	igt_assert_eq(fdinfo_value(fd, "resident", "system"), 3 * MIB);

	/* Shared with the other file through PRIME. */
	igt_assert_eq(drmPrimeHandleToFD(fd, v, DRM_CLOEXEC, &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(other, dmabuf, &imported), 0);
	close(dmabuf);
	igt_assert_eq(fdinfo_value(fd, "shared", "vram0"), MIB);
	igt_assert_eq(fdinfo_value(other, "total", "vram0"), 5 * MIB);

	gem_close(fd, v);
	gem_close(fd, vp);
	gem_close(fd, g);
	gem_close(fd, sys);
	igt_assert_eq(fdinfo_value(fd, "total", "vram0"), 0);
	igt_assert_eq(fdinfo_value(fd, "total", "gtt"), 0);
	igt_assert_eq(fdinfo_value(fd, "total", "system"), 0);
	gem_close(other, imported);
	gem_close(other, o);
	igt_assert_eq(fdinfo_value(other, "total", "vram0"), 0);
	close(other);
	close(fd);
}

#define TRACEFS "/sys/kernel/tracing"

static void tracing_off(void *data)
{
	(void)data;
	vdgpu_write_file(TRACEFS "/events/vdgpu/enable", "0");
	vdgpu_write_file(TRACEFS "/trace", "");
}

/* Whether the trace buffer holds a line with all of @needles. */
static bool trace_has(const char *event, const char *n1, const char *n2)
{
	char line[512];
	bool found = false;
	FILE *f = fopen(TRACEFS "/trace", "r");

	igt_assert_f(f, "cannot read the trace: %s\n", strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, event) && (!n1 || strstr(line, n1)) &&
			(!n2 || strstr(line, n2));
	fclose(f);
	return found;
}

/*
 * tracepoints: with the vdgpu trace events on, creating a VRAM object
 * logs vdgpu_bo_create with its size and region, its clear logs
 * vdgpu_bo_move (to VRAM, the bytes, "clear") and the copy engine's fence
 * vdgpu_fence_signal; evicting it to make room for another logs
 * vdgpu_evict and a move out of VRAM with reason "evict".  A VM_BIND logs
 * vdgpu_vm_bind and an EXEC vdgpu_exec.
 */
static void test_tracepoints(void)
{
	struct drm_vdgpu_mem_region vram;
	uint32_t big, filler;
	char size[64];
	int fd;

	igt_require_f(access(TRACEFS "/events/vdgpu/enable", W_OK) == 0 ||
		      (system("mount -t tracefs nodev " TRACEFS
			      " >/dev/null 2>&1") == 0 &&
		       access(TRACEFS "/events/vdgpu/enable", W_OK) == 0),
		      "no writable %s/events/vdgpu\n", TRACEFS);
	fd = open_gem();
	vdgpu_query_region(fd, DRM_VDGPU_REGION_VRAM0, &vram);

	igt_assert_err(vdgpu_write_file(TRACEFS "/trace", ""), 0);
	igt_cleanup_push(tracing_off, NULL);
	igt_assert_err(vdgpu_write_file(TRACEFS "/events/vdgpu/enable", "1"),
		       0);

	big = vdgpu_gem_create_in(fd, vram.total_size / 2,
				  DRM_VDGPU_REGION_VRAM0, 0);
	vdgpu_gem_wait_idle(fd, big);
	snprintf(size, sizeof(size), "size=%llu",
		 (unsigned long long)vram.total_size / 2);
	igt_assert_f(trace_has("vdgpu_bo_create:", size, "region=2"),
		     "no vdgpu_bo_create with %s\n", size);
	igt_assert_f(trace_has("vdgpu_bo_move:", "to=2", "how=clear"),
		     "no clear of the new object\n");
	igt_assert_f(trace_has("vdgpu_fence_signal:", "engine=copy0",
			       "error=0"),
		     "no copy engine fence signalled\n");

	/* Another object as large as VRAM evicts the first. */
	filler = vdgpu_gem_create_in(fd, vram.total_size,
				     DRM_VDGPU_REGION_VRAM0, 0);
	vdgpu_gem_wait_idle(fd, filler);
	vdgpu_gem_wait_idle(fd, big);
	igt_assert_f(trace_has("vdgpu_evict:", "from=2", "move"),
		     "no eviction from VRAM\n");
	igt_assert_f(trace_has("vdgpu_bo_move:", "from=2", "reason=evict"),
		     "no move out of VRAM for an eviction\n");

	gem_close(fd, filler);
	gem_close(fd, big);

	/*
	 * A VM_BIND logs vdgpu_vm_bind with its operation and range, and a
	 * batch of one NOP (a zeroed object) vdgpu_exec with its address and
	 * length.
	 */
	{
		uint32_t vm = vdgpu_vm_create(fd), queue, bo;
		uint32_t out = syncobj_create(fd, 0);
		struct drm_vdgpu_sync sync = {
			.flags = DRM_VDGPU_SYNC_SIGNAL,
			.handle = out,
		};

		bo = vdgpu_gem_create_in(fd, 4096, DRM_VDGPU_REGION_GTT, 0);
		vdgpu_vm_map(fd, vm, bo, 0, 0x200000, 4096, 0);
		igt_assert_f(trace_has("vdgpu_vm_bind:", "op=map",
				       "addr=0x200000 range=0x1000"),
			     "no vdgpu_vm_bind for the map\n");
		queue = vdgpu_exec_queue_create(fd, vm);
		vdgpu_exec(fd, queue, 0, 0x200000, 4, &sync, 1, NULL, 0);
		igt_assert_err(__syncobj_wait_until(fd, out, 0,
						    vdgpu_now_ns() + 10 * NSEC_PER_SEC),
			       0);
		igt_assert_f(trace_has("vdgpu_exec:", "addr=0x200000",
				       "len=4"),
			     "no vdgpu_exec for the batch\n");
		syncobj_destroy(fd, out);
	}

	igt_cleanup_pop(true);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "query-device", test_query_device,
	  "The device query: protocol, uAPI version, limits." },
	{ "query-regions", test_query_regions,
	  "The memory regions query: protocol, ids, classes, sizes from the module parameters." },
	{ "query-engines", test_query_engines,
	  "The engines query: protocol, two copy engines and one compute engine." },
	{ "query-bad-id", test_query_bad_id,
	  "Unknown query ids are -EINVAL." },
	{ "query-bad-extensions", test_query_bad_extensions,
	  "A query with nonzero extensions is -EINVAL." },
	{ "query-bad-reserved", test_query_bad_reserved,
	  "A query with nonzero reserved words is -EINVAL." },
	{ "create-system", test_create_system,
	  "SYSTEM objects: sizes rounded to the page, GEM_INFO, handles." },
	{ "create-gtt", test_create_gtt,
	  "GTT objects: sizes, GEM_INFO, handles, used grows and comes back." },
	{ "create-vram", test_create_vram,
	  "VRAM objects: sizes, GEM_INFO, handles, used grows and comes back." },
	{ "create-combinations", test_create_combinations,
	  "Objects allowed in several regions go to the first one, with any flags." },
	{ "create-flag-cpu-access", test_create_flag_cpu_access,
	  "CPU_ACCESS objects are echoed and kept in the CPU-visible window." },
	{ "create-flag-no-cpu-access", test_create_flag_no_cpu_access,
	  "NO_CPU_ACCESS objects are echoed and have no mmap offset." },
	{ "create-flag-contiguous", test_create_flag_contiguous,
	  "CONTIGUOUS objects are echoed, placed and usable." },
	{ "create-flag-system-wc", test_create_flag_system_wc,
	  "SYSTEM_WC objects are echoed and usable." },
	{ "create-bad-zero-size", test_create_bad_zero_size,
	  "A size of zero is -EINVAL." },
	{ "create-bad-overflow-size", test_create_bad_overflow_size,
	  "Sizes beyond max_object_size, or wrapping when rounded, are -EINVAL." },
	{ "create-bad-unknown-region", test_create_bad_unknown_region,
	  "Unknown region ids are -EINVAL." },
	{ "create-bad-empty-regions", test_create_bad_empty_regions,
	  "An empty region list is -EINVAL." },
	{ "create-bad-too-many-regions", test_create_bad_too_many_regions,
	  "A region list longer than max_regions is -EINVAL, checked before reading it." },
	{ "create-bad-duplicate-region", test_create_bad_duplicate_region,
	  "A region listed twice is -EINVAL." },
	{ "create-bad-regions-pointer", test_create_bad_regions_pointer,
	  "An unreadable region list is -EFAULT." },
	{ "create-bad-flags", test_create_bad_flags,
	  "Unknown create flags are -EINVAL." },
	{ "create-bad-contradictory-flags", test_create_bad_contradictory_flags,
	  "CPU_ACCESS with NO_CPU_ACCESS is -EINVAL." },
	{ "create-bad-extensions", test_create_bad_extensions,
	  "A create with nonzero extensions is -EINVAL." },
	{ "create-bad-reserved", test_create_bad_reserved,
	  "A create with nonzero reserved words is -EINVAL." },
	{ "create-bad-vm-id", test_create_bad_vm_id,
	  "A create naming a VM is -ENOENT: no VM exists." },
	{ "create-bad-handle", test_create_bad_handle,
	  "A create with a nonzero handle (an output) is -EINVAL." },
	{ "mmap-offset-bad-handle", test_mmap_offset_bad_handle,
	  "MMAP_OFFSET of a handle the file does not have is -ENOENT." },
	{ "mmap-offset-bad-flags", test_mmap_offset_bad_flags,
	  "MMAP_OFFSET with any flag is -EINVAL." },
	{ "mmap-offset-bad-extensions", test_mmap_offset_bad_extensions,
	  "MMAP_OFFSET with nonzero extensions is -EINVAL." },
	{ "mmap-offset-bad-reserved", test_mmap_offset_bad_reserved,
	  "MMAP_OFFSET with nonzero reserved words is -EINVAL." },
	{ "mmap-offset-bad-output", test_mmap_offset_bad_output,
	  "MMAP_OFFSET with a nonzero offset (an output) is -EINVAL." },
	{ "wait-bad-handle", test_wait_bad_handle,
	  "GEM_WAIT on a handle the file does not have is -ENOENT." },
	{ "wait-bad-flags", test_wait_bad_flags,
	  "GEM_WAIT with any flag is -EINVAL." },
	{ "wait-bad-extensions", test_wait_bad_extensions,
	  "GEM_WAIT with nonzero extensions is -EINVAL." },
	{ "wait-bad-reserved", test_wait_bad_reserved,
	  "GEM_WAIT with nonzero reserved words is -EINVAL." },
	{ "info-bad-handle", test_info_bad_handle,
	  "GEM_INFO of a handle the file does not have is -ENOENT." },
	{ "info-bad-pad", test_info_bad_pad,
	  "GEM_INFO with a nonzero pad is -EINVAL." },
	{ "info-bad-extensions", test_info_bad_extensions,
	  "GEM_INFO with nonzero extensions is -EINVAL." },
	{ "info-bad-reserved", test_info_bad_reserved,
	  "GEM_INFO with nonzero reserved words is -EINVAL." },
	{ "info-bad-output", test_info_bad_output,
	  "GEM_INFO with nonzero output fields is -EINVAL." },
	{ "madvise-bad-advice", test_madvise_bad_advice,
	  "Unknown madvise advice is -EINVAL and changes nothing." },
	{ "madvise-bad-handle", test_madvise_bad_handle,
	  "GEM_MADVISE of a handle the file does not have is -ENOENT." },
	{ "madvise-bad-pad", test_madvise_bad_pad,
	  "GEM_MADVISE with a nonzero pad is -EINVAL and changes nothing." },
	{ "madvise-bad-purged", test_madvise_bad_purged,
	  "GEM_MADVISE with purged set on input is -EINVAL and changes nothing." },
	{ "madvise-bad-extensions", test_madvise_bad_extensions,
	  "GEM_MADVISE with nonzero extensions is -EINVAL and changes nothing." },
	{ "madvise-bad-reserved", test_madvise_bad_reserved,
	  "GEM_MADVISE with nonzero reserved words is -EINVAL and changes nothing." },
	{ "gem-close-bad-handle", test_gem_close_bad_handle,
	  "GEM_CLOSE of a handle the file does not have is -EINVAL." },
	{ "mmap-system", test_mmap_system,
	  "A SYSTEM object maps and keeps what is written." },
	{ "mmap-gtt", test_mmap_gtt,
	  "A GTT object maps and keeps what is written." },
	{ "mmap-vram", test_mmap_vram,
	  "A VRAM object maps and keeps what is written." },
	{ "mmap-vram-cpu-access", test_mmap_vram_cpu_access,
	  "A CPU_ACCESS VRAM object maps and keeps what is written." },
	{ "mmap-bad-offset", test_mmap_bad_offset,
	  "mmap() only maps an object at its exact offset and within its size." },
	{ "mmap-after-close", test_mmap_after_close,
	  "A mapping outlives the handle; the offset goes with the object." },
	{ "clear-on-alloc-system", test_clear_on_alloc_system,
	  "New SYSTEM objects read as zeroes though pages are reused." },
	{ "clear-on-alloc-gtt", test_clear_on_alloc_gtt,
	  "New GTT objects read as zeroes though pages are reused." },
	{ "clear-on-alloc-vram", test_clear_on_alloc_vram,
	  "New VRAM objects read as zeroes though all of VRAM is reused." },
	{ "wait-idle", test_wait_idle,
	  "GEM_WAIT on idle objects returns 0 at once, whatever the timeout." },
	{ "madvise", test_madvise,
	  "DONTNEED and WILLNEED without pressure: state, purged 0, contents kept." },
	{ "madvise-purge-vram", test_madvise_purge_vram,
	  "A DONTNEED VRAM-only object is purged when VRAM runs short." },
	{ "madvise-purge-gtt", test_madvise_purge_gtt,
	  "A DONTNEED GTT-only object is purged when the aperture runs short." },
	{ "vram-overcommit", test_vram_overcommit,
	  "VRAM-only objects beyond VRAM evict each other and keep their contents." },
	{ "enospc", test_enospc,
	  "Objects no region of their list can hold fail with -ENOSPC, leaving nothing." },
	{ "tracepoints", test_tracepoints,
	  "The vdgpu trace events fire with the documented fields." },
	{ "fdinfo", test_fdinfo,
	  "fdinfo reports the file's objects per region, as allocated." },
	{ "two-files-isolated", test_two_files_isolated,
	  "Objects are private to their file until shared with PRIME." },
	{ "render-node", test_render_node,
	  "The memory uAPI works on the render node." },
	{ "primary-node", test_primary_node,
	  "The memory uAPI works on the primary node." },
	/* Last: it may reload the module. */
	{ "fault-migrates-invisible", test_fault_migrates_invisible,
	  "A CPU fault moves an object outside the visible window into it, or to GTT." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "The memory uAPI of vdgpu: query, GEM create, mmap, wait, "
		       "info and madvise.",
		       subtests, ARRAY_SIZE(subtests));
}
