// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_mmio.h"
#include "../vdgpu_regs.h"
#include "vdgpu_kunit_helpers.h"

/* VRAM layout of these tests, in a 32 MiB device. */
#define T_VRAM_SRC	SZ_1M
#define T_VRAM_DST	SZ_2M
#define T_GART_TABLE	SZ_16M
#define T_PT_BASE	(20 * SZ_1M)
#define T_PT_SIZE	SZ_1M
#define T_VA_SRC	0x100000000ull
#define T_VA_DST	0x200000000ull
#define T_CTX		3
#define T_PAGES		4
#define T_SPACE		(T_PAGES * SZ_4K)

/* Ring order is execution order: the last of many fills wins. */
static void engine_runs_packets_in_order(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY0];
	struct dma_fence *fences[16];
	u32 dw[16], val;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(fences); i++) {
		u32 n = vdgpu_engine_pkt_fill(dw, 0, 0, T_VRAM_DST, SZ_4K, i);

		ret = vdgpu_engine_submit(e, dw, n, &fences[i]);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_ASSERT_GT(test, dma_fence_wait_timeout(fences[15], false,
						     60 * HZ), 0);
	for (i = 0; i < ARRAY_SIZE(fences); i++) {
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fences[i]));
		KUNIT_EXPECT_EQ(test, fences[i]->error, 0);
		if (i)
			KUNIT_EXPECT_TRUE(test, dma_fence_is_later(fences[i],
								   fences[i - 1]));
		dma_fence_put(fences[i]);
	}
	vdgpu_kunit_vram_read(vdev, T_VRAM_DST + SZ_4K - 4, &val, 4);
	KUNIT_EXPECT_EQ(test, le32_to_cpu((__force __le32)val), 15);
}

/* Submissions keep working after the ring has wrapped several times. */
static void engine_ring_wraps(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY1];
	struct dma_fence *fence, *last = NULL;
	u32 *dw;
	u32 n;
	int i, ret;

	dw = kunit_kcalloc(test, 64, sizeof(*dw), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dw);
	n = vdgpu_engine_pkt_nop(dw, 59);

	/* 600 * 64 dwords is more than two laps of the 64 KiB ring. */
	for (i = 0; i < 600; i++) {
		ret = vdgpu_engine_submit(e, dw, n, &fence);
		KUNIT_ASSERT_EQ(test, ret, 0);
		if (last)
			dma_fence_put(last);
		last = fence;
	}
	KUNIT_ASSERT_GT(test, dma_fence_wait_timeout(last, false, 60 * HZ), 0);
	KUNIT_EXPECT_EQ(test, last->error, 0);
	dma_fence_put(last);
}

/*
 * A submission larger than half the ring is refused before anything is
 * read or written, however large its dword count (KASAN would see a read
 * past @dw, and the ring would be overwritten, if the size wrapped).
 */
static void engine_submit_rejects_oversized(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY0];
	struct dma_fence *fence = NULL;
	u32 dw[1], n = vdgpu_engine_pkt_nop(dw, 0);

	KUNIT_EXPECT_EQ(test, vdgpu_engine_submit(e, dw, e->ring_size / 8, &fence),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vdgpu_engine_submit(e, dw, U32_MAX, &fence),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vdgpu_engine_submit(e, dw, U32_MAX - 3, &fence),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, fence);

	/* The ring is untouched: the next submission runs. */
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), 0);
}

enum t_space_kind { T_VRAM, T_GTT, T_VA_VRAM, T_VA_SYS };

/* One operand of a COPY or FILL and how the CPU sees it. */
struct t_space {
	u64 addr;
	bool virt;
	void *cpu;
	u64 vram;
};

struct t_fixture {
	struct vdgpu_device *vdev;
	struct vdgpu_kunit_vm vm;
};

static void t_fixture_init(struct kunit *test, struct t_fixture *f)
{
	f->vdev = vdgpu_kunit_device(test, NULL);
	vdgpu_kunit_gart_enable(f->vdev, T_GART_TABLE);
	vdgpu_kunit_vm_init(test, &f->vm, f->vdev, T_CTX, T_PT_BASE, T_PT_SIZE);
}

/* @dst selects the second set of addresses, so src and dst never overlap. */
static void t_space_init(struct kunit *test, struct t_fixture *f,
			 enum t_space_kind kind, bool dst, struct t_space *s)
{
	u64 vram = dst ? T_VRAM_DST : T_VRAM_SRC;
	u64 va = dst ? T_VA_DST : T_VA_SRC;
	u64 gtt_index = dst ? T_PAGES : 0;
	dma_addr_t dma;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	switch (kind) {
	case T_VRAM:
		s->addr = vram;
		s->vram = vram;
		break;
	case T_GTT:
		s->cpu = vdgpu_kunit_sysmem(test, f->vdev, T_SPACE, &dma);
		for (i = 0; i < T_PAGES; i++)
			vdgpu_kunit_gart_map(f->vdev, T_GART_TABLE, gtt_index + i,
					     (dma + i * SZ_4K) | VDGPU_PTE_VALID |
					     VDGPU_PTE_WRITABLE | VDGPU_PTE_SYSTEM);
		s->addr = VDGPU_GTT_BASE + gtt_index * SZ_4K;
		break;
	case T_VA_VRAM:
		/* Mapped back to front, so page order matters. */
		for (i = 0; i < T_PAGES; i++)
			vdgpu_kunit_vm_map(test, &f->vm, va + i * SZ_4K,
					   (vram + (T_PAGES - 1 - i) * SZ_4K) |
					   VDGPU_PTE_VALID | VDGPU_PTE_WRITABLE,
					   0);
		s->addr = va;
		s->virt = true;
		s->vram = vram;
		break;
	case T_VA_SYS:
		s->cpu = vdgpu_kunit_sysmem(test, f->vdev, T_SPACE, &dma);
		for (i = 0; i < T_PAGES; i++)
			vdgpu_kunit_vm_map(test, &f->vm, va + i * SZ_4K,
					   (dma + i * SZ_4K) | VDGPU_PTE_VALID |
					   VDGPU_PTE_WRITABLE | VDGPU_PTE_SYSTEM,
					   0);
		s->addr = va;
		s->virt = true;
		break;
	}
}

/* Where byte @off of a space lives, as the CPU sees it. */
static void t_space_io(struct t_fixture *f, struct t_space *s, bool reversed,
		       u64 off, void *buf, size_t len, bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, SZ_4K - off % SZ_4K);
		u64 page = off / SZ_4K;

		if (reversed)
			page = T_PAGES - 1 - page;
		if (s->cpu && write)
			memcpy(s->cpu + page * SZ_4K + off % SZ_4K, buf, n);
		else if (s->cpu)
			memcpy(buf, s->cpu + page * SZ_4K + off % SZ_4K, n);
		else if (write)
			vdgpu_kunit_vram_write(f->vdev, s->vram + page * SZ_4K +
					       off % SZ_4K, buf, n);
		else
			vdgpu_kunit_vram_read(f->vdev, s->vram + page * SZ_4K +
					      off % SZ_4K, buf, n);
		off += n;
		buf += n;
		len -= n;
	}
}

struct t_xfer_case {
	const char *name;
	enum t_space_kind src;
	enum t_space_kind dst;
};

static const struct t_xfer_case t_xfer_cases[] = {
	{ "vram_to_vram", T_VRAM, T_VRAM },
	{ "vram_to_gtt", T_VRAM, T_GTT },
	{ "gtt_to_vram", T_GTT, T_VRAM },
	{ "gtt_to_gtt", T_GTT, T_GTT },
	{ "va_vram_to_va_sys", T_VA_VRAM, T_VA_SYS },
	{ "va_sys_to_va_vram", T_VA_SYS, T_VA_VRAM },
	{ "vram_to_va_vram", T_VRAM, T_VA_VRAM },
	{ "va_sys_to_gtt", T_VA_SYS, T_GTT },
};

KUNIT_ARRAY_PARAM_DESC(t_xfer, t_xfer_cases, name);

/*
 * COPY moves exactly the bytes asked for between any two address kinds, at
 * unaligned offsets across page boundaries, and touches nothing around them.
 */
static void engine_copy_between_spaces(struct kunit *test)
{
	const struct t_xfer_case *c = test->param_value;
	const u64 soff = 100, doff = 300, size = 3 * SZ_4K + 77;
	u8 *pattern, *before, *after;
	struct t_fixture f;
	struct t_space src, dst;
	u32 dw[8];
	u32 n;

	t_fixture_init(test, &f);
	t_space_init(test, &f, c->src, false, &src);
	t_space_init(test, &f, c->dst, true, &dst);

	pattern = kunit_kmalloc(test, T_SPACE, GFP_KERNEL);
	before = kunit_kmalloc(test, T_SPACE, GFP_KERNEL);
	after = kunit_kmalloc(test, T_SPACE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pattern);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);

	get_random_bytes(pattern, T_SPACE);
	t_space_io(&f, &src, c->src == T_VA_VRAM, 0, pattern, T_SPACE, true);
	t_space_io(&f, &dst, c->dst == T_VA_VRAM, 0, before, T_SPACE, false);

	n = vdgpu_engine_pkt_copy(dw, (src.virt ? VDGPU_PKT_COPY_SRC_VIRT : 0) |
				  (dst.virt ? VDGPU_PKT_COPY_DST_VIRT : 0), T_CTX,
				  src.addr + soff, dst.addr + doff, size);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &f.vdev->engines[0], dw, n),
			0);

	t_space_io(&f, &dst, c->dst == T_VA_VRAM, 0, after, T_SPACE, false);
	KUNIT_EXPECT_MEMEQ(test, after + doff, pattern + soff, size);
	KUNIT_EXPECT_MEMEQ(test, after, before, doff);
	KUNIT_EXPECT_MEMEQ(test, after + doff + size, before + doff + size,
			   T_SPACE - doff - size);
}

struct t_kind_case {
	const char *name;
	enum t_space_kind dst;
};

static const struct t_kind_case t_kind_cases[] = {
	{ "vram", T_VRAM },
	{ "gtt", T_GTT },
	{ "va_vram", T_VA_VRAM },
	{ "va_sys", T_VA_SYS },
};

KUNIT_ARRAY_PARAM_DESC(t_kind, t_kind_cases, name);

/* FILL writes its pattern over exactly the range asked for. */
static void engine_fill_spaces(struct kunit *test)
{
	const struct t_kind_case *c = test->param_value;
	const u64 doff = 4 * 13, size = 2 * SZ_4K + 4 * 7;
	u32 *before, *after, dw[8];
	struct t_fixture f;
	struct t_space dst;
	unsigned int i;
	u32 n;

	t_fixture_init(test, &f);
	t_space_init(test, &f, c->dst, true, &dst);
	before = kunit_kmalloc(test, T_SPACE, GFP_KERNEL);
	after = kunit_kmalloc(test, T_SPACE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	t_space_io(&f, &dst, c->dst == T_VA_VRAM, 0, before, T_SPACE, false);

	n = vdgpu_engine_pkt_fill(dw, dst.virt ? VDGPU_PKT_FILL_DST_VIRT : 0, T_CTX,
				  dst.addr + doff, size, 0xc0ffee00);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &f.vdev->engines[1], dw, n),
			0);

	t_space_io(&f, &dst, c->dst == T_VA_VRAM, 0, after, T_SPACE, false);
	for (i = 0; i < size / 4; i++)
		KUNIT_ASSERT_EQ(test, le32_to_cpu((__force __le32)after[doff / 4 + i]),
				0xc0ffee00);
	KUNIT_EXPECT_MEMEQ(test, after, before, doff);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)after + doff + size,
			   (u8 *)before + doff + size, T_SPACE - doff - size);
}

/* PT_WRITE puts its qwords into VRAM in order. */
static void engine_pt_write(struct kunit *test)
{
	const u32 nqw = VDGPU_PKT_PT_WRITE_MAX_QW;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 *qw, *got;
	u32 *dw;
	u32 i, n;

	/* Heap, not stack: two full packets' worth of qwords is too much. */
	dw = kunit_kcalloc(test, VDGPU_PKT_MAX_DW + 1, sizeof(*dw), GFP_KERNEL);
	qw = kunit_kcalloc(test, nqw, sizeof(*qw), GFP_KERNEL);
	got = kunit_kcalloc(test, nqw, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dw);
	KUNIT_ASSERT_NOT_NULL(test, qw);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i < nqw; i++)
		qw[i] = 0x0123456789abcdefull ^ ((u64)i << 40 | i);

	n = vdgpu_engine_pkt_pt_write(dw, T_VRAM_DST + 8, qw, nqw);
	KUNIT_ASSERT_EQ(test, n, VDGPU_PKT_MAX_DW + 1);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[0], dw, n), 0);

	vdgpu_kunit_vram_read(vdev, T_VRAM_DST + 8, got, nqw * sizeof(*got));
	for (i = 0; i < nqw; i++)
		KUNIT_EXPECT_EQ(test, le64_to_cpu((__force __le64)got[i]), qw[i]);
}

struct t_bad_case {
	const char *name;
	unsigned int engine;
	u32 error;
	u32 (*build)(u32 *dw);
};

static u32 t_bad_opcode(u32 *dw)
{
	dw[0] = FIELD_PREP(VDGPU_PKT_HDR_OPCODE, 0x7f);
	return 1;
}

static u32 t_bad_length(u32 *dw)
{
	u32 n = vdgpu_engine_pkt_copy(dw, 0, 0, 0, SZ_4K, 16);

	dw[0] = (dw[0] & ~VDGPU_PKT_HDR_LEN) | (VDGPU_PKT_COPY_LEN - 1);
	return n - 1;
}

static u32 t_too_long(u32 *dw)
{
	dw[0] = FIELD_PREP(VDGPU_PKT_HDR_LEN, VDGPU_PKT_MAX_DW + 1);
	return 1;
}

static u32 t_truncated(u32 *dw)
{
	/* Claims more payload than was queued behind it. */
	dw[0] = FIELD_PREP(VDGPU_PKT_HDR_LEN, 100);
	return 1;
}

static u32 t_misaligned_fill(u32 *dw)
{
	return vdgpu_engine_pkt_fill(dw, 0, 0, T_VRAM_DST + 2, 64, 0);
}

static u32 t_outside_vram(u32 *dw)
{
	return vdgpu_engine_pkt_copy(dw, 0, 0, T_VRAM_SRC, SZ_32M - 64, 128);
}

static u32 t_outside_gtt(u32 *dw)
{
	return vdgpu_engine_pkt_fill(dw, 0, 0, VDGPU_GTT_BASE + SZ_32M, 64, 0);
}

static u32 t_bad_context(u32 *dw)
{
	return vdgpu_engine_pkt_fill(dw, VDGPU_PKT_FILL_DST_VIRT, VDGPU_NUM_CONTEXTS,
				     0, 64, 0);
}

static u32 t_pt_write_outside_vram(u32 *dw)
{
	u64 qw = 0;

	return vdgpu_engine_pkt_pt_write(dw, SZ_32M, &qw, 1);
}

static u32 t_fence_to_nowhere(u32 *dw)
{
	dw[0] = FIELD_PREP(VDGPU_PKT_HDR_OPCODE, VDGPU_PKT_FENCE) |
		FIELD_PREP(VDGPU_PKT_HDR_LEN, VDGPU_PKT_FENCE_LEN);
	dw[1] = 0;
	dw[2] = BIT(50 - 32);
	dw[3] = 1;
	return 4;
}

static u32 t_copy(u32 *dw)
{
	return vdgpu_engine_pkt_copy(dw, 0, 0, T_VRAM_SRC, T_VRAM_DST, 64);
}

static const struct t_bad_case t_bad_cases[] = {
	{ "bad_opcode", 0, VDGPU_ERROR_BAD_OPCODE, t_bad_opcode },
	{ "bad_length", 0, VDGPU_ERROR_BAD_LENGTH, t_bad_length },
	{ "too_long", 1, VDGPU_ERROR_BAD_LENGTH, t_too_long },
	{ "truncated", 0, VDGPU_ERROR_TRUNCATED, t_truncated },
	{ "misaligned_fill", 1, VDGPU_ERROR_BAD_ALIGNMENT, t_misaligned_fill },
	{ "outside_vram", 0, VDGPU_ERROR_BAD_ADDRESS, t_outside_vram },
	{ "outside_gtt", 0, VDGPU_ERROR_BAD_ADDRESS, t_outside_gtt },
	{ "bad_context", 1, VDGPU_ERROR_BAD_ADDRESS, t_bad_context },
	{ "pt_write_outside_vram", 0, VDGPU_ERROR_BAD_ADDRESS,
	  t_pt_write_outside_vram },
	{ "fence_to_nowhere", 2, VDGPU_ERROR_BAD_BUS_ADDRESS, t_fence_to_nowhere },
	{ "compute_rejects_copy", 2, VDGPU_ERROR_BAD_OPCODE, t_copy },
};

KUNIT_ARRAY_PARAM_DESC(t_bad, t_bad_cases, name);

/*
 * A malformed packet halts the engine with an ERROR interrupt and the right
 * code; its fence signals with -EIO, the engine is reset, and it executes
 * the next submission.  Nothing outside the device's memory is touched
 * (KASAN would say so).
 */
static void engine_malformed_packet_errors(struct kunit *test)
{
	const struct t_bad_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[c->engine];
	u32 dw[16];
	u32 n;

	n = c->build(dw);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_error), c->error);

	/* The reset that signalled the fence has restarted the engine. */
	KUNIT_EXPECT_EQ(test, atomic_read(&e->resets), 1);
	n = vdgpu_engine_pkt_nop(dw, 2);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), 0);
}

/* INJECT.FAIL_COUNT fails exactly that many packets, one reset each. */
static void engine_injected_failures(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	u32 dw[4];
	u32 n = vdgpu_engine_pkt_nop(dw, 0);

	vdgpu_mmio_write32(vdev, VDGPU_ENGINE_BASE(e->id) + VDGPU_ENGINE_INJECT,
			   FIELD_PREP(VDGPU_ENGINE_INJECT_FAIL_COUNT, 1));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_error), VDGPU_ERROR_INJECTED);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), 0);
}

/*
 * A hung engine is reported by STATUS.HUNG; resetting it signals the fence
 * with the caller's error and the engine works again.
 */
static void engine_hang_detected_and_reset(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY0];
	struct dma_fence *fence;
	u32 dw[4];
	u32 n = vdgpu_engine_pkt_nop(dw, 0);
	int i;

	vdgpu_mmio_write32(vdev, VDGPU_ENGINE_BASE(e->id) + VDGPU_ENGINE_INJECT,
			   VDGPU_ENGINE_INJECT_HANG);
	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, dw, n, &fence), 0);

	for (i = 0; i < 1000 && !vdgpu_engine_is_hung(e); i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_TRUE(test, vdgpu_engine_is_hung(e));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));

	KUNIT_EXPECT_EQ(test, vdgpu_engine_reset(e, -ETIMEDOUT), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, fence->error, -ETIMEDOUT);
	dma_fence_put(fence);

	KUNIT_EXPECT_FALSE(test, vdgpu_engine_is_hung(e));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), 0);
}

/*
 * An engine that does not come out of reset is wedged: its fences are
 * signalled, new submissions fail with -EIO rather than queue fences that
 * could never signal, and the next reset that completes brings it back.
 */
static void engine_wedged_after_failed_reset(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY1];
	u32 inject = VDGPU_ENGINE_BASE(e->id) + VDGPU_ENGINE_INJECT;
	struct dma_fence *fence;
	u32 dw[1], n = vdgpu_engine_pkt_nop(dw, 0);

	vdgpu_mmio_write32(vdev, inject, VDGPU_ENGINE_INJECT_HANG |
			   VDGPU_ENGINE_INJECT_RESET_HANG);
	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, dw, n, &fence), 0);

	KUNIT_EXPECT_EQ(test, vdgpu_engine_reset(e, -ETIMEDOUT), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, fence->error, -ETIMEDOUT);
	dma_fence_put(fence);
	fence = NULL;
	KUNIT_EXPECT_EQ(test, vdgpu_engine_submit(e, dw, n, &fence), -EIO);
	KUNIT_EXPECT_NULL(test, fence);

	vdgpu_mmio_write32(vdev, inject, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_engine_reset(e, -ETIMEDOUT), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw, n), 0);
}

static struct kunit_case vdgpu_engine_tests[] = {
	KUNIT_CASE(engine_runs_packets_in_order),
	KUNIT_CASE(engine_ring_wraps),
	KUNIT_CASE(engine_submit_rejects_oversized),
	KUNIT_CASE_PARAM(engine_copy_between_spaces, t_xfer_gen_params),
	KUNIT_CASE_PARAM(engine_fill_spaces, t_kind_gen_params),
	KUNIT_CASE(engine_pt_write),
	KUNIT_CASE_PARAM(engine_malformed_packet_errors, t_bad_gen_params),
	KUNIT_CASE(engine_injected_failures),
	KUNIT_CASE(engine_hang_detected_and_reset),
	KUNIT_CASE(engine_wedged_after_failed_reset),
	{}
};

static struct kunit_suite vdgpu_engine_suite = {
	.name = "vdgpu_engine",
	.test_cases = vdgpu_engine_tests,
};

kunit_test_suite(vdgpu_engine_suite);
