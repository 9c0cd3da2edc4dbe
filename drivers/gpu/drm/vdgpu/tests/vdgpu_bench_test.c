// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/gpu_buddy.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The vdgpu_bench suite: the VRAM manager's allocation and free rate next
 * to raw gpu_buddy's, on the same patterns, built only with
 * CONFIG_DRM_VDGPU_KUNIT_BENCH and run by scripts/bench.sh in a UML kernel
 * without debugging options.  The manager is driven through its TTM
 * callbacks on fake objects, so what it adds to gpu_buddy is exactly its
 * own work: the resource and its LRU entry, the buddy lock, the visible
 * and contiguity bookkeeping.  gpu_buddy gets the same requests, sizes and
 * flags directly, without a lock.
 *
 * Each case runs both, alternately, BENCH_RUNS times after one warm-up
 * each, and logs one line per timed run:
 *
 *	BENCH case=<case> impl=<vram_mgr|gpu_buddy> run=<n> ops=<n> ns=<n>
 *
 * plus, for the fragmented case, what fragmentation leaves
 * (BENCH_INFO lines).  Timings are reported, never asserted: a case fails
 * only when an allocation that must succeed does not.
 */

#define BENCH_RUNS	5

/* The churn case: random sizes in and out of a 1 GiB VRAM. */
#define CHURN_VRAM	SZ_1G
#define CHURN_SLOTS	512
#define CHURN_OPS	400000

/* The fragmented case: every other 4 KiB page of 64 MiB taken. */
#define FRAG_VRAM	SZ_64M
#define FRAG_SIZE	SZ_64K
/* Fills and empties of the free half per timed run. */
#define FRAG_PASSES	20

KUNIT_DEFINE_ACTION_WRAPPER(bench_kvfree, kvfree, const void *);

/* A zeroed array too large for kmalloc, freed when the test ends. */
static void *bench_kvcalloc(struct kunit *test, size_t n, size_t size)
{
	void *p = kvcalloc(n, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bench_kvfree, p),
			0);
	return p;
}

enum bench_impl { BENCH_BUDDY, BENCH_MGR };

static const char *const bench_impl_name[] = {
	[BENCH_BUDDY] = "gpu_buddy",
	[BENCH_MGR] = "vram_mgr",
};

/* One allocator under test, either kind. */
struct bench_alloc {
	struct kunit *test;
	enum bench_impl impl;
	/* BENCH_BUDDY */
	struct gpu_buddy mm;
	/* BENCH_MGR */
	struct vdgpu_kunit_ttm *ttm;
	struct vdgpu_vram_mgr *mgr;
	struct ttm_place place;
	/* The one fake object every allocation is made for. */
	struct ttm_buffer_object *bo;
	u64 size;
};

/* What one allocation holds in either kind. */
struct bench_slot {
	struct list_head blocks;	/* gpu_buddy */
	struct ttm_resource *res;	/* vram_mgr */
	bool live;
};

static void bench_alloc_init(struct kunit *test, struct bench_alloc *a,
			     enum bench_impl impl, u64 size)
{
	a->test = test;
	a->impl = impl;
	a->size = size;
	if (impl == BENCH_BUDDY) {
		KUNIT_ASSERT_EQ(test, gpu_buddy_init(&a->mm, size, SZ_4K), 0);
		return;
	}
	a->ttm = vdgpu_kunit_ttm_device(test);
	a->mgr = kunit_kzalloc(test, sizeof(*a->mgr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a->mgr);
	KUNIT_ASSERT_EQ(test, vdgpu_vram_mgr_init(a->mgr, a->ttm->drm,
						  &a->ttm->bdev, TTM_PL_VRAM,
						  size, size, SZ_4K), 0);
	a->place = (struct ttm_place){ .mem_type = TTM_PL_VRAM };
	/* The manager reads only its size, alignment and priority. */
	a->bo = vdgpu_kunit_fake_bo(test, a->ttm, SZ_4K);
}

static void bench_alloc_fini(struct bench_alloc *a)
{
	if (a->impl == BENCH_BUDDY)
		gpu_buddy_fini(&a->mm);
	else
		KUNIT_EXPECT_EQ(a->test, vdgpu_vram_mgr_fini(a->mgr,
							     &a->ttm->bdev), 0);
}

static void bench_slots_init(struct bench_slot *slots, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		INIT_LIST_HEAD(&slots[i].blocks);
		slots[i].live = false;
		slots[i].res = NULL;
	}
}

/*
 * @flags: %GPU_BUDDY_CONTIGUOUS_ALLOCATION or 0.  A fake object has no
 * resource, so the manager asks for cleared blocks, and so does the raw
 * allocator.
 */
static int bench_slot_alloc(struct bench_alloc *a, struct bench_slot *s,
			    u64 size, unsigned long flags)
{
	struct ttm_resource_manager *man;
	struct ttm_place place;
	int ret;

	if (a->impl == BENCH_BUDDY) {
		ret = gpu_buddy_alloc_blocks(&a->mm, 0, a->size, size, SZ_4K,
					     &s->blocks,
					     flags | GPU_BUDDY_CLEAR_ALLOCATION);
	} else {
		man = &a->mgr->manager;
		place = a->place;
		if (flags & GPU_BUDDY_CONTIGUOUS_ALLOCATION)
			place.flags |= TTM_PL_FLAG_CONTIGUOUS;
		a->bo->base.size = size;
		ret = man->func->alloc(man, a->bo, &place, &s->res);
	}
	s->live = !ret;
	return ret;
}

static void bench_slot_free(struct bench_alloc *a, struct bench_slot *s)
{
	struct ttm_resource_manager *man;

	if (!s->live)
		return;
	if (a->impl == BENCH_BUDDY) {
		gpu_buddy_free_list(&a->mm, &s->blocks, 0);
	} else {
		man = &a->mgr->manager;
		man->func->free(man, s->res);
	}
	s->res = NULL;
	s->live = false;
}

static void bench_report(struct kunit *test, const char *name,
			 enum bench_impl impl, unsigned int run, u64 ops,
			 u64 ns)
{
	kunit_info(test, "BENCH case=%s impl=%s run=%u ops=%llu ns=%llu\n",
		   name, bench_impl_name[impl], run, ops, ns);
}

/* The churn pattern, fixed by its seed so that both kinds see the same. */
struct churn_op {
	u32 slot;
	u32 size;
};

static u32 churn_size(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd) % 100;
	u32 size;

	/* Mostly small objects, some up to 1 MiB, a few up to 8 MiB. */
	if (r < 60)
		size = SZ_4K + prandom_u32_state(rnd) % SZ_64K;
	else if (r < 90)
		size = SZ_64K + prandom_u32_state(rnd) % SZ_1M;
	else
		size = SZ_1M + prandom_u32_state(rnd) % SZ_8M;
	return round_up(size, SZ_4K);
}

static struct churn_op *churn_pattern(struct kunit *test)
{
	struct churn_op *ops;
	struct rnd_state rnd;
	unsigned int i;

	ops = bench_kvcalloc(test, CHURN_OPS, sizeof(*ops));
	prandom_seed_state(&rnd, 0x76646770756265ull);
	for (i = 0; i < CHURN_OPS; i++) {
		ops[i].slot = prandom_u32_state(&rnd) % CHURN_SLOTS;
		ops[i].size = churn_size(&rnd);
	}
	return ops;
}

/* One pass: each op frees its slot if live, else allocates into it. */
static u64 churn_pass(struct kunit *test, struct bench_alloc *a,
		      struct bench_slot *slots, const struct churn_op *ops)
{
	unsigned int i;
	u64 start;

	bench_slots_init(slots, CHURN_SLOTS);
	start = ktime_get_ns();
	for (i = 0; i < CHURN_OPS; i++) {
		struct bench_slot *s = &slots[ops[i].slot];

		if (s->live)
			bench_slot_free(a, s);
		else
			KUNIT_ASSERT_EQ(test, bench_slot_alloc(a, s, ops[i].size,
							       0), 0);
	}
	for (i = 0; i < CHURN_SLOTS; i++)
		bench_slot_free(a, &slots[i]);
	return ktime_get_ns() - start;
}

/*
 * Random sizes from 4 KiB to 9 MiB, mostly small, allocated and freed at
 * random among 512 slots of a 1 GiB VRAM (about a sixth of it in use).
 */
static void vdgpu_bench_churn(struct kunit *test)
{
	const struct churn_op *ops = churn_pattern(test);
	struct bench_slot *slots[2];
	struct bench_alloc *a[2];
	unsigned int run, i;
	u64 ns;

	for (i = 0; i < 2; i++) {
		a[i] = kunit_kzalloc(test, sizeof(*a[i]), GFP_KERNEL);
		slots[i] = kunit_kcalloc(test, CHURN_SLOTS, sizeof(*slots[i]),
					 GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a[i]);
		KUNIT_ASSERT_NOT_NULL(test, slots[i]);
		bench_alloc_init(test, a[i], i, CHURN_VRAM);
		churn_pass(test, a[i], slots[i], ops);
	}
	for (run = 1; run <= BENCH_RUNS; run++) {
		for (i = 0; i < 2; i++) {
			ns = churn_pass(test, a[i], slots[i], ops);
			/* Every op, and the frees of what was left. */
			bench_report(test, "churn", i, run, CHURN_OPS, ns);
		}
	}
	for (i = 0; i < 2; i++)
		bench_alloc_fini(a[i]);
}

/*
 * gpu_buddy's tests fragment an allocator by taking every page, turn by
 * turn into two lists, and freeing one list (drm_test_buddy_alloc_clear(),
 * _contiguous()).  Here every page is a slot, since the manager makes a
 * resource per allocation, and every other one is freed.
 */
static void frag_fill(struct kunit *test, struct bench_alloc *a,
		      struct bench_slot *pages, unsigned int npages)
{
	unsigned int i;

	bench_slots_init(pages, npages);
	for (i = 0; i < npages; i++)
		KUNIT_ASSERT_EQ(test, bench_slot_alloc(a, &pages[i], SZ_4K, 0),
				0);
	for (i = 1; i < npages; i += 2)
		bench_slot_free(a, &pages[i]);
}

/*
 * Into the half-free VRAM: FRAG_SIZE objects, each 16 scattered pages,
 * until no room is left, then free them.  Returns the objects allocated.
 */
static unsigned int frag_pass(struct bench_alloc *a, struct bench_slot *objs,
			      unsigned int max, u64 *ns)
{
	unsigned int n, i;
	u64 start;

	bench_slots_init(objs, max);
	start = ktime_get_ns();
	for (n = 0; n < max; n++)
		if (bench_slot_alloc(a, &objs[n], FRAG_SIZE, 0))
			break;
	for (i = 0; i < n; i++)
		bench_slot_free(a, &objs[i]);
	*ns = ktime_get_ns() - start;
	return n;
}

/* The largest power of two a contiguous request still gets, or 0. */
static u64 frag_largest(struct bench_alloc *a, struct bench_slot *s)
{
	u64 size;

	for (size = SZ_2M; size >= SZ_4K; size >>= 1) {
		bench_slots_init(s, 1);
		if (!bench_slot_alloc(a, s, size, GPU_BUDDY_CONTIGUOUS_ALLOCATION)) {
			bench_slot_free(a, s);
			return size;
		}
	}
	return 0;
}

static void vdgpu_bench_fragmented(struct kunit *test)
{
	const unsigned int npages = FRAG_VRAM / SZ_4K;
	const unsigned int max = FRAG_VRAM / FRAG_SIZE;
	struct bench_slot *pages[2], *objs[2];
	struct bench_alloc *a[2];
	unsigned int run, i, n;
	u64 ns;

	for (i = 0; i < 2; i++) {
		a[i] = kunit_kzalloc(test, sizeof(*a[i]), GFP_KERNEL);
		pages[i] = bench_kvcalloc(test, npages, sizeof(*pages[i]));
		objs[i] = kunit_kcalloc(test, max, sizeof(*objs[i]),
					GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a[i]);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		bench_alloc_init(test, a[i], i, FRAG_VRAM);
		frag_fill(test, a[i], pages[i], npages);
		kunit_info(test,
			   "BENCH_INFO case=fragmented impl=%s vram=%u pages_kept=%u largest_contiguous=%llu\n",
			   bench_impl_name[i], FRAG_VRAM, npages / 2,
			   frag_largest(a[i], objs[i]));
		n = frag_pass(a[i], objs[i], max, &ns);
		kunit_info(test,
			   "BENCH_INFO case=fragmented impl=%s objects=%u object_size=%u\n",
			   bench_impl_name[i], n, FRAG_SIZE);
	}
	for (run = 1; run <= BENCH_RUNS; run++) {
		for (i = 0; i < 2; i++) {
			u64 total = 0, ops = 0;
			unsigned int pass;

			for (pass = 0; pass < FRAG_PASSES; pass++) {
				n = frag_pass(a[i], objs[i], max, &ns);
				/* Allocations, the failed last one, frees. */
				ops += 2 * n + 1;
				total += ns;
			}
			bench_report(test, "fragmented", i, run, ops, total);
		}
	}
	for (i = 0; i < 2; i++) {
		for (n = 0; n < npages; n++)
			bench_slot_free(a[i], &pages[i][n]);
		bench_alloc_fini(a[i]);
	}
}

static struct kunit_case vdgpu_bench_cases[] = {
	KUNIT_CASE_SLOW(vdgpu_bench_churn),
	KUNIT_CASE_SLOW(vdgpu_bench_fragmented),
	{}
};

static struct kunit_suite vdgpu_bench_suite = {
	.name = "vdgpu_bench",
	.test_cases = vdgpu_bench_cases,
};

kunit_test_suite(vdgpu_bench_suite);
