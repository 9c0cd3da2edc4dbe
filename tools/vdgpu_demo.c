// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_demo: several clients overcommitting the VRAM of one vdgpu device.
 *
 * The parent forks CLIENTS processes (3 by default).  Each one opens the
 * render node, creates a VM and buffer objects adding up to its share of
 * twice the usable VRAM (-x), writes every dword of them through mmap(),
 * binds them, creates an exec queue on the compute engine and, in ROUNDS
 * rounds, submits batches of STORE_DWORD that write one dword into every
 * 4 KiB page of every object.  Its objects are of three kinds:
 *
 *   hot     VRAM only, private to the VM: together the clients' hot
 *           objects do not fit in VRAM, so before a client's batch runs
 *           the kernel must evict other clients' objects and bring this
 *           VM's back (revalidation);
 *   warm    VRAM first, GTT when VRAM is full: they stay wherever eviction
 *           left them, and their page tables are rewritten;
 *   shared  one warm object per client, exported with PRIME to the next
 *           client, which maps it in its own VM and stores into its second
 *           half; both list it for implicit synchronisation.
 *
 * The clients wait for every batch of a round and meet on a barrier
 * between rounds, so every round has them competing for VRAM again.
 * After the last round, with every client still alive and VRAM full, the
 * parent takes its snapshots: debugfs regions, vms and vram_map (written
 * to DIR/vram_map.txt for scripts/vram-map), and each client's fdinfo.
 * Then each client reads back every dword it expects, in its own objects
 * and in the one it imported: the CPU's pattern everywhere except the
 * dwords the batches stored.  The parent prints what happened: objects,
 * regions, eviction and copy counters, fdinfo, VMs, error_state and the
 * verdict of every client.
 *
 * Usage: vdgpu_demo [-c CLIENTS] [-r ROUNDS] [-x PERCENT] [-d DIR]
 *                   [-t SECONDS]
 * Needs root (debugfs; without it the summary leaves those parts out).
 * "make run" runs it in the VM with vram_size=64 visible_vram_size=32.
 *
 * Exit status: 0 if every client verified its data, 1 otherwise or if
 * there is no vdgpu device, 2 on usage errors.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_dev.h"

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)
#define SZ_4K		(4 * KIB)
#define SZ_64K		(64 * KIB)
#define SZ_2M		(2 * MIB)
#define NSEC_PER_MSEC	1000000ll
#define NSEC_PER_SEC	1000000000ll

#define MAX_CLIENTS	8
#define MAX_ROUNDS	8
#define MAX_OBJECTS	64
#define DWORDS_PER_PAGE	(SZ_4K / 4)

/* Where a client maps: its objects from DATA_VA, the import, its batches. */
#define DATA_VA		(1 * GIB)
#define IMPORT_VA	(3 * GIB)
#define BATCH_VA	(4 * GIB)
#define VA_NEEDED	(8 * GIB)

/* The shared object: 2 MiB, the first half the owner's, the second its importer's. */
#define SHARED_SIZE	(2 * MIB)
/* Objects of one EXEC, and how long a round's batches may take. */
#define OBJS_PER_EXEC	3
#define ROUND_WAIT_NS	(120 * NSEC_PER_SEC)
/* How long the clients get to stop by themselves after one failed. */
#define STOP_GRACE_NS	(10 * NSEC_PER_SEC)

/*
 * The batch command set of the hardware manual (vdgpu_regs.h, DOC
 * "Packets" and "Batches", rendered in hardware.rst): a header dword with
 * the opcode in [31:24], flags in [23:16] and the payload length in dwords
 * in [15:0], then the payload.  STORE_DWORD: address low, address high,
 * value.
 */
#define CMD_HDR(op, len)	((uint32_t)(op) << 24 | (uint32_t)(len))
#define CMD_STORE_DWORD		0x06
#define   CMD_STORE_DWORD_LEN	3
#define STORE_BYTES		((1 + CMD_STORE_DWORD_LEN) * 4)

enum obj_kind { OBJ_SHARED, OBJ_HOT, OBJ_WARM, NUM_KINDS };

static const char *const kind_names[NUM_KINDS] = { "shared", "hot", "warm" };

/* What a client tells the parent, in memory shared by all processes. */
#define FDINFO_MAX	2048
#define MSG_MAX		256

struct client_report {
	pid_t pid;
	uint32_t objects[NUM_KINDS];
	uint64_t bytes[NUM_KINDS];
	uint32_t execs;
	uint64_t stores;
	int exported_to;	/* client index, or -1 */
	int imported_from;	/* client index, or -1 */
	char fdinfo[FDINFO_MAX];	/* the drm-* lines, while VRAM was full */
	uint64_t checked;	/* dwords read back */
	uint64_t bad;		/* of which wrong */
	int verified;		/* every dword as expected */
	char error[MSG_MAX];
};

/*
 * The barriers, each used once: setup done, each round done, VRAM full
 * (the clients' fdinfo written, the parent takes its snapshots), snapshots
 * taken.  The parent is one of the parties.
 */
#define BARRIER_SETUP		0
#define BARRIER_ROUND(r)	(1 + (r))
#define BARRIER_FULL		(1 + MAX_ROUNDS)
#define BARRIER_RELEASE		(2 + MAX_ROUNDS)
#define NUM_BARRIERS		(3 + MAX_ROUNDS)

struct shared_state {
	int abort;
	unsigned int arrived[NUM_BARRIERS];
	struct client_report clients[MAX_CLIENTS];
};

/* The run's settings, the same in every process. */
static struct {
	unsigned int clients;
	unsigned int rounds;
	unsigned int percent;
	const char *dir;
	unsigned int timeout_s;
	uint64_t vram;		/* usable VRAM */
	uint64_t visible;	/* usable CPU-visible VRAM */
	uint64_t hot;		/* bytes of hot objects per client */
	uint64_t warm;		/* bytes of warm objects per client, shared one included */
} cfg = {
	.clients = 3,
	.rounds = 4,
	.percent = 200,
	.dir = ".",
	.timeout_s = 240,
};

static struct shared_state *shm;
static pid_t pids[MAX_CLIENTS];
static int64_t deadline_ns;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Record how client @i ended if it ended badly. */
static void note_exit(unsigned int i, int status)
{
	char *msg = shm->clients[i].error;

	if (WIFSIGNALED(status)) {
		/* Our SIGKILL says nothing new; the client's own error does. */
		if (!msg[0] || WTERMSIG(status) != SIGKILL)
			snprintf(msg, MSG_MAX, "killed by signal %d (%s)%s%s",
				 WTERMSIG(status), strsignal(WTERMSIG(status)),
				 msg[0] ? " after: " : "", msg[0] ? msg : "");
		shm->clients[i].verified = 0;
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		shm->clients[i].verified = 0;
	}
}

static bool aborted(void)
{
	return __atomic_load_n(&shm->abort, __ATOMIC_SEQ_CST);
}

static void set_abort(void)
{
	__atomic_store_n(&shm->abort, 1, __ATOMIC_SEQ_CST);
}

/* ------------------------------------------------------------------------
 * What the batches store, and what the CPU wrote
 */

static uint32_t mix(uint64_t x)
{
	x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdull;
	x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* The CPU's pattern: dword @i of object @obj of client @owner. */
static inline uint32_t cpu_value(uint32_t owner, uint32_t obj, uint64_t i)
{
	return ((owner + 1) * 0x01000193u) ^ (obj * 0x9e3779b9u) ^
	       ((uint32_t)i * 0x85ebca6bu);
}

/* Where in its page round @round stores into page @page, in dwords. */
static inline uint32_t slot_of(uint32_t obj, uint32_t page, uint32_t round)
{
	uint32_t span = DWORDS_PER_PAGE / cfg.rounds;

	return round * span + (obj * 131 + page * 17 + round * 29) % span;
}

static inline uint32_t gpu_value(uint32_t owner, uint32_t obj, uint32_t page,
				 uint32_t round)
{
	return mix((uint64_t)(owner + 1) << 48 | (uint64_t)obj << 40 |
		   (uint64_t)page << 8 | round) | 1;
}

/* ------------------------------------------------------------------------
 * The uAPI: tools do not link the test library, so these are plain
 * wrappers returning 0 or a negative errno.
 */

static int xioctl(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

static int query(int fd, uint32_t item, void *data, uint32_t size)
{
	struct drm_vdgpu_query q = {
		.query = item,
		.size = size,
		.data = (uintptr_t)data,
	};

	return xioctl(fd, DRM_IOCTL_VDGPU_QUERY, &q);
}

/* Usable and CPU-visible bytes of the VRAM region. */
static int query_vram(int fd, uint64_t *total, uint64_t *visible)
{
	struct drm_vdgpu_query q = { .query = DRM_VDGPU_QUERY_MEM_REGIONS };
	struct drm_vdgpu_query_mem_regions *mr;
	uint32_t i;
	int ret;

	ret = xioctl(fd, DRM_IOCTL_VDGPU_QUERY, &q);
	if (ret)
		return ret;
	mr = calloc(1, q.size);
	if (!mr)
		return -ENOMEM;
	ret = query(fd, DRM_VDGPU_QUERY_MEM_REGIONS, mr, q.size);
	for (i = 0; !ret && i < mr->num_regions; i++) {
		const struct drm_vdgpu_mem_region *r = (const void *)
			((const char *)mr->regions + (size_t)i * mr->region_size);

		if (r->id == DRM_VDGPU_REGION_VRAM0) {
			*total = r->total_size;
			*visible = r->cpu_visible_size;
			free(mr);
			return 0;
		}
	}
	free(mr);
	return ret ? ret : -ENODEV;
}

static int gem_create(int fd, uint64_t size, const uint32_t *regions,
		      uint32_t num_regions, uint32_t vm_id, uint32_t *handle)
{
	struct drm_vdgpu_gem_create c = {
		.size = size,
		.regions = (uintptr_t)regions,
		.num_regions = num_regions,
		.vm_id = vm_id,
	};
	int ret = xioctl(fd, DRM_IOCTL_VDGPU_GEM_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

/* A shared read-write mapping of the whole object, or NULL with errno. */
static void *gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	struct drm_vdgpu_gem_mmap_offset mo = { .handle = handle };
	void *ptr;
	int ret;

	ret = xioctl(fd, DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET, &mo);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	return ptr == MAP_FAILED ? NULL : ptr;
}

static int vm_create(int fd, uint32_t *vm_id)
{
	struct drm_vdgpu_vm_create c = { };
	int ret = xioctl(fd, DRM_IOCTL_VDGPU_VM_CREATE, &c);

	if (!ret)
		*vm_id = c.vm_id;
	return ret;
}

static int vm_bind(int fd, uint32_t vm_id, const struct drm_vdgpu_vm_bind_op *ops,
		   uint32_t num_ops)
{
	struct drm_vdgpu_vm_bind b = {
		.vm_id = vm_id,
		.num_ops = num_ops,
		.op_stride = sizeof(*ops),
		.ops = (uintptr_t)ops,
		.sync_stride = sizeof(struct drm_vdgpu_sync),
	};

	return xioctl(fd, DRM_IOCTL_VDGPU_VM_BIND, &b);
}

static int exec_queue_create(int fd, uint32_t vm_id, uint32_t *queue_id)
{
	struct drm_vdgpu_exec_queue_create c = {
		.vm_id = vm_id,
		.engine_class = DRM_VDGPU_ENGINE_CLASS_COMPUTE,
		.priority = DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
	};
	int ret = xioctl(fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE, &c);

	if (!ret)
		*queue_id = c.queue_id;
	return ret;
}

static int exec_batch(int fd, uint32_t queue_id, uint64_t addr, uint32_t len,
		      uint32_t out_syncobj, const uint32_t *handles,
		      uint32_t num_handles)
{
	struct drm_vdgpu_sync sync = {
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = out_syncobj,
	};
	struct drm_vdgpu_exec e = {
		.queue_id = queue_id,
		.flags = num_handles ? DRM_VDGPU_EXEC_IMPLICIT_SYNC : 0,
		.batch_addr = addr,
		.batch_len = len,
		.num_syncs = 1,
		.syncs = (uintptr_t)&sync,
		.sync_stride = sizeof(sync),
		.num_handles = num_handles,
		.handles = (uintptr_t)handles,
	};

	return xioctl(fd, DRM_IOCTL_VDGPU_EXEC, &e);
}

/* ------------------------------------------------------------------------
 * Processes: barriers, and passing a dma-buf to the next client
 */

/*
 * Wait until every party has arrived at barrier @b.  The parent also
 * watches its children and the deadline, and stops the run when a child
 * dies early or time runs out.  Returns false if the run was stopped.
 */
static bool barrier_wait(unsigned int b, bool parent)
{
	unsigned int parties = cfg.clients + 1, i;

	__atomic_add_fetch(&shm->arrived[b], 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&shm->arrived[b], __ATOMIC_SEQ_CST) < parties) {
		if (aborted())
			return false;
		if (parent) {
			for (i = 0; i < cfg.clients; i++) {
				int status;

				if (pids[i] > 0 &&
				    waitpid(pids[i], &status, WNOHANG) == pids[i]) {
					pids[i] = -pids[i];
					note_exit(i, status);
					if (!shm->clients[i].error[0])
						snprintf(shm->clients[i].error, MSG_MAX,
							 "exited early (status %d)",
							 WEXITSTATUS(status));
					set_abort();
				}
			}
			if (now_ns() > deadline_ns) {
				printf("demo: no progress within %u s, stopping the clients\n",
				       cfg.timeout_s);
				set_abort();
			}
		}
		sleep_ms(parent ? 10 : 2);
	}
	return !aborted();
}

static int send_fd(int sock, int fd)
{
	char byte = fd >= 0 ? 'F' : 'N';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* The fd the previous client sent; -EPIPE if it sent none or went away. */
static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *c;
	int fd;

	while (poll(&pfd, 1, 100) == 0 || (pfd.revents & POLLIN) == 0) {
		if (aborted())
			return -ECANCELED;
		if (pfd.revents & (POLLHUP | POLLERR))
			return -EPIPE;
	}
	if (recvmsg(sock, &msg, 0) != 1)
		return -EPIPE;
	c = CMSG_FIRSTHDR(&msg);
	if (byte != 'F' || !c || c->cmsg_type != SCM_RIGHTS)
		return -EPIPE;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* ------------------------------------------------------------------------
 * A client
 */

struct object {
	enum obj_kind kind;
	uint32_t handle;
	uint64_t size;
	uint64_t va;
	uint32_t owner, id;		/* whose values it holds */
	uint32_t first_page, num_pages;	/* the pages this client stores into */
	bool implicit;			/* listed with IMPLICIT_SYNC */
	bool own;			/* created by this client */
};

struct exec_plan {
	uint32_t offset, len;		/* in the batch object */
	uint32_t num_handles;
	uint32_t handles[OBJS_PER_EXEC];
};

struct client {
	unsigned int idx;
	struct client_report *rep;
	int fd;
	int send_sock, recv_sock;
	uint32_t vm, queue;
	struct object objs[MAX_OBJECTS + 1];
	unsigned int num_objs;
	uint32_t batch_bo;
	uint64_t batch_size;
	struct exec_plan *execs;	/* rounds * execs_per_round */
	unsigned int execs_per_round;
	uint64_t rng;
};

static bool client_fail(struct client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool client_fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->rep->error[0]) {
		va_start(ap, fmt);
		vsnprintf(c->rep->error, MSG_MAX, fmt, ap);
		va_end(ap);
	}
	set_abort();
	return false;
}

static uint32_t client_random(struct client *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng >> 32;
}

/*
 * Relative object sizes: a mix, some not powers of two, so that the buddy
 * allocator splits blocks and the picture shows it.  They are scaled so
 * that a client has about OBJS_PER_CLIENT objects (for 64 MiB of VRAM and
 * three clients, 256 KiB to 4 MiB).  Each client starts at its own place
 * in the list.
 */
static const uint32_t size_pattern[] = {
	16, 4, 8, 2, 12, 1, 6, 16, 3, 8,
};
#define SIZE_PATTERN_SUM	76
#define OBJS_PER_CLIENT		24

static uint64_t next_size(struct client *c, unsigned int n, uint64_t left)
{
	uint64_t unit = (cfg.hot + cfg.warm) * ARRAY_SIZE(size_pattern) /
			(OBJS_PER_CLIENT * SIZE_PATTERN_SUM);
	uint64_t size = size_pattern[(c->idx * 3 + n) % ARRAY_SIZE(size_pattern)];

	size = (size * unit) & ~(SZ_64K - 1);
	if (size < SZ_64K)
		size = SZ_64K;
	return size < left ? size : left;
}

static bool client_add(struct client *c, enum obj_kind kind, uint64_t size)
{
	static const uint32_t vram_gtt[] = { DRM_VDGPU_REGION_VRAM0,
					     DRM_VDGPU_REGION_GTT };
	struct object *o = &c->objs[c->num_objs];
	uint64_t va = DATA_VA;
	int ret;

	if (c->num_objs >= MAX_OBJECTS)
		return client_fail(c, "more than %d objects", MAX_OBJECTS);
	if (c->num_objs) {
		const struct object *prev = &c->objs[c->num_objs - 1];

		va = (prev->va + prev->size + SZ_2M - 1) & ~(SZ_2M - 1);
	}
	ret = gem_create(c->fd, size, vram_gtt, kind == OBJ_HOT ? 1 : 2,
			 kind == OBJ_HOT ? c->vm : 0, &o->handle);
	if (ret)
		return client_fail(c, "GEM_CREATE of %" PRIu64 " KiB (%s): %s",
				   size / KIB, kind_names[kind], strerror(-ret));
	o->kind = kind;
	o->size = size;
	o->va = va;
	o->owner = c->idx;
	o->id = c->num_objs;
	o->first_page = 0;
	o->num_pages = size / SZ_4K;
	o->own = true;
	/* The importer stores into the second half of the shared object. */
	if (kind == OBJ_SHARED && cfg.clients > 1) {
		o->num_pages /= 2;
		o->implicit = true;
	}
	c->num_objs++;
	c->rep->objects[kind]++;
	c->rep->bytes[kind] += size;
	return true;
}

/* Write the CPU's pattern into every dword of @o. */
static bool client_fill(struct client *c, const struct object *o)
{
	uint32_t *map = gem_mmap(c->fd, o->handle, o->size);
	uint64_t i, n = o->size / 4;

	if (!map)
		return client_fail(c, "mmap of object %u: %s", o->id,
				   strerror(errno));
	for (i = 0; i < n; i++)
		map[i] = cpu_value(o->owner, o->id, i);
	munmap(map, o->size);
	return true;
}

static bool client_share(struct client *c)
{
	int ret, dmabuf;

	/* Hand the shared object to the next client... */
	ret = drmPrimeHandleToFD(c->fd, c->objs[0].handle, DRM_CLOEXEC, &dmabuf);
	if (ret) {
		send_fd(c->send_sock, -1);
		return client_fail(c, "PRIME export: %s", strerror(errno));
	}
	ret = send_fd(c->send_sock, dmabuf);
	close(dmabuf);
	if (ret)
		return client_fail(c, "sending the dma-buf: %s", strerror(-ret));
	c->rep->exported_to = (c->idx + 1) % cfg.clients;
	return true;
}

static bool client_import(struct client *c)
{
	unsigned int from = (c->idx + cfg.clients - 1) % cfg.clients;
	struct object *o = &c->objs[c->num_objs];
	uint32_t handle;
	int dmabuf;

	/* ...and take the previous one's. */
	dmabuf = recv_fd(c->recv_sock);
	if (dmabuf < 0)
		return client_fail(c, "no dma-buf from client %u: %s", from,
				   strerror(-dmabuf));
	if (drmPrimeFDToHandle(c->fd, dmabuf, &handle)) {
		close(dmabuf);
		return client_fail(c, "PRIME import: %s", strerror(errno));
	}
	close(dmabuf);
	*o = (struct object){
		.kind = OBJ_SHARED,
		.handle = handle,
		.size = SHARED_SIZE,
		.va = IMPORT_VA,
		.owner = from,
		.id = 0,
		.first_page = SHARED_SIZE / SZ_4K / 2,
		.num_pages = SHARED_SIZE / SZ_4K / 2,
		.implicit = true,
	};
	c->num_objs++;
	c->rep->imported_from = from;
	return true;
}

static bool client_bind(struct client *c)
{
	struct drm_vdgpu_vm_bind_op ops[MAX_OBJECTS + 2] = { };
	unsigned int i;
	int ret;

	for (i = 0; i < c->num_objs; i++) {
		ops[i].op = DRM_VDGPU_VM_BIND_OP_MAP;
		ops[i].handle = c->objs[i].handle;
		ops[i].addr = c->objs[i].va;
		ops[i].range = c->objs[i].size;
	}
	ops[i].op = DRM_VDGPU_VM_BIND_OP_MAP;
	ops[i].handle = c->batch_bo;
	ops[i].addr = BATCH_VA;
	ops[i].range = c->batch_size;
	ret = vm_bind(c->fd, c->vm, ops, c->num_objs + 1);
	if (ret)
		return client_fail(c, "VM_BIND of %u objects: %s", c->num_objs + 1,
				   strerror(-ret));
	return true;
}

/*
 * Write every batch of every round into the batch object: in each round,
 * the objects in a random order, OBJS_PER_EXEC to a batch, one
 * STORE_DWORD into each page the client stores into.
 */
static bool client_plan(struct client *c)
{
	static const uint32_t gtt[] = { DRM_VDGPU_REGION_GTT };
	unsigned int order[MAX_OBJECTS + 1], r, i, j, k, n = 0;
	uint64_t pages = 0, used = 0;
	uint32_t *map;
	int ret;

	for (i = 0; i < c->num_objs; i++)
		pages += c->objs[i].num_pages;
	c->execs_per_round = (c->num_objs + OBJS_PER_EXEC - 1) / OBJS_PER_EXEC;
	c->batch_size = cfg.rounds * (pages * STORE_BYTES +
				      c->execs_per_round * 64ull);
	c->batch_size = (c->batch_size + SZ_64K - 1) & ~(SZ_64K - 1);
	c->execs = calloc(cfg.rounds * c->execs_per_round, sizeof(*c->execs));
	if (!c->execs)
		return client_fail(c, "out of memory");
	ret = gem_create(c->fd, c->batch_size, gtt, 1, 0, &c->batch_bo);
	if (ret)
		return client_fail(c, "GEM_CREATE of the batches: %s",
				   strerror(-ret));
	map = gem_mmap(c->fd, c->batch_bo, c->batch_size);
	if (!map)
		return client_fail(c, "mmap of the batches: %s", strerror(errno));

	for (r = 0; r < cfg.rounds; r++) {
		for (i = 0; i < c->num_objs; i++)
			order[i] = i;
		for (i = c->num_objs; i > 1; i--) {
			unsigned int t;

			j = client_random(c) % i;
			t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		for (i = 0; i < c->num_objs; i += OBJS_PER_EXEC, n++) {
			struct exec_plan *e = &c->execs[n];
			uint32_t *b = map + used / 4, len = 0;

			e->offset = used;
			for (j = i; j < i + OBJS_PER_EXEC && j < c->num_objs; j++) {
				const struct object *o = &c->objs[order[j]];

				for (k = o->first_page;
				     k < o->first_page + o->num_pages; k++) {
					uint64_t va = o->va + (uint64_t)k * SZ_4K +
						slot_of(o->id, k, r) * 4;

					b[len++] = CMD_HDR(CMD_STORE_DWORD,
							   CMD_STORE_DWORD_LEN);
					b[len++] = (uint32_t)va;
					b[len++] = (uint32_t)(va >> 32);
					b[len++] = gpu_value(o->owner, o->id, k, r);
				}
				if (o->implicit)
					e->handles[e->num_handles++] = o->handle;
				c->rep->stores += o->num_pages;
			}
			e->len = len * 4;
			used = (used + e->len + 63) & ~63ull;
		}
	}
	munmap(map, c->batch_size);
	return true;
}

static bool client_setup(struct client *c)
{
	uint64_t left, size;
	unsigned int n = 0, i;
	int ret;

	c->fd = vdgpu_dev_open(VDGPU_DRIVER_NAME, VDGPU_NODE_RENDER, NULL, 0);
	if (c->fd < 0)
		return client_fail(c, "no render node: %s", strerror(-c->fd));
	ret = vm_create(c->fd, &c->vm);
	if (ret)
		return client_fail(c, "VM_CREATE: %s", strerror(-ret));

	/* The shared object first, so that the next client can go on. */
	if (!client_add(c, OBJ_SHARED, SHARED_SIZE) ||
	    !client_fill(c, &c->objs[0]))
		return false;
	if (cfg.clients > 1 && !client_share(c))
		return false;

	for (left = cfg.hot; left >= SZ_64K; left -= size) {
		size = next_size(c, n++, left);
		if (!client_add(c, OBJ_HOT, size))
			return false;
	}
	for (left = cfg.warm - SHARED_SIZE; left >= SZ_64K; left -= size) {
		size = next_size(c, n++, left);
		if (!client_add(c, OBJ_WARM, size))
			return false;
	}
	for (i = 1; i < c->num_objs; i++)
		if (!client_fill(c, &c->objs[i]))
			return false;

	if (cfg.clients > 1 && !client_import(c))
		return false;
	if (!client_plan(c) || !client_bind(c))
		return false;
	ret = exec_queue_create(c->fd, c->vm, &c->queue);
	if (ret)
		return client_fail(c, "EXEC_QUEUE_CREATE: %s", strerror(-ret));
	return true;
}

/* Submit round @r and wait for all of it. */
static bool client_round(struct client *c, unsigned int r)
{
	uint32_t syncobjs[MAX_OBJECTS], first;
	unsigned int i, n = c->execs_per_round;
	int ret = 0;

	for (i = 0; i < n; i++) {
		const struct exec_plan *e = &c->execs[r * n + i];

		if (drmSyncobjCreate(c->fd, 0, &syncobjs[i])) {
			ret = -errno;
			break;
		}
		ret = exec_batch(c->fd, c->queue, BATCH_VA + e->offset, e->len,
				 syncobjs[i], e->handles, e->num_handles);
		if (ret) {
			i++;
			break;
		}
		c->rep->execs++;
	}
	if (!ret && drmSyncobjWait(c->fd, syncobjs, n, now_ns() + ROUND_WAIT_NS,
				   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, &first))
		ret = -errno;
	while (i--)
		drmSyncobjDestroy(c->fd, syncobjs[i]);
	if (ret)
		return client_fail(c, "round %u, after %u EXECs: %s", r + 1,
				   c->rep->execs, strerror(-ret));
	return true;
}

/* The drm-* lines of our fdinfo: memory per region, engine time. */
static void client_fdinfo(struct client *c)
{
	char path[64], line[256];
	size_t used = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", c->fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		if (strncmp(line, "drm-", 4) || used + len >= FDINFO_MAX)
			continue;
		memcpy(c->rep->fdinfo + used, line, len);
		used += len;
	}
	c->rep->fdinfo[used] = '\0';
	fclose(f);
}

/* Read back every dword of @o: the CPU's pattern but where rounds stored. */
static bool client_check(struct client *c, const struct object *o)
{
	const uint32_t *map = gem_mmap(c->fd, o->handle, o->size);
	uint32_t pages = o->size / SZ_4K, p, d, r, slots[MAX_ROUNDS];

	if (!map)
		return client_fail(c, "mmap of object %u for reading: %s", o->id,
				   strerror(errno));
	for (p = 0; p < pages; p++) {
		const uint32_t *page = map + (uint64_t)p * DWORDS_PER_PAGE;
		uint64_t base = (uint64_t)p * DWORDS_PER_PAGE;

		for (r = 0; r < cfg.rounds; r++)
			slots[r] = slot_of(o->id, p, r);
		for (d = 0; d < DWORDS_PER_PAGE; d++) {
			uint32_t want = cpu_value(o->owner, o->id, base + d);

			for (r = 0; r < cfg.rounds; r++)
				if (d == slots[r])
					want = gpu_value(o->owner, o->id, p, r);
			if (page[d] == want)
				continue;
			if (!c->rep->bad)
				snprintf(c->rep->error, MSG_MAX,
					 "client %u's object %u (%s, %" PRIu64 " KiB) page %u dword %u is %#010x, expected %#010x",
					 o->owner, o->id, kind_names[o->kind],
					 o->size / KIB, p, d, page[d], want);
			c->rep->bad++;
		}
	}
	c->rep->checked += o->size / 4;
	munmap((void *)map, o->size);
	return true;
}

static int client_main(unsigned int idx, int send_sock, int recv_sock)
{
	struct client c = {
		.idx = idx,
		.rep = &shm->clients[idx],
		.fd = -1,
		.send_sock = send_sock,
		.recv_sock = recv_sock,
		.rng = 0x9e3779b97f4a7c15ull * (idx + 1),
	};
	unsigned int r, i;
	bool ok;

	c.rep->pid = getpid();
	c.rep->exported_to = -1;
	c.rep->imported_from = -1;

	ok = client_setup(&c);
	ok = barrier_wait(BARRIER_SETUP, false) && ok;
	for (r = 0; ok && r < cfg.rounds; r++)
		ok = client_round(&c, r) && barrier_wait(BARRIER_ROUND(r), false);
	if (ok) {
		client_fdinfo(&c);
		ok = barrier_wait(BARRIER_FULL, false) &&
		     barrier_wait(BARRIER_RELEASE, false);
	}
	for (i = 0; ok && i < c.num_objs; i++)
		ok = client_check(&c, &c.objs[i]);
	c.rep->verified = ok && !c.rep->bad && c.rep->checked;
	if (!ok && !c.rep->error[0])
		snprintf(c.rep->error, MSG_MAX, "stopped: another client failed");
	free(c.execs);
	if (c.fd >= 0)
		close(c.fd);
	return c.rep->verified ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * The parent: the device, the snapshots and the summary
 */

static char debugfs_dir[PATH_MAX];

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-c CLIENTS] [-r ROUNDS] [-x PERCENT] [-d DIR] [-t SECONDS]\n"
		"Fork CLIENTS (default 3, at most %d) GPU clients whose objects add up\n"
		"to PERCENT (default 200) of the usable VRAM; each writes its objects\n"
		"through mmap, binds them in its VM, shares one with the next client\n"
		"over PRIME and runs ROUNDS (default 4, at most %d) rounds of\n"
		"STORE_DWORD batches into every page, then checks every dword.\n"
		"While VRAM is full, debugfs vram_map is copied to DIR/vram_map.txt\n"
		"(default: the current directory) for scripts/vram-map.  The run is\n"
		"stopped after SECONDS (default 240) without progress.  Needs root\n"
		"for debugfs.  Exit status 0 if every client verified its data.\n",
		prog, MAX_CLIENTS, MAX_ROUNDS);
}

static bool parse_uint(const char *s, unsigned int min, unsigned int max,
		       unsigned int *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*val = v;
	return true;
}

/* The whole of a debugfs file, malloc()ed and NUL-terminated, or NULL. */
static char *read_debugfs(const char *name)
{
	char path[PATH_MAX + 32], *buf = NULL, *tmp;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if (!debugfs_dir[0])
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", debugfs_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			tmp = realloc(buf, cap);
			if (!tmp) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = tmp;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The number after "@key=" in @text (at a word start), or -1. */
static int64_t kv(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (text && (p = strstr(p, key))) {
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') && p[klen] == '=')
			return strtoll(p + klen + 1, NULL, 10);
		p += klen;
	}
	return -1;
}

/* The value of an fdinfo key in bytes ("<n>", "<n> KiB", "<n> MiB") or ns. */
static int64_t fdinfo_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;
	char *end;
	int64_t v;

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n') && p[klen] == ':') {
			v = strtoll(p + klen + 1, &end, 10);
			while (*end == ' ')
				end++;
			if (!strncmp(end, "KiB", 3))
				v *= KIB;
			else if (!strncmp(end, "MiB", 3))
				v *= MIB;
			return v;
		}
		p += klen;
	}
	return -1;
}

static void print_size(uint64_t bytes, int width)
{
	if (bytes >= MIB || !bytes)
		printf("%*.1f MiB", width, (double)bytes / MIB);
	else
		printf("%*.0f KiB", width, (double)bytes / KIB);
}

static void show_device(int fd, const char *primary)
{
	static const char *const params[] = {
		"vram_size", "visible_vram_size", "gart_size",
	};
	drmVersionPtr v = drmGetVersion(fd);
	char bus[64], render[PATH_MAX];
	unsigned int i;

	printf("vdgpu demo\n");
	if (v) {
		printf("  driver          %s %d.%d.%d, %s\n", v->name,
		       v->version_major, v->version_minor,
		       v->version_patchlevel, v->desc);
		drmFreeVersion(v);
	}
	if (vdgpu_dev_bus_name(fd, bus, sizeof(bus)))
		snprintf(bus, sizeof(bus), "?");
	if (vdgpu_dev_sibling(fd, VDGPU_NODE_RENDER, render, sizeof(render), NULL))
		snprintf(render, sizeof(render), "(none)");
	printf("  device          %s: %s, %s\n", bus, primary, render);
	printf("  parameters     ");
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		char value[64];

		if (vdgpu_module_param_str(params[i], value, sizeof(value)))
			snprintf(value, sizeof(value), "?");
		printf(" %s=%s%s", params[i], value,
		       strcmp(value, "0") ? " MiB" : " (all)");
	}
	printf("\n");
}

static bool find_debugfs(int fd)
{
	char *slash;

	if (vdgpu_debugfs_mount() ||
	    vdgpu_regions_path(fd, debugfs_dir, sizeof(debugfs_dir)))
		goto none;
	slash = strrchr(debugfs_dir, '/');
	if (!slash)
		goto none;
	*slash = '\0';
	if (access(debugfs_dir, R_OK | X_OK))
		goto none;
	return true;
none:
	debugfs_dir[0] = '\0';
	printf("  debugfs         not readable (not root?): the summary leaves out\n"
	       "                  regions, counters, VMs, error_state and vram_map\n");
	return false;
}

/* The memory manager's counters, as "memory" and "migrate" print them. */
struct counters {
	bool valid;
	int64_t evictions, purges, vram_to_gtt, gtt_to_vram, vram_to_vram;
	int64_t vram_cleared, swapped_out, swapped_in;
	int64_t copied, cleared, jobs;
};

static void read_counters(struct counters *k)
{
	char *mem = read_debugfs("memory"), *mig = read_debugfs("migrate");
	char *line, *save = NULL;

	memset(k, 0, sizeof(*k));
	if (!mem || !mig)
		goto out;
	k->valid = true;
	k->evictions = kv(mem, "evictions");
	k->purges = kv(mem, "purges");
	k->vram_to_gtt = kv(mem, "vram_to_gtt");
	k->gtt_to_vram = kv(mem, "gtt_to_vram");
	k->vram_to_vram = kv(mem, "vram_to_vram");
	k->vram_cleared = kv(mem, "vram_cleared");
	k->swapped_out = kv(mem, "swapped_out");
	k->swapped_in = kv(mem, "swapped_in");
	/* One line per copy engine: "<name> copied=.. cleared=.. jobs=..". */
	for (line = strtok_r(mig, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (kv(line, "copied") < 0)
			continue;
		k->copied += kv(line, "copied");
		k->cleared += kv(line, "cleared");
		k->jobs += kv(line, "jobs");
	}
out:
	free(mem);
	free(mig);
}

static void print_round(const char *what, const struct counters *a,
			const struct counters *b)
{
	printf("  %-14s", what);
	if (!a->valid || !b->valid) {
		printf("\n");
		return;
	}
	printf(" %5" PRId64 " evictions, ", b->evictions - a->evictions);
	print_size(b->vram_to_gtt - a->vram_to_gtt, 0);
	printf(" VRAM->GTT, ");
	print_size(b->gtt_to_vram - a->gtt_to_vram, 0);
	printf(" into VRAM\n");
}

static void show_regions(void)
{
	char *text = read_debugfs("regions"), *line, *save = NULL;

	if (!text)
		return;
	printf("\nMemory regions while VRAM is full (debugfs regions)\n");
	printf("  %-8s %12s %12s %14s\n", "region", "usable", "used",
	       "visible used");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32] = "?";
		const char *n = strstr(line, "name=");
		int64_t usable = kv(line, "usable"), used = kv(line, "used");
		int64_t vis = kv(line, "usable_visible");
		int64_t vis_used = kv(line, "visible_used");

		if (n)
			sscanf(n, "name=%31s", name);
		printf("  %-8s ", name);
		print_size(usable, 8);
		printf(" ");
		print_size(used, 8);
		if (vis >= 0 && vis != usable) {
			printf(" ");
			print_size(vis_used, 6);
			printf(" of ");
			print_size(vis, 0);
		}
		if (usable > 0)
			printf("  (%.0f%% used)", 100.0 * used / usable);
		printf("\n");
	}
	free(text);
}

/* Bytes of drm-<stat>-<region> for each of @regions, as "a/b/c MiB". */
static void fdinfo_mib(const char *text, const char *stat,
		       const char *const *regions, unsigned int n,
		       char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;
	char key[64];
	int64_t v;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		snprintf(key, sizeof(key), "drm-%s-%s", stat, regions[i]);
		v = fdinfo_value(text, key);
		used += snprintf(buf + used, len - used, "%s%.1f", i ? "/" : "",
				 v < 0 ? 0.0 : (double)v / MIB);
	}
	if (used < len)
		snprintf(buf + used, len - used, " MiB");
}

static void show_fdinfo(void)
{
	static const char *const regions[] = { "vram0", "gtt", "system" };
	char total[48], resident[48], shared[48];
	unsigned int i;

	printf("\nClients while VRAM is full (/proc/<pid>/fdinfo/<render fd>)\n");
	printf("  %-6s %6s %6s  %-22s %-18s %-18s %s\n", "client", "pid",
	       "drm-id", "total vram0/gtt/sys", "resident vram0/gtt",
	       "shared vram0/gtt", "compute");
	for (i = 0; i < cfg.clients; i++) {
		const struct client_report *rep = &shm->clients[i];
		const char *t = rep->fdinfo;
		int64_t busy;

		if (!t[0]) {
			printf("  %-6u %6d   (no fdinfo)\n", i, rep->pid);
			continue;
		}
		fdinfo_mib(t, "total", regions, 3, total, sizeof(total));
		fdinfo_mib(t, "resident", regions, 2, resident, sizeof(resident));
		fdinfo_mib(t, "shared", regions, 2, shared, sizeof(shared));
		busy = fdinfo_value(t, "drm-engine-compute");
		printf("  %-6u %6d %6" PRId64 "  %-22s %-18s %-18s %.1f ms\n", i,
		       rep->pid, fdinfo_value(t, "drm-client-id"), total, resident,
		       shared, busy < 0 ? 0.0 : (double)busy / NSEC_PER_MSEC);
	}
}

/* The header of every VM, and the first mappings of the first one. */
static void show_vms(void)
{
	char *text = read_debugfs("vms"), *line, *save = NULL;
	unsigned int vms = 0, shown = 0, hidden = 0;

	if (!text)
		return;
	printf("\nVMs (debugfs vms, excerpt)\n");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "client ", 7)) {
			if (hidden)
				printf("      ... %u more mappings\n", hidden);
			hidden = 0;
			shown = 0;
			vms++;
			printf("  %s\n", line);
		} else if (vms == 1 && shown < 4) {
			printf("    %s\n", line);
			shown++;
		} else {
			hidden++;
		}
	}
	if (hidden)
		printf("      ... %u more mappings\n", hidden);
	if (!vms)
		printf("  (none)\n");
	free(text);
}

/* Lines of a vram_map snapshot that describe a block. */
static unsigned int count_blocks(const char *text)
{
	unsigned int n = 0;

	for (; text && *text; text = strchrnul(text, '\n'), text += !!*text)
		n += !strncmp(text, "0x", 2);
	return n;
}

/*
 * Copy debugfs vram_map to DIR/vram_map.txt, with the clients' names.
 * Returns true if it did; @where says where, or why not.
 */
static bool snapshot_vram_map(char *where, size_t len)
{
	char *text = read_debugfs("vram_map");
	char path[PATH_MAX];
	unsigned int i;
	bool ret;
	FILE *f;

	where[0] = '\0';
	if (!debugfs_dir[0])
		return false;
	if (!text) {
		snprintf(where, len, "%s/vram_map: %s%s", debugfs_dir,
			 strerror(errno), errno == ENOENT ?
			 " (this driver has no VRAM map)" : "");
		return false;
	}
	snprintf(path, sizeof(path), "%s/vram_map.txt", cfg.dir);
	f = fopen(path, "w");
	if (!f) {
		snprintf(where, len, "cannot write %s: %s", path, strerror(errno));
		free(text);
		return false;
	}
	fputs(text, f);
	/* Comments for scripts/vram-map's legend. */
	for (i = 0; i < cfg.clients; i++) {
		int64_t id = fdinfo_value(shm->clients[i].fdinfo, "drm-client-id");

		if (id > 0)
			fprintf(f, "# label client=%" PRId64 " demo client %u (pid %d)\n",
				id, i, shm->clients[i].pid);
	}
	ret = !fclose(f);
	if (ret)
		snprintf(where, len, "%s (%u blocks)", path, count_blocks(text));
	else
		snprintf(where, len, "cannot write %s: %s", path, strerror(errno));
	free(text);
	return ret;
}

static void show_counters(const struct counters *a, const struct counters *b)
{
	if (!a->valid || !b->valid)
		return;
	printf("\nMemory manager during the demo (debugfs memory, migrate)\n");
	printf("  evictions       %" PRId64 " (purges %" PRId64 ")\n",
	       b->evictions - a->evictions, b->purges - a->purges);
	printf("  moved           ");
	print_size(b->vram_to_gtt - a->vram_to_gtt, 0);
	printf(" VRAM->GTT, ");
	print_size(b->gtt_to_vram - a->gtt_to_vram, 0);
	printf(" into VRAM, ");
	print_size(b->vram_to_vram - a->vram_to_vram, 0);
	printf(" VRAM->VRAM\n");
	printf("  VRAM cleared    ");
	print_size(b->vram_cleared - a->vram_cleared, 0);
	printf("\n  swapped         %" PRId64 " pages out, %" PRId64 " in\n",
	       b->swapped_out - a->swapped_out, b->swapped_in - a->swapped_in);
	printf("  copy engines    ");
	print_size(b->copied - a->copied, 0);
	printf(" copied, ");
	print_size(b->cleared - a->cleared, 0);
	printf(" cleared, %" PRId64 " jobs\n", b->jobs - a->jobs);
}

static void show_error_state(void)
{
	char *text = read_debugfs("error_state"), *line, *save = NULL;
	unsigned int n = 0;

	if (!text)
		return;
	printf("\nGPU errors (debugfs error_state)\n");
	for (line = strtok_r(text, "\n", &save); line && n < 8;
	     line = strtok_r(NULL, "\n", &save), n++)
		printf("  %s%s\n", line, !strcmp(line, "errors 0") ?
		       " (no batch faulted or hung)" : "");
	free(text);
}

static void show_results(void)
{
	unsigned int i;

	printf("\nResults\n");
	printf("  %-6s %5s %5s %8s %8s %8s  %s\n", "client", "execs", "objs",
	       "stores", "checked", "wrong", "verdict");
	for (i = 0; i < cfg.clients; i++) {
		const struct client_report *rep = &shm->clients[i];
		unsigned int objs = rep->objects[OBJ_SHARED] + rep->objects[OBJ_HOT] +
				    rep->objects[OBJ_WARM] + (rep->imported_from >= 0);

		printf("  %-6u %5u %5u %8" PRIu64 " ", i, rep->execs, objs,
		       rep->stores);
		print_size(rep->checked * 4, 4);
		printf(" %8" PRIu64 "  %s\n", rep->bad,
		       rep->verified ? "ok, every dword as expected" : "FAILED");
		if (rep->error[0])
			printf("         %s\n", rep->error);
	}
}

/* Split the usable VRAM budget into each client's hot and warm bytes. */
static void plan_sizes(void)
{
	uint64_t per_client = cfg.vram * cfg.percent / 100 / cfg.clients;

	/*
	 * The hot objects of all clients add up to 9/8 of VRAM, so they
	 * never all fit, but one client's (at most half of VRAM) always do.
	 */
	cfg.hot = cfg.vram * 9 / 8 / cfg.clients;
	if (cfg.hot > cfg.vram / 2)
		cfg.hot = cfg.vram / 2;
	cfg.hot &= ~(SZ_64K - 1);
	per_client &= ~(SZ_64K - 1);
	if (per_client < cfg.hot + SHARED_SIZE)
		per_client = cfg.hot + SHARED_SIZE;
	cfg.warm = per_client - cfg.hot;
}

static void kill_clients(void)
{
	unsigned int i;

	for (i = 0; i < cfg.clients; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
}

int main(int argc, char **argv)
{
	int socks[MAX_CLIENTS][2], fd, rfd, opt, ret;
	char primary[PATH_MAX], where[PATH_MAX + 128];
	struct counters c0, c1, prev, cur;
	unsigned int i, r, ok = 0;
	bool all_ok, snapshot = false;
	int64_t t0;

	while ((opt = getopt(argc, argv, "c:r:x:d:t:h")) != -1) {
		switch (opt) {
		case 'c':
			if (!parse_uint(optarg, 1, MAX_CLIENTS, &cfg.clients))
				goto bad_usage;
			break;
		case 'r':
			if (!parse_uint(optarg, 1, MAX_ROUNDS, &cfg.rounds))
				goto bad_usage;
			break;
		case 'x':
			if (!parse_uint(optarg, 10, 400, &cfg.percent))
				goto bad_usage;
			break;
		case 'd':
			cfg.dir = optarg;
			break;
		case 't':
			if (!parse_uint(optarg, 10, 3600, &cfg.timeout_s))
				goto bad_usage;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			goto bad_usage;
		}
	}
	if (optind != argc)
		goto bad_usage;

	fd = vdgpu_dev_open(VDGPU_DRIVER_NAME, VDGPU_NODE_PRIMARY,
			    primary, sizeof(primary));
	if (fd < 0) {
		fprintf(stderr, "%s: no %s device: %s\n", argv[0],
			VDGPU_DRIVER_NAME, fd == -ENODEV ?
			"no such DRM node in " VDGPU_DRI_DIR
			" (is the module loaded?)" : strerror(-fd));
		return 1;
	}
	show_device(fd, primary);
	find_debugfs(fd);

	rfd = vdgpu_dev_open(VDGPU_DRIVER_NAME, VDGPU_NODE_RENDER, NULL, 0);
	if (rfd < 0) {
		fprintf(stderr, "%s: no render node: %s\n", argv[0], strerror(-rfd));
		return 1;
	}
	{
		struct drm_vdgpu_query_device dev = { };

		ret = query(rfd, DRM_VDGPU_QUERY_DEVICE, &dev, sizeof(dev));
		if (ret || dev.uapi_minor < 3 || dev.va_kernel_start < VA_NEEDED) {
			fprintf(stderr, "%s: the device needs uAPI 1.3 and %" PRIu64 " GiB of VA (%s)\n",
				argv[0], VA_NEEDED / GIB,
				ret ? strerror(-ret) : "too old");
			return 1;
		}
	}
	ret = query_vram(rfd, &cfg.vram, &cfg.visible);
	close(rfd);
	if (ret) {
		fprintf(stderr, "%s: no VRAM region: %s\n", argv[0], strerror(-ret));
		return 1;
	}
	plan_sizes();
	printf("  VRAM            ");
	print_size(cfg.vram, 0);
	printf(" usable, ");
	print_size(cfg.visible, 0);
	printf(" of it CPU-visible\n");
	printf("\n%u clients, each with ", cfg.clients);
	print_size(cfg.hot, 0);
	printf(" of hot objects (VRAM only) and ");
	print_size(cfg.warm, 0);
	printf(" of warm ones\n(VRAM, else GTT), one of them shared over PRIME: ");
	print_size((cfg.hot + cfg.warm) * cfg.clients, 0);
	printf(" in all, %.1fx VRAM.\n%u rounds of STORE_DWORD batches, one dword into every page per round.\n",
	       (double)(cfg.hot + cfg.warm) * cfg.clients / cfg.vram, cfg.rounds);

	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < cfg.clients; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks[i])) {
			perror("socketpair");
			return 1;
		}
	}

	read_counters(&c0);
	prev = c0;
	t0 = now_ns();
	deadline_ns = t0 + (int64_t)cfg.timeout_s * NSEC_PER_SEC;
	fflush(stdout);
	for (i = 0; i < cfg.clients; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			set_abort();
			break;
		}
		if (!pids[i]) {
			unsigned int prev_client = (i + cfg.clients - 1) % cfg.clients;
			unsigned int j;

			/* Socket i goes from client i to client i + 1. */
			for (j = 0; j < cfg.clients; j++) {
				if (j != i)
					close(socks[j][0]);
				if (j != prev_client)
					close(socks[j][1]);
			}
			close(fd);
			_exit(client_main(i, socks[i][0], socks[prev_client][1]));
		}
	}
	for (i = 0; i < cfg.clients; i++) {
		close(socks[i][0]);
		close(socks[i][1]);
	}

	printf("\nProgress (memory manager counters, debugfs memory)\n");
	if (barrier_wait(BARRIER_SETUP, true)) {
		read_counters(&cur);
		print_round("setup", &prev, &cur);
		prev = cur;
	}
	for (r = 0; r < cfg.rounds && !aborted(); r++) {
		char what[32];

		if (!barrier_wait(BARRIER_ROUND(r), true))
			break;
		deadline_ns = now_ns() + (int64_t)cfg.timeout_s * NSEC_PER_SEC;
		read_counters(&cur);
		snprintf(what, sizeof(what), "round %u/%u", r + 1, cfg.rounds);
		print_round(what, &prev, &cur);
		prev = cur;
	}
	where[0] = '\0';
	if (!aborted() && barrier_wait(BARRIER_FULL, true)) {
		/* Every client alive, its objects where the last round left them. */
		snapshot = snapshot_vram_map(where, sizeof(where));
		show_regions();
		show_fdinfo();
		show_vms();
		barrier_wait(BARRIER_RELEASE, true);
	}
	/*
	 * The clients read back their objects, then exit; after a failure
	 * they stop at their next barrier, or are killed.
	 */
	if (aborted())
		deadline_ns = now_ns() + STOP_GRACE_NS;
	for (i = 0; i < cfg.clients; i++) {
		int status;

		while (pids[i] > 0) {
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				pids[i] = -pids[i];
				note_exit(i, status);
				break;
			}
			if (now_ns() > deadline_ns) {
				if (aborted())
					printf("demo: clients still running after the failure, killing them\n");
				else
					printf("demo: clients still checking after %u s, killing them\n",
					       cfg.timeout_s);
				kill_clients();
				deadline_ns = INT64_MAX;
			}
			sleep_ms(10);
		}
	}
	read_counters(&c1);
	show_counters(&c0, &c1);
	show_error_state();
	show_results();

	for (i = 0; i < cfg.clients; i++)
		ok += shm->clients[i].verified;
	all_ok = ok == cfg.clients && !aborted();
	printf("\nVRAM picture: ");
	if (snapshot)
		printf("snapshot of debugfs vram_map in %s\n"
		       "  draw it with scripts/vram-map -o vram-map.png <snapshot>;"
		       " make run does, into results/vm-run/vram-map.png\n", where);
	else if (where[0])
		printf("no snapshot, %s\n", where);
	else
		printf("no snapshot (%s)\n", debugfs_dir[0] ? "the run stopped early" :
		       "no debugfs");
	printf("\ndemo: %s: %u of %u clients verified every dword, in %.1f s\n",
	       all_ok ? "PASS" : "FAIL", ok, cfg.clients,
	       (double)(now_ns() - t0) / NSEC_PER_SEC);
	close(fd);
	return all_ok ? 0 : 1;

bad_usage:
	usage(stderr, argv[0]);
	return 2;
}
