// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
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

/*
 * Batches run on the compute engine in context T_CTX.  Their commands sit
 * at T_BATCH, mapped read-only (fetching is a read) at T_BATCH_VA for two
 * pages; the data they touch is the four pages at T_DATA, mapped writable
 * at T_DATA_VA, followed by a read-only page at T_RO_VA.  T_HOLE_VA is
 * unmapped.
 */
#define T_BATCH		(2 * SZ_1M)
#define T_BATCH_VA	0x100000000ull
#define T_DATA_VA	0x200000000ull
#define T_RO_VA		(T_DATA_VA + 4 * SZ_4K)
#define T_HOLE_VA	(T_DATA_VA + SZ_1M)
#define T_BATCH_PKT_DW	(1 + VDGPU_PKT_BATCH_LEN)

static u32 t_cmd_hdr(u32 opcode, u32 flags, u32 len)
{
	return FIELD_PREP(VDGPU_PKT_HDR_OPCODE, opcode) |
	       FIELD_PREP(VDGPU_PKT_HDR_FLAGS, flags) |
	       FIELD_PREP(VDGPU_PKT_HDR_LEN, len);
}

static u32 t_cmd_store(u32 *dw, u64 va, u32 value)
{
	dw[0] = t_cmd_hdr(VDGPU_CMD_STORE_DWORD, 0, VDGPU_CMD_STORE_DWORD_LEN);
	dw[1] = lower_32_bits(va);
	dw[2] = upper_32_bits(va);
	dw[3] = value;
	return 1 + VDGPU_CMD_STORE_DWORD_LEN;
}

static u32 t_cmd_timestamp(u32 *dw, u64 va)
{
	dw[0] = t_cmd_hdr(VDGPU_CMD_TIMESTAMP, 0, VDGPU_CMD_TIMESTAMP_LEN);
	dw[1] = lower_32_bits(va);
	dw[2] = upper_32_bits(va);
	return 1 + VDGPU_CMD_TIMESTAMP_LEN;
}

static u32 t_cmd_wait(u32 *dw, u64 va, u32 value, u32 mask)
{
	dw[0] = t_cmd_hdr(VDGPU_CMD_WAIT, 0, VDGPU_CMD_WAIT_LEN);
	dw[1] = lower_32_bits(va);
	dw[2] = upper_32_bits(va);
	dw[3] = value;
	dw[4] = mask;
	return 1 + VDGPU_CMD_WAIT_LEN;
}

static void t_vram_write32(struct vdgpu_device *vdev, u64 offset, u32 val)
{
	__le32 v = cpu_to_le32(val);

	vdgpu_kunit_vram_write(vdev, offset, &v, sizeof(v));
}

static u64 t_vram_read64(struct vdgpu_device *vdev, u64 offset)
{
	__le64 v;

	vdgpu_kunit_vram_read(vdev, offset, &v, sizeof(v));
	return le64_to_cpu(v);
}

/* A device with the batch address space above, its data pages zeroed. */
static struct vdgpu_device *t_batch_device(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_kunit_vm vm;
	unsigned int i;
	void *zero;

	vdgpu_kunit_vm_init(test, &vm, vdev, T_CTX, T_PT_BASE, SZ_1M);
	for (i = 0; i < 2; i++)
		vdgpu_kunit_vm_map(test, &vm, T_BATCH_VA + i * SZ_4K,
				   (T_BATCH + i * SZ_4K) | VDGPU_PTE_VALID, 0);
	for (i = 0; i < 4; i++)
		vdgpu_kunit_vm_map(test, &vm, T_DATA_VA + i * SZ_4K,
				   (T_DATA + i * SZ_4K) | VDGPU_PTE_VALID |
				   VDGPU_PTE_WRITABLE, 0);
	vdgpu_kunit_vm_map(test, &vm, T_RO_VA, (T_DATA + 4 * SZ_4K) |
			   VDGPU_PTE_VALID, 0);

	zero = kunit_kzalloc(test, 5 * SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zero);
	vdgpu_kunit_vram_write(vdev, T_DATA, zero, 5 * SZ_4K);
	return vdev;
}

/*
 * Writes the commands @dw to the batch pages @offset bytes in and builds
 * the BATCH packet for @ndw dwords of them in @pkt.
 */
static u32 t_batch(struct vdgpu_device *vdev, u32 *pkt, u64 offset,
		   const u32 *dw, u32 n, u32 ndw)
{
	u32 i;

	for (i = 0; i < n; i++)
		t_vram_write32(vdev, T_BATCH + offset + i * 4, dw[i]);
	return vdgpu_engine_pkt_batch(pkt, T_CTX, T_BATCH_VA + offset, ndw);
}

static bool t_poll_vram32(struct vdgpu_device *vdev, u64 offset, u32 val)
{
	int i;

	for (i = 0; i < 10000 && t_vram_read32(vdev, offset) != val; i++)
		usleep_range(1000, 2000);
	return t_vram_read32(vdev, offset) == val;
}

/*
 * A batch's commands write the right bytes, all addresses virtual: COPY
 * and FILL with no VIRT flags and a context that does not exist still
 * work in the batch's context.  The batch straddles a page boundary, as
 * does the COPY's destination, and a NOP's payload is skipped.  Two
 * TIMESTAMPs in order do not go backwards.
 */
static void sim_batch_executes_commands(struct kunit *test)
{
	struct vdgpu_device *vdev = t_batch_device(test);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	const u64 offset = SZ_4K - 12;
	u32 dw[64], pkt[8], n = 0, i;
	u64 t0, t1;

	n += vdgpu_engine_pkt_nop(&dw[n], 2);
	n += t_cmd_store(&dw[n], T_DATA_VA, 0xdeadbeef);
	n += vdgpu_engine_pkt_fill(&dw[n], 0, 0xbad, T_DATA_VA + 0x100, 64,
				   0x5a5a5a5a);
	n += vdgpu_engine_pkt_copy(&dw[n], 0, 0xbad, T_DATA_VA + 0x100,
				   T_DATA_VA + SZ_4K - 32, 64);
	n += t_cmd_timestamp(&dw[n], T_DATA_VA + 0x200);
	n += t_cmd_timestamp(&dw[n], T_DATA_VA + 0x208);
	t_batch(vdev, pkt, offset, dw, n, n);

	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, e, pkt, T_BATCH_PKT_DW),
			0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA), 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 4), 0);
	for (i = 0; i < 64; i += 4) {
		KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x100 + i),
				0x5a5a5a5a);
		KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + SZ_4K - 32 + i),
				0x5a5a5a5a);
	}
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x140), 0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + SZ_4K + 32), 0);

	t0 = t_vram_read64(vdev, T_DATA + 0x200);
	t1 = t_vram_read64(vdev, T_DATA + 0x208);
	KUNIT_EXPECT_NE(test, t0, 0);
	KUNIT_EXPECT_GE(test, t1, t0);
	kunit_info(test, "TIMESTAMP to TIMESTAMP: %llu ns\n", t1 - t0);
}

/*
 * WAIT holds the batch, and RING_HEAD on the BATCH packet, until another
 * agent (here the CPU) writes a value that matches under the mask; the
 * commands after it then run.
 */
static void sim_batch_wait_until_written(struct kunit *test)
{
	struct vdgpu_device *vdev = t_batch_device(test);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	u32 head_reg = VDGPU_ENGINE_BASE(e->id) + VDGPU_ENGINE_RING_HEAD;
	u32 dw[16], pkt[8], n = 0, head;
	struct dma_fence *fence;
	long ret;

	n += t_cmd_store(&dw[n], T_DATA_VA + 0x44, 1);
	n += t_cmd_wait(&dw[n], T_DATA_VA + 0x40, 0x1234, 0xffff);
	n += t_cmd_store(&dw[n], T_DATA_VA + 0x48, 0x600d);
	t_batch(vdev, pkt, 0, dw, n, n);

	head = vdgpu_mmio_read32(vdev, head_reg);
	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, pkt, T_BATCH_PKT_DW,
						  &fence), 0);
	KUNIT_EXPECT_TRUE(test, t_poll_vram32(vdev, T_DATA + 0x44, 1));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, head_reg), head);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x48), 0);

	/* The upper half is masked out. */
	t_vram_write32(vdev, T_DATA + 0x40, 0xabcd1234);
	ret = dma_fence_wait_timeout(fence, false, 60 * HZ);
	KUNIT_EXPECT_GT(test, ret, 0);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x48), 0x600d);
}

/*
 * A WAIT that nothing satisfies is stopped by an engine reset: the fence
 * signals with the reset's error, the rest of the batch never runs, and the
 * engine executes the next batch.
 */
static void sim_batch_wait_stopped_by_reset(struct kunit *test)
{
	struct vdgpu_device *vdev = t_batch_device(test);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	u32 dw[16], pkt[8], n = 0;
	struct dma_fence *fence;

	n += t_cmd_store(&dw[n], T_DATA_VA + 0x44, 1);
	n += t_cmd_wait(&dw[n], T_DATA_VA + 0x40, 1, ~0u);
	n += t_cmd_store(&dw[n], T_DATA_VA + 0x48, 1);
	t_batch(vdev, pkt, 0, dw, n, n);

	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, pkt, T_BATCH_PKT_DW,
						  &fence), 0);
	KUNIT_EXPECT_TRUE(test, t_poll_vram32(vdev, T_DATA + 0x44, 1));
	KUNIT_EXPECT_EQ(test, vdgpu_engine_reset(e, -ETIMEDOUT), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, fence->error, -ETIMEDOUT);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x48), 0);

	n = t_cmd_store(dw, T_DATA_VA + 0x4c, 2);
	t_batch(vdev, pkt, SZ_4K, dw, n, n);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, pkt, T_BATCH_PKT_DW),
			0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 0x4c), 2);
}

struct t_batch_fault_case {
	const char *name;
	/* where the batch starts, bytes after T_BATCH_VA */
	u64 offset;
	u32 (*build)(u32 *dw);
	u64 addr;
	bool write;
	u32 reason;
};

static u32 t_build_store_unmapped(u32 *dw)
{
	return t_cmd_store(dw, T_HOLE_VA + 8, 1);
}

static u32 t_build_store_read_only(u32 *dw)
{
	return t_cmd_store(dw, T_RO_VA + 4, 1);
}

static u32 t_build_timestamp_read_only(u32 *dw)
{
	return t_cmd_timestamp(dw, T_RO_VA + 8);
}

static u32 t_build_fill_read_only(u32 *dw)
{
	return vdgpu_engine_pkt_fill(dw, 0, T_CTX, T_RO_VA + 16, 16, 0);
}

static u32 t_build_copy_from_unmapped(u32 *dw)
{
	return vdgpu_engine_pkt_copy(dw, 0, T_CTX, T_HOLE_VA + 32, T_DATA_VA,
				     16);
}

static u32 t_build_wait_unmapped(u32 *dw)
{
	return t_cmd_wait(dw, T_HOLE_VA + 4, 0, 0);
}

static const struct t_batch_fault_case t_batch_fault_cases[] = {
	/* The BATCH packet points at nothing. */
	{ "fetch_unmapped", T_HOLE_VA - T_BATCH_VA, t_build_store_unmapped,
	  T_HOLE_VA, false, VDGPU_FAULT_NOT_PRESENT },
	/* The header is the last dword of the batch pages, the payload beyond. */
	{ "fetch_payload_unmapped", 2 * SZ_4K - 4, t_build_store_read_only,
	  T_BATCH_VA + 2 * SZ_4K, false, VDGPU_FAULT_NOT_PRESENT },
	{ "store_unmapped", 0, t_build_store_unmapped, T_HOLE_VA + 8, true,
	  VDGPU_FAULT_NOT_PRESENT },
	{ "store_read_only", 0, t_build_store_read_only, T_RO_VA + 4, true,
	  VDGPU_FAULT_READ_ONLY },
	{ "timestamp_read_only", 0, t_build_timestamp_read_only, T_RO_VA + 8,
	  true, VDGPU_FAULT_READ_ONLY },
	{ "fill_read_only", 0, t_build_fill_read_only, T_RO_VA + 16, true,
	  VDGPU_FAULT_READ_ONLY },
	{ "copy_from_unmapped", 0, t_build_copy_from_unmapped, T_HOLE_VA + 32,
	  false, VDGPU_FAULT_NOT_PRESENT },
	{ "wait_unmapped", 0, t_build_wait_unmapped, T_HOLE_VA + 4, false,
	  VDGPU_FAULT_NOT_PRESENT },
};

KUNIT_ARRAY_PARAM_DESC(t_batch_fault, t_batch_fault_cases, name);

/*
 * Fetching a batch and every access of its commands go through the MMU:
 * what the page tables refuse faults in the batch's context with the
 * access type, the reason and the address, and nothing is written.
 */
static void sim_batch_faults(struct kunit *test)
{
	const struct t_batch_fault_case *c = test->param_value;
	struct vdgpu_device *vdev = t_batch_device(test);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	u32 dw[16], pkt[8], n;

	n = c->build(dw);
	/* A batch that is not in the batch pages has nothing written for it. */
	if (c->offset < 2 * SZ_4K)
		t_batch(vdev, pkt, c->offset, dw, n, n);
	else
		vdgpu_engine_pkt_batch(pkt, T_CTX, T_BATCH_VA + c->offset, n);

	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, e, pkt, T_BATCH_PKT_DW),
			-EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_info),
			FIELD_PREP(VDGPU_FAULT_INFO_CTX, T_CTX) |
			FIELD_PREP(VDGPU_FAULT_INFO_REASON, c->reason) |
			(c->write ? VDGPU_FAULT_INFO_WRITE : 0));
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_addr), c->addr);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA), 0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA + 4 * SZ_4K + 4), 0);
}

struct t_batch_error_case {
	const char *name;
	unsigned int engine;
	u32 (*build)(u32 *dw);
	/* the batch's length in dwords, or -1 for what @build wrote */
	s64 ndw;
	/* bytes after T_BATCH_VA */
	u64 offset;
	u32 ctx;
	/* the BATCH packet's length */
	u32 pkt_len;
	u32 error;
};

static u32 t_build_store(u32 *dw)
{
	return t_cmd_store(dw, T_DATA_VA, 1);
}

static u32 t_build_fence(u32 *dw)
{
	dw[0] = t_cmd_hdr(VDGPU_PKT_FENCE, 0, VDGPU_PKT_FENCE_LEN);
	dw[1] = 0;
	dw[2] = 0;
	dw[3] = 1;
	return 1 + VDGPU_PKT_FENCE_LEN;
}

static u32 t_build_pt_write(u32 *dw)
{
	static const u64 qw = 1;

	return vdgpu_engine_pkt_pt_write(dw, T_DATA, &qw, 1);
}

static u32 t_build_batch(u32 *dw)
{
	return vdgpu_engine_pkt_batch(dw, T_CTX, T_BATCH_VA + SZ_4K, 1);
}

static u32 t_build_unknown(u32 *dw)
{
	dw[0] = t_cmd_hdr(0x7f, 0, 0);
	return 1;
}

static u32 t_build_store_flags(u32 *dw)
{
	u32 n = t_cmd_store(dw, T_DATA_VA, 1);

	dw[0] |= FIELD_PREP(VDGPU_PKT_HDR_FLAGS, 1);
	return n;
}

static u32 t_build_store_short(u32 *dw)
{
	dw[0] = t_cmd_hdr(VDGPU_CMD_STORE_DWORD, 0, 2);
	dw[1] = lower_32_bits(T_DATA_VA);
	dw[2] = upper_32_bits(T_DATA_VA);
	return 3;
}

static u32 t_build_long_nop(u32 *dw)
{
	return vdgpu_engine_pkt_nop(dw, 5);
}

static u32 t_build_store_misaligned(u32 *dw)
{
	return t_cmd_store(dw, T_DATA_VA + 2, 1);
}

static u32 t_build_timestamp_misaligned(u32 *dw)
{
	return t_cmd_timestamp(dw, T_DATA_VA + 4);
}

static u32 t_build_wait_misaligned(u32 *dw)
{
	return t_cmd_wait(dw, T_DATA_VA + 1, 0, 0);
}

static u32 t_build_fill_misaligned(u32 *dw)
{
	return vdgpu_engine_pkt_fill(dw, 0, T_CTX, T_DATA_VA + 2, 8, 0);
}

#define T_COMPUTE	VDGPU_ENGINE_COMPUTE
#define T_PKT_LEN	VDGPU_PKT_BATCH_LEN

static const struct t_batch_error_case t_batch_error_cases[] = {
	{ "fence_in_batch", T_COMPUTE, t_build_fence, -1, 0, T_CTX, T_PKT_LEN,
	  VDGPU_ERROR_BAD_OPCODE },
	{ "pt_write_in_batch", T_COMPUTE, t_build_pt_write, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_OPCODE },
	{ "batch_in_batch", T_COMPUTE, t_build_batch, -1, 0, T_CTX, T_PKT_LEN,
	  VDGPU_ERROR_BAD_OPCODE },
	{ "unknown_opcode", T_COMPUTE, t_build_unknown, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_OPCODE },
	{ "store_with_flags", T_COMPUTE, t_build_store_flags, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_OPCODE },
	{ "batch_on_copy_engine", VDGPU_ENGINE_COPY0, t_build_store, -1, 0,
	  T_CTX, T_PKT_LEN, VDGPU_ERROR_BAD_OPCODE },
	{ "store_past_end", T_COMPUTE, t_build_store, 3, 0, T_CTX, T_PKT_LEN,
	  VDGPU_ERROR_TRUNCATED },
	{ "nop_past_end", T_COMPUTE, t_build_long_nop, 3, 0, T_CTX, T_PKT_LEN,
	  VDGPU_ERROR_TRUNCATED },
	{ "store_wrong_length", T_COMPUTE, t_build_store_short, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_LENGTH },
	{ "length_zero", T_COMPUTE, t_build_store, 0, 0, T_CTX, T_PKT_LEN,
	  VDGPU_ERROR_BAD_LENGTH },
	{ "length_too_long", T_COMPUTE, t_build_store, VDGPU_BATCH_MAX_DW + 1,
	  0, T_CTX, T_PKT_LEN, VDGPU_ERROR_BAD_LENGTH },
	{ "packet_too_short", T_COMPUTE, t_build_store, -1, 0, T_CTX,
	  T_PKT_LEN - 1, VDGPU_ERROR_BAD_LENGTH },
	{ "batch_misaligned", T_COMPUTE, t_build_store, -1, 2, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_ALIGNMENT },
	{ "store_misaligned", T_COMPUTE, t_build_store_misaligned, -1, 0,
	  T_CTX, T_PKT_LEN, VDGPU_ERROR_BAD_ALIGNMENT },
	{ "timestamp_misaligned", T_COMPUTE, t_build_timestamp_misaligned, -1,
	  0, T_CTX, T_PKT_LEN, VDGPU_ERROR_BAD_ALIGNMENT },
	{ "wait_misaligned", T_COMPUTE, t_build_wait_misaligned, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_ALIGNMENT },
	{ "fill_misaligned", T_COMPUTE, t_build_fill_misaligned, -1, 0, T_CTX,
	  T_PKT_LEN, VDGPU_ERROR_BAD_ALIGNMENT },
	{ "context_out_of_range", T_COMPUTE, t_build_store, -1, 0,
	  VDGPU_NUM_CONTEXTS, T_PKT_LEN, VDGPU_ERROR_BAD_ADDRESS },
};

KUNIT_ARRAY_PARAM_DESC(t_batch_error, t_batch_error_cases, name);

/*
 * A malformed batch or BATCH packet halts the engine with the right
 * ERROR_CODE before it writes anything; after the reset that follows, the
 * engine runs a good batch.
 */
static void sim_batch_errors(struct kunit *test)
{
	const struct t_batch_error_case *c = test->param_value;
	struct vdgpu_device *vdev = t_batch_device(test);
	struct vdgpu_engine *e = &vdev->engines[c->engine];
	struct vdgpu_engine *compute = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	u32 dw[16], pkt[8], n;

	n = c->build(dw);
	t_batch(vdev, pkt, ALIGN_DOWN(c->offset, 4), dw, n, n);
	pkt[0] &= ~VDGPU_PKT_HDR_LEN;
	pkt[0] |= FIELD_PREP(VDGPU_PKT_HDR_LEN, c->pkt_len);
	pkt[1] = c->ctx;
	pkt[2] = lower_32_bits(T_BATCH_VA + c->offset);
	pkt[4] = c->ndw < 0 ? n : c->ndw;

	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, e, pkt, 1 + c->pkt_len),
			-EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_error), c->error);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&e->resets), 1);

	n = t_build_store(dw);
	t_batch(vdev, pkt, SZ_4K, dw, n, n);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, compute, pkt,
					      T_BATCH_PKT_DW), 0);
	KUNIT_EXPECT_EQ(test, t_vram_read32(vdev, T_DATA), 1);
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
	KUNIT_CASE(sim_batch_executes_commands),
	KUNIT_CASE(sim_batch_wait_until_written),
	KUNIT_CASE(sim_batch_wait_stopped_by_reset),
	KUNIT_CASE_PARAM(sim_batch_faults, t_batch_fault_gen_params),
	KUNIT_CASE_PARAM(sim_batch_errors, t_batch_error_gen_params),
	{}
};

static struct kunit_suite vdgpu_sim_suite = {
	.name = "vdgpu_sim",
	.test_cases = vdgpu_sim_tests,
};

kunit_test_suite(vdgpu_sim_suite);
