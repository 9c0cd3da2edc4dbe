// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_vm_bind: the GPU virtual address spaces of vdgpu 1.2
 * (include/uapi/drm/vdgpu_drm.h, "GPU virtual address spaces") end to
 * end: VM_CREATE and VM_DESTROY, VM-private objects, and VM_BIND's MAP,
 * UNMAP and PREFETCH with mmap()/munmap() semantics, large device pages,
 * synchronous and asynchronous binds with binary and timeline syncobjs,
 * all-or-nothing arrays, per-file isolation, rebinding after eviction,
 * and one subtest per argument the kernel must refuse.
 *
 * What a VM maps is read back from the driver's debugfs file "vms" (in
 * the device's DRM debugfs directory, next to "regions"), one block per VM
 * of every open file:
 *
 *   client <drm-client-id> vm <vm_id> mappings <n> page_tables <n>
 *    0x<start> 0x<end> <rw|ro> offset 0x<off> size 0x<size> region <id> 4k <n> 64k <n> 2m <n>
 *
 * <end> exclusive, one line per mapping in address order; 4k/64k/2m are
 * the device pages the mapping uses in the page tables, region the uAPI
 * id of the region the object is in.  A file's blocks are found by the
 * drm-client-id of its fdinfo.  Subtests about what gets mapped skip
 * without debugfs (not root, not mounted and not mountable); when debugfs
 * is there, a missing or malformed "vms" fails them.  The *-bad-*
 * subtests run without debugfs too, and then only lose the check that
 * the refused calls changed nothing.
 *
 * The GPU cannot be made to read through a VA from userspace yet (command
 * submission comes later); that translation is checked in KUnit.
 *
 * Each subtest opens its own DRM files (the render node) and is
 * documented where it is defined.  Every subtest skips on a driver older
 * than 1.2; the ones holding a fence back need vgem.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)
#define SZ_4K		(4 * KIB)
#define SZ_64K		(64 * KIB)
#define SZ_2M		(2 * MIB)

#define NSEC_PER_MSEC	1000000ll
#define NSEC_PER_SEC	1000000000ll

#define OP_MAP		DRM_VDGPU_VM_BIND_OP_MAP
#define OP_UNMAP	DRM_VDGPU_VM_BIND_OP_UNMAP
#define OP_PREFETCH	DRM_VDGPU_VM_BIND_OP_PREFETCH
#define READ_ONLY	DRM_VDGPU_VM_BIND_READ_ONLY
#define ASYNC		DRM_VDGPU_VM_BIND_ASYNC
#define SIGNAL		DRM_VDGPU_SYNC_SIGNAL
#define TIMELINE	DRM_VDGPU_SYNC_TIMELINE

/* Limits of VM_BIND in this uAPI version. */
#define MAX_OPS		1024
#define MAX_SYNCS	64

/* How long a bind, or the disappearance of a closed file's VMs, may take. */
#define WAIT_NS		(10 * NSEC_PER_SEC)
#define GONE_TIMEOUT_MS	5000

/*
 * Where the subtests map: everything stays below VA_NEEDED, which the
 * subtests require va_kernel_start to be above.  VA 0 and the top of the
 * user range are exercised explicitly by bind-va-limits.
 */
#define BASE		(1 * GIB)
#define VA_NEEDED	(16 * GIB)

/* Any region of class GTT or VRAM, for struct want. */
#define ANY_GPU		(~0u)

#define MAX_REGION_ID	32

/*
 * The file under test: a render node of a 1.2 driver, what it says of
 * itself, and whether its debugfs "vms" file can be read.
 */
struct vmt {
	int fd;
	struct drm_vdgpu_query_device dev;
	int cls[MAX_REGION_ID];		/* class of region id n, -1 if none */
	int system, gtt, vram;		/* first region of each class, or -1 */
	uint64_t total[MAX_REGION_ID];	/* total_size by region id */
	bool vms;			/* debugfs vms readable */
	uint64_t client;		/* drm-client-id of @fd, if @vms */
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/* A page nobody may read or write, for -EFAULT. */
static void *inaccessible_page(void)
{
	void *ptr = mmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

/*
 * Operations and syncs.
 */

static struct drm_vdgpu_vm_bind_op op_map(uint32_t handle, uint64_t obj_offset,
					  uint64_t addr, uint64_t range)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = OP_MAP,
		.handle = handle,
		.obj_offset = obj_offset,
		.addr = addr,
		.range = range,
	};

	return op;
}

static struct drm_vdgpu_vm_bind_op op_unmap(uint64_t addr, uint64_t range)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = OP_UNMAP,
		.addr = addr,
		.range = range,
	};

	return op;
}

static struct drm_vdgpu_vm_bind_op op_prefetch(uint32_t region, uint64_t addr,
					       uint64_t range)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = OP_PREFETCH,
		.region = region,
		.addr = addr,
		.range = range,
	};

	return op;
}

/* @flags: SIGNAL and/or TIMELINE; @point for TIMELINE, else 0. */
static struct drm_vdgpu_sync sync_of(uint32_t handle, uint32_t flags,
				     uint64_t point)
{
	struct drm_vdgpu_sync s = {
		.flags = flags,
		.handle = handle,
		.point = point,
	};

	return s;
}

static int bind_raw(int fd, struct drm_vdgpu_vm_bind *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_BIND, arg);
}

/* A valid bind of @num_ops ops and @num_syncs syncs, to be altered. */
static struct drm_vdgpu_vm_bind bind_arg(uint32_t vm_id, uint32_t flags,
					 const struct drm_vdgpu_vm_bind_op *ops,
					 uint32_t num_ops,
					 const struct drm_vdgpu_sync *syncs,
					 uint32_t num_syncs)
{
	struct drm_vdgpu_vm_bind arg = {
		.vm_id = vm_id,
		.flags = flags,
		.num_ops = num_ops,
		.op_stride = sizeof(*ops),
		.ops = to_user_pointer(ops),
		.num_syncs = num_syncs,
		.sync_stride = sizeof(*syncs),
		.syncs = to_user_pointer(syncs),
	};

	return arg;
}

static int bind_ops(int fd, uint32_t vm, uint32_t flags,
		    const struct drm_vdgpu_vm_bind_op *ops, uint32_t num_ops)
{
	return __vdgpu_vm_bind(fd, vm, flags, ops, num_ops, NULL, 0);
}

static void prefetch(int fd, uint32_t vm, uint32_t region, uint64_t addr,
		     uint64_t range)
{
	struct drm_vdgpu_vm_bind_op op = op_prefetch(region, addr, range);

	vdgpu_vm_bind(fd, vm, 0, &op, 1, NULL, 0);
}

/* Wait up to WAIT_NS for a binary syncobj / a timeline point. */
static int wait_syncobj(int fd, uint32_t handle)
{
	return __syncobj_wait_until(fd, handle, 0, vdgpu_now_ns() + WAIT_NS);
}

static int wait_point(int fd, uint32_t handle, uint64_t point)
{
	return __syncobj_timeline_wait_until(fd, handle, point, 0,
					     vdgpu_now_ns() + WAIT_NS);
}

/*
 * The debugfs "vms" file.
 */

enum { PG_4K, PG_64K, PG_2M, NUM_PG };
static const uint64_t pg_size[NUM_PG] = { SZ_4K, SZ_64K, SZ_2M };

struct vms_map {
	uint64_t start, end;		/* [start, end) */
	bool ro;
	uint64_t offset;		/* into the object */
	uint64_t size;			/* of the object */
	uint32_t region;		/* where the object is */
	uint64_t pages[NUM_PG];		/* device pages used, by size */
};

struct vms_vm {
	uint64_t client;
	uint32_t vm_id;
	uint32_t declared;		/* mappings the header announces */
	uint32_t page_tables;
	uint32_t count;			/* mapping lines */
	struct vms_map *maps;
};

struct vms {
	uint32_t count;
	struct vms_vm *vms;
};

static char vms_path[PATH_MAX];
static char vms_skip[PATH_MAX + 128];

static void vms_free(struct vms *v)
{
	uint32_t i;

	for (i = 0; i < v->count; i++)
		free(v->vms[i].maps);
	free(v->vms);
	memset(v, 0, sizeof(*v));
}

static const struct vms_vm *vms_find(const struct vms *v, uint64_t client,
				     uint32_t vm_id)
{
	uint32_t i;

	for (i = 0; i < v->count; i++)
		if (v->vms[i].client == client && v->vms[i].vm_id == vm_id)
			return &v->vms[i];
	return NULL;
}

static int vms_parse_header(const char *line, struct vms *v, char *why,
			    size_t len)
{
	unsigned long long client;
	unsigned int vm_id, declared, pts;
	struct vms_vm *b;
	int end = -1;

	if (sscanf(line, "client %llu vm %u mappings %u page_tables %u%n",
		   &client, &vm_id, &declared, &pts, &end) != 4 ||
	    line[end]) {
		snprintf(why, len, "malformed VM line '%s'", line);
		return -EINVAL;
	}
	if (!vm_id) {
		snprintf(why, len, "VM id 0 in '%s'", line);
		return -EINVAL;
	}
	if (vms_find(v, client, vm_id)) {
		snprintf(why, len, "client %llu vm %u listed twice", client, vm_id);
		return -EINVAL;
	}
	if (declared > (1u << 20)) {
		snprintf(why, len, "implausible mapping count in '%s'", line);
		return -EINVAL;
	}
	v->vms = realloc(v->vms, (v->count + 1) * sizeof(*v->vms));
	igt_assert(v->vms);
	b = &v->vms[v->count++];
	memset(b, 0, sizeof(*b));
	b->client = client;
	b->vm_id = vm_id;
	b->declared = declared;
	b->page_tables = pts;
	b->maps = calloc(declared ? declared : 1, sizeof(*b->maps));
	igt_assert(b->maps);
	return 0;
}

static int vms_parse_mapping(const char *line, struct vms_vm *b, char *why,
			     size_t len)
{
	unsigned long long start, end, offset, size, p4k, p64k, p2m;
	unsigned int region;
	struct vms_map *m;
	char access[4];
	int n = -1;

	if (sscanf(line, " 0x%llx 0x%llx %3s offset 0x%llx size 0x%llx region %u 4k %llu 64k %llu 2m %llu%n",
		   &start, &end, access, &offset, &size, &region, &p4k, &p64k,
		   &p2m, &n) != 9 || line[n] ||
	    (strcmp(access, "rw") && strcmp(access, "ro"))) {
		snprintf(why, len, "malformed mapping line '%s'", line);
		return -EINVAL;
	}
	if (b->count == b->declared) {
		snprintf(why, len, "client %" PRIu64 " vm %u: more than the %u mappings announced",
			 b->client, b->vm_id, b->declared);
		return -EINVAL;
	}
	if (end <= start) {
		snprintf(why, len, "empty or reversed mapping '%s'", line);
		return -EINVAL;
	}
	if (b->count && start < b->maps[b->count - 1].end) {
		snprintf(why, len, "mapping '%s' overlaps or precedes the previous one",
			 line);
		return -EINVAL;
	}
	m = &b->maps[b->count++];
	m->start = start;
	m->end = end;
	m->ro = !strcmp(access, "ro");
	m->offset = offset;
	m->size = size;
	m->region = region;
	m->pages[PG_4K] = p4k;
	m->pages[PG_64K] = p64k;
	m->pages[PG_2M] = p2m;
	return 0;
}

static int vms_check_count(const struct vms *v, char *why, size_t len)
{
	const struct vms_vm *b;

	if (!v->count)
		return 0;
	b = &v->vms[v->count - 1];
	if (b->count != b->declared) {
		snprintf(why, len, "client %" PRIu64 " vm %u announces %u mappings but lists %u",
			 b->client, b->vm_id, b->declared, b->count);
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse the whole file, every block of every client: a malformed line,
 * a mapping outside a block, mappings out of order or overlapping, or a
 * count that does not match its header is -EINVAL with @why saying so.
 */
static int vms_parse(const char *text, struct vms *v, char *why, size_t len)
{
	const char *p = text;
	int ret = 0;

	memset(v, 0, sizeof(*v));
	while (*p && !ret) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		if (n >= sizeof(line)) {
			snprintf(why, len, "a line of %zu characters", n);
			ret = -EINVAL;
			break;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += nl ? n + 1 : n;
		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (!n)
			continue;

		if (!strncmp(line, "client ", 7)) {
			ret = vms_check_count(v, why, len);
			if (!ret)
				ret = vms_parse_header(line, v, why, len);
		} else if (!strncmp(line, " 0x", 3)) {
			if (!v->count) {
				snprintf(why, len, "mapping line '%s' before any VM line",
					 line);
				ret = -EINVAL;
			} else {
				ret = vms_parse_mapping(line, &v->vms[v->count - 1],
							why, len);
			}
		} else {
			snprintf(why, len, "unexpected line '%s'", line);
			ret = -EINVAL;
		}
	}
	if (!ret)
		ret = vms_check_count(v, why, len);
	if (ret)
		vms_free(v);
	return ret;
}

/*
 * Find the vms file of the device @fd belongs to, as vdgpu_regions_path()
 * finds "regions".  False, with the reason in vms_skip, when debugfs is
 * not available to us; a file missing from a mounted debugfs fails.
 */
static bool vms_probe(int fd)
{
	char dir[PATH_MAX], *slash, *text;
	int ret;

	ret = vdgpu_debugfs_mount();
	if (ret) {
		snprintf(vms_skip, sizeof(vms_skip),
			 "debugfs is not available at %s: %s\n",
			 VDGPU_DEBUGFS_ROOT, strerror(-ret));
		return false;
	}
	ret = vdgpu_regions_path(fd, dir, sizeof(dir));
	igt_assert_f(ret == 0, "cannot locate the device's debugfs directory: %s\n",
		     strerror(-ret));
	slash = strrchr(dir, '/');
	igt_assert(slash);
	*slash = '\0';
	igt_assert(snprintf(vms_path, sizeof(vms_path), "%s/vms", dir) <
		   (int)sizeof(vms_path));

	ret = vdgpu_read_file_alloc(vms_path, &text);
	if (ret == -EACCES || ret == -EPERM) {
		snprintf(vms_skip, sizeof(vms_skip), "cannot read %s: %s\n",
			 vms_path, strerror(-ret));
		return false;
	}
	igt_assert_f(ret >= 0, "debugfs is mounted but %s cannot be read: %s\n",
		     vms_path, strerror(-ret));
	free(text);
	return true;
}

/* Read and parse the vms file, failing the subtest if it is malformed. */
static void vms_read(struct vms *v)
{
	char why[600] = "", *text;
	int ret;

	ret = vdgpu_read_file_alloc(vms_path, &text);
	igt_assert_f(ret >= 0, "cannot read %s: %s\n", vms_path, strerror(-ret));
	ret = vms_parse(text, v, why, sizeof(why));
	if (ret)
		igt_info("%s:\n%s", vms_path, text);
	free(text);
	igt_assert_f(ret == 0, "malformed %s: %s\n", vms_path, why);
}

/* The drm-client-id line of /proc/self/fdinfo/@fd. */
static uint64_t client_id(int fd)
{
	char path[64], line[256];
	unsigned long long id = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "drm-client-id: %llu", &id) == 1;
	fclose(f);
	igt_assert_f(found, "no drm-client-id in %s\n", path);
	return id;
}

/*
 * Open a render node of a driver with the VM uAPI.  With @need_vms the
 * subtest skips unless the debugfs vms file can be read.
 */
static void vmt_open(struct vmt *t, bool need_vms)
{
	struct drm_vdgpu_query_mem_regions *r;
	uint32_t size, i;

	memset(t, 0, sizeof(*t));
	t->fd = vdgpu_open_render();
	vdgpu_require_vm(t->fd);
	vdgpu_query_device(t->fd, &t->dev);
	igt_require_f(t->dev.va_kernel_start >= VA_NEEDED,
		      "the subtests map below %" PRIu64 " GiB, va_kernel_start is %#" PRIx64 "\n",
		      VA_NEEDED / GIB, (uint64_t)t->dev.va_kernel_start);

	for (i = 0; i < MAX_REGION_ID; i++)
		t->cls[i] = -1;
	t->system = t->gtt = t->vram = -1;
	r = vdgpu_query_alloc(t->fd, DRM_VDGPU_QUERY_MEM_REGIONS, sizeof(*r),
			      &size);
	igt_assert_lte(sizeof(struct drm_vdgpu_mem_region), r->region_size);
	igt_assert_lte_u64(sizeof(*r) + (uint64_t)r->num_regions * r->region_size,
			   size);
	for (i = 0; i < r->num_regions; i++) {
		struct drm_vdgpu_mem_region m;
		int *first;

		memcpy(&m, (const char *)r->regions + (size_t)i * r->region_size,
		       sizeof(m));
		igt_assert_lt(m.id, MAX_REGION_ID);
		t->cls[m.id] = m.mem_class;
		t->total[m.id] = m.total_size;
		switch (m.mem_class) {
		case DRM_VDGPU_MEM_CLASS_SYSTEM:
			first = &t->system;
			break;
		case DRM_VDGPU_MEM_CLASS_GTT:
			first = &t->gtt;
			break;
		case DRM_VDGPU_MEM_CLASS_VRAM:
			first = &t->vram;
			break;
		default:
			igt_fail("region %u has unknown class %u\n", m.id,
				 m.mem_class);
		}
		if (*first < 0)
			*first = m.id;
	}
	free(r);

	t->vms = vms_probe(t->fd);
	if (need_vms)
		igt_require_f(t->vms, "%s", vms_skip);
	if (t->vms)
		t->client = client_id(t->fd);
}

static bool is_gpu_region(const struct vmt *t, uint32_t id)
{
	return id < MAX_REGION_ID &&
	       (t->cls[id] == DRM_VDGPU_MEM_CLASS_GTT ||
		t->cls[id] == DRM_VDGPU_MEM_CLASS_VRAM);
}

/* A region mappings can use: GTT if there is one, else VRAM. */
static uint32_t gpu_region(const struct vmt *t)
{
	igt_require_f(t->gtt >= 0 || t->vram >= 0,
		      "the device has neither GTT nor VRAM\n");
	return t->gtt >= 0 ? t->gtt : t->vram;
}

static void require_gtt_vram(const struct vmt *t)
{
	igt_require_f(t->gtt >= 0 && t->vram >= 0,
		      "the device needs both a GTT and a VRAM region\n");
}

static uint32_t bo_in(const struct vmt *t, uint64_t size, uint32_t region)
{
	return vdgpu_gem_create_in(t->fd, size, region, 0);
}

static uint32_t bo_gpu(const struct vmt *t, uint64_t size)
{
	return bo_in(t, size, gpu_region(t));
}

/*
 * What a mapping must look like in the vms file.  Every mapping checked
 * must also be fully in the page tables (its device pages add up to its
 * size) with page sizes of va_page_sizes only; with @exact_pages, the
 * count of each page size is checked too.
 */
struct want {
	uint64_t start, end;
	uint64_t offset;	/* into the object */
	uint64_t size;		/* of the object */
	uint32_t region;	/* an id, or ANY_GPU */
	bool ro;
	bool exact_pages;
	uint64_t pages[NUM_PG];
};

#define MAPPING(s, e, o, sz, r) \
	((struct want){ .start = (s), .end = (e), .offset = (o), .size = (sz), .region = (r) })

static bool mapping_ok(const struct vmt *t, const struct vms_map *m,
		       const struct want *w, char *why, size_t len)
{
	uint64_t bytes = 0;
	int i;

	if (m->start != w->start || m->end != w->end) {
		snprintf(why, len, "[%#" PRIx64 ", %#" PRIx64 ") instead of [%#" PRIx64 ", %#" PRIx64 ")",
			 m->start, m->end, w->start, w->end);
		return false;
	}
	if (m->ro != w->ro) {
		snprintf(why, len, "%s instead of %s", m->ro ? "ro" : "rw",
			 w->ro ? "ro" : "rw");
		return false;
	}
	if (m->offset != w->offset) {
		snprintf(why, len, "object offset %#" PRIx64 " instead of %#" PRIx64,
			 m->offset, w->offset);
		return false;
	}
	if (m->size != w->size) {
		snprintf(why, len, "object size %#" PRIx64 " instead of %#" PRIx64,
			 m->size, w->size);
		return false;
	}
	if (w->region == ANY_GPU ? !is_gpu_region(t, m->region) :
				   m->region != w->region) {
		snprintf(why, len, "object in region %u, expected %s%u", m->region,
			 w->region == ANY_GPU ? "a GTT or VRAM region, not " : "",
			 w->region == ANY_GPU ? m->region : w->region);
		return false;
	}
	for (i = 0; i < NUM_PG; i++) {
		if (m->pages[i] && !(t->dev.va_page_sizes & pg_size[i])) {
			snprintf(why, len, "%" PRIu64 " pages of %" PRIu64 " KiB, not in va_page_sizes %#" PRIx64,
				 m->pages[i], pg_size[i] / KIB,
				 (uint64_t)t->dev.va_page_sizes);
			return false;
		}
		bytes += m->pages[i] * pg_size[i];
	}
	if (bytes != m->end - m->start) {
		snprintf(why, len, "its device pages cover %#" PRIx64 " bytes of %#" PRIx64,
			 bytes, m->end - m->start);
		return false;
	}
	if (w->exact_pages && memcmp(m->pages, w->pages, sizeof(m->pages))) {
		snprintf(why, len, "4k %" PRIu64 " 64k %" PRIu64 " 2m %" PRIu64 " instead of 4k %" PRIu64 " 64k %" PRIu64 " 2m %" PRIu64,
			 m->pages[PG_4K], m->pages[PG_64K], m->pages[PG_2M],
			 w->pages[PG_4K], w->pages[PG_64K], w->pages[PG_2M]);
		return false;
	}
	return true;
}

static void dump_vm(const struct vms_vm *b)
{
	uint32_t i;

	igt_info("client %" PRIu64 " vm %u mappings %u page_tables %u\n",
		 b->client, b->vm_id, b->declared, b->page_tables);
	for (i = 0; i < b->count; i++) {
		const struct vms_map *m = &b->maps[i];

		igt_info(" 0x%" PRIx64 " 0x%" PRIx64 " %s offset 0x%" PRIx64 " size 0x%" PRIx64 " region %u 4k %" PRIu64 " 64k %" PRIu64 " 2m %" PRIu64 "\n",
			 m->start, m->end, m->ro ? "ro" : "rw", m->offset,
			 m->size, m->region, m->pages[PG_4K], m->pages[PG_64K],
			 m->pages[PG_2M]);
	}
}

static void dump_want(const struct want *w, unsigned int n)
{
	unsigned int i;

	igt_info("expected %u mappings:\n", n);
	for (i = 0; i < n; i++)
		igt_info(" 0x%" PRIx64 " 0x%" PRIx64 " %s offset 0x%" PRIx64 " size 0x%" PRIx64 " region %d\n",
			 w[i].start, w[i].end, w[i].ro ? "ro" : "rw",
			 w[i].offset, w[i].size,
			 w[i].region == ANY_GPU ? -1 : (int)w[i].region);
}

/*
 * Assert that VM @vm of @t maps exactly @w (@n mappings, in address
 * order).  Does nothing without debugfs.
 */
static void check_vm(const struct vmt *t, uint32_t vm, const struct want *w,
		     unsigned int n)
{
	const struct vms_vm *b;
	char why[300] = "";
	struct vms v;
	unsigned int i;

	if (!t->vms)
		return;
	vms_read(&v);
	b = vms_find(&v, t->client, vm);
	if (!b) {
		snprintf(why, sizeof(why), "client %" PRIu64 " has no such VM",
			 t->client);
	} else if (b->count != n) {
		snprintf(why, sizeof(why), "%u mappings instead of %u", b->count, n);
	} else {
		for (i = 0; i < n; i++) {
			char what[240];

			if (mapping_ok(t, &b->maps[i], &w[i], what, sizeof(what)))
				continue;
			snprintf(why, sizeof(why), "mapping %u: %s", i, what);
			break;
		}
	}
	if (why[0]) {
		if (b)
			dump_vm(b);
		dump_want(w, n);
	}
	vms_free(&v);
	igt_assert_f(!why[0], "VM %u: %s\n", vm, why);
}

static void check_empty(const struct vmt *t, uint32_t vm)
{
	check_vm(t, vm, NULL, 0);
}

/* Whether the vms file lists VM @vm of @client; false without debugfs. */
static bool vm_listed(const struct vmt *t, uint64_t client, uint32_t vm)
{
	struct vms v;
	bool found;

	if (!t->vms)
		return false;
	vms_read(&v);
	found = vms_find(&v, client, vm);
	vms_free(&v);
	return found;
}

/* How many VMs the vms file lists for @client. */
static unsigned int client_vms(uint64_t client)
{
	unsigned int n = 0;
	struct vms v;
	uint32_t i;

	vms_read(&v);
	for (i = 0; i < v.count; i++)
		n += v.vms[i].client == client;
	vms_free(&v);
	return n;
}

static void check_vm_gone(const struct vmt *t, uint32_t vm)
{
	igt_assert_f(!vm_listed(t, t->client, vm),
		     "destroyed VM %u of client %" PRIu64 " is still in %s\n",
		     vm, t->client, vms_path);
}

/*
 * The device pages a fully valid mapping of [@start, @end) uses when its
 * first byte is at device address @phys (only the residue modulo the
 * largest page size matters), if the kernel uses at each address the
 * largest page of @page_sizes that the virtual address, the device
 * address and the mapping's end allow.
 */
static void expect_pages(uint64_t page_sizes, uint64_t start, uint64_t end,
			 uint64_t phys, uint64_t pages[NUM_PG])
{
	uint64_t a = start;

	memset(pages, 0, NUM_PG * sizeof(pages[0]));
	while (a < end) {
		int i;

		for (i = NUM_PG - 1; i > PG_4K; i--) {
			uint64_t s = pg_size[i];

			if ((page_sizes & s) && !(a % s) &&
			    !((phys + (a - start)) % s) && end - a >= s)
				break;
		}
		pages[i]++;
		a += pg_size[i];
	}
}

/*
 * A mapping of an object whose first byte is at a device address aligned
 * to the largest page, with the pages expect_pages() predicts.
 */
static struct want aligned_mapping(const struct vmt *t, uint64_t start,
				   uint64_t end, uint64_t offset, uint64_t size,
				   uint32_t region)
{
	struct want w = MAPPING(start, end, offset, size, region);

	w.exact_pages = true;
	expect_pages(t->dev.va_page_sizes, start, end, offset, w.pages);
	return w;
}

/*
 * query-va-layout: DRM_VDGPU_QUERY_DEVICE of a 1.2 driver describes the VA
 * layout: va_end above va_kernel_start (the kernel's range is not empty),
 * both multiples of 4 KiB; va_page_sizes holds 4 KiB and nothing smaller;
 * pad and reserved are zero.
 */
static void test_query_va_layout(void)
{
	struct drm_vdgpu_query_device dev;
	int fd = vdgpu_open_render();

	vdgpu_require_vm(fd);
	vdgpu_query_device(fd, &dev);
	igt_info("uAPI %u.%u, va_end %#" PRIx64 ", va_kernel_start %#" PRIx64 ", va_page_sizes %#" PRIx64 "\n",
		 dev.uapi_major, dev.uapi_minor, (uint64_t)dev.va_end,
		 (uint64_t)dev.va_kernel_start, (uint64_t)dev.va_page_sizes);
	igt_assert_eq(dev.uapi_major, 1);
	igt_assert_lte(VDGPU_VM_UAPI_MINOR, dev.uapi_minor);
	igt_assert_lt_u64(dev.va_kernel_start, dev.va_end);
	igt_assert_eq_u64(dev.va_kernel_start % SZ_4K, 0);
	igt_assert_eq_u64(dev.va_end % SZ_4K, 0);
	igt_assert_gt_u64(dev.va_kernel_start, 0);
	igt_assert_f(dev.va_page_sizes & SZ_4K,
		     "va_page_sizes %#" PRIx64 " lacks 4 KiB\n",
		     (uint64_t)dev.va_page_sizes);
	igt_assert_f(!(dev.va_page_sizes & (SZ_4K - 1)),
		     "va_page_sizes %#" PRIx64 " has pages below 4 KiB\n",
		     (uint64_t)dev.va_page_sizes);
	igt_assert_eq(dev.pad, 0);
	igt_assert_eq_u64(dev.reserved[0], 0);
	igt_assert_eq_u64(dev.reserved[1], 0);
	igt_assert_eq_u64(dev.reserved[2], 0);
	close(fd);
}

/*
 * vm-create-destroy: the first VM of a new file has id 1, later ones other
 * nonzero ids; a new VM is listed in debugfs with no mapping.  Once
 * destroyed, its id is -ENOENT for VM_DESTROY, VM_BIND and GEM_CREATE,
 * it leaves debugfs, and the file's other VMs are untouched.
 */
static void test_vm_create_destroy(void)
{
	struct drm_vdgpu_vm_bind_op op = op_unmap(BASE, MIB);
	uint32_t a, b, c, handle, region;
	struct vmt t;

	vmt_open(&t, false);
	region = gpu_region(&t);
	a = vdgpu_vm_create(t.fd);
	igt_assert_eq(a, 1);
	b = vdgpu_vm_create(t.fd);
	igt_assert_neq(b, 0);
	igt_assert_neq(b, a);
	check_empty(&t, a);
	check_empty(&t, b);

	vdgpu_vm_destroy(t.fd, a);
	igt_assert_err(__vdgpu_vm_destroy(t.fd, a), -ENOENT);
	igt_assert_err(bind_ops(t.fd, a, 0, &op, 1), -ENOENT);
	igt_assert_err(__vdgpu_gem_create_vm(t.fd, MIB, &region, 1, 0, a, &handle),
		       -ENOENT);
	check_vm_gone(&t, a);
	check_empty(&t, b);
	vdgpu_vm_bind(t.fd, b, 0, &op, 1, NULL, 0);

	c = vdgpu_vm_create(t.fd);
	igt_assert_neq(c, 0);
	igt_assert_neq(c, b);
	vdgpu_vm_destroy(t.fd, b);
	vdgpu_vm_destroy(t.fd, c);
	check_vm_gone(&t, b);
	check_vm_gone(&t, c);
	close(t.fd);
}

/*
 * vm-many: one file holds 64 VMs at once, with distinct nonzero ids; each
 * maps the same object at its own address and offset and shows only its
 * own mapping; destroying every other VM leaves the rest as they were.
 */
#define MANY_VMS	64

static struct want many_vm_mapping(int i)
{
	return MAPPING(BASE + i * SZ_2M, BASE + i * SZ_2M + SZ_64K,
		       (i % 16) * SZ_64K, MIB, ANY_GPU);
}

static void test_vm_many(void)
{
	uint32_t ids[MANY_VMS], bo;
	struct vmt t;
	int i, j;

	vmt_open(&t, false);
	bo = bo_gpu(&t, MIB);
	for (i = 0; i < MANY_VMS; i++) {
		ids[i] = vdgpu_vm_create(t.fd);
		for (j = 0; j < i; j++)
			igt_assert_f(ids[j] != ids[i],
				     "VMs %d and %d both have id %u\n", j, i, ids[i]);
	}
	for (i = 0; i < MANY_VMS; i++) {
		struct want w = many_vm_mapping(i);

		vdgpu_vm_map(t.fd, ids[i], bo, w.offset, w.start,
			     w.end - w.start, 0);
	}
	for (i = 0; i < MANY_VMS; i++) {
		struct want w = many_vm_mapping(i);

		check_vm(&t, ids[i], &w, 1);
	}
	for (i = 1; i < MANY_VMS; i += 2)
		vdgpu_vm_destroy(t.fd, ids[i]);
	for (i = 0; i < MANY_VMS; i++) {
		struct want w = many_vm_mapping(i);

		if (i & 1)
			check_vm_gone(&t, ids[i]);
		else
			check_vm(&t, ids[i], &w, 1);
	}
	close(t.fd);
}

/*
 * Wait until the vms file lists no VM of @client; fail after
 * GONE_TIMEOUT_MS.
 */
static void wait_client_gone(uint64_t client)
{
	unsigned int ms, left = client_vms(client);

	for (ms = 0; left && ms < GONE_TIMEOUT_MS; ms += 10) {
		sleep_ms(10);
		left = client_vms(client);
	}
	igt_assert_f(!left, "%u VMs of closed client %" PRIu64 " still in %s after %d ms\n",
		     left, client, vms_path, GONE_TIMEOUT_MS);
}

/*
 * vm-close-file-destroys: closing a file destroys its VMs, mapped ones and
 * ones holding private objects included: debugfs stops listing any VM of
 * its client, while another file's VM keeps its mapping.
 */
static void test_vm_close_file_destroys(void)
{
	uint32_t vms[4], vm_b, bo, bo_b, region;
	struct vmt a, b;
	struct want w;
	uint64_t client;
	int i;

	vmt_open(&a, true);
	vmt_open(&b, true);
	region = gpu_region(&a);
	bo = bo_gpu(&a, MIB);
	for (i = 0; i < 4; i++) {
		uint32_t priv;

		vms[i] = vdgpu_vm_create(a.fd);
		priv = vdgpu_gem_create_vm(a.fd, 256 * KIB, &region, 1, 0, vms[i]);
		vdgpu_vm_map(a.fd, vms[i], bo, 0, BASE, MIB, 0);
		vdgpu_vm_map(a.fd, vms[i], priv, 0, BASE + 2 * MIB, 256 * KIB, 0);
	}
	vm_b = vdgpu_vm_create(b.fd);
	bo_b = bo_gpu(&b, 2 * MIB);
	vdgpu_vm_map(b.fd, vm_b, bo_b, 0, BASE, 2 * MIB, 0);
	w = MAPPING(BASE, BASE + 2 * MIB, 0, 2 * MIB, ANY_GPU);

	for (i = 0; i < 4; i++) {
		struct want wa[2] = {
			MAPPING(BASE, BASE + MIB, 0, MIB, ANY_GPU),
			MAPPING(BASE + 2 * MIB, BASE + 2 * MIB + 256 * KIB, 0,
				256 * KIB, ANY_GPU),
		};

		check_vm(&a, vms[i], wa, 2);
	}
	igt_assert_eq(client_vms(a.client), 4);
	check_vm(&b, vm_b, &w, 1);

	client = a.client;
	close(a.fd);
	wait_client_gone(client);
	check_vm(&b, vm_b, &w, 1);
	close(b.fd);
}

/*
 * vm-destroy-mapped: a VM with mappings is destroyed at once; the objects
 * it mapped stay valid: they can still be described, read through a CPU
 * mapping, and mapped in another VM.
 */
static void test_vm_destroy_mapped(void)
{
	struct drm_vdgpu_gem_info info;
	uint32_t vm1, vm2, bo;
	struct vmt t;
	struct want w;
	uint32_t *ptr;

	vmt_open(&t, false);
	bo = bo_gpu(&t, MIB);
	ptr = vdgpu_gem_mmap(t.fd, bo, MIB);
	ptr[0] = 0xdeadbeef;
	ptr[MIB / 4 - 1] = 0xcafe;
	vm1 = vdgpu_vm_create(t.fd);
	vm2 = vdgpu_vm_create(t.fd);
	vdgpu_vm_map(t.fd, vm1, bo, 0, BASE, MIB, 0);
	vdgpu_vm_map(t.fd, vm1, bo, 0, BASE + 4 * MIB, 512 * KIB, READ_ONLY);

	vdgpu_vm_destroy(t.fd, vm1);
	check_vm_gone(&t, vm1);
	vdgpu_gem_info(t.fd, bo, &info);
	igt_assert_eq_u64(info.size, MIB);
	igt_assert_eq(ptr[0], 0xdeadbeef);
	igt_assert_eq(ptr[MIB / 4 - 1], 0xcafe);

	vdgpu_vm_map(t.fd, vm2, bo, 0, BASE, MIB, 0);
	w = MAPPING(BASE, BASE + MIB, 0, MIB, ANY_GPU);
	check_vm(&t, vm2, &w, 1);
	munmap(ptr, MIB);
	close(t.fd);
}

/*
 * private-bo: GEM_CREATE with the vm_id of a VM of the file creates an
 * object private to it, which maps in that VM but is -EINVAL in another
 * VM of the same file.  Once its VM is destroyed the object stays valid
 * (described, CPU-mapped, contents kept) but can be mapped nowhere.
 */
static void test_private_bo(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_gem_info info;
	uint32_t vm1, vm2, priv, region;
	struct vmt t;
	struct want w;
	uint32_t *ptr;

	vmt_open(&t, false);
	region = gpu_region(&t);
	vm1 = vdgpu_vm_create(t.fd);
	vm2 = vdgpu_vm_create(t.fd);
	priv = vdgpu_gem_create_vm(t.fd, MIB, &region, 1, 0, vm1);
	vdgpu_gem_info(t.fd, priv, &info);
	igt_assert_eq_u64(info.size, MIB);
	igt_assert_eq(info.allowed_regions, 1u << region);

	vdgpu_vm_map(t.fd, vm1, priv, 0, BASE, MIB, 0);
	w = MAPPING(BASE, BASE + MIB, 0, MIB, region);
	check_vm(&t, vm1, &w, 1);

	op = op_map(priv, 0, BASE, MIB);
	igt_assert_err(bind_ops(t.fd, vm2, 0, &op, 1), -EINVAL);
	igt_assert_err(bind_ops(t.fd, vm2, ASYNC, &op, 1), -EINVAL);
	check_empty(&t, vm2);

	ptr = vdgpu_gem_mmap(t.fd, priv, MIB);
	ptr[7] = 0x5eed;
	vdgpu_vm_destroy(t.fd, vm1);
	vdgpu_gem_info(t.fd, priv, &info);
	igt_assert_eq_u64(info.size, MIB);
	igt_assert_eq(ptr[7], 0x5eed);
	igt_assert_err(bind_ops(t.fd, vm2, 0, &op, 1), -EINVAL);
	check_empty(&t, vm2);
	munmap(ptr, MIB);
	gem_close(t.fd, priv);
	close(t.fd);
}

static int prime_export(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg = { .handle = handle, .flags = flags, .fd = -1 };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg);
	if (!ret)
		*dmabuf = arg.fd;
	return ret;
}

/*
 * private-bo-no-export: PRIME_HANDLE_TO_FD of a private object is
 * -EINVAL, with or without DRM_RDWR, while a shared object of the same
 * size and region exports.
 */
static void test_private_bo_no_export(void)
{
	uint32_t vm, priv, shared, region;
	int dmabuf = -1;
	struct vmt t;

	vmt_open(&t, false);
	region = gpu_region(&t);
	vm = vdgpu_vm_create(t.fd);
	shared = bo_in(&t, MIB, region);
	priv = vdgpu_gem_create_vm(t.fd, MIB, &region, 1, 0, vm);

	igt_assert_err(prime_export(t.fd, shared, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	igt_assert_lte(0, dmabuf);
	close(dmabuf);

	igt_assert_err(prime_export(t.fd, priv, DRM_CLOEXEC | DRM_RDWR, &dmabuf),
		       -EINVAL);
	igt_assert_err(prime_export(t.fd, priv, DRM_CLOEXEC, &dmabuf), -EINVAL);
	close(t.fd);
}

/*
 * Mapping semantics
 */

static void set_ro(struct want *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		w[i].ro = true;
}

/*
 * bind-unbind-matrix: for objects allowed in every region list the device
 * can offer that has a GPU region ([GTT], [VRAM], [VRAM, GTT], [GTT, VRAM],
 * and lists starting with SYSTEM), one sequence of binds, each checked in
 * debugfs against the object's region as GEM_INFO reports it:
 * MAP of the whole object (which leaves it in a GPU region of its list,
 * the first one if that is a GPU region); MAP of the same range read-only
 * (replaces it); UNMAP of a middle part (two pieces, offsets kept); MAP
 * of that hole from another offset; PREFETCH of the range to each GPU
 * region of the list (the object moves there); UNMAP of a range covering
 * everything and holes around (empty).
 */
static void matrix_one(const struct vmt *t, const uint32_t *list,
		       uint32_t num)
{
	const uint64_t x = BASE, size = 2 * MIB;
	uint32_t vm, bo, region, i;
	struct want w[3];
	char name[64] = "";

	for (i = 0; i < num; i++)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s",
			 i ? "," : "", vdgpu_region_name(list[i]));
	igt_info("regions [%s]\n", name);

	vm = vdgpu_vm_create(t->fd);
	bo = vdgpu_gem_create(t->fd, size, list, num, 0);

	vdgpu_vm_map(t->fd, vm, bo, 0, x, size, 0);
	region = vdgpu_gem_region(t->fd, bo);
	igt_assert_f(is_gpu_region(t, region),
		     "[%s]: mapped object is in region %u\n", name, region);
	if (is_gpu_region(t, list[0]))
		igt_assert_eq(region, list[0]);
	w[0] = MAPPING(x, x + size, 0, size, region);
	check_vm(t, vm, w, 1);

	vdgpu_vm_map(t->fd, vm, bo, 0, x, size, READ_ONLY);
	set_ro(w, 1);
	check_vm(t, vm, w, 1);

	vdgpu_vm_unmap(t->fd, vm, x + 512 * KIB, 512 * KIB);
	w[0] = MAPPING(x, x + 512 * KIB, 0, size, region);
	w[1] = MAPPING(x + MIB, x + size, MIB, size, region);
	set_ro(w, 2);
	check_vm(t, vm, w, 2);

	vdgpu_vm_map(t->fd, vm, bo, MIB, x + 512 * KIB, 512 * KIB, 0);
	w[2] = w[1];
	w[1] = MAPPING(x + 512 * KIB, x + MIB, MIB, size, region);
	check_vm(t, vm, w, 3);

	for (i = 0; i < num; i++) {
		if (!is_gpu_region(t, list[i]))
			continue;
		prefetch(t->fd, vm, list[i], x, size);
		region = vdgpu_gem_region(t->fd, bo);
		igt_assert_f(region == list[i],
			     "[%s]: after PREFETCH to %s the object is in %s\n",
			     name, vdgpu_region_name(list[i]),
			     vdgpu_region_name(region));
		w[0].region = w[1].region = w[2].region = region;
		check_vm(t, vm, w, 3);
	}

	vdgpu_vm_unmap(t->fd, vm, x - MIB, size + 2 * MIB);
	check_empty(t, vm);
	vdgpu_vm_destroy(t->fd, vm);
	gem_close(t->fd, bo);
}

static void test_bind_unbind_matrix(void)
{
	struct vmt t;
	int lists[][3] = {
		{ DRM_VDGPU_MEM_CLASS_GTT, -1, -1 },
		{ DRM_VDGPU_MEM_CLASS_VRAM, -1, -1 },
		{ DRM_VDGPU_MEM_CLASS_VRAM, DRM_VDGPU_MEM_CLASS_GTT, -1 },
		{ DRM_VDGPU_MEM_CLASS_GTT, DRM_VDGPU_MEM_CLASS_VRAM, -1 },
		{ DRM_VDGPU_MEM_CLASS_SYSTEM, DRM_VDGPU_MEM_CLASS_GTT, -1 },
		{ DRM_VDGPU_MEM_CLASS_SYSTEM, DRM_VDGPU_MEM_CLASS_VRAM, -1 },
		{ DRM_VDGPU_MEM_CLASS_SYSTEM, DRM_VDGPU_MEM_CLASS_VRAM,
		  DRM_VDGPU_MEM_CLASS_GTT },
	};
	unsigned int i, j, done = 0;

	vmt_open(&t, true);
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		uint32_t list[3], num = 0;
		bool ok = true;

		for (j = 0; j < 3 && lists[i][j] >= 0; j++) {
			int id = lists[i][j] == DRM_VDGPU_MEM_CLASS_SYSTEM ? t.system :
				 lists[i][j] == DRM_VDGPU_MEM_CLASS_GTT ? t.gtt : t.vram;

			ok &= id >= 0;
			list[num++] = id;
		}
		if (!ok || num > t.dev.max_regions)
			continue;
		matrix_one(&t, list, num);
		done++;
	}
	igt_require_f(done, "no region list with a GTT or VRAM region\n");
	close(t.fd);
}

/*
 * bind-va-limits: the user range runs from address 0 to va_kernel_start:
 * mappings at 0 and ending exactly at va_kernel_start are accepted and
 * listed, and an UNMAP of the whole user range removes both.
 */
static void test_bind_va_limits(void)
{
	uint64_t top;
	struct want w[2];
	uint32_t vm, bo;
	struct vmt t;

	vmt_open(&t, true);
	top = t.dev.va_kernel_start;
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	vdgpu_vm_map(t.fd, vm, bo, 0, 0, SZ_64K, 0);
	vdgpu_vm_map(t.fd, vm, bo, MIB - SZ_64K, top - SZ_64K, SZ_64K, 0);
	w[0] = MAPPING(0, SZ_64K, 0, MIB, ANY_GPU);
	w[1] = MAPPING(top - SZ_64K, top, MIB - SZ_64K, MIB, ANY_GPU);
	check_vm(&t, vm, w, 2);
	vdgpu_vm_unmap(t.fd, vm, 0, top);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * bind-ops-in-order: the operations of one ioctl apply in array order,
 * each seeing the result of the previous ones: MAP, then UNMAP of its
 * middle, then MAP of another object into the second half of the hole...
 * and a MAP followed by an UNMAP of the same range leaves nothing.
 */
static void test_bind_ops_in_order(void)
{
	const uint64_t x = BASE, y = BASE + 64 * MIB;
	struct drm_vdgpu_vm_bind_op ops[5];
	uint32_t vm, a, b;
	struct want w[3];
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);

	ops[0] = op_map(a, 0, x, MIB);
	ops[1] = op_unmap(x + 256 * KIB, 256 * KIB);
	ops[2] = op_map(b, 0, x + 512 * KIB, 256 * KIB);
	ops[3] = op_map(a, 0, y, SZ_64K);
	ops[4] = op_unmap(y, SZ_64K);
	vdgpu_vm_bind(t.fd, vm, 0, ops, 5, NULL, 0);
	w[0] = MAPPING(x, x + 256 * KIB, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + 512 * KIB, x + 768 * KIB, 0, 2 * MIB, ANY_GPU);
	w[2] = MAPPING(x + 768 * KIB, x + MIB, 768 * KIB, MIB, ANY_GPU);
	check_vm(&t, vm, w, 3);

	ops[0] = op_unmap(x, MIB);
	ops[1] = op_map(b, 128 * KIB, x + SZ_64K, SZ_64K);
	vdgpu_vm_bind(t.fd, vm, 0, ops, 2, NULL, 0);
	w[0] = MAPPING(x + SZ_64K, x + 2 * SZ_64K, 128 * KIB, 2 * MIB, ANY_GPU);
	check_vm(&t, vm, w, 1);
	close(t.fd);
}

/*
 * unmap-empty: UNMAP of a range that holds no mapping succeeds, in an
 * empty VM (a small range and the whole user range) and in the hole
 * between two mappings, which stay as they were.
 */
static void test_unmap_empty(void)
{
	const uint64_t x = BASE;
	uint32_t vm, bo;
	struct want w[2];
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	vdgpu_vm_unmap(t.fd, vm, x, MIB);
	vdgpu_vm_unmap(t.fd, vm, 0, t.dev.va_kernel_start);
	check_empty(&t, vm);

	vdgpu_vm_map(t.fd, vm, bo, 0, x, SZ_64K, 0);
	vdgpu_vm_map(t.fd, vm, bo, SZ_64K, x + MIB, SZ_64K, 0);
	vdgpu_vm_unmap(t.fd, vm, x + SZ_64K, MIB - SZ_64K);
	w[0] = MAPPING(x, x + SZ_64K, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + MIB, x + MIB + SZ_64K, SZ_64K, MIB, ANY_GPU);
	check_vm(&t, vm, w, 2);
	close(t.fd);
}

/*
 * partial-unbind-front, -back, -middle: UNMAP of part of a mapping (here
 * [X, X + 1 MiB) of a 2 MiB object from offset 256 KiB) leaves the rest
 * mapped with the object offsets it had: the front cut by a range that
 * starts in the hole before it, the back by one that ends in the hole
 * after it, the middle leaving two pieces.  The rest then unmaps exactly.
 */
enum cut { CUT_FRONT, CUT_BACK, CUT_MIDDLE };

static void partial_unbind(enum cut cut)
{
	const uint64_t x = BASE, off = 256 * KIB, size = 2 * MIB;
	uint32_t vm, bo;
	struct want w[2];
	unsigned int n = 0;
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, size);
	vdgpu_vm_map(t.fd, vm, bo, off, x, MIB, 0);
	w[0] = MAPPING(x, x + MIB, off, size, ANY_GPU);
	check_vm(&t, vm, w, 1);

	switch (cut) {
	case CUT_FRONT:
		vdgpu_vm_unmap(t.fd, vm, x - SZ_64K, SZ_64K + 128 * KIB);
		w[n++] = MAPPING(x + 128 * KIB, x + MIB, off + 128 * KIB, size,
				 ANY_GPU);
		break;
	case CUT_BACK:
		vdgpu_vm_unmap(t.fd, vm, x + 768 * KIB, 256 * KIB + SZ_64K);
		w[n++] = MAPPING(x, x + 768 * KIB, off, size, ANY_GPU);
		break;
	case CUT_MIDDLE:
		vdgpu_vm_unmap(t.fd, vm, x + 256 * KIB, 256 * KIB);
		w[n++] = MAPPING(x, x + 256 * KIB, off, size, ANY_GPU);
		w[n++] = MAPPING(x + 512 * KIB, x + MIB, off + 512 * KIB, size,
				 ANY_GPU);
		break;
	}
	check_vm(&t, vm, w, n);

	while (n--)
		vdgpu_vm_unmap(t.fd, vm, w[n].start, w[n].end - w[n].start);
	check_empty(&t, vm);
	close(t.fd);
}

static void test_partial_unbind_front(void) { partial_unbind(CUT_FRONT); }
static void test_partial_unbind_back(void) { partial_unbind(CUT_BACK); }
static void test_partial_unbind_middle(void) { partial_unbind(CUT_MIDDLE); }

/*
 * unmap-spanning: one UNMAP starting inside a mapping, crossing a hole,
 * a whole mapping and its neighbour, and ending inside that neighbour
 * trims the first and last and removes the one between, leaving a
 * mapping beyond the range alone; an UNMAP of the whole user range then
 * empties the VM.
 */
static void test_unmap_spanning(void)
{
	const uint64_t x = BASE, k = KIB;
	uint32_t vm, a, b, c;
	struct want w[4];
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);
	c = bo_gpu(&t, 3 * MIB);
	vdgpu_vm_map(t.fd, vm, a, 0, x, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, b, 0, x + 512 * k, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, c, 0, x + 768 * k, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, a, 0, x + 2 * MIB, 256 * k, 0);
	w[0] = MAPPING(x, x + 256 * k, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + 512 * k, x + 768 * k, 0, 2 * MIB, ANY_GPU);
	w[2] = MAPPING(x + 768 * k, x + MIB, 0, 3 * MIB, ANY_GPU);
	w[3] = MAPPING(x + 2 * MIB, x + 2 * MIB + 256 * k, 0, MIB, ANY_GPU);
	check_vm(&t, vm, w, 4);

	vdgpu_vm_unmap(t.fd, vm, x + 128 * k, 768 * k);
	w[0] = MAPPING(x, x + 128 * k, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + 896 * k, x + MIB, 128 * k, 3 * MIB, ANY_GPU);
	w[2] = MAPPING(x + 2 * MIB, x + 2 * MIB + 256 * k, 0, MIB, ANY_GPU);
	check_vm(&t, vm, w, 3);

	vdgpu_vm_unmap(t.fd, vm, 0, t.dev.va_kernel_start);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * map-over-middle: MAP of another object over the middle of a mapping
 * replaces that part only: [0, 1 MiB) of A, then [256, 512) KiB of B
 * from offset 64 KiB, gives A [0, 256) offset 0, B [256, 512) offset
 * 64 KiB, A [512, 1024) offset 512 KiB.  Unmapping B's part leaves the
 * two pieces of A; an UNMAP spanning both leaves nothing.
 */
static void test_map_over_middle(void)
{
	const uint64_t x = BASE, k = KIB;
	uint32_t vm, a, b;
	struct want w[3];
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);
	vdgpu_vm_map(t.fd, vm, a, 0, x, MIB, 0);
	vdgpu_vm_map(t.fd, vm, b, 64 * k, x + 256 * k, 256 * k, 0);
	w[0] = MAPPING(x, x + 256 * k, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + 256 * k, x + 512 * k, 64 * k, 2 * MIB, ANY_GPU);
	w[2] = MAPPING(x + 512 * k, x + MIB, 512 * k, MIB, ANY_GPU);
	check_vm(&t, vm, w, 3);

	vdgpu_vm_unmap(t.fd, vm, x + 256 * k, 256 * k);
	w[1] = w[2];
	check_vm(&t, vm, w, 2);

	vdgpu_vm_unmap(t.fd, vm, x, MIB);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * map-over-spanning: MAP over the end of one mapping, all of the next and
 * the start of a third replaces exactly the overlapped parts: the first
 * keeps its head, the third its tail with its offset advanced.
 */
static void test_map_over_spanning(void)
{
	const uint64_t x = BASE, k = KIB;
	uint32_t vm, a, b, c, d;
	struct want w[3];
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);
	c = bo_gpu(&t, 3 * MIB);
	d = bo_gpu(&t, 4 * MIB);
	vdgpu_vm_map(t.fd, vm, a, 0, x, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, b, 0, x + 256 * k, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, c, 0, x + 512 * k, 256 * k, 0);
	vdgpu_vm_map(t.fd, vm, d, 0, x + 128 * k, 512 * k, READ_ONLY);
	w[0] = MAPPING(x, x + 128 * k, 0, MIB, ANY_GPU);
	w[1] = MAPPING(x + 128 * k, x + 640 * k, 0, 4 * MIB, ANY_GPU);
	w[1].ro = true;
	w[2] = MAPPING(x + 640 * k, x + 768 * k, 128 * k, 3 * MIB, ANY_GPU);
	check_vm(&t, vm, w, 3);
	close(t.fd);
}

/*
 * map-replace: MAP over exactly an existing mapping replaces it, whether
 * by another object, another offset of the same object, or the same with
 * READ_ONLY added or removed; a MAP strictly containing a mapping
 * replaces it whole.
 */
static void test_map_replace(void)
{
	const uint64_t x = BASE;
	uint32_t vm, a, b;
	struct want w;
	struct vmt t;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);

	vdgpu_vm_map(t.fd, vm, a, 0, x, MIB, 0);
	w = MAPPING(x, x + MIB, 0, MIB, ANY_GPU);
	check_vm(&t, vm, &w, 1);

	vdgpu_vm_map(t.fd, vm, b, MIB, x, MIB, 0);
	w = MAPPING(x, x + MIB, MIB, 2 * MIB, ANY_GPU);
	check_vm(&t, vm, &w, 1);

	vdgpu_vm_map(t.fd, vm, b, 0, x, MIB, READ_ONLY);
	w = MAPPING(x, x + MIB, 0, 2 * MIB, ANY_GPU);
	w.ro = true;
	check_vm(&t, vm, &w, 1);

	vdgpu_vm_map(t.fd, vm, b, 0, x, MIB, 0);
	w.ro = false;
	check_vm(&t, vm, &w, 1);

	vdgpu_vm_map(t.fd, vm, a, 0, x, MIB, 0);
	w = MAPPING(x, x + MIB, 0, MIB, ANY_GPU);
	check_vm(&t, vm, &w, 1);

	vdgpu_vm_map(t.fd, vm, b, 0, x - SZ_64K, MIB + 2 * SZ_64K, 0);
	w = MAPPING(x - SZ_64K, x + MIB + SZ_64K, 0, 2 * MIB, ANY_GPU);
	check_vm(&t, vm, &w, 1);
	close(t.fd);
}

/*
 * many-mappings-one-bo: one ioctl of 256 MAP operations maps 64 KiB
 * pieces of one object at 256 separate addresses (offsets cycling through
 * the object); all 256 are listed.  Unmapping every other one in a second
 * ioctl leaves the other 128; one UNMAP over all of them leaves nothing.
 */
#define MANY_MAPPINGS	256

static struct want many_mapping(int i)
{
	uint64_t start = BASE + (uint64_t)i * 128 * KIB;

	return MAPPING(start, start + SZ_64K, (i % 16) * SZ_64K, MIB, ANY_GPU);
}

static void test_many_mappings_one_bo(void)
{
	struct drm_vdgpu_vm_bind_op ops[MANY_MAPPINGS];
	struct want w[MANY_MAPPINGS];
	uint32_t vm, bo;
	struct vmt t;
	int i;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	for (i = 0; i < MANY_MAPPINGS; i++) {
		w[i] = many_mapping(i);
		ops[i] = op_map(bo, w[i].offset, w[i].start, SZ_64K);
	}
	vdgpu_vm_bind(t.fd, vm, 0, ops, MANY_MAPPINGS, NULL, 0);
	check_vm(&t, vm, w, MANY_MAPPINGS);

	for (i = 0; i < MANY_MAPPINGS / 2; i++) {
		ops[i] = op_unmap(w[2 * i + 1].start, SZ_64K);
		w[i] = many_mapping(2 * i);
	}
	vdgpu_vm_bind(t.fd, vm, 0, ops, MANY_MAPPINGS / 2, NULL, 0);
	check_vm(&t, vm, w, MANY_MAPPINGS / 2);

	vdgpu_vm_unmap(t.fd, vm, BASE, MANY_MAPPINGS * 128 * KIB);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * bind-1gib: 1 GiB of VA, mapped by sixteen back-to-back mappings of one
 * 64 MiB object (in GTT, or VRAM if GTT is too small), in one ioctl: all
 * sixteen are listed and fully in the page tables.  One UNMAP of the
 * gigabyte leaves nothing.
 */
static void test_bind_1gib(void)
{
	const uint64_t size = 64 * MIB, x = 4 * GIB;
	const int n = GIB / size;
	struct drm_vdgpu_vm_bind_op ops[GIB / (64 * MIB)];
	struct want w[GIB / (64 * MIB)];
	uint32_t vm, bo, region;
	struct vmt t;
	int i;

	vmt_open(&t, true);
	if (t.gtt >= 0 && t.total[t.gtt] >= 2 * size)
		region = t.gtt;
	else if (t.vram >= 0 && t.total[t.vram] >= 2 * size)
		region = t.vram;
	else
		igt_skip("no GTT or VRAM region of at least %" PRIu64 " MiB\n",
			 2 * size / MIB);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_in(&t, size, region);
	for (i = 0; i < n; i++) {
		ops[i] = op_map(bo, 0, x + i * size, size);
		w[i] = MAPPING(x + i * size, x + (i + 1) * size, 0, size, region);
	}
	vdgpu_vm_bind(t.fd, vm, 0, ops, n, NULL, 0);
	check_vm(&t, vm, w, n);

	vdgpu_vm_unmap(t.fd, vm, x, GIB);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * Device page sizes
 */

/*
 * A 4 MiB CONTIGUOUS VRAM object: one block, which the VRAM manager takes
 * naturally aligned from an allocator of power-of-two blocks.  The
 * subtests expect its device address to be a multiple of 4 MiB, as the
 * uAPI promises the most 2 MiB pages to userspace aligning VAs and sizes
 * to 2 MiB: VRAM handed out at an offset that is not a multiple of 2 MiB
 * makes them fail.  Skips when VRAM cannot hold the object.
 */
#define LARGE_SIZE	(4 * MIB)

static uint32_t large_bo(const struct vmt *t)
{
	uint32_t region, handle = 0;
	int ret;

	igt_require_f(t->vram >= 0, "the device has no VRAM region\n");
	region = t->vram;
	ret = __vdgpu_gem_create(t->fd, LARGE_SIZE, &region, 1,
				 DRM_VDGPU_GEM_CREATE_CONTIGUOUS, &handle);
	igt_require_f(ret != -ENOSPC,
		      "VRAM cannot hold a contiguous %" PRIu64 " MiB object\n",
		      LARGE_SIZE / MIB);
	igt_assert_err(ret, 0);
	return handle;
}

/*
 * large-pages: the kernel maps with the largest device pages the VA, the
 * placement and the extent allow.  With a 4 MiB contiguous VRAM object
 * (device address aligned to 4 MiB), each mapping in its own VA window:
 * all of it at a 2 MiB-aligned VA uses two 2 MiB pages; at a VA 64 KiB
 * past a 2 MiB boundary, 64 64 KiB pages; 4 KiB past, 1024 4 KiB pages;
 * its second half at a 2 MiB-aligned VA, one 2 MiB page; 1 MiB - 4 KiB
 * from offset 1 MiB at a VA of the same residue, 64 KiB pages then 4 KiB
 * pages for the tail; and 3 MiB from offset 1 MiB, 16 64 KiB pages then
 * one 2 MiB page.  Page sizes missing from va_page_sizes fall back to the
 * next smaller one.
 */
static void test_large_pages(void)
{
	const uint64_t win = 8 * MIB, x = BASE;
	static const struct {
		uint64_t va, offset, range;
	} cases[] = {
		{ 0, 0, LARGE_SIZE },
		{ SZ_64K, 0, LARGE_SIZE },
		{ SZ_4K, 0, LARGE_SIZE },
		{ 0, 2 * MIB, 2 * MIB },
		{ MIB, MIB, MIB - SZ_4K },
		{ MIB, MIB, 3 * MIB },
	};
	struct want w[ARRAY_SIZE(cases)];
	uint32_t vm, bo;
	struct vmt t;
	size_t i;

	vmt_open(&t, true);
	bo = large_bo(&t);
	vm = vdgpu_vm_create(t.fd);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t start = x + i * win + cases[i].va;

		vdgpu_vm_map(t.fd, vm, bo, cases[i].offset, start,
			     cases[i].range, 0);
		w[i] = aligned_mapping(&t, start, start + cases[i].range,
				       cases[i].offset, LARGE_SIZE, t.vram);
		igt_debug("case %zu: 4k %" PRIu64 " 64k %" PRIu64 " 2m %" PRIu64 "\n",
			  i, w[i].pages[PG_4K], w[i].pages[PG_64K],
			  w[i].pages[PG_2M]);
	}
	/* What the cases above were chosen to show, with all three sizes. */
	if (t.dev.va_page_sizes & SZ_2M)
		igt_assert_eq(w[0].pages[PG_2M], 2);
	if (t.dev.va_page_sizes & SZ_64K)
		igt_assert_eq(w[1].pages[PG_64K], 64);
	igt_assert_eq(w[2].pages[PG_4K], 1024);
	check_vm(&t, vm, w, ARRAY_SIZE(cases));
	close(t.fd);
}

/*
 * large-pages-split: the page tables follow later binds.  A 2 MiB-aligned
 * mapping of the 4 MiB contiguous object (two 2 MiB pages) with 64 KiB
 * unmapped at 1 MiB becomes 16 64 KiB pages before the hole and 15 64 KiB
 * pages plus a 2 MiB page after it; a 4 KiB mapping of another object
 * over it at 3 MiB then splits that 2 MiB page into 64 KiB and 4 KiB
 * pages around the new mapping; mapping the whole object there again
 * brings back the two 2 MiB pages.
 */
static void test_large_pages_split(void)
{
	const uint64_t x = BASE, hole = x + MIB, over = x + 3 * MIB;
	uint32_t vm, bo, other;
	struct want w[4];
	struct vmt t;

	vmt_open(&t, true);
	bo = large_bo(&t);
	other = bo_gpu(&t, SZ_64K);
	vm = vdgpu_vm_create(t.fd);

	vdgpu_vm_map(t.fd, vm, bo, 0, x, LARGE_SIZE, 0);
	w[0] = aligned_mapping(&t, x, x + LARGE_SIZE, 0, LARGE_SIZE, t.vram);
	check_vm(&t, vm, w, 1);

	vdgpu_vm_unmap(t.fd, vm, hole, SZ_64K);
	w[0] = aligned_mapping(&t, x, hole, 0, LARGE_SIZE, t.vram);
	w[1] = aligned_mapping(&t, hole + SZ_64K, x + LARGE_SIZE,
			       MIB + SZ_64K, LARGE_SIZE, t.vram);
	if ((t.dev.va_page_sizes & SZ_2M) && (t.dev.va_page_sizes & SZ_64K)) {
		igt_assert_eq(w[1].pages[PG_64K], 15);
		igt_assert_eq(w[1].pages[PG_2M], 1);
	}
	check_vm(&t, vm, w, 2);

	vdgpu_vm_map(t.fd, vm, other, 0, over, SZ_4K, 0);
	w[1] = aligned_mapping(&t, hole + SZ_64K, over, MIB + SZ_64K,
			       LARGE_SIZE, t.vram);
	w[2] = MAPPING(over, over + SZ_4K, 0, SZ_64K, ANY_GPU);
	w[3] = aligned_mapping(&t, over + SZ_4K, x + LARGE_SIZE,
			       3 * MIB + SZ_4K, LARGE_SIZE, t.vram);
	check_vm(&t, vm, w, 4);

	vdgpu_vm_map(t.fd, vm, bo, 0, x, LARGE_SIZE, 0);
	w[0] = aligned_mapping(&t, x, x + LARGE_SIZE, 0, LARGE_SIZE, t.vram);
	check_vm(&t, vm, w, 1);
	close(t.fd);
}

/*
 * prefetch: objects allowed in [GTT, VRAM] start in GTT.  PREFETCH to
 * VRAM of a range covering only part of one mapping moves that whole
 * object, not an object mapped outside the range; a range covering both
 * moves both; an asynchronous PREFETCH back to GTT has moved them once its
 * out-sync signals; a PREFETCH of a range with no mapping succeeds and
 * moves nothing.  GEM_INFO and debugfs agree at each step, and the
 * mappings stay fully in the page tables.
 */
static void check_regions(const struct vmt *t, uint32_t vm, uint32_t a,
			  uint32_t ra, uint32_t b, uint32_t rb)
{
	const uint64_t x = BASE;
	struct want w[2];

	igt_assert_eq(vdgpu_gem_region(t->fd, a), ra);
	igt_assert_eq(vdgpu_gem_region(t->fd, b), rb);
	w[0] = MAPPING(x, x + 2 * MIB, 0, 2 * MIB, ra);
	w[1] = MAPPING(x + 4 * MIB, x + 5 * MIB, 0, MIB, rb);
	check_vm(t, vm, w, 2);
}

static void test_prefetch(void)
{
	const uint64_t x = BASE;
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_sync s;
	uint32_t vm, a, b, list[2], syncobj;
	struct vmt t;

	vmt_open(&t, true);
	require_gtt_vram(&t);
	list[0] = t.gtt;
	list[1] = t.vram;
	a = vdgpu_gem_create(t.fd, 2 * MIB, list, 2, 0);
	b = vdgpu_gem_create(t.fd, MIB, list, 2, 0);
	vm = vdgpu_vm_create(t.fd);
	vdgpu_vm_map(t.fd, vm, a, 0, x, 2 * MIB, 0);
	vdgpu_vm_map(t.fd, vm, b, 0, x + 4 * MIB, MIB, 0);
	check_regions(&t, vm, a, t.gtt, b, t.gtt);

	prefetch(t.fd, vm, t.vram, x + MIB, SZ_4K);
	check_regions(&t, vm, a, t.vram, b, t.gtt);

	prefetch(t.fd, vm, t.vram, x, 8 * MIB);
	check_regions(&t, vm, a, t.vram, b, t.vram);

	syncobj = syncobj_create(t.fd, 0);
	op = op_prefetch(t.gtt, x - MIB, 8 * MIB);
	s = sync_of(syncobj, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, &s, 1);
	igt_assert_err(wait_syncobj(t.fd, syncobj), 0);
	check_regions(&t, vm, a, t.gtt, b, t.gtt);

	prefetch(t.fd, vm, t.vram, x + 16 * MIB, MIB);
	check_regions(&t, vm, a, t.gtt, b, t.gtt);
	close(t.fd);
}

/*
 * Syncobjs and asynchronous binds
 */

/*
 * sync-signal-out: a synchronous bind signals its out-syncs before it
 * returns: a binary syncobj with no fence, a timeline point (the
 * timeline then reports it), a binary syncobj already signalled (its
 * fence is replaced by a signalled one), and 64 syncs at once, half
 * binary and half timeline.  A synchronous bind waiting for a signalled
 * in-sync proceeds.
 */
static void test_sync_signal_out(void)
{
	struct drm_vdgpu_sync s[MAX_SYNCS];
	struct drm_vdgpu_vm_bind_op op;
	uint32_t vm, bo, bin, tl, h[MAX_SYNCS];
	uint64_t point = 0;
	struct want w;
	struct vmt t;
	int i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	op = op_map(bo, 0, BASE, MIB);
	w = MAPPING(BASE, BASE + MIB, 0, MIB, ANY_GPU);

	bin = syncobj_create(t.fd, 0);
	igt_assert_err(__syncobj_wait(t.fd, bin, 0), -EINVAL);
	s[0] = sync_of(bin, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, 0, &op, 1, s, 1);
	igt_assert_err(__syncobj_wait(t.fd, bin, 0), 0);
	check_vm(&t, vm, &w, 1);

	tl = syncobj_create(t.fd, 0);
	s[0] = sync_of(tl, SIGNAL | TIMELINE, 7);
	vdgpu_vm_bind(t.fd, vm, 0, &op, 1, s, 1);
	igt_assert_err(__syncobj_query(t.fd, tl, &point), 0);
	igt_assert_eq_u64(point, 7);
	igt_assert_err(__syncobj_timeline_wait(t.fd, tl, 7, 0), 0);

	s[0] = sync_of(bin, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, 0, &op, 1, s, 1);
	igt_assert_err(__syncobj_wait(t.fd, bin, 0), 0);

	for (i = 0; i < MAX_SYNCS; i++) {
		h[i] = syncobj_create(t.fd, 0);
		s[i] = i & 1 ? sync_of(h[i], SIGNAL | TIMELINE, i) :
			       sync_of(h[i], SIGNAL, 0);
	}
	vdgpu_vm_bind(t.fd, vm, 0, &op, 1, s, MAX_SYNCS);
	for (i = 0; i < MAX_SYNCS; i++) {
		if (i & 1)
			igt_assert_err(__syncobj_timeline_wait(t.fd, h[i], i, 0), 0);
		else
			igt_assert_err(__syncobj_wait(t.fd, h[i], 0), 0);
	}

	s[0] = sync_of(bin, 0, 0);
	s[1] = sync_of(tl, TIMELINE, 7);
	op = op_unmap(BASE, MIB);
	vdgpu_vm_bind(t.fd, vm, 0, &op, 1, s, 2);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * async-chain-binary: sixteen asynchronous binds, each waiting for the
 * binary out-sync of the one before and signalling its own, all made
 * before any is waited for; the last one's syncobj signals within 10 s,
 * every earlier one has signalled by then, and the VM holds all sixteen
 * mappings.  An asynchronous UNMAP chained on the last one, signalling a
 * syncobj that already holds a signalled fence, empties the VM.
 */
#define CHAIN	16

static struct want chain_mapping(int i)
{
	uint64_t start = BASE + (uint64_t)i * MIB;

	return MAPPING(start, start + SZ_64K, (i % 8) * SZ_64K, MIB, ANY_GPU);
}

static void test_async_chain_binary(void)
{
	struct drm_vdgpu_sync s[2];
	struct drm_vdgpu_vm_bind_op op;
	struct want w[CHAIN];
	uint32_t vm, bo, h[CHAIN];
	struct vmt t;
	int i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	for (i = 0; i < CHAIN; i++)
		h[i] = syncobj_create(t.fd, 0);
	for (i = 0; i < CHAIN; i++) {
		int n = 0;

		w[i] = chain_mapping(i);
		op = op_map(bo, w[i].offset, w[i].start, SZ_64K);
		if (i)
			s[n++] = sync_of(h[i - 1], 0, 0);
		s[n++] = sync_of(h[i], SIGNAL, 0);
		vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, n);
	}
	igt_assert_err(wait_syncobj(t.fd, h[CHAIN - 1]), 0);
	for (i = 0; i < CHAIN; i++)
		igt_assert_f(__syncobj_wait(t.fd, h[i], 0) == 0,
			     "bind %d of the chain has not signalled though the last one has\n",
			     i);
	check_vm(&t, vm, w, CHAIN);

	op = op_unmap(BASE, CHAIN * MIB);
	s[0] = sync_of(h[CHAIN - 1], 0, 0);
	s[1] = sync_of(h[0], SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, 2);
	igt_assert_err(wait_syncobj(t.fd, h[0]), 0);
	check_empty(&t, vm);
	close(t.fd);
}

/*
 * async-chain-timeline: the same chain on one timeline syncobj, bind i
 * waiting for point i and signalling point i + 1; the last point signals,
 * the timeline reports it and all mappings are there.  Then a bind
 * waiting for a timeline point signals a binary syncobj, and a bind
 * waiting for that binary syncobj signals the next timeline point.
 */
static void test_async_chain_timeline(void)
{
	struct drm_vdgpu_sync s[2];
	struct drm_vdgpu_vm_bind_op op;
	struct want w[CHAIN];
	uint32_t vm, bo, tl, bin;
	uint64_t point = 0;
	struct vmt t;
	int i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	tl = syncobj_create(t.fd, 0);
	for (i = 0; i < CHAIN; i++) {
		int n = 0;

		w[i] = chain_mapping(i);
		op = op_map(bo, w[i].offset, w[i].start, SZ_64K);
		if (i)
			s[n++] = sync_of(tl, TIMELINE, i);
		s[n++] = sync_of(tl, SIGNAL | TIMELINE, i + 1);
		vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, n);
	}
	igt_assert_err(wait_point(t.fd, tl, CHAIN), 0);
	igt_assert_err(__syncobj_query(t.fd, tl, &point), 0);
	igt_assert_eq_u64(point, CHAIN);
	check_vm(&t, vm, w, CHAIN);

	bin = syncobj_create(t.fd, 0);
	op = op_unmap(BASE, MIB);
	s[0] = sync_of(tl, TIMELINE, CHAIN);
	s[1] = sync_of(bin, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, 2);
	op = op_unmap(BASE + MIB, MIB);
	s[0] = sync_of(bin, 0, 0);
	s[1] = sync_of(tl, SIGNAL | TIMELINE, CHAIN + 1);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, 2);
	igt_assert_err(wait_point(t.fd, tl, CHAIN + 1), 0);
	igt_assert_err(__syncobj_wait(t.fd, bin, 0), 0);
	check_vm(&t, vm, w + 2, CHAIN - 2);
	close(t.fd);
}

/*
 * async-order: binds of one VM complete in the order they were made.
 * Sixteen asynchronous binds without in-syncs, each with its own
 * out-sync: once the last signals, every earlier one has.  Sixteen more,
 * then a synchronous bind: when it returns, all sixteen have signalled.
 */
static void test_async_order(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_sync s;
	uint32_t vm, bo, h[CHAIN];
	struct vmt t;
	int round, i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < CHAIN; i++) {
			struct want w = chain_mapping(i);

			h[i] = syncobj_create(t.fd, 0);
			op = op_map(bo, w.offset, w.start, SZ_64K);
			s = sync_of(h[i], SIGNAL, 0);
			vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, &s, 1);
		}
		if (round == 0) {
			igt_assert_err(wait_syncobj(t.fd, h[CHAIN - 1]), 0);
		} else {
			op = op_unmap(BASE + CHAIN * MIB, MIB);
			vdgpu_vm_bind(t.fd, vm, 0, &op, 1, NULL, 0);
		}
		for (i = 0; i < CHAIN; i++) {
			igt_assert_f(__syncobj_wait(t.fd, h[i], 0) == 0,
				     "round %d: bind %d has not signalled though a later one has completed\n",
				     round, i);
			syncobj_destroy(t.fd, h[i]);
		}
	}
	close(t.fd);
}

/*
 * A fence userspace controls: vgem attaches one to an object of its own,
 * and it reaches a syncobj of the vdgpu file through the dma-buf's
 * sync_file.  vgem signals it itself after 10 s at the latest.
 */
struct held_fence {
	struct vdgpu_vgem_fence vf;
	int signal_ret;		/* of the signalling thread */
};

/* Put an unsignalled fence into syncobj @syncobj of @fd. */
static void hold_fence(int fd, uint32_t syncobj, struct held_fence *hf)
{
	vdgpu_vgem_fence_hold(&hf->vf);
	igt_assert_err(__syncobj_import_sync_file(fd, syncobj, hf->vf.sync_file), 0);
	close(hf->vf.sync_file);
	igt_assert_f(__syncobj_wait(fd, syncobj, 0) == -ETIME,
		     "the vgem fence is not pending in the syncobj\n");
}

static int release_fence(struct held_fence *hf)
{
	return vdgpu_vgem_fence_signal(&hf->vf);
}

/*
 * async-waits-in-fence: an asynchronous bind whose in-sync holds a pending
 * fence returns at once (well before vgem's own 10 s timeout) and does not
 * complete while the fence is pending, nor does a later bind of the same
 * VM without in-syncs; once the fence signals, both complete and both
 * mappings are there.
 */
static void test_async_waits_in_fence(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_sync s[2];
	struct held_fence hf;
	uint32_t vm, a, b, in, out1, out2;
	struct want w[2];
	int64_t t0, took;
	struct vmt t;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	a = bo_gpu(&t, MIB);
	b = bo_gpu(&t, 2 * MIB);
	in = syncobj_create(t.fd, 0);
	out1 = syncobj_create(t.fd, 0);
	out2 = syncobj_create(t.fd, 0);
	hold_fence(t.fd, in, &hf);

	t0 = vdgpu_now_ns();
	op = op_map(a, 0, BASE, MIB);
	s[0] = sync_of(in, 0, 0);
	s[1] = sync_of(out1, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, 2);
	op = op_map(b, 0, BASE + 2 * MIB, 2 * MIB);
	s[0] = sync_of(out2, SIGNAL, 0);
	vdgpu_vm_bind(t.fd, vm, ASYNC, &op, 1, s, 1);
	took = vdgpu_now_ns() - t0;
	igt_assert_f(took < 5 * NSEC_PER_SEC,
		     "two asynchronous binds took %" PRId64 " ms\n",
		     (int64_t)(took / NSEC_PER_MSEC));

	sleep_ms(200);
	igt_assert_f(__syncobj_wait(t.fd, out1, 0) == -ETIME,
		     "the bind completed before its in-fence signalled\n");
	igt_assert_f(__syncobj_wait(t.fd, out2, 0) == -ETIME,
		     "a later bind of the VM completed before an earlier one\n");

	igt_assert_err(release_fence(&hf), 0);
	igt_assert_err(wait_syncobj(t.fd, out2), 0);
	igt_assert_err(__syncobj_wait(t.fd, out1, 0), 0);
	w[0] = MAPPING(BASE, BASE + MIB, 0, MIB, ANY_GPU);
	w[1] = MAPPING(BASE + 2 * MIB, BASE + 4 * MIB, 0, 2 * MIB, ANY_GPU);
	check_vm(&t, vm, w, 2);
	close(hf.vf.vgem);
	close(t.fd);
}

static void *release_later(void *data)
{
	struct held_fence *hf = data;

	sleep_ms(300);
	hf->signal_ret = release_fence(hf);
	return NULL;
}

/*
 * sync-waits-in-fence: a synchronous bind whose in-sync holds a pending
 * fence waits for it: released by another thread after 300 ms, the bind
 * returns 0 no sooner than that (and well before vgem's own 10 s
 * timeout), with the mapping in place.
 */
static void test_sync_waits_in_fence(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_sync s;
	struct held_fence hf;
	pthread_t thread;
	uint32_t vm, bo, in;
	int64_t t0, took;
	struct want w;
	struct vmt t;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	in = syncobj_create(t.fd, 0);
	hold_fence(t.fd, in, &hf);
	hf.signal_ret = 1;

	op = op_map(bo, 0, BASE, MIB);
	s = sync_of(in, 0, 0);
	t0 = vdgpu_now_ns();
	igt_assert_eq(pthread_create(&thread, NULL, release_later, &hf), 0);
	igt_assert_err(__vdgpu_vm_bind(t.fd, vm, 0, &op, 1, &s, 1), 0);
	took = vdgpu_now_ns() - t0;
	igt_assert_eq(pthread_join(thread, NULL), 0);
	igt_assert_err(hf.signal_ret, 0);
	igt_info("the bind returned after %" PRId64 " ms\n", (int64_t)(took / NSEC_PER_MSEC));
	igt_assert_f(took >= 250 * NSEC_PER_MSEC,
		     "the bind returned after %" PRId64 " ms, before its in-fence signalled\n",
		     (int64_t)(took / NSEC_PER_MSEC));
	igt_assert_f(took < 8 * NSEC_PER_SEC,
		     "the bind returned after %" PRId64 " ms, not when its in-fence signalled\n",
		     (int64_t)(took / NSEC_PER_MSEC));
	w = MAPPING(BASE, BASE + MIB, 0, MIB, ANY_GPU);
	check_vm(&t, vm, &w, 1);
	close(hf.vf.vgem);
	close(t.fd);
}

/*
 * all-or-nothing: a bind whose array holds valid operations and one bad
 * one fails as a whole and changes nothing, synchronous or not: [MAP,
 * unknown op] maps nothing; [UNMAP of the existing mapping, MAP of an
 * unknown handle] unmaps nothing; [MAP over the existing mapping, MAP into
 * the kernel's range] leaves the old mapping; [PREFETCH of a GTT object to
 * VRAM, MAP with a bad offset] moves nothing; a PREFETCH to VRAM of a
 * range holding that [GTT, VRAM] object and then a GTT-only one is
 * refused without moving the first; 100 MAPs followed by an UNMAP with an
 * unaligned address maps nothing; valid operations with an out-sync and
 * an unknown syncobj leave the out-sync without a fence.
 */
static void test_all_or_nothing(void)
{
	const uint64_t x = BASE, y = BASE + 64 * MIB, z = BASE + 512 * MIB;
	struct drm_vdgpu_vm_bind_op ops[101];
	struct drm_vdgpu_sync s[2];
	uint32_t vm, a, b, c, bad_handle, bad_syncobj, out, flags;
	bool gtt_vram;
	struct want w[2];
	struct vmt t;
	int i, mode;

	vmt_open(&t, true);
	vm = vdgpu_vm_create(t.fd);
	gtt_vram = t.gtt >= 0 && t.vram >= 0;
	if (gtt_vram) {
		uint32_t list[2] = { t.gtt, t.vram };

		a = vdgpu_gem_create(t.fd, MIB, list, 2, 0);
	} else {
		a = bo_gpu(&t, MIB);
	}
	b = bo_gpu(&t, 2 * MIB);
	c = bo_gpu(&t, MIB);
	bad_handle = c + 1000;
	out = syncobj_create(t.fd, 0);
	bad_syncobj = out + 1000;
	vdgpu_vm_map(t.fd, vm, a, 0, x, MIB, 0);
	vdgpu_vm_map(t.fd, vm, c, 0, z, MIB, 0);
	w[0] = MAPPING(x, x + MIB, 0, MIB, vdgpu_gem_region(t.fd, a));
	w[1] = MAPPING(z, z + MIB, 0, MIB, vdgpu_gem_region(t.fd, c));
	check_vm(&t, vm, w, 2);

	for (mode = 0; mode < 2; mode++) {
		flags = mode ? ASYNC : 0;

		ops[0] = op_map(b, 0, y, MIB);
		ops[1] = op_map(b, 0, y + 2 * MIB, MIB);
		ops[1].op = 7;
		igt_assert_err(bind_ops(t.fd, vm, flags, ops, 2), -EINVAL);
		check_vm(&t, vm, w, 2);

		ops[0] = op_unmap(x, MIB);
		ops[1] = op_map(bad_handle, 0, y, MIB);
		igt_assert_err(bind_ops(t.fd, vm, flags, ops, 2), -ENOENT);
		check_vm(&t, vm, w, 2);

		ops[0] = op_map(b, 0, x, MIB);
		ops[1] = op_map(b, 0, t.dev.va_kernel_start, MIB);
		igt_assert_err(bind_ops(t.fd, vm, flags, ops, 2), -EINVAL);
		check_vm(&t, vm, w, 2);

		if (gtt_vram) {
			ops[0] = op_prefetch(t.vram, x, MIB);
			ops[1] = op_map(b, SZ_4K / 2, y, MIB);
			igt_assert_err(bind_ops(t.fd, vm, flags, ops, 2), -EINVAL);
			igt_assert_eq(vdgpu_gem_region(t.fd, a), t.gtt);
			check_vm(&t, vm, w, 2);

			ops[0] = op_prefetch(t.vram, x, z + MIB - x);
			igt_assert_err(bind_ops(t.fd, vm, flags, ops, 1), -EINVAL);
			igt_assert_f(vdgpu_gem_region(t.fd, a) == (uint32_t)t.gtt,
				     "a refused PREFETCH moved an object of its range to %s\n",
				     vdgpu_region_name(vdgpu_gem_region(t.fd, a)));
			check_vm(&t, vm, w, 2);
		}

		for (i = 0; i < 100; i++)
			ops[i] = op_map(b, 0, y + i * SZ_2M, SZ_64K);
		ops[100] = op_unmap(x + SZ_4K / 2, SZ_4K);
		igt_assert_err(bind_ops(t.fd, vm, flags, ops, 101), -EINVAL);
		check_vm(&t, vm, w, 2);

		ops[0] = op_map(b, 0, y, MIB);
		ops[1] = op_unmap(x, MIB);
		s[0] = sync_of(out, SIGNAL, 0);
		s[1] = sync_of(bad_syncobj, SIGNAL, 0);
		igt_assert_err(__vdgpu_vm_bind(t.fd, vm, flags, ops, 2, s, 2),
			       -ENOENT);
		igt_assert_f(__syncobj_wait(t.fd, out, 0) == -EINVAL,
			     "a failed bind left a fence in its out-sync\n");
		check_vm(&t, vm, w, 2);
	}
	close(t.fd);
}

/*
 * two-file-isolation: VM ids and handles belong to their file.  Two files
 * each get VM id 1 for their first VM, and each maps its own object
 * there, as debugfs shows under each client.  File B cannot destroy, bind
 * or create a private object in a VM id only file A has (-ENOENT), nor
 * map a handle only A has (-ENOENT); B destroying its VM 1 leaves A's.
 */
static void test_two_file_isolation(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint32_t a_vm1, a_vm2, b_vm1, a_bo[3], b_bo, region, handle;
	struct want wa, wb;
	struct vmt a, b;
	int i;

	vmt_open(&a, false);
	vmt_open(&b, false);
	region = gpu_region(&a);
	a_vm1 = vdgpu_vm_create(a.fd);
	a_vm2 = vdgpu_vm_create(a.fd);
	b_vm1 = vdgpu_vm_create(b.fd);
	igt_assert_eq(a_vm1, 1);
	igt_assert_eq(b_vm1, 1);
	igt_assert_neq(a_vm2, b_vm1);

	for (i = 0; i < 3; i++)
		a_bo[i] = bo_in(&a, (i + 1) * MIB, region);
	b_bo = bo_in(&b, 4 * MIB, region);
	igt_assert_f(__vdgpu_gem_info(b.fd, a_bo[2], &(struct drm_vdgpu_gem_info){ 0 }) == -ENOENT,
		     "file B has a handle %u of its own\n", a_bo[2]);

	vdgpu_vm_map(a.fd, a_vm1, a_bo[0], 0, BASE, MIB, 0);
	vdgpu_vm_map(b.fd, b_vm1, b_bo, 0, BASE, 4 * MIB, 0);
	wa = MAPPING(BASE, BASE + MIB, 0, MIB, region);
	wb = MAPPING(BASE, BASE + 4 * MIB, 0, 4 * MIB, region);
	check_vm(&a, a_vm1, &wa, 1);
	check_vm(&b, b_vm1, &wb, 1);

	op = op_map(b_bo, 0, BASE, MIB);
	igt_assert_err(bind_ops(b.fd, a_vm2, 0, &op, 1), -ENOENT);
	igt_assert_err(__vdgpu_vm_destroy(b.fd, a_vm2), -ENOENT);
	igt_assert_err(__vdgpu_gem_create_vm(b.fd, MIB, &region, 1, 0, a_vm2,
					     &handle), -ENOENT);
	op = op_map(a_bo[2], 0, BASE + 8 * MIB, MIB);
	igt_assert_err(bind_ops(b.fd, b_vm1, 0, &op, 1), -ENOENT);
	check_vm(&b, b_vm1, &wb, 1);
	check_empty(&a, a_vm2);

	vdgpu_vm_destroy(b.fd, b_vm1);
	check_vm(&a, a_vm1, &wa, 1);
	vdgpu_vm_map(a.fd, a_vm2, a_bo[2], 0, BASE, MIB, 0);
	close(b.fd);
	check_vm(&a, a_vm1, &wa, 1);
	close(a.fd);
}

/*
 * bind-strides: op_stride and sync_stride are the caller's element sizes.
 * Three MAPs with a 64-byte stride (zero past the 56-byte structure) land
 * at their three addresses; strides of 48 and 40 bytes (reserved words
 * cut off, read as zero) are accepted; two SIGNAL syncs with a 32-byte
 * stride both signal, and with a 16-byte one (reserved cut off) too.
 */
static void test_bind_strides(void)
{
	uint8_t ops[3][64], syncs[2][32];
	struct drm_vdgpu_vm_bind arg;
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_sync s;
	uint32_t vm, bo, h[2];
	const uint32_t op_strides[] = { 48, 40 }, sync_strides[] = { 32, 16 };
	struct want w[3];
	struct vmt t;
	int i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	bo = bo_gpu(&t, MIB);
	igt_assert_eq(sizeof(op), 56);
	igt_assert_eq(sizeof(s), 24);

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 3; i++) {
		w[i] = MAPPING(BASE + i * MIB, BASE + i * MIB + SZ_64K,
			       i * SZ_64K, MIB, ANY_GPU);
		op = op_map(bo, w[i].offset, w[i].start, SZ_64K);
		memcpy(ops[i], &op, sizeof(op));
	}
	arg = bind_arg(vm, 0, (const void *)ops, 3, NULL, 0);
	arg.op_stride = 64;
	igt_assert_err(bind_raw(t.fd, &arg), 0);
	check_vm(&t, vm, w, 3);

	for (i = 0; i < (int)ARRAY_SIZE(op_strides); i++) {
		uint8_t buf[64] = { 0 };

		op = op_unmap(w[i].start, SZ_64K);
		memcpy(buf, &op, op_strides[i]);
		arg = bind_arg(vm, 0, (const void *)buf, 1, NULL, 0);
		arg.op_stride = op_strides[i];
		igt_assert_err(bind_raw(t.fd, &arg), 0);
	}
	check_vm(&t, vm, w + 2, 1);

	for (i = 0; i < (int)ARRAY_SIZE(sync_strides); i++) {
		int j;

		memset(syncs, 0, sizeof(syncs));
		for (j = 0; j < 2; j++) {
			h[j] = syncobj_create(t.fd, 0);
			s = sync_of(h[j], SIGNAL, 0);
			memcpy(syncs[0] + j * sync_strides[i], &s,
			       sync_strides[i] < sizeof(s) ? sync_strides[i] : sizeof(s));
		}
		op = op_unmap(BASE + 64 * MIB, MIB);
		arg = bind_arg(vm, 0, &op, 1, (const void *)syncs, 2);
		arg.sync_stride = sync_strides[i];
		igt_assert_err(bind_raw(t.fd, &arg), 0);
		for (j = 0; j < 2; j++)
			igt_assert_err(__syncobj_wait(t.fd, h[j], 0), 0);
	}
	close(t.fd);
}

/*
 * evict-rebind: mappings survive the eviction of their objects, and the
 * next bind of the VM makes all of them valid again.  Four VRAM-only
 * objects of an eighth of VRAM each are mapped; then VRAM-only objects of
 * a quarter of VRAM each are created (not mapped) until one of the mapped
 * objects has left VRAM (at most 1.5 times VRAM in all).  The mappings
 * stay listed, each with the region GEM_INFO gives for its object.  A
 * bind of the VM (an UNMAP of an empty range) then puts every mapping
 * fully into the page tables again, its object in a region the GPU
 * reaches.  The object need not be back in VRAM yet: the uAPI only has it
 * return to its regions when the GPU next uses it, and GTT, where VRAM
 * evicts to, is reachable.
 */
/*
 * While objects are out of their regions the mappings stay listed, with
 * the region each object is in now (GEM_INFO's answer).
 */
static void check_evicted_regions(const struct vmt *t, uint32_t vm,
				  const uint32_t *bos, const struct want *w,
				  unsigned int n)
{
	const struct vms_vm *b;
	unsigned int i;
	struct vms v;

	vms_read(&v);
	b = vms_find(&v, t->client, vm);
	igt_assert_f(b, "VM %u is gone\n", vm);
	if (b->count != n)
		dump_vm(b);
	igt_assert_eq(b->count, n);
	for (i = 0; i < n; i++) {
		uint32_t region = vdgpu_gem_region(t->fd, bos[i]);

		igt_assert_eq_u64(b->maps[i].start, w[i].start);
		igt_assert_eq_u64(b->maps[i].end, w[i].end);
		igt_assert_f(b->maps[i].region == region,
			     "mapping %u: object in region %u says debugfs, %u says GEM_INFO\n",
			     i, b->maps[i].region, region);
	}
	vms_free(&v);
}

static void test_evict_rebind(void)
{
	uint32_t vm, bos[4], pressure[6], list;
	uint64_t vram, size, psize;
	struct want w[4];
	int i, np = 0, out = 0;
	struct vmt t;

	vmt_open(&t, true);
	igt_require_f(t.vram >= 0, "the device has no VRAM region\n");
	vram = t.total[t.vram];
	size = align_down(vram / 8, SZ_2M);
	psize = align_down(vram / 4, SZ_2M);
	igt_require_f(size >= SZ_2M, "VRAM of %" PRIu64 " MiB is too small\n",
		      vram / MIB);
	igt_require_f(vram <= 2 * GIB,
		      "oversubscribing %" PRIu64 " MiB of VRAM would take too long\n",
		      vram / MIB);
	list = t.vram;
	vm = vdgpu_vm_create(t.fd);
	for (i = 0; i < 4; i++) {
		uint64_t start = BASE + i * 2 * size;

		bos[i] = vdgpu_gem_create(t.fd, size, &list, 1, 0);
		vdgpu_vm_map(t.fd, vm, bos[i], 0, start, size, 0);
		w[i] = MAPPING(start, start + size, 0, size, t.vram);
	}
	check_vm(&t, vm, w, 4);

	while (!out && np < (int)ARRAY_SIZE(pressure)) {
		pressure[np++] = vdgpu_gem_create(t.fd, psize, &list, 1, 0);
		for (i = 0; i < 4; i++)
			out += vdgpu_gem_region(t.fd, bos[i]) != (uint32_t)t.vram;
	}
	igt_info("%d of 4 mapped objects evicted by %d objects of %" PRIu64 " MiB\n",
		 out, np, psize / MIB);
	igt_assert_f(out, "%" PRIu64 " MiB of VRAM-only objects next to %" PRIu64 " MiB mapped, with %" PRIu64 " MiB of VRAM, evicted no mapped object\n",
		     np * psize / MIB, 4 * size / MIB, vram / MIB);
	check_evicted_regions(&t, vm, bos, w, 4);

	vdgpu_vm_unmap(t.fd, vm, BASE + 8 * GIB, MIB);
	for (i = 0; i < 4; i++) {
		w[i].region = vdgpu_gem_region(t.fd, bos[i]);
		igt_info("mapped object %d is in %s after the rebind\n", i,
			 vdgpu_region_name(w[i].region));
		igt_assert_f(is_gpu_region(&t, w[i].region),
			     "mapped object %d is in region %u after a bind\n",
			     i, w[i].region);
	}
	check_vm(&t, vm, w, 4);
	close(t.fd);
}

/*
 * bind-threads-pressure: four threads, each with its own VM, bind and
 * unbind VRAM-only objects adding up to half of a 32 MiB VRAM, over and
 * over at once, so that each bind must evict what another thread's bind
 * just validated, while that one may still hold it locked.  Every bind
 * succeeds: the kernel waits for memory other binds hold rather than
 * report it as exhausted.  Reloads the module with a small VRAM.
 */
#define PR_PARAMS	"vram_size=32 visible_vram_size=32 gart_size=128"
#define PR_THREADS	4
#define PR_ROUNDS	12
#define PR_OBJ_SIZE	MIB

struct pr_thread {
	int fd;
	uint32_t vm;
	uint32_t bos[32];
	uint32_t num_bos;
	int err;
	uint32_t failed_round;
};

static void *pr_thread_main(void *data)
{
	struct drm_vdgpu_vm_bind_op ops[32];
	struct pr_thread *t = data;
	uint32_t i, round;
	int ret;

	for (round = 0; round < PR_ROUNDS && !t->err; round++) {
		for (i = 0; i < t->num_bos; i++)
			ops[i] = (struct drm_vdgpu_vm_bind_op){
				.op = DRM_VDGPU_VM_BIND_OP_MAP,
				.handle = t->bos[i],
				.addr = SZ_2M * (i + 1),
				.range = PR_OBJ_SIZE,
			};
		ret = __vdgpu_vm_bind(t->fd, t->vm, 0, ops, t->num_bos, NULL, 0);
		if (!ret) {
			ops[0] = (struct drm_vdgpu_vm_bind_op){
				.op = DRM_VDGPU_VM_BIND_OP_UNMAP,
				.addr = SZ_2M,
				.range = SZ_2M * t->num_bos,
			};
			ret = __vdgpu_vm_bind(t->fd, t->vm, 0, ops, 1, NULL, 0);
		}
		if (ret) {
			t->err = ret;
			t->failed_round = round;
		}
	}
	return NULL;
}

static void test_bind_threads_pressure(void)
{
	struct pr_thread threads[PR_THREADS] = { };
	pthread_t tids[PR_THREADS];
	struct drm_vdgpu_mem_region vram;
	uint32_t i, j, per_thread;
	int fd;

	vdgpu_kmod_prepare();
	igt_info("reloading vdgpu with %s\n", PR_PARAMS);
	vdgpu_kmod_reload(PR_PARAMS);
	fd = vdgpu_open_render();
	vdgpu_require_vm(fd);
	vdgpu_query_region(fd, DRM_VDGPU_REGION_VRAM0, &vram);
	/* Half of VRAM per thread, less room for page tables. */
	per_thread = vram.total_size / 2 / PR_OBJ_SIZE - 2;
	igt_require_f(per_thread >= 4 && per_thread <= 32,
		      "%" PRIu64 " MiB of VRAM does not fit the test\n",
		      (uint64_t)vram.total_size / MIB);

	for (i = 0; i < PR_THREADS; i++) {
		threads[i].fd = fd;
		threads[i].vm = vdgpu_vm_create(fd);
		threads[i].num_bos = per_thread;
		for (j = 0; j < per_thread; j++)
			threads[i].bos[j] = vdgpu_gem_create_in(fd, PR_OBJ_SIZE,
								DRM_VDGPU_REGION_VRAM0,
								0);
	}
	for (i = 0; i < PR_THREADS; i++)
		igt_assert_eq(pthread_create(&tids[i], NULL, pr_thread_main,
					     &threads[i]), 0);
	for (i = 0; i < PR_THREADS; i++)
		igt_assert_eq(pthread_join(tids[i], NULL), 0);
	for (i = 0; i < PR_THREADS; i++)
		igt_assert_f(!threads[i].err,
			     "thread %u: bind in round %u failed: %d (%s)\n",
			     i, threads[i].failed_round, threads[i].err,
			     strerror(-threads[i].err));
	close(fd);
}

/*
 * Refused arguments.  Each *-bad-* subtest has the kernel accept a valid
 * argument first (the control), then changes one thing at a time and
 * expects the documented error, synchronously and with ASYNC where binds
 * are concerned, and finally checks that the refusals changed nothing.
 */

static int vm_create_raw(int fd, struct drm_vdgpu_vm_create *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_CREATE, arg);
}

static int vm_destroy_raw(int fd, struct drm_vdgpu_vm_destroy *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_DESTROY, arg);
}

/* The file has its first VM, id 1, from a valid create. */
static void vm_create_bad_begin(struct vmt *t)
{
	struct drm_vdgpu_vm_create arg = { };

	vmt_open(t, false);
	igt_assert_err(vm_create_raw(t->fd, &arg), 0);
	igt_assert_eq(arg.vm_id, 1);
}

/* The refusals created no VM: debugfs lists the control's VM only. */
static void vm_create_bad_end(struct vmt *t)
{
	if (t->vms)
		igt_assert_eq(client_vms(t->client), 1);
	close(t->fd);
}

/* vm-create-bad-extensions: nonzero extensions is -EINVAL. */
static void test_vm_create_bad_extensions(void)
{
	const uint64_t values[] = { 1, 0x1000, ~0ull };
	struct vmt t;
	size_t i;

	vm_create_bad_begin(&t);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		struct drm_vdgpu_vm_create arg = { .extensions = values[i] };

		igt_assert_err(vm_create_raw(t.fd, &arg), -EINVAL);
	}
	vm_create_bad_end(&t);
}

/* vm-create-bad-flags: every flag bit (none is defined) is -EINVAL. */
static void test_vm_create_bad_flags(void)
{
	struct vmt t;
	int bit;

	vm_create_bad_begin(&t);
	for (bit = 0; bit < 32; bit++) {
		struct drm_vdgpu_vm_create arg = { .flags = 1u << bit };

		igt_assert_err(vm_create_raw(t.fd, &arg), -EINVAL);
	}
	vm_create_bad_end(&t);
}

/*
 * vm-create-bad-vm-id: vm_id is an output, and outputs must be zero on
 * input: -EINVAL.
 */
static void test_vm_create_bad_vm_id(void)
{
	const uint32_t values[] = { 1, 2, ~0u };
	struct vmt t;
	size_t i;

	vm_create_bad_begin(&t);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		struct drm_vdgpu_vm_create arg = { .vm_id = values[i] };

		igt_assert_err(vm_create_raw(t.fd, &arg), -EINVAL);
	}
	vm_create_bad_end(&t);
}

/* vm-create-bad-reserved: a nonzero reserved word is -EINVAL. */
static void test_vm_create_bad_reserved(void)
{
	struct vmt t;
	int i;

	vm_create_bad_begin(&t);
	for (i = 0; i < 2; i++) {
		struct drm_vdgpu_vm_create arg = { };

		arg.reserved[i] = 1;
		igt_assert_err(vm_create_raw(t.fd, &arg), -EINVAL);
	}
	vm_create_bad_end(&t);
}

/* The VM exists: a bind of it (an UNMAP of an empty range) succeeds. */
static void assert_vm_exists(int fd, uint32_t vm)
{
	struct drm_vdgpu_vm_bind_op op = op_unmap(BASE, MIB);

	igt_assert_f(bind_ops(fd, vm, 0, &op, 1) == 0, "VM %u is gone\n", vm);
}

/*
 * vm-destroy-bad-id: ids the file never created (0, the next id, ~0)
 * are -ENOENT; its VM stays and is then destroyed.
 */
static void test_vm_destroy_bad_id(void)
{
	struct vmt t;
	uint32_t vm;
	size_t i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	{
		const uint32_t ids[] = { 0, vm + 1, vm + 100, ~0u };

		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			struct drm_vdgpu_vm_destroy arg = { .vm_id = ids[i] };

			igt_assert_err(vm_destroy_raw(t.fd, &arg), -ENOENT);
		}
	}
	assert_vm_exists(t.fd, vm);
	vdgpu_vm_destroy(t.fd, vm);
	close(t.fd);
}

/*
 * vm-destroy-bad-other-file: the id of another file's VM, which this
 * file does not have, is -ENOENT, and that VM stays.
 */
static void test_vm_destroy_bad_other_file(void)
{
	uint32_t mine, theirs;
	struct vmt a, b;

	vmt_open(&a, false);
	vmt_open(&b, false);
	mine = vdgpu_vm_create(a.fd);
	do {
		theirs = vdgpu_vm_create(b.fd);
	} while (theirs == mine);
	igt_assert_err(__vdgpu_vm_destroy(a.fd, theirs), -ENOENT);
	assert_vm_exists(b.fd, theirs);
	assert_vm_exists(a.fd, mine);
	vdgpu_vm_destroy(b.fd, theirs);
	close(a.fd);
	close(b.fd);
}

/* vm-destroy-bad-destroyed: destroying a VM twice is -ENOENT. */
static void test_vm_destroy_bad_destroyed(void)
{
	uint32_t vm, other;
	struct vmt t;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	other = vdgpu_vm_create(t.fd);
	vdgpu_vm_destroy(t.fd, vm);
	igt_assert_err(__vdgpu_vm_destroy(t.fd, vm), -ENOENT);
	assert_vm_exists(t.fd, other);
	close(t.fd);
}

/*
 * vm-destroy-bad-extensions, -pad, -reserved: a destroy with a nonzero
 * extensions, pad or reserved word is -EINVAL and destroys nothing.
 */
enum destroy_field { DESTROY_EXTENSIONS, DESTROY_PAD, DESTROY_RESERVED };

static void vm_destroy_bad_field(enum destroy_field field)
{
	struct vmt t;
	uint32_t vm;
	int i;

	vmt_open(&t, false);
	vm = vdgpu_vm_create(t.fd);
	for (i = 0; i < 2; i++) {
		struct drm_vdgpu_vm_destroy arg = { .vm_id = vm };

		switch (field) {
		case DESTROY_EXTENSIONS:
			arg.extensions = i ? ~0ull : 1;
			break;
		case DESTROY_PAD:
			arg.pad = i ? ~0u : 1;
			break;
		case DESTROY_RESERVED:
			arg.reserved[i] = 1;
			break;
		}
		igt_assert_err(vm_destroy_raw(t.fd, &arg), -EINVAL);
		assert_vm_exists(t.fd, vm);
	}
	vdgpu_vm_destroy(t.fd, vm);
	close(t.fd);
}

static void test_vm_destroy_bad_extensions(void) { vm_destroy_bad_field(DESTROY_EXTENSIONS); }
static void test_vm_destroy_bad_pad(void) { vm_destroy_bad_field(DESTROY_PAD); }
static void test_vm_destroy_bad_reserved(void) { vm_destroy_bad_field(DESTROY_RESERVED); }

/* No handle in 1..64 exists in @fd: nothing was created there. */
static void assert_no_handles(int fd)
{
	uint32_t h;

	for (h = 1; h <= 64; h++)
		igt_assert_f(__gem_close(fd, h) == -EINVAL,
			     "handle %u exists, though no object was created\n", h);
}

/*
 * gem-create-bad-vm-id, -vm-other-file, -vm-destroyed: a private object
 * of a VM the file does not have is -ENOENT, whether the id was never
 * created, is another file's, or was destroyed; no handle is created.
 * The same create for the file's own VM succeeds (the control).
 */
enum vm_kind { VM_UNKNOWN, VM_OTHER_FILE, VM_DESTROYED };

static void gem_create_bad_vm(enum vm_kind kind)
{
	uint32_t vm, region, handle, ids[4];
	struct vmt t, other = { .fd = -1 };
	int n = 0, i;

	vmt_open(&t, false);
	region = gpu_region(&t);
	vm = vdgpu_vm_create(t.fd);
	handle = vdgpu_gem_create_vm(t.fd, MIB, &region, 1, 0, vm);
	gem_close(t.fd, handle);

	switch (kind) {
	case VM_UNKNOWN:
		ids[n++] = vm + 1;
		ids[n++] = vm + 100;
		ids[n++] = ~0u;
		break;
	case VM_OTHER_FILE:
		vmt_open(&other, false);
		do {
			ids[0] = vdgpu_vm_create(other.fd);
		} while (ids[0] == vm);
		n = 1;
		break;
	case VM_DESTROYED:
		ids[n] = vdgpu_vm_create(t.fd);
		vdgpu_vm_destroy(t.fd, ids[n++]);
		break;
	}
	for (i = 0; i < n; i++)
		igt_assert_err(__vdgpu_gem_create_vm(t.fd, MIB, &region, 1, 0,
						     ids[i], &handle), -ENOENT);
	assert_no_handles(t.fd);
	if (other.fd >= 0)
		close(other.fd);
	close(t.fd);
}

static void test_gem_create_bad_vm_id(void) { gem_create_bad_vm(VM_UNKNOWN); }
static void test_gem_create_bad_vm_other_file(void) { gem_create_bad_vm(VM_OTHER_FILE); }
static void test_gem_create_bad_vm_destroyed(void) { gem_create_bad_vm(VM_DESTROYED); }

/*
 * The bind refusals start from a VM holding a sentinel mapping (the first
 * 64 KiB of a 1 MiB object, at SENTINEL) and three controls accepted as
 * they are: a MAP of the whole object at BAD_ADDR, a PREFETCH of the
 * sentinel into the object's region and an UNMAP of the sentinel.  A
 * refused MAP would add a mapping, a refused UNMAP remove the sentinel;
 * bad_end() checks that the sentinel is all there is.
 */
#define BAD_BO_SIZE	MIB
#define BAD_ADDR	(2 * GIB)
#define SENTINEL	(3 * GIB)
#define SENTINEL_SIZE	SZ_64K

struct bad {
	struct vmt t;
	int fd;
	uint32_t vm;
	uint32_t bo;				/* BAD_BO_SIZE, in @region */
	uint32_t region;
	struct drm_vdgpu_vm_bind_op map;	/* all of @bo at BAD_ADDR */
	struct drm_vdgpu_vm_bind_op unmap;	/* the sentinel */
	struct drm_vdgpu_vm_bind_op prefetch;	/* the sentinel, to @region */
};

static struct want sentinel(const struct bad *b)
{
	return MAPPING(SENTINEL, SENTINEL + SENTINEL_SIZE, 0, BAD_BO_SIZE,
		       b->region);
}

static void bad_begin_in(struct bad *b, int region)
{
	struct want w[2];

	vmt_open(&b->t, false);
	b->fd = b->t.fd;
	b->region = region >= 0 ? (uint32_t)region : gpu_region(&b->t);
	b->vm = vdgpu_vm_create(b->fd);
	b->bo = bo_in(&b->t, BAD_BO_SIZE, b->region);
	b->map = op_map(b->bo, 0, BAD_ADDR, BAD_BO_SIZE);
	b->unmap = op_unmap(SENTINEL, SENTINEL_SIZE);
	b->prefetch = op_prefetch(b->region, SENTINEL, SENTINEL_SIZE);

	vdgpu_vm_map(b->fd, b->vm, b->bo, 0, SENTINEL, SENTINEL_SIZE, 0);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->map, 1, NULL, 0);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->prefetch, 1, NULL, 0);
	w[0] = MAPPING(BAD_ADDR, BAD_ADDR + BAD_BO_SIZE, 0, BAD_BO_SIZE,
		       b->region);
	w[1] = sentinel(b);
	check_vm(&b->t, b->vm, w, 2);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->unmap, 1, NULL, 0);
	check_vm(&b->t, b->vm, w, 1);

	vdgpu_vm_unmap(b->fd, b->vm, BAD_ADDR, BAD_BO_SIZE);
	vdgpu_vm_map(b->fd, b->vm, b->bo, 0, SENTINEL, SENTINEL_SIZE, 0);
	w[0] = sentinel(b);
	check_vm(&b->t, b->vm, w, 1);
}

static void bad_begin(struct bad *b)
{
	bad_begin_in(b, -1);
}

/* Undo an accepted control MAP at BAD_ADDR. */
static void bad_undo(struct bad *b)
{
	vdgpu_vm_unmap(b->fd, b->vm, BAD_ADDR, BAD_BO_SIZE);
}

static void bad_end(struct bad *b)
{
	struct want w = sentinel(b);

	check_vm(&b->t, b->vm, &w, 1);
	close(b->fd);
}

static const char *describe_op(const struct drm_vdgpu_vm_bind_op *op,
			       char *buf, size_t len)
{
	snprintf(buf, len, "op %u flags %#x handle %u region %u obj_offset %#" PRIx64 " addr %#" PRIx64 " range %#" PRIx64 " reserved %#" PRIx64 " %#" PRIx64,
		 op->op, op->flags, op->handle, op->region,
		 (uint64_t)op->obj_offset, (uint64_t)op->addr,
		 (uint64_t)op->range, (uint64_t)op->reserved[0],
		 (uint64_t)op->reserved[1]);
	return buf;
}

/* A bind of @op and @num_syncs @syncs is refused with @err, with and without ASYNC. */
static void bad_bind(struct bad *b, const struct drm_vdgpu_vm_bind_op *op,
		     const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
		     int err)
{
	int mode;

	for (mode = 0; mode < 2; mode++) {
		int ret = __vdgpu_vm_bind(b->fd, b->vm, mode ? ASYNC : 0, op, 1,
					  syncs, num_syncs);
		char desc[256];

		igt_assert_f(ret == err,
			     "%s bind of {%s} with %u syncs: expected %d (%s), got %d (%s)\n",
			     mode ? "asynchronous" : "synchronous",
			     describe_op(op, desc, sizeof(desc)), num_syncs, err,
			     igt_errno_name(err), ret, igt_errno_name(ret));
	}
}

static void bad_op(struct bad *b, const struct drm_vdgpu_vm_bind_op *op, int err)
{
	bad_bind(b, op, NULL, 0, err);
}

/* The raw @arg is refused with @err, as it is and with ASYNC added. */
static void bad_arg(struct bad *b, const struct drm_vdgpu_vm_bind *arg, int err)
{
	int mode;

	for (mode = 0; mode < 2; mode++) {
		struct drm_vdgpu_vm_bind a = *arg;
		int ret;

		if (mode)
			a.flags |= ASYNC;
		ret = bind_raw(b->fd, &a);
		igt_assert_f(ret == err,
			     "bind vm %u flags %#x num_ops %u op_stride %u ops %#" PRIx64 " num_syncs %u sync_stride %u syncs %#" PRIx64 " extensions %#" PRIx64 " reserved %#" PRIx64 " %#" PRIx64 ": expected %d (%s), got %d (%s)\n",
			     a.vm_id, a.flags, a.num_ops, a.op_stride,
			     (uint64_t)a.ops, a.num_syncs, a.sync_stride,
			     (uint64_t)a.syncs, (uint64_t)a.extensions,
			     (uint64_t)a.reserved[0], (uint64_t)a.reserved[1],
			     err, igt_errno_name(err), ret, igt_errno_name(ret));
	}
}

/* The syncobj has no fence: a refused bind signalled nothing. */
static void assert_no_fence(int fd, uint32_t syncobj)
{
	igt_assert_f(__syncobj_wait(fd, syncobj, 0) == -EINVAL,
		     "syncobj %u got a fence from a refused bind\n", syncobj);
}

/*
 * bind-bad-vm-id: a bind of a VM id the file never created (0, the next
 * id, ~0) is -ENOENT.
 */
static void test_bind_bad_vm_id(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	{
		const uint32_t ids[] = { 0, b.vm + 1, b.vm + 100, ~0u };

		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			arg = bind_arg(ids[i], 0, &b.map, 1, NULL, 0);
			bad_arg(&b, &arg, -ENOENT);
		}
	}
	bad_end(&b);
}

/*
 * bind-bad-vm-other-file: a bind of another file's VM id, which this
 * file does not have, is -ENOENT.
 */
static void test_bind_bad_vm_other_file(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct vmt other;
	uint32_t theirs;
	struct bad b;

	bad_begin(&b);
	vmt_open(&other, false);
	do {
		theirs = vdgpu_vm_create(other.fd);
	} while (theirs == b.vm);
	arg = bind_arg(theirs, 0, &b.map, 1, NULL, 0);
	bad_arg(&b, &arg, -ENOENT);
	check_empty(&other, theirs);
	close(other.fd);
	bad_end(&b);
}

/* bind-bad-vm-destroyed: a bind of a destroyed VM is -ENOENT. */
static void test_bind_bad_vm_destroyed(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	uint32_t vm;

	bad_begin(&b);
	vm = vdgpu_vm_create(b.fd);
	vdgpu_vm_destroy(b.fd, vm);
	arg = bind_arg(vm, 0, &b.map, 1, NULL, 0);
	bad_arg(&b, &arg, -ENOENT);
	bad_end(&b);
}

/* bind-bad-flags: every flag bit but ASYNC, alone or with it, is -EINVAL. */
static void test_bind_bad_flags(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	int bit;

	bad_begin(&b);
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) == ASYNC)
			continue;
		arg = bind_arg(b.vm, 1u << bit, &b.map, 1, NULL, 0);
		bad_arg(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-extensions: nonzero extensions is -EINVAL. */
static void test_bind_bad_extensions(void)
{
	const uint64_t values[] = { 1, 0x1000, ~0ull };
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = bind_arg(b.vm, 0, &b.map, 1, NULL, 0);
		arg.extensions = values[i];
		bad_arg(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-reserved: a nonzero reserved word is -EINVAL. */
static void test_bind_bad_reserved(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	int i;

	bad_begin(&b);
	for (i = 0; i < 2; i++) {
		arg = bind_arg(b.vm, 0, &b.map, 1, NULL, 0);
		arg.reserved[i] = 1;
		bad_arg(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-num-ops-zero: no operations is -EINVAL, with or without a pointer. */
static void test_bind_bad_num_ops_zero(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct bad b;

	bad_begin(&b);
	arg = bind_arg(b.vm, 0, &b.map, 0, NULL, 0);
	bad_arg(&b, &arg, -EINVAL);
	arg.ops = 0;
	bad_arg(&b, &arg, -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-num-ops-too-many: 1024 operations are accepted (1024 MAPs of
 * 4 KiB, all listed), 1025 are -EINVAL.
 */
static void test_bind_bad_num_ops_too_many(void)
{
	struct drm_vdgpu_vm_bind_op *ops;
	struct drm_vdgpu_vm_bind arg;
	struct want *w;
	struct bad b;
	int i;

	bad_begin(&b);
	ops = calloc(MAX_OPS + 1, sizeof(*ops));
	w = calloc(MAX_OPS + 1, sizeof(*w));
	igt_assert(ops && w);
	for (i = 0; i <= MAX_OPS; i++) {
		uint64_t start = BAD_ADDR + (uint64_t)i * 2 * SZ_4K;
		uint64_t offset = (i % (BAD_BO_SIZE / SZ_4K)) * SZ_4K;

		ops[i] = op_map(b.bo, offset, start, SZ_4K);
		w[i] = MAPPING(start, start + SZ_4K, offset, BAD_BO_SIZE, b.region);
	}
	vdgpu_vm_bind(b.fd, b.vm, 0, ops, MAX_OPS, NULL, 0);
	w[MAX_OPS] = sentinel(&b);
	check_vm(&b.t, b.vm, w, MAX_OPS + 1);
	vdgpu_vm_unmap(b.fd, b.vm, BAD_ADDR, 2 * SZ_4K * (MAX_OPS + 1));

	arg = bind_arg(b.vm, 0, ops, MAX_OPS + 1, NULL, 0);
	bad_arg(&b, &arg, -EINVAL);
	arg.num_ops = ~0u;
	bad_arg(&b, &arg, -EINVAL);
	free(ops);
	free(w);
	bad_end(&b);
}

/*
 * bind-bad-num-syncs: 64 syncs are accepted (and all signalled), 65 are
 * -EINVAL and signal none.
 */
static void test_bind_bad_num_syncs(void)
{
	struct drm_vdgpu_sync s[MAX_SYNCS + 1];
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	int i;

	bad_begin(&b);
	for (i = 0; i < MAX_SYNCS; i++)
		s[i] = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	vdgpu_vm_bind(b.fd, b.vm, 0, &b.map, 1, s, MAX_SYNCS);
	for (i = 0; i < MAX_SYNCS; i++)
		igt_assert_err(__syncobj_wait(b.fd, s[i].handle, 0), 0);
	bad_undo(&b);

	for (i = 0; i <= MAX_SYNCS; i++)
		s[i] = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	arg = bind_arg(b.vm, 0, &b.map, 1, s, MAX_SYNCS + 1);
	bad_arg(&b, &arg, -EINVAL);
	arg.num_syncs = ~0u;
	bad_arg(&b, &arg, -EINVAL);
	for (i = 0; i <= MAX_SYNCS; i++)
		assert_no_fence(b.fd, s[i].handle);
	bad_end(&b);
}

/*
 * bind-bad-op-stride: an op_stride of 0 or not a multiple of 8 is
 * -EINVAL, the buffer holding a valid MAP followed by zeroes.
 */
static void test_bind_bad_op_stride(void)
{
	const uint32_t strides[] = { 0, 1, 4, 52, 57, 60, 63 };
	uint8_t buf[128] = { 0 };
	struct drm_vdgpu_vm_bind arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	memcpy(buf, &b.map, sizeof(b.map));
	for (i = 0; i < ARRAY_SIZE(strides); i++) {
		arg = bind_arg(b.vm, 0, (const void *)buf, 1, NULL, 0);
		arg.op_stride = strides[i];
		bad_arg(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/*
 * bind-bad-sync-stride: a sync_stride of 0 or not a multiple of 8 is
 * -EINVAL, with one valid SIGNAL sync followed by zeroes; nothing is
 * signalled.
 */
static void test_bind_bad_sync_stride(void)
{
	const uint32_t strides[] = { 0, 1, 4, 12, 20, 28, 31 };
	uint8_t buf[64] = { 0 };
	struct drm_vdgpu_vm_bind arg;
	struct drm_vdgpu_sync s;
	struct bad b;
	size_t i;

	bad_begin(&b);
	s = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	memcpy(buf, &s, sizeof(s));
	for (i = 0; i < ARRAY_SIZE(strides); i++) {
		arg = bind_arg(b.vm, 0, &b.map, 1, (const void *)buf, 1);
		arg.sync_stride = strides[i];
		bad_arg(&b, &arg, -EINVAL);
	}
	assert_no_fence(b.fd, s.handle);
	bad_end(&b);
}

/*
 * bind-bad-op-stride-tail: with a stride larger than the kernel's
 * structure, the bytes beyond it must be zero: a 64-byte stride is
 * accepted with a zero tail, and -EINVAL with any nonzero tail byte.
 */
static void test_bind_bad_op_stride_tail(void)
{
	struct drm_vdgpu_vm_bind arg;
	uint8_t buf[64];
	struct bad b;
	size_t i;

	bad_begin(&b);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &b.map, sizeof(b.map));
	arg = bind_arg(b.vm, 0, (const void *)buf, 1, NULL, 0);
	arg.op_stride = sizeof(buf);
	igt_assert_err(bind_raw(b.fd, &arg), 0);
	bad_undo(&b);

	for (i = sizeof(b.map); i < sizeof(buf); i++) {
		buf[i] = i == sizeof(buf) - 1 ? 0x80 : 1;
		bad_arg(&b, &arg, -EINVAL);
		buf[i] = 0;
	}
	bad_end(&b);
}

/*
 * bind-bad-sync-stride-tail: the same for syncs: a 32-byte stride with a
 * zero tail is accepted, any nonzero tail byte is -EINVAL and signals
 * nothing.
 */
static void test_bind_bad_sync_stride_tail(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct drm_vdgpu_sync s;
	uint8_t buf[32];
	struct bad b;
	size_t i;

	bad_begin(&b);
	s = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &s, sizeof(s));
	arg = bind_arg(b.vm, 0, &b.map, 1, (const void *)buf, 1);
	arg.sync_stride = sizeof(buf);
	igt_assert_err(bind_raw(b.fd, &arg), 0);
	igt_assert_err(__syncobj_wait(b.fd, s.handle, 0), 0);
	bad_undo(&b);

	s = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	memcpy(buf, &s, sizeof(s));
	for (i = sizeof(s); i < sizeof(buf); i++) {
		buf[i] = 1;
		bad_arg(&b, &arg, -EINVAL);
		buf[i] = 0;
	}
	assert_no_fence(b.fd, s.handle);
	bad_end(&b);
}

/*
 * Two pages, the second inaccessible, with @size bytes of @data at the
 * end of the first: an array whose next element cannot be read.
 */
static void *straddle(const void *data, size_t size, void **pages)
{
	char *p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	igt_assert_eq(mprotect(p + SZ_4K, SZ_4K, PROT_NONE), 0);
	memcpy(p + SZ_4K - size, data, size);
	*pages = p;
	return p + SZ_4K - size;
}

/*
 * bind-bad-ops-pointer: an ops array the kernel cannot read is -EFAULT:
 * NULL, an inaccessible page, a kernel address, and two operations of
 * which only the first (a valid MAP) is readable; that MAP does not
 * happen.
 */
static void test_bind_bad_ops_pointer(void)
{
	struct drm_vdgpu_vm_bind arg;
	void *none, *pages, *ops;
	struct bad b;

	bad_begin(&b);
	none = inaccessible_page();
	arg = bind_arg(b.vm, 0, &b.map, 1, NULL, 0);
	arg.ops = 0;
	bad_arg(&b, &arg, -EFAULT);
	arg.ops = to_user_pointer(none);
	bad_arg(&b, &arg, -EFAULT);
	arg.ops = -SZ_4K;
	bad_arg(&b, &arg, -EFAULT);

	ops = straddle(&b.map, sizeof(b.map), &pages);
	arg = bind_arg(b.vm, 0, ops, 2, NULL, 0);
	bad_arg(&b, &arg, -EFAULT);
	munmap(pages, 2 * SZ_4K);
	munmap(none, SZ_4K);
	bad_end(&b);
}

/*
 * bind-bad-syncs-pointer: a syncs array the kernel cannot read is
 * -EFAULT: NULL, an inaccessible page, and two syncs of which only the
 * first (a valid SIGNAL) is readable; nothing is mapped or signalled.
 */
static void test_bind_bad_syncs_pointer(void)
{
	struct drm_vdgpu_vm_bind arg;
	struct drm_vdgpu_sync s;
	void *none, *pages, *syncs;
	struct bad b;

	bad_begin(&b);
	none = inaccessible_page();
	s = sync_of(syncobj_create(b.fd, 0), SIGNAL, 0);
	arg = bind_arg(b.vm, 0, &b.map, 1, NULL, 1);
	bad_arg(&b, &arg, -EFAULT);
	arg.syncs = to_user_pointer(none);
	bad_arg(&b, &arg, -EFAULT);

	syncs = straddle(&s, sizeof(s), &pages);
	arg = bind_arg(b.vm, 0, &b.map, 1, syncs, 2);
	bad_arg(&b, &arg, -EFAULT);
	assert_no_fence(b.fd, s.handle);
	munmap(pages, 2 * SZ_4K);
	munmap(none, SZ_4K);
	bad_end(&b);
}

/* bind-bad-op: operations other than MAP, UNMAP and PREFETCH are -EINVAL. */
static void test_bind_bad_op(void)
{
	const uint32_t values[] = { 3, 4, 0x100, 0x80000000u, ~0u };
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		op = b.map;
		op.op = values[i];
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-op-flags: every MAP flag bit but READ_ONLY is -EINVAL. */
static void test_bind_bad_op_flags(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	int bit;

	bad_begin(&b);
	op = b.map;
	op.flags = READ_ONLY;
	vdgpu_vm_bind(b.fd, b.vm, 0, &op, 1, NULL, 0);
	bad_undo(&b);
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) == READ_ONLY)
			continue;
		op = b.map;
		op.flags = 1u << bit;
		bad_op(&b, &op, -EINVAL);
		op.flags |= READ_ONLY;
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-read-only-non-map: READ_ONLY on UNMAP or PREFETCH is -EINVAL. */
static void test_bind_bad_read_only_non_map(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;

	bad_begin(&b);
	op = b.unmap;
	op.flags = READ_ONLY;
	bad_op(&b, &op, -EINVAL);
	op = b.prefetch;
	op.flags = READ_ONLY;
	bad_op(&b, &op, -EINVAL);
	bad_end(&b);
}

/* The three controls, for refusals that apply to every operation. */
static void bad_each_op(struct bad *b,
			void (*change)(struct drm_vdgpu_vm_bind_op *op, uint64_t v),
			const uint64_t *values, size_t n, int err)
{
	const struct drm_vdgpu_vm_bind_op *base[] = { &b->map, &b->unmap, &b->prefetch };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(base); i++) {
		for (j = 0; j < n; j++) {
			struct drm_vdgpu_vm_bind_op op = *base[i];

			change(&op, values[j]);
			bad_op(b, &op, err);
		}
	}
}

static void add_addr(struct drm_vdgpu_vm_bind_op *op, uint64_t v)
{
	op->addr += v;
}

static void set_range(struct drm_vdgpu_vm_bind_op *op, uint64_t v)
{
	op->range = v;
}

/*
 * bind-bad-unaligned-addr: an address that is not a multiple of 4 KiB is
 * -EINVAL, for MAP, UNMAP and PREFETCH.
 */
static void test_bind_bad_unaligned_addr(void)
{
	const uint64_t deltas[] = { 1, 512, 2048, SZ_4K - 1, SZ_64K + 2048 };
	struct bad b;

	bad_begin(&b);
	bad_each_op(&b, add_addr, deltas, ARRAY_SIZE(deltas), -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-unaligned-range: a range that is not a multiple of 4 KiB is
 * -EINVAL, for MAP, UNMAP and PREFETCH.
 */
static void test_bind_bad_unaligned_range(void)
{
	const uint64_t ranges[] = { 1, 2048, SZ_4K - 1, SZ_4K + 1, SZ_64K + 512 };
	struct bad b;

	bad_begin(&b);
	bad_each_op(&b, set_range, ranges, ARRAY_SIZE(ranges), -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-unaligned-offset: a MAP object offset that is not a multiple
 * of 4 KiB is -EINVAL; 64 KiB from offset 64 KiB is the control.
 */
static void test_bind_bad_unaligned_offset(void)
{
	const uint64_t offsets[] = { 1, 2048, SZ_4K - 1, SZ_64K + 512 };
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	op = b.map;
	op.obj_offset = SZ_64K;
	op.range = SZ_64K;
	vdgpu_vm_bind(b.fd, b.vm, 0, &op, 1, NULL, 0);
	bad_undo(&b);
	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		op.obj_offset = offsets[i];
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-zero-range: an empty range is -EINVAL, for every operation. */
static void test_bind_bad_zero_range(void)
{
	const uint64_t zero = 0;
	struct bad b;

	bad_begin(&b);
	bad_each_op(&b, set_range, &zero, 1, -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-wrap: a range whose end wraps past 2^64 is -EINVAL, also where
 * the wrapped end would look in range: MAP of 8 KiB at -4 KiB and of
 * 128 KiB at -64 KiB; UNMAP and PREFETCH of those, of [4 KiB, 2^64) and
 * of the sentinel's address with a range wrapping exactly to 0.
 */
static void test_bind_bad_wrap(void)
{
	static const struct {
		uint64_t addr, range;
		bool map;
	} cases[] = {
		{ -SZ_4K, 2 * SZ_4K, true },
		{ -SZ_64K, 2 * SZ_64K, true },
		{ SZ_4K, -SZ_4K, false },
		{ SENTINEL, -SENTINEL, false },
		{ -SZ_4K, 2 * SZ_4K, false },
	};
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].map) {
			op = b.map;
			op.addr = cases[i].addr;
			op.range = cases[i].range;
			bad_op(&b, &op, -EINVAL);
		}
		op = b.unmap;
		op.addr = cases[i].addr;
		op.range = cases[i].range;
		bad_op(&b, &op, -EINVAL);
		op = b.prefetch;
		op.addr = cases[i].addr;
		op.range = cases[i].range;
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/*
 * bind-bad-kernel-range: a range reaching into [va_kernel_start, va_end)
 * or beyond va_end is -EINVAL for every operation: crossing
 * va_kernel_start by 4 KiB, starting at it, at the last page below
 * va_end, at va_end, at 2^63, and (UNMAP, PREFETCH) [0, va_kernel_start
 * + 4 KiB).  A MAP ending exactly at va_kernel_start is the control.
 */
static void test_bind_bad_kernel_range(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint64_t ks, end;
	struct bad b;
	size_t i;

	bad_begin(&b);
	ks = b.t.dev.va_kernel_start;
	end = b.t.dev.va_end;
	op = b.map;
	op.addr = ks - SZ_64K;
	op.range = SZ_64K;
	vdgpu_vm_bind(b.fd, b.vm, 0, &op, 1, NULL, 0);
	vdgpu_vm_unmap(b.fd, b.vm, ks - SZ_64K, SZ_64K);
	{
		const struct {
			uint64_t addr, range;
		} cases[] = {
			{ ks - SZ_4K, 2 * SZ_4K },
			{ ks, SZ_4K },
			{ ks, SZ_64K },
			{ end - SZ_4K, SZ_4K },
			{ end, SZ_4K },
			{ 1ull << 63, SZ_4K },
			{ 0, ks + SZ_4K },
		};

		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			if (cases[i].range <= BAD_BO_SIZE) {
				op = b.map;
				op.addr = cases[i].addr;
				op.range = cases[i].range;
				bad_op(&b, &op, -EINVAL);
			}
			op = b.unmap;
			op.addr = cases[i].addr;
			op.range = cases[i].range;
			bad_op(&b, &op, -EINVAL);
			op = b.prefetch;
			op.addr = cases[i].addr;
			op.range = cases[i].range;
			bad_op(&b, &op, -EINVAL);
		}
	}
	bad_end(&b);
}

/*
 * bind-bad-obj-range: a MAP reaching beyond the object is -EINVAL: one
 * page more than the object, starting at its end or beyond, the last
 * page plus one, an offset wrapping past 2^64 to a small end, and 2^63.
 * The last page alone is the control.
 */
static void test_bind_bad_obj_range(void)
{
	static const struct {
		uint64_t offset, range;
	} cases[] = {
		{ 0, BAD_BO_SIZE + SZ_4K },
		{ BAD_BO_SIZE, SZ_4K },
		{ BAD_BO_SIZE + SZ_4K, SZ_4K },
		{ BAD_BO_SIZE - SZ_4K, 2 * SZ_4K },
		{ -SZ_4K, 2 * SZ_4K },
		{ 1ull << 63, SZ_4K },
	};
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	op = b.map;
	op.obj_offset = BAD_BO_SIZE - SZ_4K;
	op.range = SZ_4K;
	vdgpu_vm_bind(b.fd, b.vm, 0, &op, 1, NULL, 0);
	bad_undo(&b);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		op = b.map;
		op.obj_offset = cases[i].offset;
		op.range = cases[i].range;
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-unused-handle: a handle on UNMAP or PREFETCH is -EINVAL. */
static void test_bind_bad_unused_handle(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;

	bad_begin(&b);
	op = b.unmap;
	op.handle = b.bo;
	bad_op(&b, &op, -EINVAL);
	op = b.prefetch;
	op.handle = b.bo;
	bad_op(&b, &op, -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-unused-region: a nonzero region on MAP or UNMAP is -EINVAL,
 * be it a region the object allows or not.
 */
static void test_bind_bad_unused_region(void)
{
	const uint32_t regions[] = { DRM_VDGPU_REGION_GTT, DRM_VDGPU_REGION_VRAM0, 7 };
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		op = b.map;
		op.region = regions[i];
		bad_op(&b, &op, -EINVAL);
		op = b.unmap;
		op.region = regions[i];
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/* bind-bad-unused-offset: an object offset on UNMAP or PREFETCH is -EINVAL. */
static void test_bind_bad_unused_offset(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;

	bad_begin(&b);
	op = b.unmap;
	op.obj_offset = SZ_4K;
	bad_op(&b, &op, -EINVAL);
	op = b.prefetch;
	op.obj_offset = SZ_4K;
	bad_op(&b, &op, -EINVAL);
	bad_end(&b);
}

/* bind-bad-op-reserved: a nonzero reserved word of any operation is -EINVAL. */
static void test_bind_bad_op_reserved(void)
{
	const struct drm_vdgpu_vm_bind_op *base[3];
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	int i, j;

	bad_begin(&b);
	base[0] = &b.map;
	base[1] = &b.unmap;
	base[2] = &b.prefetch;
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 2; j++) {
			op = *base[i];
			op.reserved[j] = 1;
			bad_op(&b, &op, -EINVAL);
		}
	}
	bad_end(&b);
}

/*
 * bind-bad-handle: a MAP of a handle the file does not have is -ENOENT:
 * one never created, one closed, and 0, which no object ever has.
 */
static void test_bind_bad_handle(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint32_t closed;
	struct bad b;

	bad_begin(&b);
	closed = bo_in(&b.t, BAD_BO_SIZE, b.region);
	gem_close(b.fd, closed);
	op = b.map;
	op.handle = b.bo + 100;
	bad_op(&b, &op, -ENOENT);
	op.handle = closed;
	bad_op(&b, &op, -ENOENT);
	op.handle = 0;
	bad_op(&b, &op, -ENOENT);
	bad_end(&b);
}

/*
 * bind-bad-handle-other-file: a MAP of a handle that only another file
 * has is -ENOENT.
 */
static void test_bind_bad_handle_other_file(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct drm_vdgpu_gem_info info;
	uint32_t theirs = 0;
	struct vmt other;
	struct bad b;
	int i;

	bad_begin(&b);
	vmt_open(&other, false);
	for (i = 0; i < 4; i++)
		theirs = bo_in(&other, BAD_BO_SIZE, b.region);
	igt_assert_f(__vdgpu_gem_info(b.fd, theirs, &info) == -ENOENT,
		     "this file has a handle %u too\n", theirs);
	op = b.map;
	op.handle = theirs;
	bad_op(&b, &op, -ENOENT);
	close(other.fd);
	bad_end(&b);
}

/*
 * bind-bad-private-other-vm: a MAP of an object private to another VM of
 * the same file is -EINVAL, whether that VM exists or was destroyed.
 * Mapping it in its own VM is the control.
 */
static void test_bind_bad_private_other_vm(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint32_t vm2, vm3, p2, p3;
	struct bad b;

	bad_begin(&b);
	vm2 = vdgpu_vm_create(b.fd);
	vm3 = vdgpu_vm_create(b.fd);
	p2 = vdgpu_gem_create_vm(b.fd, BAD_BO_SIZE, &b.region, 1, 0, vm2);
	p3 = vdgpu_gem_create_vm(b.fd, BAD_BO_SIZE, &b.region, 1, 0, vm3);
	op = b.map;
	op.handle = p2;
	vdgpu_vm_bind(b.fd, vm2, 0, &op, 1, NULL, 0);
	bad_op(&b, &op, -EINVAL);
	vdgpu_vm_destroy(b.fd, vm3);
	op.handle = p3;
	bad_op(&b, &op, -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-system-only: a MAP of an object whose only region is of class
 * SYSTEM is -EINVAL, with or without SYSTEM_WC.
 */
static void test_bind_bad_system_only(void)
{
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;

	bad_begin(&b);
	igt_require_f(b.t.system >= 0, "the device has no SYSTEM region\n");
	op = b.map;
	op.handle = bo_in(&b.t, BAD_BO_SIZE, b.t.system);
	bad_op(&b, &op, -EINVAL);
	op.handle = vdgpu_gem_create_in(b.fd, BAD_BO_SIZE, b.t.system,
					DRM_VDGPU_GEM_CREATE_SYSTEM_WC);
	bad_op(&b, &op, -EINVAL);
	bad_end(&b);
}

/*
 * bind-bad-prefetch-system: PREFETCH to a region of class SYSTEM is
 * -EINVAL even for an object allowed there ([GTT or VRAM, SYSTEM]), which
 * does not move; PREFETCH of it to its GPU region is the control.
 */
static void test_bind_bad_prefetch_system(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint32_t list[2], bo;
	struct bad b;

	bad_begin(&b);
	igt_require_f(b.t.system >= 0, "the device has no SYSTEM region\n");
	list[0] = b.region;
	list[1] = b.t.system;
	bo = vdgpu_gem_create(b.fd, BAD_BO_SIZE, list, 2, 0);
	vdgpu_vm_map(b.fd, b.vm, bo, 0, BAD_ADDR, BAD_BO_SIZE, 0);
	prefetch(b.fd, b.vm, b.region, BAD_ADDR, BAD_BO_SIZE);
	op = op_prefetch(b.t.system, BAD_ADDR, BAD_BO_SIZE);
	bad_op(&b, &op, -EINVAL);
	igt_assert_eq(vdgpu_gem_region(b.fd, bo), b.region);
	bad_undo(&b);
	bad_end(&b);
}

/*
 * bind-bad-prefetch-region: PREFETCH to a region an object mapped in the
 * range does not allow is -EINVAL: VRAM for the GTT-only sentinel, also
 * for a range holding a [GTT, VRAM] object before the sentinel (whether
 * that object may have moved is all-or-nothing's business).
 */
static void test_bind_bad_prefetch_region(void)
{
	struct drm_vdgpu_vm_bind_op op;
	uint32_t list[2], bo;
	struct vmt probe;
	struct bad b;

	vmt_open(&probe, false);
	require_gtt_vram(&probe);
	close(probe.fd);
	bad_begin_in(&b, probe.gtt);
	list[0] = b.t.gtt;
	list[1] = b.t.vram;
	bo = vdgpu_gem_create(b.fd, BAD_BO_SIZE, list, 2, 0);
	vdgpu_vm_map(b.fd, b.vm, bo, 0, BAD_ADDR, BAD_BO_SIZE, 0);
	prefetch(b.fd, b.vm, b.t.vram, BAD_ADDR, BAD_BO_SIZE);
	igt_assert_eq(vdgpu_gem_region(b.fd, bo), b.t.vram);
	prefetch(b.fd, b.vm, b.t.gtt, BAD_ADDR, BAD_BO_SIZE);
	igt_assert_eq(vdgpu_gem_region(b.fd, bo), b.t.gtt);

	op = b.prefetch;
	op.region = b.t.vram;
	bad_op(&b, &op, -EINVAL);
	op = op_prefetch(b.t.vram, BAD_ADDR, SENTINEL + SENTINEL_SIZE - BAD_ADDR);
	bad_op(&b, &op, -EINVAL);
	igt_assert_eq(vdgpu_gem_region(b.fd, b.bo), b.t.gtt);
	bad_undo(&b);
	bad_end(&b);
}

/*
 * bind-bad-prefetch-unknown-region: PREFETCH to a region id the device
 * does not have is -EINVAL.
 */
static void test_bind_bad_prefetch_unknown_region(void)
{
	const uint32_t ids[] = { 3, 4, 16, 31, 32, 0x80000000u, ~0u };
	struct drm_vdgpu_vm_bind_op op;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (ids[i] < MAX_REGION_ID && b.t.cls[ids[i]] >= 0)
			continue;
		op = b.prefetch;
		op.region = ids[i];
		bad_op(&b, &op, -EINVAL);
	}
	bad_end(&b);
}

/*
 * Syncs.  The controls are a SIGNAL of a new binary syncobj, a wait for a
 * signalled one, and the TIMELINE forms of both on a timeline syncobj.
 */
struct bad_syncs {
	uint32_t fresh;		/* binary, no fence */
	uint32_t done;		/* binary, signalled */
	uint32_t tl;		/* timeline, point 1 signalled */
};

static void bad_syncs_begin(struct bad *b, struct bad_syncs *s)
{
	struct drm_vdgpu_sync sync;
	uint32_t control;

	bad_begin(b);
	s->fresh = syncobj_create(b->fd, 0);
	s->done = syncobj_create(b->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	s->tl = syncobj_create(b->fd, 0);

	control = syncobj_create(b->fd, 0);
	sync = sync_of(control, SIGNAL, 0);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->map, 1, &sync, 1);
	igt_assert_err(__syncobj_wait(b->fd, control, 0), 0);
	sync = sync_of(s->done, 0, 0);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->map, 1, &sync, 1);
	sync = sync_of(s->tl, SIGNAL | TIMELINE, 1);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->map, 1, &sync, 1);
	igt_assert_err(__syncobj_timeline_wait(b->fd, s->tl, 1, 0), 0);
	sync = sync_of(s->tl, TIMELINE, 1);
	vdgpu_vm_bind(b->fd, b->vm, 0, &b->map, 1, &sync, 1);
	bad_undo(b);
}

static void bad_sync(struct bad *b, struct drm_vdgpu_sync sync, int err)
{
	bad_bind(b, &b->map, &sync, 1, err);
}

static void bad_syncs_end(struct bad *b, struct bad_syncs *s)
{
	uint64_t point = 0;

	assert_no_fence(b->fd, s->fresh);
	igt_assert_err(__syncobj_query(b->fd, s->tl, &point), 0);
	igt_assert_eq_u64(point, 1);
	bad_end(b);
}

/*
 * bind-bad-sync-flags: every sync flag bit but SIGNAL and TIMELINE is
 * -EINVAL, on a signal and on a wait.
 */
static void test_bind_bad_sync_flags(void)
{
	struct bad_syncs s;
	struct bad b;
	int bit;

	bad_syncs_begin(&b, &s);
	for (bit = 2; bit < 32; bit++) {
		bad_sync(&b, sync_of(s.fresh, SIGNAL | (1u << bit), 0), -EINVAL);
		bad_sync(&b, sync_of(s.done, 1u << bit, 0), -EINVAL);
	}
	bad_syncs_end(&b, &s);
}

/*
 * bind-bad-sync-timeline-point-zero: a TIMELINE sync with point 0 is
 * -EINVAL, on a signal and on a wait.
 */
static void test_bind_bad_sync_timeline_point_zero(void)
{
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	bad_sync(&b, sync_of(s.tl, SIGNAL | TIMELINE, 0), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 0), -EINVAL);
	bad_sync(&b, sync_of(s.fresh, SIGNAL | TIMELINE, 0), -EINVAL);
	bad_syncs_end(&b, &s);
}

/*
 * bind-bad-sync-binary-point: a binary sync (no TIMELINE) with a nonzero
 * point is -EINVAL, on a signal and on a wait.
 */
static void test_bind_bad_sync_binary_point(void)
{
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	bad_sync(&b, sync_of(s.fresh, SIGNAL, 1), -EINVAL);
	bad_sync(&b, sync_of(s.done, 0, 1), -EINVAL);
	bad_sync(&b, sync_of(s.tl, 0, 1), -EINVAL);
	bad_syncs_end(&b, &s);
}

/* bind-bad-sync-reserved: a sync with a nonzero reserved word is -EINVAL. */
static void test_bind_bad_sync_reserved(void)
{
	struct drm_vdgpu_sync sync;
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	sync = sync_of(s.fresh, SIGNAL, 0);
	sync.reserved = 1;
	bad_sync(&b, sync, -EINVAL);
	sync = sync_of(s.done, 0, 0);
	sync.reserved = ~0ull;
	bad_sync(&b, sync, -EINVAL);
	sync = sync_of(s.tl, TIMELINE, 1);
	sync.reserved = 1;
	bad_sync(&b, sync, -EINVAL);
	bad_syncs_end(&b, &s);
}

/*
 * bind-bad-sync-handle: a syncobj handle the file does not have (never
 * created, destroyed, 0) is -ENOENT, on a signal and on a wait.
 */
static void test_bind_bad_sync_handle(void)
{
	uint32_t handles[3];
	struct bad_syncs s;
	struct bad b;
	int i;

	bad_syncs_begin(&b, &s);
	handles[0] = s.tl + 100;
	handles[1] = syncobj_create(b.fd, 0);
	syncobj_destroy(b.fd, handles[1]);
	handles[2] = 0;
	for (i = 0; i < 3; i++) {
		bad_sync(&b, sync_of(handles[i], SIGNAL, 0), -ENOENT);
		bad_sync(&b, sync_of(handles[i], 0, 0), -ENOENT);
		bad_sync(&b, sync_of(handles[i], SIGNAL | TIMELINE, 2), -ENOENT);
	}
	bad_syncs_end(&b, &s);
}

/*
 * bind-bad-in-sync-no-fence: an in-sync must have a fence when the ioctl
 * is made: a binary syncobj never signalled, one signalled then reset,
 * and a timeline point not yet submitted are -EINVAL.
 */
static void test_bind_bad_in_sync_no_fence(void)
{
	struct bad_syncs s;
	uint32_t reset;
	struct bad b;

	bad_syncs_begin(&b, &s);
	reset = syncobj_create(b.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_err(__syncobj_reset(b.fd, reset), 0);
	bad_sync(&b, sync_of(s.fresh, 0, 0), -EINVAL);
	bad_sync(&b, sync_of(reset, 0, 0), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 2), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 100), -EINVAL);
	bad_syncs_end(&b, &s);
}

static const struct igt_subtest subtests[] = {
	{ "query-va-layout", test_query_va_layout,
	  "The device query describes a sane VA layout and page sizes." },
	{ "vm-create-destroy", test_vm_create_destroy,
	  "VM ids start at 1; a destroyed VM is -ENOENT everywhere and leaves debugfs." },
	{ "vm-many", test_vm_many,
	  "64 VMs in one file, each with its own mapping, independent of each other." },
	{ "vm-close-file-destroys", test_vm_close_file_destroys,
	  "Closing a file destroys its VMs and no other file's." },
	{ "vm-destroy-mapped", test_vm_destroy_mapped,
	  "Destroying a VM with mappings leaves its objects valid and mappable." },
	{ "private-bo", test_private_bo,
	  "A VM-private object maps in its VM only, and nowhere once it is gone." },
	{ "private-bo-no-export", test_private_bo_no_export,
	  "A VM-private object cannot be exported with PRIME." },
	{ "bind-unbind-matrix", test_bind_unbind_matrix,
	  "MAP, remap, partial UNMAP, PREFETCH and UNMAP for every region list." },
	{ "bind-va-limits", test_bind_va_limits,
	  "Mappings at VA 0 and ending at va_kernel_start are accepted." },
	{ "bind-ops-in-order", test_bind_ops_in_order,
	  "The operations of one bind apply in array order." },
	{ "unmap-empty", test_unmap_empty,
	  "UNMAP of a range without mappings succeeds and changes nothing." },
	{ "partial-unbind-front", test_partial_unbind_front,
	  "UNMAP of the front of a mapping leaves its back, offset advanced." },
	{ "partial-unbind-back", test_partial_unbind_back,
	  "UNMAP of the back of a mapping leaves its front." },
	{ "partial-unbind-middle", test_partial_unbind_middle,
	  "UNMAP of the middle of a mapping leaves two pieces." },
	{ "unmap-spanning", test_unmap_spanning,
	  "One UNMAP across several mappings and holes trims and removes exactly." },
	{ "map-over-middle", test_map_over_middle,
	  "MAP over the middle of a mapping replaces that part only." },
	{ "map-over-spanning", test_map_over_spanning,
	  "MAP across several mappings replaces exactly the overlapped parts." },
	{ "map-replace", test_map_replace,
	  "MAP over exactly or around a mapping replaces it." },
	{ "many-mappings-one-bo", test_many_mappings_one_bo,
	  "256 mappings of one object in one bind, then half of them unmapped." },
	{ "bind-1gib", test_bind_1gib,
	  "1 GiB of VA mapped by one object sixteen times, then unmapped at once." },
	{ "large-pages", test_large_pages,
	  "2 MiB, 64 KiB and 4 KiB device pages as VA, placement and extent allow." },
	{ "large-pages-split", test_large_pages_split,
	  "Large pages split and come back as later binds change the mappings." },
	{ "prefetch", test_prefetch,
	  "PREFETCH moves the objects mapped in the range, and only those." },
	{ "sync-signal-out", test_sync_signal_out,
	  "A synchronous bind signals its binary and timeline out-syncs before returning." },
	{ "async-chain-binary", test_async_chain_binary,
	  "Asynchronous binds chained through binary syncobjs all complete." },
	{ "async-chain-timeline", test_async_chain_timeline,
	  "Asynchronous binds chained through timeline points all complete." },
	{ "async-order", test_async_order,
	  "Binds of one VM complete in the order they were made." },
	{ "async-waits-in-fence", test_async_waits_in_fence,
	  "An asynchronous bind returns at once and completes after its in-fence." },
	{ "sync-waits-in-fence", test_sync_waits_in_fence,
	  "A synchronous bind waits for its in-fence." },
	{ "all-or-nothing", test_all_or_nothing,
	  "A bind with one bad operation or sync changes nothing." },
	{ "two-file-isolation", test_two_file_isolation,
	  "VM ids and handles of one file mean nothing in another." },
	{ "bind-strides", test_bind_strides,
	  "Op and sync strides larger or smaller than this uAPI's are honoured." },
	{ "evict-rebind", test_evict_rebind,
	  "After eviction, the next bind brings mapped objects back and remaps them." },
	{ "bind-threads-pressure", test_bind_threads_pressure,
	  "Concurrent binds of VRAM-only objects under pressure all succeed." },
	{ "vm-create-bad-extensions", test_vm_create_bad_extensions,
	  "VM_CREATE with nonzero extensions is -EINVAL." },
	{ "vm-create-bad-flags", test_vm_create_bad_flags,
	  "VM_CREATE with any flag is -EINVAL." },
	{ "vm-create-bad-vm-id", test_vm_create_bad_vm_id,
	  "VM_CREATE with a nonzero vm_id (an output) is -EINVAL." },
	{ "vm-create-bad-reserved", test_vm_create_bad_reserved,
	  "VM_CREATE with nonzero reserved words is -EINVAL." },
	{ "vm-destroy-bad-id", test_vm_destroy_bad_id,
	  "VM_DESTROY of an id never created is -ENOENT." },
	{ "vm-destroy-bad-other-file", test_vm_destroy_bad_other_file,
	  "VM_DESTROY of another file's VM id is -ENOENT." },
	{ "vm-destroy-bad-destroyed", test_vm_destroy_bad_destroyed,
	  "VM_DESTROY of a destroyed VM is -ENOENT." },
	{ "vm-destroy-bad-extensions", test_vm_destroy_bad_extensions,
	  "VM_DESTROY with nonzero extensions is -EINVAL and destroys nothing." },
	{ "vm-destroy-bad-pad", test_vm_destroy_bad_pad,
	  "VM_DESTROY with a nonzero pad is -EINVAL and destroys nothing." },
	{ "vm-destroy-bad-reserved", test_vm_destroy_bad_reserved,
	  "VM_DESTROY with nonzero reserved words is -EINVAL and destroys nothing." },
	{ "gem-create-bad-vm-id", test_gem_create_bad_vm_id,
	  "GEM_CREATE private to a VM id never created is -ENOENT." },
	{ "gem-create-bad-vm-other-file", test_gem_create_bad_vm_other_file,
	  "GEM_CREATE private to another file's VM id is -ENOENT." },
	{ "gem-create-bad-vm-destroyed", test_gem_create_bad_vm_destroyed,
	  "GEM_CREATE private to a destroyed VM is -ENOENT." },
	{ "bind-bad-vm-id", test_bind_bad_vm_id,
	  "VM_BIND of a VM id never created is -ENOENT." },
	{ "bind-bad-vm-other-file", test_bind_bad_vm_other_file,
	  "VM_BIND of another file's VM id is -ENOENT." },
	{ "bind-bad-vm-destroyed", test_bind_bad_vm_destroyed,
	  "VM_BIND of a destroyed VM is -ENOENT." },
	{ "bind-bad-flags", test_bind_bad_flags,
	  "VM_BIND flags other than ASYNC are -EINVAL." },
	{ "bind-bad-extensions", test_bind_bad_extensions,
	  "VM_BIND with nonzero extensions is -EINVAL." },
	{ "bind-bad-reserved", test_bind_bad_reserved,
	  "VM_BIND with nonzero reserved words is -EINVAL." },
	{ "bind-bad-num-ops-zero", test_bind_bad_num_ops_zero,
	  "VM_BIND without operations is -EINVAL." },
	{ "bind-bad-num-ops-too-many", test_bind_bad_num_ops_too_many,
	  "VM_BIND takes 1024 operations; 1025 are -EINVAL." },
	{ "bind-bad-num-syncs", test_bind_bad_num_syncs,
	  "VM_BIND takes 64 syncs; 65 are -EINVAL." },
	{ "bind-bad-op-stride", test_bind_bad_op_stride,
	  "An op_stride of 0 or not a multiple of 8 is -EINVAL." },
	{ "bind-bad-sync-stride", test_bind_bad_sync_stride,
	  "A sync_stride of 0 or not a multiple of 8 is -EINVAL." },
	{ "bind-bad-op-stride-tail", test_bind_bad_op_stride_tail,
	  "Op bytes beyond the kernel's structure must be zero." },
	{ "bind-bad-sync-stride-tail", test_bind_bad_sync_stride_tail,
	  "Sync bytes beyond the kernel's structure must be zero." },
	{ "bind-bad-ops-pointer", test_bind_bad_ops_pointer,
	  "An unreadable ops array is -EFAULT and maps nothing." },
	{ "bind-bad-syncs-pointer", test_bind_bad_syncs_pointer,
	  "An unreadable syncs array is -EFAULT and signals nothing." },
	{ "bind-bad-op", test_bind_bad_op,
	  "An unknown operation is -EINVAL." },
	{ "bind-bad-op-flags", test_bind_bad_op_flags,
	  "Operation flags other than READ_ONLY are -EINVAL." },
	{ "bind-bad-read-only-non-map", test_bind_bad_read_only_non_map,
	  "READ_ONLY on UNMAP or PREFETCH is -EINVAL." },
	{ "bind-bad-unaligned-addr", test_bind_bad_unaligned_addr,
	  "An address not a multiple of 4 KiB is -EINVAL." },
	{ "bind-bad-unaligned-range", test_bind_bad_unaligned_range,
	  "A range not a multiple of 4 KiB is -EINVAL." },
	{ "bind-bad-unaligned-offset", test_bind_bad_unaligned_offset,
	  "An object offset not a multiple of 4 KiB is -EINVAL." },
	{ "bind-bad-zero-range", test_bind_bad_zero_range,
	  "An empty range is -EINVAL." },
	{ "bind-bad-wrap", test_bind_bad_wrap,
	  "A range wrapping past 2^64 is -EINVAL." },
	{ "bind-bad-kernel-range", test_bind_bad_kernel_range,
	  "A range reaching va_kernel_start or beyond is -EINVAL." },
	{ "bind-bad-obj-range", test_bind_bad_obj_range,
	  "A MAP beyond the object's end is -EINVAL." },
	{ "bind-bad-unused-handle", test_bind_bad_unused_handle,
	  "A handle on UNMAP or PREFETCH is -EINVAL." },
	{ "bind-bad-unused-region", test_bind_bad_unused_region,
	  "A region on MAP or UNMAP is -EINVAL." },
	{ "bind-bad-unused-offset", test_bind_bad_unused_offset,
	  "An object offset on UNMAP or PREFETCH is -EINVAL." },
	{ "bind-bad-op-reserved", test_bind_bad_op_reserved,
	  "An operation with nonzero reserved words is -EINVAL." },
	{ "bind-bad-handle", test_bind_bad_handle,
	  "A MAP of a handle the file does not have is -ENOENT." },
	{ "bind-bad-handle-other-file", test_bind_bad_handle_other_file,
	  "A MAP of another file's handle is -ENOENT." },
	{ "bind-bad-private-other-vm", test_bind_bad_private_other_vm,
	  "A MAP of an object private to another VM is -EINVAL." },
	{ "bind-bad-system-only", test_bind_bad_system_only,
	  "A MAP of a SYSTEM-only object is -EINVAL." },
	{ "bind-bad-prefetch-system", test_bind_bad_prefetch_system,
	  "PREFETCH to a SYSTEM region is -EINVAL." },
	{ "bind-bad-prefetch-region", test_bind_bad_prefetch_region,
	  "PREFETCH to a region a mapped object does not allow is -EINVAL." },
	{ "bind-bad-prefetch-unknown-region", test_bind_bad_prefetch_unknown_region,
	  "PREFETCH to a region id the device does not have is -EINVAL." },
	{ "bind-bad-sync-flags", test_bind_bad_sync_flags,
	  "Sync flags other than SIGNAL and TIMELINE are -EINVAL." },
	{ "bind-bad-sync-timeline-point-zero", test_bind_bad_sync_timeline_point_zero,
	  "A TIMELINE sync with point 0 is -EINVAL." },
	{ "bind-bad-sync-binary-point", test_bind_bad_sync_binary_point,
	  "A binary sync with a nonzero point is -EINVAL." },
	{ "bind-bad-sync-reserved", test_bind_bad_sync_reserved,
	  "A sync with a nonzero reserved word is -EINVAL." },
	{ "bind-bad-sync-handle", test_bind_bad_sync_handle,
	  "A syncobj handle the file does not have is -ENOENT." },
	{ "bind-bad-in-sync-no-fence", test_bind_bad_in_sync_no_fence,
	  "An in-sync without a fence is -EINVAL." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "GPU virtual address spaces of vdgpu: VM create and "
		       "destroy, private objects, VM_BIND map, unmap and "
		       "prefetch, syncs, and the arguments refused.",
		       subtests, ARRAY_SIZE(subtests));
}
