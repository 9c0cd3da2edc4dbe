// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_evict: eviction end to end, in the spirit of i915's
 * gem_lmem_swapping and xe_evict.  Buffer objects overcommit VRAM, each
 * holding a pseudo-random pattern in every byte; they are read back and
 * rewritten through CPU mappings, pass after pass in random order, while
 * new objects keep evicting old ones out of VRAM.  Around that: objects
 * marked DONTNEED purged instead of moved, the shrinker purging and
 * swapping system pages out to shmem (with drop_caches and under real
 * memory pressure with a zram swap device), faults moving objects into a
 * small CPU-visible window, several processes at once, and suspend.
 *
 * This uAPI version has no command submission, so nothing brings an
 * evicted object back into VRAM: the churn comes from new objects, which
 * are always placed in VRAM first (evicting the least recently used ones),
 * and from CPU faults on objects the CPU cannot reach.  Eviction is
 * checked, not assumed: the driver's debugfs counters (``memory``:
 * evictions, purges, bytes moved per direction, the shrinker's pages;
 * ``migrate``: bytes per copy engine) must show at least the moves that
 * the sizes make unavoidable, so a subtest fails if eviction silently did
 * not happen.  Without debugfs the subtests skip.
 *
 * Each subtest reloads the module with a small VRAM (lib/vdgpu_kmod.h),
 * so that overcommitting it stays cheap under QEMU without KVM, and puts
 * the original parameters back at the end whatever happens.  Needs root.
 *
 * Randomness comes from the harness's seed (IGT_SRANDOM, printed at the
 * start): each subtest prints the seed it derives, and the same
 * IGT_SRANDOM replays the same sizes, orders and patterns.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define SYSTEM		DRM_VDGPU_REGION_SYSTEM
#define GTT		DRM_VDGPU_REGION_GTT
#define VRAM		DRM_VDGPU_REGION_VRAM0

#define KIB		((uint64_t)1024)
#define MIB		((uint64_t)VDGPU_MIB)
#define NSEC_PER_SEC	1000000000ll

/* Module configurations the subtests reload with. */
#define PARAMS_64	"vram_size=64 visible_vram_size=64 gart_size=64"
#define PARAMS_16	"vram_size=16 visible_vram_size=16 gart_size=16"
#define PARAMS_SMALL_BAR "vram_size=64 visible_vram_size=16 gart_size=64"
#define PARAMS_SHRINK	"vram_size=16 visible_vram_size=16 gart_size=32"

/* Copy operations this large use both copy engines (vdgpu_migrate.c). */
#define MIGRATE_SPLIT	(4 * MIB)

static const uint32_t vram_only[] = { VRAM };
static const uint32_t vram_gtt[] = { VRAM, GTT };
static const uint32_t system_only[] = { SYSTEM };
static const uint32_t gtt_only[] = { GTT };

static uint64_t page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_s(void)
{
	return vdgpu_now_ns() / 1e9;
}

/*
 * Randomness: splitmix64 seeded from the harness's random(), so that
 * IGT_SRANDOM replays a run and forked children can derive their own
 * streams.
 */
static uint64_t rng_state;

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_next(void)
{
	rng_state += 0x9e3779b97f4a7c15ull;
	return mix64(rng_state);
}

/* Uniform in [lo, hi]. */
static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
	return lo + rng_next() % (hi - lo + 1);
}

static void rng_init(void)
{
	uint64_t seed = ((uint64_t)random() << 31) ^ (uint64_t)random();

	rng_state = seed;
	igt_info("seed %#" PRIx64 " (from IGT_SRANDOM)\n", seed);
}

static void shuffle(unsigned int *order, unsigned int n)
{
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		j = rng_next() % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/*
 * A size between @min and @max, log-uniform so that a wide range gets
 * small objects as often as large ones, page aligned.
 */
static uint64_t pick_size(uint64_t min, uint64_t max)
{
	unsigned int lo = 63 - __builtin_clzll(min), hi = 63 - __builtin_clzll(max);
	unsigned int shift = rng_range(lo, hi);
	uint64_t size = (1ull << shift) + rng_range(0, (1ull << shift) - 1);

	size &= ~(page_size() - 1);
	if (size < min)
		size = min;
	if (size > max)
		size = max;
	return size;
}

/*
 * Process state a failing subtest must not leave behind: the mapping in
 * use (it would hold the DRM file open and keep the module from
 * unloading) and forked children.  One cleanup handler for both, pushed
 * right after vdgpu_kmod_prepare()'s so that it runs first.  Children
 * drop the handlers they inherit (drop_inherited_cleanups()).
 */
#define MAX_CHILDREN	16

static struct {
	void *map;
	uint64_t map_size;
	pid_t children[MAX_CHILDREN];
	unsigned int num_children;
	unsigned int cleanups;	/* handlers this process pushed */
} proc;

static void reap_children(void)
{
	unsigned int i;

	for (i = 0; i < proc.num_children; i++) {
		if (proc.children[i] <= 0)
			continue;
		kill(proc.children[i], SIGKILL);
		while (waitpid(proc.children[i], NULL, 0) < 0 && errno == EINTR)
			;
		proc.children[i] = 0;
	}
	proc.num_children = 0;
}

static void process_cleanup(void *data)
{
	(void)data;
	reap_children();
	if (proc.map) {
		munmap(proc.map, proc.map_size);
		proc.map = NULL;
	}
}

static void push_cleanup(void (*fn)(void *), void *data)
{
	igt_cleanup_push(fn, data);
	proc.cleanups++;
}

/* In a forked child: the parent's handlers are the parent's business. */
static void drop_inherited_cleanups(void)
{
	while (proc.cleanups) {
		igt_cleanup_pop(false);
		proc.cleanups--;
	}
	proc.num_children = 0;
	proc.map = NULL;
}

static pid_t fork_child(void)
{
	pid_t pid;

	igt_assert_lt(proc.num_children, MAX_CHILDREN);
	fflush(NULL);
	pid = fork();
	igt_assert_f(pid >= 0, "fork: %s\n", strerror(errno));
	if (pid == 0) {
		drop_inherited_cleanups();
		return 0;
	}
	proc.children[proc.num_children++] = pid;
	return pid;
}

/* Wait for child @i; returns its wait status. */
static int wait_child(unsigned int i)
{
	int status;

	while (waitpid(proc.children[i], &status, 0) < 0)
		igt_assert_f(errno == EINTR, "waitpid: %s\n", strerror(errno));
	proc.children[i] = 0;
	return status;
}

/*
 * The driver's counters in debugfs, files of the DRM directory of the
 * primary node.
 */
enum {
	ST_EVICTIONS,
	ST_PURGES,
	ST_VRAM_TO_GTT,
	ST_GTT_TO_VRAM,
	ST_VRAM_TO_VRAM,
	ST_VRAM_CLEARED,
	ST_VRAM_CLEAR_SKIPPED,
	ST_SHRINKABLE,
	ST_PURGED,
	ST_SWAPPED_OUT,
	ST_SWAPPED_IN,
	NUM_STATS
};

static const char *const stat_names[NUM_STATS] = {
	[ST_EVICTIONS] = "evictions",
	[ST_PURGES] = "purges",
	[ST_VRAM_TO_GTT] = "vram_to_gtt",
	[ST_GTT_TO_VRAM] = "gtt_to_vram",
	[ST_VRAM_TO_VRAM] = "vram_to_vram",
	[ST_VRAM_CLEARED] = "vram_cleared",
	[ST_VRAM_CLEAR_SKIPPED] = "vram_clear_skipped",
	[ST_SHRINKABLE] = "shrinkable",
	[ST_PURGED] = "purged",
	[ST_SWAPPED_OUT] = "swapped_out",
	[ST_SWAPPED_IN] = "swapped_in",
};

struct mem_stats {
	int64_t v[NUM_STATS];
};

#define MIGRATE_MAX_ENGINES	4

struct migrate_stats {
	unsigned int engines;
	char name[MIGRATE_MAX_ENGINES][32];
	int64_t copied[MIGRATE_MAX_ENGINES];
	int64_t cleared[MIGRATE_MAX_ENGINES];
	int64_t jobs[MIGRATE_MAX_ENGINES];
	int64_t timeouts;
};

static char debugfs_dir[PATH_MAX];

static int read_debugfs(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", debugfs_dir, name);
	return vdgpu_read_file(path, buf, len);
}

/* Find the device's debugfs directory; skip without the counters. */
static void require_debugfs(int fd)
{
	unsigned int minor;
	char text[1024];
	int ret;

	ret = vdgpu_debugfs_mount();
	igt_require_f(ret == 0, "debugfs is not available at %s: %s\n",
		      VDGPU_DEBUGFS_ROOT, strerror(-ret));
	ret = vdgpu_dev_sibling(fd, VDGPU_NODE_PRIMARY, NULL, 0, &minor);
	igt_assert_f(ret == 0, "cannot find the primary node: %s\n",
		     strerror(-ret));
	snprintf(debugfs_dir, sizeof(debugfs_dir), "%s/dri/%u",
		 VDGPU_DEBUGFS_ROOT, minor);
	ret = read_debugfs("memory", text, sizeof(text));
	igt_require_f(ret >= 0,
		      "the eviction counters (%s/memory) are needed to tell that eviction happened: %s\n",
		      debugfs_dir, strerror(-ret));
	ret = read_debugfs("migrate", text, sizeof(text));
	igt_require_f(ret >= 0, "cannot read %s/migrate: %s\n", debugfs_dir,
		      strerror(-ret));
}

/* Parse "key=value" tokens; every counter must be there exactly once. */
static void read_mem_stats(struct mem_stats *s)
{
	char text[1024], copy[1024], *tok, *save;
	bool seen[NUM_STATS] = { false };
	int ret, i;

	ret = read_debugfs("memory", text, sizeof(text));
	igt_assert_f(ret >= 0, "cannot read %s/memory: %s\n", debugfs_dir,
		     strerror(-ret));
	snprintf(copy, sizeof(copy), "%s", text);
	for (tok = strtok_r(copy, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(tok, '='), *end;

		igt_assert_f(eq, "malformed token '%s' in memory:\n%s", tok, text);
		*eq = '\0';
		for (i = 0; i < NUM_STATS; i++) {
			if (strcmp(tok, stat_names[i]))
				continue;
			igt_assert_f(!seen[i], "%s twice in memory:\n%s", tok, text);
			errno = 0;
			s->v[i] = strtoll(eq + 1, &end, 10);
			igt_assert_f(!errno && end != eq + 1 && !*end,
				     "bad value for %s in memory:\n%s", tok, text);
			seen[i] = true;
		}
	}
	for (i = 0; i < NUM_STATS; i++) {
		igt_assert_f(seen[i], "no %s in memory:\n%s", stat_names[i], text);
		igt_assert_f(s->v[i] >= 0, "%s is negative in memory:\n%s",
			     stat_names[i], text);
	}
}

static void read_migrate_stats(struct migrate_stats *m)
{
	char text[2048], *line, *save;
	bool have_timeouts = false;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = read_debugfs("migrate", text, sizeof(text));
	igt_assert_f(ret >= 0, "cannot read %s/migrate: %s\n", debugfs_dir,
		     strerror(-ret));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long long copied, cleared, jobs, timeouts;
		char name[32];

		if (sscanf(line, "timeouts=%lld", &timeouts) == 1) {
			m->timeouts = timeouts;
			have_timeouts = true;
		} else if (sscanf(line, "%31s copied=%lld cleared=%lld jobs=%lld",
				  name, &copied, &cleared, &jobs) == 4) {
			igt_assert_lt(m->engines, MIGRATE_MAX_ENGINES);
			snprintf(m->name[m->engines], sizeof(m->name[0]), "%s", name);
			m->copied[m->engines] = copied;
			m->cleared[m->engines] = cleared;
			m->jobs[m->engines] = jobs;
			m->engines++;
		} else {
			igt_fail("malformed line in migrate: '%s'\n", line);
		}
	}
	igt_assert_f(have_timeouts && m->engines > 0,
		     "migrate lists %u engines%s\n", m->engines,
		     have_timeouts ? "" : " and no timeouts");
}

static int64_t migrate_copied(const struct migrate_stats *m)
{
	int64_t sum = 0;
	unsigned int i;

	for (i = 0; i < m->engines; i++)
		sum += m->copied[i];
	return sum;
}

static void log_stats_delta(const char *what, const struct mem_stats *a,
			    const struct mem_stats *b)
{
	char line[512];
	size_t used = 0;
	int i;

	for (i = 0; i < NUM_STATS; i++)
		used += snprintf(line + used, sizeof(line) - used, " %s=%+" PRId64,
				 stat_names[i], b->v[i] - a->v[i]);
	igt_info("%s:%s\n", what, line);
}

static int64_t stat_delta(const struct mem_stats *a, const struct mem_stats *b,
			  int stat)
{
	return b->v[stat] - a->v[stat];
}

/*
 * The device: reload the module with @params (restored at the end) and
 * open its render node.
 */
static int open_device(const char *params)
{
	int fd;

	vdgpu_kmod_prepare();
	push_cleanup(process_cleanup, NULL);
	igt_info("reloading vdgpu with %s\n", params);
	vdgpu_kmod_reload(params);
	fd = vdgpu_open_render();
	vdgpu_require_gem(fd);
	require_debugfs(fd);
	return fd;
}

/*
 * Contents: every 64-bit word of an object holds a value derived from the
 * object's current key and the word's index, so that a page that went to
 * the wrong object, the wrong offset, was lost (zeroes) or kept old
 * contents (the previous key) is told apart.
 */
static inline uint64_t pattern_word(uint64_t key, uint64_t index)
{
	uint64_t x = (index + key) * 0x9e3779b97f4a7c15ull;

	return x ^ (x >> 29);
}

struct ebo {
	uint32_t handle;
	uint32_t num_regions;
	const uint32_t *regions;
	uint32_t flags;
	uint64_t size;
	uint64_t key;		/* what it holds; 0: zeroes */
	uint64_t prev_key;	/* what it held before */
};

static uint64_t new_key(void)
{
	return rng_next() | 1;
}

static void *map_ebo(int fd, const struct ebo *bo)
{
	igt_assert(!proc.map);
	proc.map = vdgpu_gem_mmap(fd, bo->handle, bo->size);
	proc.map_size = bo->size;
	return proc.map;
}

static void unmap_ebo(void)
{
	igt_assert_eq(munmap(proc.map, proc.map_size), 0);
	proc.map = NULL;
}

static void fill_words(uint64_t *p, uint64_t size, uint64_t key)
{
	uint64_t i, n = size / sizeof(*p);

	for (i = 0; i < n; i++)
		p[i] = pattern_word(key, i);
}

static const char *guess_origin(const struct ebo *bo, uint64_t index,
				uint64_t got)
{
	if (!got)
		return "zero: contents lost";
	if (bo->prev_key && got == pattern_word(bo->prev_key, index))
		return "the previous contents: a write was lost";
	return "something else";
}

/* Every word holds the object's pattern, or is zero for a key of 0. */
static void check_words(const struct ebo *bo, const uint64_t *p,
			const char *what, unsigned int idx)
{
	uint64_t i, n = bo->size / sizeof(*p), bad = 0, first = 0;

	for (i = 0; i < n; i++) {
		uint64_t want = bo->key ? pattern_word(bo->key, i) : 0;

		if (p[i] == want)
			continue;
		if (!bad++)
			first = i;
	}
	if (!bad)
		return;
	{
		uint64_t want = bo->key ? pattern_word(bo->key, first) : 0;

		igt_fail("%s: object %u (handle %u, %" PRIu64 " KiB): %" PRIu64
			 " of %" PRIu64 " words wrong; first at offset %#" PRIx64
			 ": %#" PRIx64 ", expected %#" PRIx64 " (looks like %s)\n",
			 what, idx, bo->handle, bo->size / KIB, bad, n,
			 first * sizeof(*p), p[first], want,
			 guess_origin(bo, first, p[first]));
	}
}

static void ebo_write(int fd, struct ebo *bo, uint64_t key)
{
	uint64_t *p = map_ebo(fd, bo);

	bo->prev_key = bo->key;
	bo->key = key;
	fill_words(p, bo->size, key);
	unmap_ebo();
}

static void ebo_check(int fd, const struct ebo *bo, const char *what,
		      unsigned int idx)
{
	const uint64_t *p = map_ebo(fd, bo);

	check_words(bo, p, what, idx);
	unmap_ebo();
}

/* Check every byte, then write a new pattern, through one mapping. */
static void ebo_check_rewrite(int fd, struct ebo *bo, const char *what,
			      unsigned int idx)
{
	uint64_t *p = map_ebo(fd, bo);

	check_words(bo, p, what, idx);
	bo->prev_key = bo->key;
	bo->key = new_key();
	fill_words(p, bo->size, bo->key);
	unmap_ebo();
}

static uint32_t ebo_region(int fd, const struct ebo *bo)
{
	return vdgpu_gem_region(fd, bo->handle);
}

static struct drm_vdgpu_mem_region query_vram(int fd)
{
	struct drm_vdgpu_mem_region r;

	vdgpu_query_region(fd, VRAM, &r);
	igt_assert_f(r.used <= r.total_size,
		     "VRAM used %" PRIu64 " exceeds its size %" PRIu64 "\n",
		     (uint64_t)r.used, (uint64_t)r.total_size);
	igt_assert_lte_u64(r.cpu_visible_used, r.cpu_visible_size);
	return r;
}

/*
 * The eviction workload
 */

struct evict_cfg {
	const char *params;
	unsigned int percent;		/* objects in all, % of VRAM */
	uint64_t min_size, max_size;
	unsigned int passes;
	unsigned int flags;
#define CFG_SMALL_BAR	(1u << 0)	/* check fault moves into the window */
#define CFG_NO_COUNTERS	(1u << 1)	/* another process shares the device */
};

struct evict_state {
	int fd;
	const struct evict_cfg *cfg;
	struct ebo *bos;
	unsigned int count, max;
	uint64_t vram_size;
	uint64_t in_vram;	/* bytes placed in VRAM by their creation */
	uint64_t total;
	unsigned int forced;	/* creations that had to evict */
	unsigned int fault_moved;	/* objects a fault moved (small BAR) */
	uint64_t max_created;	/* largest object placed in VRAM */
};

/*
 * Create one object in @regions; single-process, when VRAM had less free
 * than the object needs, the creation must have evicted (or purged)
 * something: the counter says so.  Objects are always placed in VRAM
 * first (in a VRAM-then-GTT list too: the first region is tried with
 * eviction before the next).
 */
static void create_ebo(struct evict_state *st, struct ebo *bo, uint64_t size,
		       const uint32_t *regions, uint32_t num_regions)
{
	bool counters = !(st->cfg->flags & CFG_NO_COUNTERS);
	struct drm_vdgpu_mem_region vram = { 0 };
	struct mem_stats before, after;
	uint64_t visible = size;
	uint32_t region;

	memset(bo, 0, sizeof(*bo));
	bo->size = size;
	bo->regions = regions;
	bo->num_regions = num_regions;
	if (counters) {
		vram = query_vram(st->fd);
		read_mem_stats(&before);
	}
	bo->handle = vdgpu_gem_create(st->fd, size, regions, num_regions, 0);
	if (counters && (st->cfg->flags & CFG_SMALL_BAR))
		visible = query_vram(st->fd).cpu_visible_used - vram.cpu_visible_used;
	/* Another process may have evicted it already. */
	region = ebo_region(st->fd, bo);
	igt_assert_f(region == VRAM || !counters,
		     "a new %" PRIu64 " KiB object of a VRAM-first list went to %s, not VRAM\n",
		     size / KIB, vdgpu_region_name(region));
	st->in_vram += size;
	if (size > st->max_created)
		st->max_created = size;
	if (counters && vram.total_size - vram.used < size) {
		read_mem_stats(&after);
		igt_assert_f(stat_delta(&before, &after, ST_EVICTIONS) > 0,
			     "VRAM had %" PRIu64 " bytes free for a %" PRIu64
			     " byte object, yet nothing was evicted\n",
			     (uint64_t)(vram.total_size - vram.used), size);
		st->forced++;
	}
	if (visible >= size) {
		ebo_write(st->fd, bo, new_key());
		return;
	}

	/*
	 * Placed in VRAM but not wholly in the CPU-visible window: the CPU
	 * fault of the first write moves it, into the window if it has room,
	 * else out of VRAM, with a copy either way.
	 */
	read_mem_stats(&before);
	ebo_write(st->fd, bo, new_key());
	read_mem_stats(&after);
	region = ebo_region(st->fd, bo);
	igt_assert_f(stat_delta(&before, &after, ST_VRAM_TO_VRAM) +
		     stat_delta(&before, &after, ST_VRAM_TO_GTT) >= (int64_t)size,
		     "a %" PRIu64 " byte object outside the CPU-visible window was mapped, but only %" PRId64 " + %" PRId64 " bytes moved\n",
		     size, stat_delta(&before, &after, ST_VRAM_TO_VRAM),
		     stat_delta(&before, &after, ST_VRAM_TO_GTT));
	igt_assert_f(region != VRAM ||
		     stat_delta(&before, &after, ST_VRAM_TO_VRAM) >= (int64_t)size,
		     "the fault left the object in VRAM without moving it into the window\n");
	st->fault_moved++;
}

static void create_all(struct evict_state *st, uint64_t total)
{
	const struct evict_cfg *cfg = st->cfg;

	while (st->total < total) {
		struct ebo *bo;
		uint64_t size = pick_size(cfg->min_size, cfg->max_size);

		igt_assert_f(st->count < st->max, "too many objects\n");
		bo = &st->bos[st->count];
		/* Half VRAM-only, half VRAM-then-GTT. */
		if (st->count % 2)
			create_ebo(st, bo, size, vram_gtt, 2);
		else
			create_ebo(st, bo, size, vram_only, 1);
		st->total += size;
		st->count++;
	}
}

/*
 * Replace up to @max objects that are outside VRAM by new ones of the same
 * size and regions: closing them frees nothing in VRAM, so the new objects
 * have to evict others to get in.
 */
static unsigned int replace_some(struct evict_state *st, unsigned int max)
{
	unsigned int *order = calloc(st->count, sizeof(*order));
	unsigned int i, done = 0;

	igt_assert(order);
	shuffle(order, st->count);
	for (i = 0; i < st->count && done < max; i++) {
		struct ebo *bo = &st->bos[order[i]];

		if (ebo_region(st->fd, bo) == VRAM)
			continue;
		gem_close(st->fd, bo->handle);
		create_ebo(st, bo, bo->size, bo->regions, bo->num_regions);
		done++;
	}
	free(order);
	return done;
}

/* Every object, in random order: check every byte, write a new pattern. */
static void verify_pass(struct evict_state *st, const char *what)
{
	unsigned int *order = calloc(st->count, sizeof(*order));
	unsigned int i;

	igt_assert(order);
	shuffle(order, st->count);
	for (i = 0; i < st->count; i++)
		ebo_check_rewrite(st->fd, &st->bos[order[i]], what, order[i]);
	free(order);
}

static void verify_all(struct evict_state *st, const char *what)
{
	unsigned int i;

	for (i = 0; i < st->count; i++)
		ebo_check(st->fd, &st->bos[i], what, i);
}

static void close_all(struct evict_state *st)
{
	unsigned int i;

	for (i = 0; i < st->count; i++)
		gem_close(st->fd, st->bos[i].handle);
	st->count = 0;
}

static void evict_state_init(struct evict_state *st, int fd,
			     const struct evict_cfg *cfg, uint64_t total)
{
	memset(st, 0, sizeof(*st));
	st->fd = fd;
	st->cfg = cfg;
	st->vram_size = query_vram(fd).total_size;
	st->max = cfg->min_size ? total / cfg->min_size + 2 : 1;
	st->bos = calloc(st->max, sizeof(*st->bos));
	igt_assert(st->bos);
}

/* Where the objects are now, for the log. */
static void log_placement(struct evict_state *st, const char *when)
{
	uint64_t bytes[VDGPU_NUM_REGION_IDS] = { 0 };
	unsigned int i;

	for (i = 0; i < st->count; i++) {
		uint32_t r = ebo_region(st->fd, &st->bos[i]);

		igt_assert_lt(r, VDGPU_NUM_REGION_IDS);
		bytes[r] += st->bos[i].size;
	}
	igt_info("%s: %u objects, %" PRIu64 " KiB in VRAM, %" PRIu64
		 " KiB in GTT, %" PRIu64 " KiB in SYSTEM\n", when, st->count,
		 bytes[VRAM] / KIB, bytes[GTT] / KIB, bytes[SYSTEM] / KIB);
}

/*
 * The passes: in each, every object is checked and rewritten in random
 * order, then a quarter of those outside VRAM are replaced by new ones,
 * which evict.
 */
static void run_passes(struct evict_state *st)
{
	const struct evict_cfg *cfg = st->cfg;
	bool counters = !(cfg->flags & CFG_NO_COUNTERS);
	unsigned int pass;
	char what[64];

	for (pass = 1; pass <= cfg->passes; pass++) {
		unsigned int replaced, forced = st->forced;
		struct mem_stats a, b;

		if (counters)
			read_mem_stats(&a);
		snprintf(what, sizeof(what), "pass %u", pass);
		verify_pass(st, what);
		replaced = replace_some(st, st->count / 4 ? st->count / 4 : 1);
		if (counters) {
			read_mem_stats(&b);
			log_stats_delta(what, &a, &b);
			igt_assert_f(st->forced == forced ||
				     stat_delta(&a, &b, ST_EVICTIONS) > 0,
				     "%s: no eviction\n", what);
		}
		if (counters)
			igt_info("%s: replaced %u objects, %u creations had to evict\n",
				 what, replaced, st->forced - forced);
		else
			igt_info("%s: replaced %u objects\n", what, replaced);
	}
}

static void test_evict(const struct evict_cfg *cfg)
{
	struct migrate_stats m0, m1;
	struct mem_stats s0, s1;
	struct evict_state st;
	uint64_t total, must_move;
	unsigned int i, engines_used = 0;
	double t0 = now_s();
	int fd;

	fd = open_device(cfg->params);
	rng_init();
	total = query_vram(fd).total_size * cfg->percent / 100;
	evict_state_init(&st, fd, cfg, total);
	igt_info("VRAM %" PRIu64 " KiB; %" PRIu64 " KiB of objects of %" PRIu64
		 "-%" PRIu64 " KiB, %u passes\n", st.vram_size / KIB,
		 total / KIB, cfg->min_size / KIB, cfg->max_size / KIB,
		 cfg->passes);

	read_mem_stats(&s0);
	read_migrate_stats(&m0);
	create_all(&st, total);
	read_mem_stats(&s1);
	read_migrate_stats(&m1);
	log_stats_delta("created", &s0, &s1);
	log_placement(&st, "created");
	if (cfg->flags & CFG_SMALL_BAR)
		igt_info("%u objects placed outside the window were moved by a fault\n",
			 st.fault_moved);

	/*
	 * Everything was placed in VRAM and at most all of VRAM still holds
	 * objects: the rest left it, by copies on the engines.
	 */
	igt_assert_lt_u64(st.vram_size, st.in_vram);
	must_move = st.in_vram - st.vram_size;
	/*
	 * With a small window, faults move the objects placed outside it out
	 * of VRAM before it fills up: creations need not evict.
	 */
	if (cfg->flags & CFG_SMALL_BAR)
		igt_assert_f(st.fault_moved > 0,
			     "no object was placed outside the CPU-visible window\n");
	igt_assert_f(stat_delta(&s0, &s1, ST_EVICTIONS) >= st.forced &&
		     (st.forced > 0 || (cfg->flags & CFG_SMALL_BAR)),
		     "%u creations found VRAM full, evictions grew by %" PRId64 "\n",
		     st.forced, stat_delta(&s0, &s1, ST_EVICTIONS));
	igt_assert_f((cfg->flags & CFG_SMALL_BAR) ||
		     stat_delta(&s0, &s1, ST_EVICTIONS) * (int64_t)st.max_created >=
		     (int64_t)must_move,
		     "%" PRId64 " evictions of at most %" PRIu64 " bytes cannot have moved the %" PRIu64 " bytes that had to leave VRAM\n",
		     stat_delta(&s0, &s1, ST_EVICTIONS), st.max_created, must_move);
	igt_assert_f(stat_delta(&s0, &s1, ST_VRAM_TO_GTT) >= (int64_t)must_move,
		     "%" PRIu64 " bytes were placed in VRAM, which holds %" PRIu64
		     ", but only %" PRId64 " bytes were copied out of it\n",
		     st.in_vram, st.vram_size, stat_delta(&s0, &s1, ST_VRAM_TO_GTT));
	igt_assert_f(migrate_copied(&m1) - migrate_copied(&m0) >= (int64_t)must_move,
		     "the copy engines copied %" PRId64 " bytes, less than the %" PRIu64 " that left VRAM\n",
		     migrate_copied(&m1) - migrate_copied(&m0), must_move);
	igt_assert_eq(stat_delta(&s0, &s1, ST_PURGES), 0);
	for (i = 0; i < m1.engines; i++) {
		igt_info("%s copied %" PRId64 " KiB in %" PRId64 " jobs\n",
			 m1.name[i], (m1.copied[i] - m0.copied[i]) / (int64_t)KIB,
			 m1.jobs[i] - m0.jobs[i]);
		engines_used += m1.copied[i] > m0.copied[i];
	}
	/* Moves of MIGRATE_SPLIT and more are dealt out to both engines. */
	if (cfg->min_size >= MIGRATE_SPLIT)
		igt_assert_f(engines_used >= 2 || m1.engines < 2,
			     "moves of %" PRIu64 " KiB and more used %u copy engine(s)\n",
			     cfg->min_size / KIB, engines_used);

	run_passes(&st);
	log_placement(&st, "after the passes");
	verify_all(&st, "final check");

	read_mem_stats(&s1);
	read_migrate_stats(&m1);
	log_stats_delta("whole run", &s0, &s1);
	igt_assert_eq(m1.timeouts - m0.timeouts, 0);
	close_all(&st);
	free(st.bos);
	close(fd);
	igt_info("done in %.1f s\n", now_s() - t0);
}

/*
 * evict-1_5x: objects of 256 KiB to 4 MiB (log-uniform) totalling 1.5
 * times VRAM (64 MiB), alternately VRAM-only and VRAM-then-GTT, each
 * filled with its own pattern.  Every creation lands in VRAM, evicting
 * the least recently used objects when VRAM lacks room (the evictions
 * counter grows at every such creation); the copy engines must have moved
 * at least the bytes that no longer fit.  Then three passes in random
 * order check every byte and rewrite each object with a new pattern, and
 * replace a quarter of the objects outside VRAM by new ones, which evict
 * again; a last check reads everything.
 */
static void test_evict_1_5x(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_64, .percent = 150,
		.min_size = 256 * KIB, .max_size = 4 * MIB, .passes = 3,
	};

	test_evict(&cfg);
}

/* evict-3x: the same with three times VRAM: objects go on to SYSTEM. */
static void test_evict_3x(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_64, .percent = 300,
		.min_size = 256 * KIB, .max_size = 4 * MIB, .passes = 3,
	};

	test_evict(&cfg);
}

/*
 * evict-small: hundreds of objects of 4 to 64 KiB, 1.5 times a VRAM of
 * 16 MiB: many small copies, LRU walks over many objects.
 */
static void test_evict_small(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_16, .percent = 150,
		.min_size = 4 * KIB, .max_size = 64 * KIB, .passes = 3,
	};

	test_evict(&cfg);
}

/*
 * evict-large: objects of 8 to 16 MiB, twice VRAM: each eviction moves
 * several MiB, which the driver deals out to both copy engines (both must
 * have copied).
 */
static void test_evict_large(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_64, .percent = 200,
		.min_size = 8 * MIB, .max_size = 16 * MIB, .passes = 2,
	};

	test_evict(&cfg);
}

/* evict-random: a mix of 4 KiB to 16 MiB objects, twice VRAM. */
static void test_evict_random(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_64, .percent = 200,
		.min_size = 4 * KIB, .max_size = 16 * MIB, .passes = 3,
	};

	test_evict(&cfg);
}

/*
 * evict-small-bar: 1.5 times VRAM with a 16 MiB CPU-visible window in a
 * VRAM of 64 MiB.  Objects are created in VRAM, and once the window is
 * full, outside of it; the first write to such an object faults, and the
 * fault must move it with a copy (counted by vram_to_vram or vram_to_gtt)
 * into the window if it has room, else out of VRAM: an object the fault
 * left in VRAM must have been copied into the window.  The bytes placed
 * in VRAM beyond its size must have been copied out; the passes then
 * check and rewrite everything as in evict-1_5x.
 */
static void test_evict_small_bar(void)
{
	static const struct evict_cfg cfg = {
		.params = PARAMS_SMALL_BAR, .percent = 150,
		.min_size = 256 * KIB, .max_size = 2 * MIB, .passes = 3,
		.flags = CFG_SMALL_BAR,
	};

	test_evict(&cfg);
}

/*
 * parallel: nproc + 1 processes, each with its own DRM file, each doing
 * evict-1_5x on its share: together 1.5 times VRAM of objects of 128 KiB
 * to 2 MiB.  They meet once all objects exist: then VRAM is overcommitted
 * and at least what does not fit must have been copied out.  Each checks
 * every byte of its objects over two passes, replacing some of them; all
 * must pass.
 */
#define PARALLEL_TIMEOUT_S	60

static void parallel_child(unsigned int id, uint64_t share, int report_fd,
			   int go_fd)
{
	static const struct evict_cfg cfg = {
		.percent = 0, .min_size = 128 * KIB, .max_size = 2 * MIB,
		.passes = 2, .flags = CFG_NO_COUNTERS,
	};
	struct evict_state st;
	char buf;
	int fd;

	rng_state = mix64(rng_state + id + 1);
	fd = vdgpu_open_render();
	evict_state_init(&st, fd, &cfg, share);
	create_all(&st, share);
	igt_assert_eq(write(report_fd, &st.in_vram, sizeof(st.in_vram)),
		      sizeof(st.in_vram));
	/* EOF when the parent has read the counters. */
	igt_assert_eq(read(go_fd, &buf, 1), 0);
	run_passes(&st);
	verify_all(&st, "final check");
	igt_info("child %u: %u objects, %" PRIu64 " KiB checked\n", id,
		 st.count, st.total / KIB);
	close_all(&st);
	close(fd);
	fflush(NULL);
	_exit(IGT_EXIT_SUCCESS);
}

static void test_parallel(void)
{
	unsigned int n = sysconf(_SC_NPROCESSORS_ONLN) + 1, i, failed = 0;
	int report[2], go[2], fd;
	uint64_t vram, share, in_vram = 0;
	struct mem_stats s0, s1;
	double deadline;

	if (n > MAX_CHILDREN)
		n = MAX_CHILDREN;
	fd = open_device(PARAMS_64);
	rng_init();
	vram = query_vram(fd).total_size;
	share = vram * 3 / 2 / n;
	igt_info("%u processes with %" PRIu64 " KiB each, VRAM %" PRIu64 " KiB\n",
		 n, share / KIB, vram / KIB);
	igt_assert_eq(pipe(report), 0);
	igt_assert_eq(pipe(go), 0);
	read_mem_stats(&s0);

	for (i = 0; i < n; i++) {
		if (fork_child() == 0) {
			close(report[0]);
			close(go[1]);
			close(fd);
			parallel_child(i, share, report[1], go[0]);
		}
	}
	close(report[1]);
	close(go[0]);

	/* Every child has created its objects, or one died. */
	deadline = now_s() + PARALLEL_TIMEOUT_S;
	for (i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = report[0], .events = POLLIN };
		uint64_t bytes;
		int left = (deadline - now_s()) * 1000;

		igt_assert_f(left > 0 && poll(&pfd, 1, left) == 1,
			     "only %u of %u processes created their objects within %d s\n",
			     i, n, PARALLEL_TIMEOUT_S);
		igt_assert_f(read(report[0], &bytes, sizeof(bytes)) == sizeof(bytes),
			     "a process died before creating its objects (%u of %u did)\n",
			     i, n);
		in_vram += bytes;
	}
	read_mem_stats(&s1);
	log_stats_delta("all created", &s0, &s1);
	igt_assert_lt_u64(vram, in_vram);
	igt_assert_f(stat_delta(&s0, &s1, ST_EVICTIONS) > 0 &&
		     stat_delta(&s0, &s1, ST_VRAM_TO_GTT) >= (int64_t)(in_vram - vram),
		     "%" PRIu64 " bytes placed in VRAM of %" PRIu64 ", yet %" PRId64
		     " evictions copied %" PRId64 " bytes out\n", in_vram, vram,
		     stat_delta(&s0, &s1, ST_EVICTIONS),
		     stat_delta(&s0, &s1, ST_VRAM_TO_GTT));
	close(go[1]);

	for (i = 0; i < n; i++) {
		int status = wait_child(i);

		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		failed++;
		igt_warn("process %u %s %d\n", i,
			 WIFEXITED(status) ? "exited with" : "was killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	proc.num_children = 0;
	igt_assert_f(!failed, "%u of %u processes failed\n", failed, n);
	read_mem_stats(&s1);
	log_stats_delta("whole run", &s0, &s1);
	close(report[0]);
	close(fd);
}

/*
 * purge: under VRAM pressure, objects marked DONTNEED are purged, not
 * moved, and before any needed object is evicted.
 *
 * In a VRAM of 32 MiB: "old" needed objects take a quarter of VRAM first
 * (they are the least recently used), then DONTNEED objects fill the rest
 * (half of them VRAM-then-GTT), then "new" needed objects take half of
 * VRAM.  The new ones can only get in at the expense of the DONTNEED
 * ones, which eviction visits first: so nothing is copied out of VRAM
 * (vram_to_gtt does not move), every eviction is a purge, the objects
 * GEM_INFO reports PURGED (with DONTNEED, and no memory: region SYSTEM)
 * are as many as the purges counted, and enough of them to make room.
 * The needed objects, old and new, are still in VRAM with every byte.
 * Then WILLNEED: purged 1 for each purged object (0 the second time, the
 * state cleared), purged 0 for the others; purged objects read as zero in
 * every byte and take new contents; the others kept theirs.
 */
static void test_purge(void)
{
	const uint64_t size = MIB;
	struct ebo old[8], drop[32], keep[16];
	unsigned int n_old, n_drop, n_keep, i, purged = 0, need;
	struct drm_vdgpu_mem_region vram;
	struct drm_vdgpu_gem_info info;
	struct mem_stats s0, s1;
	struct evict_state st;
	static const struct evict_cfg cfg = { .passes = 0 };
	int fd;

	fd = open_device("vram_size=32 visible_vram_size=32 gart_size=32");
	rng_init();
	evict_state_init(&st, fd, &cfg, 0);
	vram = query_vram(fd);
	n_old = vram.total_size / 4 / size;
	n_drop = (vram.total_size - vram.used) / size - n_old;
	n_keep = vram.total_size / 2 / size;
	igt_assert(n_old <= ARRAY_SIZE(old) && n_drop <= ARRAY_SIZE(drop) &&
		   n_keep <= ARRAY_SIZE(keep));

	for (i = 0; i < n_old; i++)
		create_ebo(&st, &old[i], size, vram_only, 1);
	for (i = 0; i < n_drop; i++) {
		create_ebo(&st, &drop[i], size, i % 2 ? vram_gtt : vram_only,
			   i % 2 ? 2 : 1);
		igt_assert_eq(vdgpu_gem_madvise(fd, drop[i].handle,
						DRM_VDGPU_MADV_DONTNEED), 0);
	}
	vram = query_vram(fd);
	need = (n_keep * size - (vram.total_size - vram.used) + size - 1) / size;
	igt_info("VRAM %" PRIu64 " KiB: %u old needed, %u DONTNEED, %u new needed objects of %" PRIu64 " KiB; %u purges needed\n",
		 (uint64_t)vram.total_size / KIB, n_old, n_drop, n_keep,
		 size / KIB, need);

	read_mem_stats(&s0);
	for (i = 0; i < n_keep; i++)
		create_ebo(&st, &keep[i], size, vram_only, 1);
	read_mem_stats(&s1);
	log_stats_delta("new objects created", &s0, &s1);

	for (i = 0; i < n_drop; i++) {
		vdgpu_gem_info(fd, drop[i].handle, &info);
		if (info.state & DRM_VDGPU_GEM_STATE_PURGED) {
			igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED |
						  DRM_VDGPU_GEM_STATE_PURGED);
			igt_assert_eq(info.region, SYSTEM);
			purged++;
		} else {
			igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED);
		}
	}
	igt_info("%u of %u DONTNEED objects purged\n", purged, n_drop);
	igt_assert_f(purged >= need, "%u objects purged, %u needed\n", purged, need);
	igt_assert_eq(stat_delta(&s0, &s1, ST_PURGES), purged);
	igt_assert_eq(stat_delta(&s0, &s1, ST_EVICTIONS), purged);
	igt_assert_f(stat_delta(&s0, &s1, ST_VRAM_TO_GTT) == 0,
		     "%" PRId64 " bytes were copied out of VRAM: a needed or DONTNEED object was moved instead of a DONTNEED one purged\n",
		     stat_delta(&s0, &s1, ST_VRAM_TO_GTT));

	for (i = 0; i < n_old; i++) {
		igt_assert_eq(ebo_region(fd, &old[i]), VRAM);
		ebo_check(fd, &old[i], "old needed object", i);
	}
	for (i = 0; i < n_keep; i++) {
		igt_assert_eq(ebo_region(fd, &keep[i]), VRAM);
		ebo_check(fd, &keep[i], "new needed object", i);
	}

	for (i = 0; i < n_drop; i++) {
		bool was_purged;

		vdgpu_gem_info(fd, drop[i].handle, &info);
		was_purged = info.state & DRM_VDGPU_GEM_STATE_PURGED;
		igt_assert_eq(vdgpu_gem_madvise(fd, drop[i].handle,
						DRM_VDGPU_MADV_WILLNEED), was_purged);
		igt_assert_eq(vdgpu_gem_madvise(fd, drop[i].handle,
						DRM_VDGPU_MADV_WILLNEED), 0);
		vdgpu_gem_info(fd, drop[i].handle, &info);
		igt_assert_eq(info.state, 0);
		if (was_purged) {
			drop[i].prev_key = drop[i].key;
			drop[i].key = 0;
		}
		ebo_check(fd, &drop[i], was_purged ? "purged object after WILLNEED" :
			  "DONTNEED object not purged", i);
		ebo_write(fd, &drop[i], new_key());
	}
	for (i = 0; i < n_drop; i++)
		ebo_check(fd, &drop[i], "object reused", i);

	for (i = 0; i < n_old; i++)
		gem_close(fd, old[i].handle);
	for (i = 0; i < n_drop; i++)
		gem_close(fd, drop[i].handle);
	for (i = 0; i < n_keep; i++)
		gem_close(fd, keep[i].handle);
	free(st.bos);
	close(fd);
}

/*
 * The shrinker.  Objects whose system pages it may take: needed ones in
 * SYSTEM and GTT, DONTNEED ones in SYSTEM and GTT, and needed VRAM objects
 * it must leave alone.  All of them hold a pattern, so their pages are
 * populated.
 */
struct shrink_set {
	struct ebo keep[40];
	struct ebo drop[12];
	struct ebo vram[2];
	unsigned int n_keep, n_drop, n_vram;
	uint64_t keep_pages, drop_pages;
};

static void shrink_set_create(struct evict_state *st, struct shrink_set *s,
			      bool with_dontneed)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	/* 24 MiB of SYSTEM and 16 MiB of GTT in 1 MiB objects. */
	for (i = 0; i < 40; i++) {
		struct ebo *bo = &s->keep[s->n_keep++];

		memset(bo, 0, sizeof(*bo));
		bo->size = MIB;
		bo->regions = i < 24 ? system_only : gtt_only;
		bo->num_regions = 1;
		bo->handle = vdgpu_gem_create(st->fd, bo->size, bo->regions, 1, 0);
		ebo_write(st->fd, bo, new_key());
		s->keep_pages += bo->size / page_size();
	}
	/* 6 MiB of each, marked DONTNEED. */
	for (i = 0; with_dontneed && i < 12; i++) {
		struct ebo *bo = &s->drop[s->n_drop++];

		memset(bo, 0, sizeof(*bo));
		bo->size = MIB;
		bo->regions = i % 2 ? gtt_only : system_only;
		bo->num_regions = 1;
		bo->handle = vdgpu_gem_create(st->fd, bo->size, bo->regions, 1, 0);
		ebo_write(st->fd, bo, new_key());
		igt_assert_eq(vdgpu_gem_madvise(st->fd, bo->handle,
						DRM_VDGPU_MADV_DONTNEED), 0);
		s->drop_pages += bo->size / page_size();
	}
	for (i = 0; i < 2; i++)
		create_ebo(st, &s->vram[s->n_vram++], 4 * MIB, vram_only, 1);
}

/* The DONTNEED objects are purged (@all) or any of them may be. */
static unsigned int shrink_set_check_drop(int fd, struct shrink_set *s, bool all)
{
	struct drm_vdgpu_gem_info info;
	unsigned int i, purged = 0;

	for (i = 0; i < s->n_drop; i++) {
		vdgpu_gem_info(fd, s->drop[i].handle, &info);
		if (!(info.state & DRM_VDGPU_GEM_STATE_PURGED)) {
			igt_assert_f(!all, "DONTNEED object %u (%s) was not purged\n",
				     i, vdgpu_region_name(s->drop[i].regions[0]));
			continue;
		}
		igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED |
					  DRM_VDGPU_GEM_STATE_PURGED);
		igt_assert_eq(info.region, SYSTEM);
		purged++;
	}
	return purged;
}

/*
 * After the shrinker ran: every needed object keeps every byte (a fault
 * swaps it back in), the VRAM ones were left in VRAM; purged objects
 * report it once on WILLNEED and read as zeroes, the others kept their
 * contents.
 */
static void shrink_set_verify(int fd, struct shrink_set *s)
{
	struct drm_vdgpu_gem_info info;
	unsigned int i;

	for (i = 0; i < s->n_keep; i++)
		ebo_check(fd, &s->keep[i], "needed object after the shrinker", i);
	for (i = 0; i < s->n_vram; i++) {
		igt_assert_eq(ebo_region(fd, &s->vram[i]), VRAM);
		ebo_check(fd, &s->vram[i], "VRAM object after the shrinker", i);
	}
	for (i = 0; i < s->n_drop; i++) {
		bool was_purged;

		vdgpu_gem_info(fd, s->drop[i].handle, &info);
		was_purged = info.state & DRM_VDGPU_GEM_STATE_PURGED;
		igt_assert_eq(vdgpu_gem_madvise(fd, s->drop[i].handle,
						DRM_VDGPU_MADV_WILLNEED), was_purged);
		igt_assert_eq(vdgpu_gem_madvise(fd, s->drop[i].handle,
						DRM_VDGPU_MADV_WILLNEED), 0);
		if (was_purged) {
			s->drop[i].prev_key = s->drop[i].key;
			s->drop[i].key = 0;
		}
		ebo_check(fd, &s->drop[i], was_purged ?
			  "purged object after WILLNEED" : "DONTNEED object kept", i);
	}
}

static void shrink_set_close(int fd, struct shrink_set *s)
{
	unsigned int i;

	for (i = 0; i < s->n_keep; i++)
		gem_close(fd, s->keep[i].handle);
	for (i = 0; i < s->n_drop; i++)
		gem_close(fd, s->drop[i].handle);
	for (i = 0; i < s->n_vram; i++)
		gem_close(fd, s->vram[i].handle);
}

/*
 * shrink: "echo 2 > /proc/sys/vm/drop_caches" makes the kernel run every
 * shrinker until they give nothing more (drop_slab(), with GFP_KERNEL, as
 * reclaim would), which is the deterministic way to reach vdgpu's.
 *
 * The shrinker counts exactly the populated pages of the user objects in
 * SYSTEM and GTT (here the only ones on the freshly loaded device); after
 * drop_caches it counts none: the DONTNEED objects were purged (its purged
 * counter grew by their pages, GEM_INFO says PURGED, no memory) and the
 * needed ones swapped out to shmem (swapped_out grew by at least their
 * pages; the GTT ones were moved to SYSTEM on the way).  VRAM objects are
 * not the shrinker's: they stay.  Then every byte of every needed object
 * is read back, which swaps it in (swapped_in grows by at least as much
 * as was swapped out), and the shrinker counts their pages again; purged
 * objects read as zeroes after WILLNEED.
 */
static void drop_caches(void)
{
	int ret = vdgpu_write_file("/proc/sys/vm/drop_caches", "2");

	igt_require_f(ret == 0, "cannot write /proc/sys/vm/drop_caches: %s\n",
		      strerror(-ret));
}

static void test_shrink(void)
{
	struct mem_stats s0, s1, s2;
	struct shrink_set *s;
	struct evict_state st;
	static const struct evict_cfg cfg = { .passes = 0 };
	unsigned int i;
	int fd;

	igt_require_f(access("/proc/sys/vm/drop_caches", W_OK) == 0,
		      "needs to write /proc/sys/vm/drop_caches (root)\n");
	fd = open_device(PARAMS_SHRINK);
	rng_init();
	evict_state_init(&st, fd, &cfg, 0);
	s = calloc(1, sizeof(*s));
	igt_assert(s);
	shrink_set_create(&st, s, true);

	read_mem_stats(&s0);
	igt_assert_f(s0.v[ST_SHRINKABLE] == (int64_t)(s->keep_pages + s->drop_pages),
		     "the shrinker counts %" PRId64 " pages; the objects in SYSTEM and GTT have %" PRIu64 "\n",
		     s0.v[ST_SHRINKABLE], s->keep_pages + s->drop_pages);

	drop_caches();
	read_mem_stats(&s1);
	log_stats_delta("drop_caches", &s0, &s1);
	igt_assert_f(s1.v[ST_SHRINKABLE] == 0,
		     "%" PRId64 " pages still counted after drop_caches\n",
		     s1.v[ST_SHRINKABLE]);
	igt_assert_eq(shrink_set_check_drop(fd, s, true), s->n_drop);
	igt_assert_eq(stat_delta(&s0, &s1, ST_PURGED), s->drop_pages);
	igt_assert_f(stat_delta(&s0, &s1, ST_SWAPPED_OUT) >= (int64_t)s->keep_pages,
		     "%" PRId64 " pages swapped out, the needed objects have %" PRIu64 "\n",
		     stat_delta(&s0, &s1, ST_SWAPPED_OUT), s->keep_pages);
	for (i = 0; i < s->n_keep; i++)
		igt_assert_eq(ebo_region(fd, &s->keep[i]), SYSTEM);

	shrink_set_verify(fd, s);
	read_mem_stats(&s2);
	log_stats_delta("read back", &s1, &s2);
	igt_assert_f(stat_delta(&s1, &s2, ST_SWAPPED_IN) >= (int64_t)s->keep_pages,
		     "%" PRId64 " pages swapped in to read back %" PRIu64 "\n",
		     stat_delta(&s1, &s2, ST_SWAPPED_IN), s->keep_pages);
	igt_assert_eq(s2.v[ST_SHRINKABLE], s->keep_pages + s->drop_pages);

	shrink_set_close(fd, s);
	free(s);
	free(st.bos);
	close(fd);
}

/*
 * swap: the same objects under real memory pressure, with a swap device.
 *
 * The VM has no swap: unless one is active, the subtest makes one, a zram
 * device of 1 GiB (loading zram if needed, writing the swap signature
 * itself, swapon(2)), and takes it down again at the end.  A child
 * process (OOM score 1000) then fills anonymous memory, 16 MiB at a time,
 * with the kernel's free memory watermarks raised (vm.min_free_kbytes at
 * half of RAM, put back afterwards) so that reclaim starts early,
 * until the kernel's reclaim has had vdgpu's shrinker swap out at least a
 * quarter of the needed objects' pages, or it reaches RAM plus half the
 * swap, or 10 s pass.  Its pages are zero, which zram stores without
 * memory: the pressure costs swap slots, not RAM.
 *
 * Reclaim runs the shrinker's two steps in order: the DONTNEED objects
 * are all purged before anything is swapped out.  After the child is
 * gone, every byte of every needed object is read back (from shmem, or
 * from swap), swapped_in grows by at least the needed pages swapped out,
 * and the shrinker counts the needed objects' pages again.
 *
 * If the pressure never got the shrinker to swap anything out, the
 * subtest skips, saying how far it got: the drop_caches path (shrink)
 * still covers the shrinker then.
 */
#define SWAP_TIMEOUT_S	10
#define ZRAM_SIZE	(1024 * MIB)
#define PRESSURE_CHUNK	(16 * MIB)

static struct {
	char dev[64];
	int zram;		/* device number, -1: none of ours */
	bool hot_added;		/* through zram-control */
	bool loaded;		/* we loaded the module */
	bool swapon;
} swap;

static uint64_t meminfo_kib(const char *key)
{
	char text[8192], *p;
	unsigned long long v;
	int ret;

	ret = vdgpu_read_file("/proc/meminfo", text, sizeof(text));
	igt_assert_f(ret > 0, "cannot read /proc/meminfo: %s\n", strerror(-ret));
	p = strstr(text, key);
	igt_assert_f(p && sscanf(p + strlen(key), ": %llu", &v) == 1,
		     "no %s in /proc/meminfo\n", key);
	return v;
}

static int run_cmd(const char *const argv[])
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void swap_teardown(void *data)
{
	char path[128], num[16];

	(void)data;
	/* The pressure must be gone before its pages come back from swap. */
	reap_children();
	if (swap.swapon && swapoff(swap.dev))
		igt_warn("swapoff %s: %s\n", swap.dev, strerror(errno));
	swap.swapon = false;
	if (swap.zram < 0)
		return;
	snprintf(path, sizeof(path), "/sys/block/zram%d/reset", swap.zram);
	vdgpu_write_file(path, "1");
	if (swap.hot_added) {
		snprintf(num, sizeof(num), "%d", swap.zram);
		vdgpu_write_file("/sys/class/zram-control/hot_remove", num);
	}
	if (swap.loaded && syscall(SYS_delete_module, "zram", O_NONBLOCK))
		igt_warn("cannot unload zram: %s\n", strerror(errno));
	swap.zram = -1;
}

/* The swap signature (mkswap's job): version 1, one page of header. */
static void write_swap_header(const char *dev, uint64_t size)
{
	uint64_t ps = page_size();
	unsigned char *page = calloc(1, ps);
	uint32_t *info = (uint32_t *)(page + 1024);
	int fd;

	igt_assert(page);
	info[0] = 1;				/* version */
	info[1] = size / ps - 1;		/* last_page */
	info[2] = 0;				/* nr_badpages */
	memcpy(page + ps - 10, "SWAPSPACE2", 10);
	fd = open(dev, O_WRONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", dev, strerror(errno));
	igt_assert_eq(pwrite(fd, page, ps, 0), (ssize_t)ps);
	igt_assert_eq(fsync(fd), 0);
	close(fd);
	free(page);
}

/*
 * Reclaim starts when free memory falls below the low watermark, which
 * follows vm.min_free_kbytes.  Raised to half of RAM, reclaim begins after
 * some hundreds of MiB of pressure instead of nearly all of RAM, which
 * under emulation takes seconds to fill.
 */
static char min_free_saved[32];

static void min_free_restore(void *data)
{
	(void)data;
	/* The pressure goes first, or the old watermarks are out of reach. */
	reap_children();
	if (min_free_saved[0] &&
	    vdgpu_write_file("/proc/sys/vm/min_free_kbytes", min_free_saved))
		igt_warn("cannot restore vm.min_free_kbytes to %s\n", min_free_saved);
	min_free_saved[0] = '\0';
}

static void raise_min_free(void)
{
	char buf[32];
	int ret;

	ret = vdgpu_read_file("/proc/sys/vm/min_free_kbytes", min_free_saved,
			      sizeof(min_free_saved));
	igt_require_f(ret > 0, "cannot read vm.min_free_kbytes: %s\n", strerror(-ret));
	min_free_saved[strcspn(min_free_saved, "\n")] = '\0';
	push_cleanup(min_free_restore, NULL);
	snprintf(buf, sizeof(buf), "%" PRIu64, meminfo_kib("MemTotal") / 2);
	ret = vdgpu_write_file("/proc/sys/vm/min_free_kbytes", buf);
	igt_assert_f(ret == 0, "cannot set vm.min_free_kbytes to %s: %s\n", buf,
		     strerror(-ret));
	igt_info("vm.min_free_kbytes %s -> %s\n", min_free_saved, buf);
}

static void swap_setup(void)
{
	char path[128], buf[32];
	int ret;

	swap.zram = -1;
	if (meminfo_kib("SwapTotal")) {
		igt_info("using the swap already active: %" PRIu64 " KiB\n",
			 meminfo_kib("SwapTotal"));
		return;
	}
	push_cleanup(swap_teardown, NULL);
	if (access("/sys/class/zram-control/hot_add", R_OK) == 0) {
		ret = vdgpu_read_file("/sys/class/zram-control/hot_add", buf, sizeof(buf));
		igt_require_f(ret > 0, "cannot add a zram device: %s\n", strerror(-ret));
		swap.zram = atoi(buf);
		swap.hot_added = true;
	} else {
		static const char *const modprobe[] = { "modprobe", "zram", "num_devices=1", NULL };

		igt_require_f(access("/sys/module/zram", F_OK) != 0,
			      "zram is loaded without zram-control\n");
		ret = run_cmd(modprobe);
		igt_require_f(ret == 0 && access("/sys/block/zram0", F_OK) == 0,
			      "no swap, and no zram to make one (modprobe zram: %d)\n",
			      ret);
		swap.loaded = true;
		swap.zram = 0;
	}
	snprintf(swap.dev, sizeof(swap.dev), "/dev/zram%d", swap.zram);
	snprintf(path, sizeof(path), "/sys/block/zram%d/disksize", swap.zram);
	snprintf(buf, sizeof(buf), "%" PRIu64, ZRAM_SIZE);
	ret = vdgpu_write_file(path, buf);
	igt_assert_f(ret == 0, "%s: %s\n", path, strerror(-ret));
	write_swap_header(swap.dev, ZRAM_SIZE);
	igt_require_f(swapon(swap.dev, 0) == 0, "swapon %s: %s\n", swap.dev,
		      strerror(errno));
	swap.swapon = true;
	igt_info("swap on %s: %" PRIu64 " KiB\n", swap.dev,
		 meminfo_kib("SwapTotal"));
}

/*
 * Once the pressure is gone, kswapd may still finish the work it started
 * with the raised watermarks: wait until the driver's counters have not
 * moved for 500 ms (5 s at most) and return them.
 */
static void settle_reclaim(struct mem_stats *now)
{
	struct mem_stats last;
	unsigned int ms, stable = 0;

	read_mem_stats(&last);
	for (ms = 0; ms < 5000 && stable < 5; ms += 100) {
		sleep_ms(100);
		read_mem_stats(now);
		stable = memcmp(now, &last, sizeof(last)) ? 0 : stable + 1;
		last = *now;
	}
	*now = last;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

/*
 * The child: anonymous memory, 16 MiB at a time, until killed or @limit.
 * The kernel populates it (MADV_POPULATE_WRITE) rather than taking a
 * fault per page; the pages are zero, which zram stores for free.  Without
 * MADV_POPULATE_WRITE (before 5.14), one byte a page is written.
 */
static void pressure_child(volatile uint64_t *allocated, uint64_t limit)
{
	uint64_t ps = page_size(), off;

	vdgpu_write_file("/proc/self/oom_score_adj", "1000");
	while (*allocated + PRESSURE_CHUNK <= limit) {
		unsigned char *p = mmap(NULL, PRESSURE_CHUNK, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		if (madvise(p, PRESSURE_CHUNK, MADV_POPULATE_WRITE)) {
			for (off = 0; off < PRESSURE_CHUNK; off += ps)
				p[off] = 1;
		}
		*allocated += PRESSURE_CHUNK;
	}
	for (;;)
		pause();
}

static void test_swap(void)
{
	uint64_t mem_total, swap_total, limit, target, swap_used = 0;
	volatile uint64_t *allocated;
	struct mem_stats s0, s1, s2;
	struct shrink_set *s;
	struct evict_state st;
	static const struct evict_cfg cfg = { .passes = 0 };
	double start, elapsed;
	int64_t out;
	int fd;

	fd = open_device(PARAMS_SHRINK);
	rng_init();
	evict_state_init(&st, fd, &cfg, 0);
	swap_setup();
	s = calloc(1, sizeof(*s));
	igt_assert(s);
	shrink_set_create(&st, s, true);

	mem_total = meminfo_kib("MemTotal") * KIB;
	swap_total = meminfo_kib("SwapTotal") * KIB;
	limit = mem_total + swap_total / 2;
	target = s->keep_pages / 4;
	allocated = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(allocated != MAP_FAILED);
	*allocated = 0;

	/*
	 * Clean page cache is what reclaim takes first: without it, the
	 * pressure reaches anonymous memory and the shrinkers sooner.  "1"
	 * drops the page cache only, not the slab: no shrinker runs.
	 */
	igt_assert_eq(vdgpu_write_file("/proc/sys/vm/drop_caches", "1"), 0);
	raise_min_free();
	read_mem_stats(&s0);
	igt_info("RAM %" PRIu64 " MiB, swap %" PRIu64 " MiB: pressure up to %" PRIu64
		 " MiB until %" PRIu64 " pages are swapped out\n", mem_total / MIB,
		 swap_total / MIB, limit / MIB, target);
	if (fork_child() == 0)
		pressure_child(allocated, limit);

	start = now_s();
	for (;;) {
		uint64_t swap_free = meminfo_kib("SwapFree") * KIB;

		sleep_ms(100);
		read_mem_stats(&s1);
		out = stat_delta(&s0, &s1, ST_SWAPPED_OUT);
		elapsed = now_s() - start;
		if (swap_total - swap_free > swap_used)
			swap_used = swap_total - swap_free;
		if (out >= (int64_t)target || elapsed > SWAP_TIMEOUT_S ||
		    *allocated + PRESSURE_CHUNK > limit ||
		    swap_free < swap_total / 4)
			break;
	}
	min_free_restore(NULL);
	settle_reclaim(&s1);
	out = stat_delta(&s0, &s1, ST_SWAPPED_OUT);
	igt_info("after %.1f s: %" PRIu64 " MiB of anonymous memory, %" PRIu64
		 " MiB of swap used at most\n", elapsed, *allocated / MIB,
		 swap_used / MIB);
	log_stats_delta("pressure", &s0, &s1);
	igt_require_f(out > 0,
		      "%" PRIu64 " MiB of anonymous memory in %.1f s (%" PRIu64
		      " MiB of it swapped) did not get reclaim to swap out any page of vdgpu's objects\n",
		      *allocated / MIB, elapsed, swap_used / MIB);

	/* Purge first, then swap: swapping out means nothing was left to purge. */
	igt_assert_eq(shrink_set_check_drop(fd, s, true), s->n_drop);
	igt_assert_eq(stat_delta(&s0, &s1, ST_PURGED), s->drop_pages);
	shrink_set_verify(fd, s);
	read_mem_stats(&s2);
	log_stats_delta("read back", &s1, &s2);
	igt_assert_f(stat_delta(&s0, &s2, ST_SWAPPED_IN) >= out,
		     "%" PRId64 " pages swapped out, %" PRId64 " swapped back in reading every needed object\n",
		     out, stat_delta(&s0, &s2, ST_SWAPPED_IN));
	/* Unless reclaim took some again meanwhile, all pages are back. */
	if (stat_delta(&s1, &s2, ST_SWAPPED_OUT) + stat_delta(&s1, &s2, ST_PURGED) == 0)
		igt_assert_eq(s2.v[ST_SHRINKABLE], s->keep_pages + s->drop_pages);
	else
		igt_info("reclaim went on while reading back: %" PRId64 " pages swapped out again\n",
			 stat_delta(&s1, &s2, ST_SWAPPED_OUT));

	shrink_set_close(fd, s);
	free(s);
	free(st.bos);
	close(fd);
	munmap((void *)allocated, page_size());
}

/*
 * suspend: objects in VRAM (VRAM-only and VRAM-then-GTT), evicted ones in
 * GTT and SYSTEM, and SYSTEM and GTT objects keep every byte across a
 * system suspend and resume, and the device works afterwards: new objects
 * overcommitting VRAM evict through the copy engines and the GART, and
 * every object is checked again.
 *
 * The cycle is s2idle ("freeze", else "mem") with /sys/power/pm_test set
 * to "devices": devices are suspended and resumed, the platform is not
 * powered down.  A real S3 loses VRAM, which the model's vram_lost hook
 * (/sys/kernel/debug/vdgpu_sim/<n>/vram_lost) emulates, but userspace
 * cannot write it while the system is suspended, and writing it before or
 * after the cycle would wipe the driver's own VRAM contents (the GART
 * table) outside of any suspend; so this subtest checks the contents only.
 * Losing VRAM across the cycle needs the model to do it on its own
 * suspend path.
 *
 * vdgpu has no power management yet: the subtest skips unless the module
 * has suspend or resume callbacks (names with suspend, resume, pm_ops or
 * pmops among its symbols in /proc/kallsyms), without suspending anything.
 *
 * It also skips on a system with a 9p file system over virtio, such as the
 * VM lane's root: 9pnet_virtio has no freeze/restore callbacks, virtio-pci
 * resets the device across a suspend, and the file system hangs after the
 * cycle (seen in the lane's VM with pm_test=devices and freeze).
 */
static const char *virtio_9p_mount(char *buf, size_t len)
{
	FILE *f = fopen("/proc/mounts", "re");
	char line[1024], dev[256], dir[256], type[32], opts[512];
	const char *found = NULL;

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %255s %31s %511s", dev, dir, type, opts) == 4 &&
		    !strcmp(type, "9p") && strstr(opts, "trans=virtio")) {
			snprintf(buf, len, "%.100s on %.100s", dev, dir);
			found = buf;
		}
	}
	fclose(f);
	return found;
}
static bool file_has_word(const char *path, const char *word, char *text,
			  size_t len)
{
	char *p;
	size_t n = strlen(word);

	if (vdgpu_read_file(path, text, len) < 0)
		return false;
	for (p = strstr(text, word); p; p = strstr(p + 1, word)) {
		bool start = p == text || p[-1] == ' ' || p[-1] == '[';
		bool end = !p[n] || p[n] == ' ' || p[n] == ']' || p[n] == '\n';

		if (start && end)
			return true;
	}
	return false;
}

static bool vdgpu_has_pm_callbacks(char *found, size_t len)
{
	static const char *const words[] = { "suspend", "resume", "pm_ops", "pmops" };
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	bool yes = false;

	igt_require_f(f, "cannot read /proc/kallsyms: %s\n", strerror(errno));
	while (!yes && fgets(line, sizeof(line), f)) {
		char addr[32], type[4], name[256], mod[64];
		unsigned int i;

		if (sscanf(line, "%31s %3s %255s %63s", addr, type, name, mod) != 4 ||
		    strcmp(mod, "[" VDGPU_KMOD_NAME "]"))
			continue;
		for (i = 0; i < ARRAY_SIZE(words); i++) {
			if (strstr(name, words[i])) {
				snprintf(found, len, "%s", name);
				yes = true;
			}
		}
	}
	fclose(f);
	return yes;
}

static char pm_test_saved[32];
static char pm_delay_saved[32];

#define PM_TEST_DELAY	"/sys/module/suspend/parameters/pm_test_delay"

static void pm_restore(void *data)
{
	(void)data;
	if (pm_test_saved[0])
		vdgpu_write_file("/sys/power/pm_test", pm_test_saved);
	if (pm_delay_saved[0])
		vdgpu_write_file(PM_TEST_DELAY, pm_delay_saved);
}

static void test_suspend(void)
{
	static const struct evict_cfg cfg = {
		.percent = 150, .min_size = 512 * KIB, .max_size = 2 * MIB,
		.passes = 1,
	};
	char text[256], found[256], *p;
	struct mem_stats s0, s1;
	struct evict_state st;
	struct shrink_set *s;
	const char *state;
	unsigned int i;
	int fd, ret;

	igt_require_f(geteuid() == 0, "suspending needs root\n");
	if (file_has_word("/sys/power/state", "freeze", text, sizeof(text)))
		state = "freeze";
	else if (file_has_word("/sys/power/state", "mem", text, sizeof(text)))
		state = "mem";
	else
		igt_skip("neither freeze nor mem in /sys/power/state\n");
	igt_require_f(file_has_word("/sys/power/pm_test", "devices", text, sizeof(text)),
		      "no pm_test=devices (needs CONFIG_PM_DEBUG)\n");
	fd = vdgpu_open_render();
	close(fd);
	if (!vdgpu_has_pm_callbacks(found, sizeof(found)))
		igt_skip("vdgpu has no suspend support yet (no suspend/resume callbacks in the module)\n");
	igt_info("vdgpu has %s: testing a %s cycle\n", found, state);
	igt_require_f(!virtio_9p_mount(text, sizeof(text)),
		      "%s is 9p over virtio, which does not survive a suspend (9pnet_virtio has no freeze/restore)\n",
		      text);

	fd = open_device(PARAMS_SHRINK);
	rng_init();
	evict_state_init(&st, fd, &cfg, query_vram(fd).total_size * cfg.percent / 100);
	create_all(&st, query_vram(fd).total_size * cfg.percent / 100);
	s = calloc(1, sizeof(*s));
	igt_assert(s);
	shrink_set_create(&st, s, false);
	log_placement(&st, "before suspend");

	/* The current selection is the one in brackets. */
	ret = vdgpu_read_file("/sys/power/pm_test", text, sizeof(text));
	igt_assert_lt(0, ret);
	p = strchr(text, '[');
	igt_assert(p);
	snprintf(pm_test_saved, sizeof(pm_test_saved), "%.*s",
		 (int)strcspn(p + 1, "]"), p + 1);
	if (vdgpu_read_file(PM_TEST_DELAY, pm_delay_saved, sizeof(pm_delay_saved)) < 0)
		pm_delay_saved[0] = '\0';
	push_cleanup(pm_restore, NULL);
	igt_assert_eq(vdgpu_write_file("/sys/power/pm_test", "devices"), 0);
	if (pm_delay_saved[0])
		vdgpu_write_file(PM_TEST_DELAY, "1");

	read_mem_stats(&s0);
	ret = vdgpu_write_file("/sys/power/state", state);
	igt_assert_f(ret == 0, "suspend (%s, pm_test=devices) failed: %s\n",
		     state, strerror(-ret));
	read_mem_stats(&s1);
	log_stats_delta("suspend and resume", &s0, &s1);
	log_placement(&st, "after resume");

	verify_all(&st, "after resume");
	for (i = 0; i < s->n_keep; i++)
		ebo_check(fd, &s->keep[i], "SYSTEM/GTT object after resume", i);
	for (i = 0; i < s->n_vram; i++)
		ebo_check(fd, &s->vram[i], "VRAM object after resume", i);

	/* The device still evicts: replace objects, check everything again. */
	run_passes(&st);
	verify_all(&st, "after resume and evictions");
	for (i = 0; i < s->n_vram; i++)
		ebo_check(fd, &s->vram[i], "VRAM object after resume and evictions", i);

	shrink_set_close(fd, s);
	close_all(&st);
	free(s);
	free(st.bos);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "evict-1_5x", test_evict_1_5x,
	  "Objects of 1.5x VRAM evict each other and keep every byte over passes." },
	{ "evict-3x", test_evict_3x,
	  "Objects of 3x VRAM evict each other through GTT to SYSTEM, keeping every byte." },
	{ "evict-small", test_evict_small,
	  "Hundreds of 4-64 KiB objects overcommitting VRAM keep every byte." },
	{ "evict-large", test_evict_large,
	  "8-16 MiB objects overcommitting VRAM keep every byte; both copy engines move them." },
	{ "evict-random", test_evict_random,
	  "A random mix of 4 KiB to 16 MiB objects overcommitting VRAM keeps every byte." },
	{ "evict-small-bar", test_evict_small_bar,
	  "With a small CPU-visible window, faults move objects into it or out of VRAM." },
	{ "parallel", test_parallel,
	  "nproc+1 processes overcommit VRAM together; each keeps every byte." },
	{ "purge", test_purge,
	  "DONTNEED objects are purged, not moved, before any needed object is evicted." },
	{ "shrink", test_shrink,
	  "drop_caches: the shrinker purges DONTNEED pages and swaps the rest out and back." },
	{ "swap", test_swap,
	  "Under memory pressure with a swap device, objects are swapped out and back intact." },
	{ "suspend", test_suspend,
	  "Objects keep every byte across suspend and resume (skips: no PM support yet)." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Eviction of vdgpu buffer objects: VRAM overcommit, purging, "
		       "the shrinker and swap, several processes, suspend.",
		       subtests, ARRAY_SIZE(subtests));
}
