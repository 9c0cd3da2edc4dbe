// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_mmio.h"
#include "../vdgpu_regs.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The device model seen through the driver: its registers, its GART and MMU
 * translations and faults, and VRAM's contents.  VRAM layout, in a 32 MiB
 * device: data at 1 MiB, the GART table at 16 MiB, page tables from 20 MiB,
 * 2 MiB pages backed at 8 MiB.
 */
#define T_DATA		SZ_1M
#define T_HUGE		(8 * SZ_1M)
#define T_GART_TABLE	SZ_16M
#define T_PT_BASE	(20 * SZ_1M)
#define T_CTX		5

static u32 t_vram_read32(struct vdgpu_device *vdev, u64 offset)
{
	__le32 v;

	vdgpu_kunit_vram_read(vdev, offset, &v, sizeof(v));
	return le32_to_cpu(v);
}

static int t_fill(struct kunit *test, struct vdgpu_device *vdev, u32 flags,
		  u64 addr, u64 size, u32 pattern)
{
	u32 dw[8], n = vdgpu_engine_pkt_fill(dw, flags, T_CTX, addr, size, pattern);

	return vdgpu_kunit_run(test, &vdev->engines[0], dw, n);
}

/* The registers describe the configuration the device was built with. */
static void sim_reports_configuration(struct kunit *test)
{
	struct vdgpu_params params = {
		.vram_size = SZ_64M,
		.visible_vram_size = SZ_16M,
		.gart_size = SZ_128M,
	};
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, &params);
	u32 caps = vdgpu_mmio_read32(vdev, VDGPU_REG_CAPS);

	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_ID),
			VDGPU_ID_MAGIC);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_CAPS_ENGINES, caps),
			VDGPU_NUM_ENGINES);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_CAPS_CONTEXTS, caps),
			VDGPU_NUM_CONTEXTS);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read64(vdev, VDGPU_REG_VRAM_SIZE_LO),
			SZ_64M);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read64(vdev, VDGPU_REG_BAR_SIZE_LO),
			SZ_16M);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read64(vdev, VDGPU_REG_GART_SIZE_LO),
			SZ_128M);
	KUNIT_EXPECT_EQ(test, vdev->bus.bar_size, SZ_16M);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, 0x0ffc), 0);
	kunit_info(test, "interrupt line: irq %d\n", vdev->irq.irq);
}

/*
 * Engines reach VRAM beyond the BAR window; a FILL there followed by a COPY
 * into the window shows it.
 */
static void sim_invisible_vram_reachable(struct kunit *test)
{
	struct vdgpu_params params = {
		.vram_size = SZ_64M,
		.visible_vram_size = SZ_16M,
		.gart_size = SZ_16M,
	};
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, &params);
	u32 dw[8], n;

	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, 0, SZ_32M, SZ_4K, 0x5a5a5a5a),
			0);
	n = vdgpu_engine_pkt_copy(dw, 0, 0, SZ_32M, T_DATA, SZ_4K);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[1], dw, n), 0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + SZ_4K - 4),
			0x5a5a5a5a);
}

static bool t_all_zero(const void *buf, size_t len)
{
	return !memchr_inv(buf, 0, len);
}

/* VRAM is garbage at power-up and again after VRAM_LOST. */
static void sim_vram_garbage_and_lost(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u8 *buf;
	int i;

	buf = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	vdgpu_kunit_vram_read(vdev, T_DATA, buf, SZ_4K);
	KUNIT_EXPECT_FALSE(test, t_all_zero(buf, SZ_4K));

	memset(buf, 0, SZ_4K);
	vdgpu_kunit_vram_write(vdev, T_DATA, buf, SZ_4K);
	vdgpu_mmio_write32(vdev, VDGPU_REG_VRAM_LOST, 1);
	for (i = 0; i < 10000 && vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST);
	     i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST), 0);
	vdgpu_kunit_vram_read(vdev, T_DATA, buf, SZ_4K);
	KUNIT_EXPECT_FALSE(test, t_all_zero(buf, SZ_4K));
}

/*
 * The GART maps each aperture page to its own system page, read-only pages
 * take no writes, and unmapped ones fault with the GART's context number.
 */
static void sim_gart_translates_and_faults(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[0];
	dma_addr_t dma;
	u32 *cpu;

	cpu = vdgpu_kunit_sysmem(test, vdev, 2 * SZ_4K, &dma);
	vdgpu_kunit_gart_enable(vdev, T_GART_TABLE);
	/* Aperture page 7 is the second system page, page 8 the first. */
	vdgpu_kunit_gart_map(vdev, T_GART_TABLE, 7, (dma + SZ_4K) |
			     VDGPU_PTE_VALID | VDGPU_PTE_WRITABLE |
			     VDGPU_PTE_SYSTEM);
	vdgpu_kunit_gart_map(vdev, T_GART_TABLE, 8, dma | VDGPU_PTE_VALID |
			     VDGPU_PTE_SYSTEM);

	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, 0, VDGPU_GTT_BASE + 7 * SZ_4K,
				     SZ_4K, 0x11223344), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu((__force __le32)cpu[1024]), 0x11223344);
	KUNIT_EXPECT_EQ(test, le32_to_cpu((__force __le32)cpu[2047]), 0x11223344);

	KUNIT_EXPECT_EQ(test, t_fill(test, vdev, 0, VDGPU_GTT_BASE + 8 * SZ_4K,
				     SZ_4K, 0), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_info),
			FIELD_PREP(VDGPU_FAULT_INFO_CTX, VDGPU_FAULT_CTX_GART) |
			FIELD_PREP(VDGPU_FAULT_INFO_REASON, VDGPU_FAULT_READ_ONLY) |
			VDGPU_FAULT_INFO_WRITE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_addr),
			VDGPU_GTT_BASE + 8 * SZ_4K);

	KUNIT_EXPECT_EQ(test, t_fill(test, vdev, 0,
				     VDGPU_GTT_BASE + 9 * SZ_4K + 64, 4, 0),
			-EIO);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_REASON,
					READ_ONCE(e->last_fault_info)),
			VDGPU_FAULT_NOT_PRESENT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_addr),
			VDGPU_GTT_BASE + 9 * SZ_4K + 64);
}

struct t_page_case {
	const char *name;
	unsigned int level;
	u64 page_size;
	u64 flags;
};

static const struct t_page_case t_page_cases[] = {
	{ "4k", 0, SZ_4K, 0 },
	{ "64k", 0, SZ_64K, VDGPU_PTE_64K },
	{ "2m", 1, SZ_2M, VDGPU_PTE_HUGE },
};

KUNIT_ARRAY_PARAM_DESC(t_page, t_page_cases, name);

/*
 * A page of each size translates every address in it to the same offset
 * into its backing: a FILL at the end of the page lands at the end of the
 * backing, and the page after it is unmapped.
 */
static void sim_mmu_page_sizes(struct kunit *test)
{
	const struct t_page_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	const u64 va = 0x7f0000000000ull, backing = T_HUGE;
	struct vdgpu_kunit_vm vm;
	unsigned int i, entries = c->page_size == SZ_64K ? 16 : 1;

	vdgpu_kunit_vm_init(test, &vm, vdev, T_CTX, T_PT_BASE, SZ_1M);
	for (i = 0; i < entries; i++)
		vdgpu_kunit_vm_map(test, &vm, va + i * SZ_4K,
				   backing | c->flags | VDGPU_PTE_VALID |
				   VDGPU_PTE_WRITABLE, c->level);

	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, VDGPU_PKT_FILL_DST_VIRT,
				     va + c->page_size - 64, 64, 0xabcdef01), 0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, backing + c->page_size - 4),
			0xabcdef01);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, backing + c->page_size - 64),
			0xabcdef01);

	KUNIT_EXPECT_EQ(test, t_fill(test, vdev, VDGPU_PKT_FILL_DST_VIRT,
				     va + c->page_size - 4, 8, 0), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vdev->engines[0].last_fault_addr),
			va + c->page_size);
}

struct t_fault_case {
	const char *name;
	u64 pte;
	unsigned int level;
	bool write;
	u32 reason;
};

static const struct t_fault_case t_fault_cases[] = {
	{ "unmapped_read", 0, 0, false, VDGPU_FAULT_NOT_PRESENT },
	{ "unmapped_write", 0, 0, true, VDGPU_FAULT_NOT_PRESENT },
	{ "read_only_write", T_DATA | VDGPU_PTE_VALID, 0, true,
	  VDGPU_FAULT_READ_ONLY },
	{ "reserved_bits", T_DATA | VDGPU_PTE_VALID | BIT_ULL(60), 0, false,
	  VDGPU_FAULT_BAD_PTE },
	{ "huge_misaligned", T_DATA | VDGPU_PTE_VALID | VDGPU_PTE_HUGE, 1,
	  false, VDGPU_FAULT_BAD_PTE },
	{ "huge_at_level_0", T_DATA | VDGPU_PTE_VALID | VDGPU_PTE_HUGE, 0,
	  false, VDGPU_FAULT_BAD_PTE },
};

KUNIT_ARRAY_PARAM_DESC(t_fault, t_fault_cases, name);

/*
 * Accesses the page tables do not allow fault with the context, the access
 * type, the reason and the address, and nothing is written.
 */
static void sim_mmu_faults(struct kunit *test)
{
	const struct t_fault_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[0];
	const u64 va = 0x40201000ull;
	struct vdgpu_kunit_vm vm;
	u32 dw[8], n, before;

	vdgpu_kunit_vm_init(test, &vm, vdev, T_CTX, T_PT_BASE, SZ_1M);
	if (c->pte)
		vdgpu_kunit_vm_map(test, &vm, va, c->pte, c->level);
	before = t_vram_read32(vdev, T_DATA + 0x100);

	if (c->write)
		n = vdgpu_engine_pkt_copy(dw, VDGPU_PKT_COPY_DST_VIRT, T_CTX,
					  T_DATA + SZ_64K, va + 0x100, 4);
	else
		n = vdgpu_engine_pkt_copy(dw, VDGPU_PKT_COPY_SRC_VIRT, T_CTX,
					  va + 0x100, T_DATA + SZ_64K, 4);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, e, dw, n), -EIO);

	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_info),
			FIELD_PREP(VDGPU_FAULT_INFO_CTX, T_CTX) |
			FIELD_PREP(VDGPU_FAULT_INFO_REASON, c->reason) |
			(c->write ? VDGPU_FAULT_INFO_WRITE : 0));
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_addr), va + 0x100);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x100), before);
}

/* A context that is not enabled faults with DISABLED. */
static void sim_mmu_context_disabled(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);

	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, VDGPU_PKT_FILL_DST_VIRT, 0,
				     4, 0), -EIO);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_REASON,
					READ_ONCE(vdev->engines[0].last_fault_info)),
			VDGPU_FAULT_DISABLED);
}

/* A system page that is not RAM is an error, not a fault. */
static void sim_mmu_system_page_not_ram(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_kunit_vm vm;

	vdgpu_kunit_vm_init(test, &vm, vdev, T_CTX, T_PT_BASE, SZ_1M);
	vdgpu_kunit_vm_map(test, &vm, 0, BIT_ULL(50) | VDGPU_PTE_VALID |
			   VDGPU_PTE_WRITABLE | VDGPU_PTE_SYSTEM, 0);
	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, VDGPU_PKT_FILL_DST_VIRT, 0,
				     4, 0), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vdev->engines[0].last_error),
			VDGPU_ERROR_BAD_BUS_ADDRESS);
}

/*
 * Nor is a reserved page, such as the kernel's zero page: holes, firmware
 * tables and the kernel image are not the driver's to hand out.  The access
 * is a read, so that a model that let it through would not corrupt it.
 */
static void sim_bus_reserved_page_refused(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_kunit_vm vm;
	u32 dw[8], n;

	vdgpu_kunit_vm_init(test, &vm, vdev, T_CTX, T_PT_BASE, SZ_1M);
	vdgpu_kunit_vm_map(test, &vm, 0, PFN_PHYS(page_to_pfn(ZERO_PAGE(0))) |
			   VDGPU_PTE_VALID | VDGPU_PTE_SYSTEM, 0);
	n = vdgpu_engine_pkt_copy(dw, VDGPU_PKT_COPY_SRC_VIRT, T_CTX, 0, T_DATA,
				  64);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[0], dw, n),
			-EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vdev->engines[0].last_error),
			VDGPU_ERROR_BAD_BUS_ADDRESS);
}

/*
 * A throttled device still moves the right bytes.  How long it took is
 * logged, not asserted: the lane's machines are too noisy for that.
 */
static void sim_bandwidth_throttled_copy(struct kunit *test)
{
	struct vdgpu_params params;
	struct vdgpu_device *vdev;
	u32 dw[8], n;
	ktime_t start;

	vdgpu_kunit_default_params(&params);
	params.vram_bandwidth = 1000;
	params.pcie_bandwidth = 500;
	vdev = vdgpu_kunit_device(test, &params);

	KUNIT_ASSERT_EQ(test, t_fill(test, vdev, 0, T_DATA, SZ_1M, 0x01020304),
			0);
	start = ktime_get();
	n = vdgpu_engine_pkt_copy(dw, 0, 0, T_DATA, T_HUGE, SZ_1M);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[1], dw, n), 0);
	kunit_info(test, "1 MiB VRAM copy at 1000 MB/s: %lld us (model: 2097)\n",
		   ktime_us_delta(ktime_get(), start));
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_HUGE + SZ_1M - 4),
			0x01020304);
}

static struct kunit_case vdgpu_sim_tests[] = {
	KUNIT_CASE(sim_reports_configuration),
	KUNIT_CASE(sim_invisible_vram_reachable),
	KUNIT_CASE(sim_vram_garbage_and_lost),
	KUNIT_CASE(sim_gart_translates_and_faults),
	KUNIT_CASE_PARAM(sim_mmu_page_sizes, t_page_gen_params),
	KUNIT_CASE_PARAM(sim_mmu_faults, t_fault_gen_params),
	KUNIT_CASE(sim_mmu_context_disabled),
	KUNIT_CASE(sim_mmu_system_page_not_ram),
	KUNIT_CASE(sim_bus_reserved_page_refused),
	KUNIT_CASE(sim_bandwidth_throttled_copy),
	{}
};

static struct kunit_suite vdgpu_sim_suite = {
	.name = "vdgpu_sim",
	.test_cases = vdgpu_sim_tests,
};

kunit_test_suite(vdgpu_sim_suite);
