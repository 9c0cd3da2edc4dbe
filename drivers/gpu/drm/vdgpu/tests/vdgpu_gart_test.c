// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_gart.h"
#include "../vdgpu_mmio.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The driver's GART, exercised the way the GTT manager will use it: bind
 * system pages at some aperture page, let a copy engine move data through
 * the aperture, check the bytes on the other side.
 */

#define T_PAGES		8
#define T_SIZE		(T_PAGES * SZ_4K)
/* Aperture page the tests bind at: not 0, so an off-by-base bug shows. */
#define T_FIRST		37
#define T_VRAM		SZ_4M

struct t_gart {
	struct vdgpu_device *vdev;
	struct vdgpu_engine *copy;
	u32 *cpu;
	dma_addr_t addrs[T_PAGES];
};

/*
 * Eight system pages, bound back to front so that a GART that ignored the
 * table would put the bytes in the wrong order.
 */
static void t_gart_init(struct kunit *test, struct t_gart *t, bool writable)
{
	dma_addr_t dma;
	unsigned int i;

	t->vdev = vdgpu_kunit_device(test, NULL);
	t->copy = &t->vdev->engines[VDGPU_ENGINE_COPY0];
	t->cpu = vdgpu_kunit_sysmem(test, t->vdev, T_SIZE, &dma);
	for (i = 0; i < T_PAGES; i++)
		t->addrs[i] = dma + (T_PAGES - 1 - i) * SZ_4K;
	vdgpu_gart_bind(t->vdev, T_FIRST, T_PAGES, t->addrs, writable);
}

/* Byte offset in the CPU buffer of byte @off of the aperture range. */
static size_t t_cpu_offset(size_t off)
{
	return (T_PAGES - 1 - off / SZ_4K) * SZ_4K + off % SZ_4K;
}

/* The table sits at the start of VRAM, sized for the aperture, enabled. */
static void gart_table_at_start_of_vram(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 pages = vdev->params.gart_size / SZ_4K;

	KUNIT_EXPECT_EQ(test, vdev->gart.table, 0);
	KUNIT_EXPECT_EQ(test, vdev->gart.num_pages, pages);
	KUNIT_EXPECT_EQ(test, vdev->gart.table_end, ALIGN(pages * 8, SZ_4K));
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read64(vdev, VDGPU_REG_GART_BASE_LO), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_GART_CTRL),
			VDGPU_GART_CTRL_ENABLE);
}

/* A copy engine reads bound system pages, in aperture order. */
static void gart_bound_pages_read_in_order(struct kunit *test)
{
	static u8 vram[T_SIZE];
	struct t_gart t;
	u32 dw[16];
	size_t off;
	u32 n;

	t_gart_init(test, &t, true);
	for (off = 0; off < T_SIZE; off += 4)
		t.cpu[t_cpu_offset(off) / 4] = off ^ 0x5a5a0000;

	n = vdgpu_engine_pkt_copy(dw, 0, 0, vdgpu_gart_gpu_addr(T_FIRST),
				  T_VRAM, T_SIZE);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, t.copy, dw, n), 0);

	vdgpu_kunit_vram_read(t.vdev, T_VRAM, vram, T_SIZE);
	for (off = 0; off < T_SIZE; off += 4)
		KUNIT_ASSERT_EQ_MSG(test, *(u32 *)&vram[off],
				    (u32)(off ^ 0x5a5a0000), "at byte %zu", off);
}

/* ... and writes them, again in aperture order. */
static void gart_bound_pages_written_in_order(struct kunit *test)
{
	struct t_gart t;
	u32 dw[16];
	u32 n;

	t_gart_init(test, &t, true);
	memset(t.cpu, 0, T_SIZE);

	/* The second aperture page is the second-to-last CPU page. */
	n = vdgpu_engine_pkt_fill(dw, 0, 0, vdgpu_gart_gpu_addr(T_FIRST + 1),
				  SZ_4K, 0xc0ffee11);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, t.copy, dw, n), 0);

	KUNIT_EXPECT_EQ(test, t.cpu[t_cpu_offset(SZ_4K) / 4], 0xc0ffee11);
	KUNIT_EXPECT_EQ(test, t.cpu[t_cpu_offset(2 * SZ_4K - 4) / 4], 0xc0ffee11);
	KUNIT_EXPECT_EQ(test, t.cpu[t_cpu_offset(0) / 4], 0);
	KUNIT_EXPECT_EQ(test, t.cpu[t_cpu_offset(2 * SZ_4K) / 4], 0);
}

/* Read-only pages fault on a write and keep their contents. */
static void gart_read_only_pages_fault_on_write(struct kunit *test)
{
	struct t_gart t;
	u32 dw[16];
	u32 n;

	t_gart_init(test, &t, false);
	memset(t.cpu, 0x77, T_SIZE);

	n = vdgpu_engine_pkt_fill(dw, 0, 0, vdgpu_gart_gpu_addr(T_FIRST),
				  SZ_4K, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, t.copy, dw, n), -EIO);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_CTX,
					t.copy->last_fault_info),
			VDGPU_FAULT_CTX_GART);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_REASON,
					t.copy->last_fault_info),
			VDGPU_FAULT_READ_ONLY);
	KUNIT_EXPECT_EQ(test, t.cpu[t_cpu_offset(0) / 4], 0x77777777);
}

/* Unbound pages are invalid again: an access faults instead of landing. */
static void gart_unbound_pages_fault(struct kunit *test)
{
	struct t_gart t;
	u32 dw[16];
	u32 n;

	t_gart_init(test, &t, true);
	vdgpu_gart_unbind(t.vdev, T_FIRST, T_PAGES);

	n = vdgpu_engine_pkt_copy(dw, 0, 0, vdgpu_gart_gpu_addr(T_FIRST + 3),
				  T_VRAM, SZ_4K);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, t.copy, dw, n), -EIO);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_REASON,
					t.copy->last_fault_info),
			VDGPU_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, t.copy->last_fault_addr,
			vdgpu_gart_gpu_addr(T_FIRST + 3));

	/* The engine was reset and works again. */
	vdgpu_gart_bind(t.vdev, T_FIRST, T_PAGES, t.addrs, true);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, t.copy, dw, n), 0);
}

static struct kunit_case vdgpu_gart_tests[] = {
	KUNIT_CASE(gart_table_at_start_of_vram),
	KUNIT_CASE(gart_bound_pages_read_in_order),
	KUNIT_CASE(gart_bound_pages_written_in_order),
	KUNIT_CASE(gart_read_only_pages_fault_on_write),
	KUNIT_CASE(gart_unbound_pages_fault),
	{}
};

static struct kunit_suite vdgpu_gart_suite = {
	.name = "vdgpu_gart",
	.test_cases = vdgpu_gart_tests,
};

kunit_test_suite(vdgpu_gart_suite);
