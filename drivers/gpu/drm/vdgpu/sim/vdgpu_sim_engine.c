// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>

#include "vdgpu_sim.h"

/**
 * DOC: Model engines
 *
 * Each engine is a work item on the device's unbound workqueue, queued by
 * DOORBELL, by enabling the engine, by any write to INJECT and by a reset
 * request.  It snapshots its ring registers under &vdgpu_sim.lock, then
 * fetches and executes one packet with the lock dropped, and publishes the
 * result (RING_HEAD, or the halt with its reason) and raises interrupts
 * under the lock again.  The workqueue never runs one work item twice at
 * once, so an engine executes its packets strictly in order; engines run in
 * parallel with each other.
 *
 * COPY moves whole pages with copy_page() and anything else with memmove(),
 * and FILL writes 64-bit words with memset64() where it can: x86's
 * memmove() and memset() move a byte per iteration of REP MOVSB/STOSB on
 * CPUs with fast short REP strings, which QEMU's TCG emulates an iteration
 * at a time, up to eight times slower than the quadwords of copy_page() and
 * memset64().
 *
 * The compute engine runs a BATCH packet as one long packet.  The worker
 * walks the batch a command at a time: it fetches the header through
 * vdgpu_sim_resolve() in the packet's context, checks it (TRUNCATED, then
 * BAD_OPCODE, then BAD_LENGTH), fetches the payload and executes it; a NOP's
 * payload is skipped unread.  COPY and FILL are the packets' code with both
 * addresses virtual.  STORE_DWORD and TIMESTAMP (whose clock is
 * ktime_get_ns()) write their naturally aligned word with one store.  WAIT
 * translates and reads its word again at every poll and sleeps in between,
 * 50 us at first and doubling up to 1 ms, so that a long wait costs the host
 * (QEMU's TCG above all) little and notices its value within a millisecond.
 * Like any packet, a batch runs with &vdgpu_sim.lock dropped, so a WAIT
 * sleeps holding nothing, and RING_HEAD moves past the BATCH packet only
 * once its last command has completed: a fault or an error inside the
 * batch halts the engine on the packet.
 *
 * A reset request is honoured between packets, between the commands of a
 * batch, every 64 KiB inside COPY and FILL and between the polls of a WAIT,
 * so a reset never waits for a long transfer or a wait to finish.  When the
 * bandwidth knobs are set, a packet takes at least as long as moving its
 * bytes through VRAM plus moving its bytes over the bus would at those rates
 * (a COPY within VRAM counts its bytes twice, read and write): the engine
 * sleeps at the same points, and after every command of a batch, whenever
 * it is more than 2 ms ahead of that schedule, and at the end of the packet.
 * A batch's own fetches are not counted, as a ring's are not.
 */

#define VDGPU_SIM_RESET_CHECK	SZ_64K
#define VDGPU_SIM_THROTTLE_SLACK_US	2000
#define VDGPU_SIM_WAIT_MIN_US	50u
#define VDGPU_SIM_WAIT_MAX_US	1000u
/* The longest payload of a command batches fetch: COPY's. */
#define VDGPU_SIM_BATCH_CMD_MAX_DW	VDGPU_PKT_COPY_LEN

static u32 vdgpu_sim_pkt_len(u32 hdr)
{
	return FIELD_GET(VDGPU_PKT_HDR_LEN, hdr);
}

static bool vdgpu_sim_engine_reset_pending(struct vdgpu_sim_engine *e)
{
	return READ_ONCE(e->ctrl) & VDGPU_ENGINE_CTRL_RESET;
}

static void __vdgpu_sim_engine_reset(struct vdgpu_sim_engine *e)
{
	lockdep_assert_held(&e->sim->lock);
	e->head = 0;
	e->tail = 0;
	e->status = 0;
	e->error_code = 0;
	e->fault_info = 0;
	e->fault_addr = 0;
	e->hang = false;
	e->fail_count = 0;
	WRITE_ONCE(e->ctrl, 0);
}

static void __vdgpu_sim_engine_halt(struct vdgpu_sim_engine *e,
				    const struct vdgpu_sim_access *acc)
{
	lockdep_assert_held(&e->sim->lock);
	if (acc->error) {
		e->status |= VDGPU_ENGINE_STATUS_HALTED | VDGPU_ENGINE_STATUS_ERROR;
		e->error_code = acc->error;
		__vdgpu_sim_irq_raise(e->sim, VDGPU_INT_ERROR(e->id));
	} else {
		e->status |= VDGPU_ENGINE_STATUS_HALTED | VDGPU_ENGINE_STATUS_FAULT;
		e->fault_info = acc->fault_info;
		e->fault_addr = acc->fault_addr;
		__vdgpu_sim_irq_raise(e->sim, VDGPU_INT_FAULT(e->id));
	}
}

static u64 vdgpu_sim_pkt_u64(const u32 *dw)
{
	return (u64)dw[1] << 32 | dw[0];
}

static void vdgpu_sim_account(struct vdgpu_sim_engine *e,
			      const struct vdgpu_sim_span *span, u32 n)
{
	if (span->vram)
		e->vram_bytes += n;
	else
		e->bus_bytes += n;
}

/*
 * Paces the engine to the bandwidth model.  The time the bytes moved so far
 * should have taken is added to a deadline set when the packet started, and
 * the engine sleeps only once it is ahead of that deadline by at least
 * @slack_us: coarse timers then oversleep rarely, and a later step of the
 * same packet makes up for it by not sleeping.
 */
static void vdgpu_sim_throttle(struct vdgpu_sim_engine *e, s64 slack_us)
{
	u32 vram_bw = READ_ONCE(e->sim->vram_bandwidth);
	u32 bus_bw = READ_ONCE(e->sim->pcie_bandwidth);
	u64 ns = 0;
	s64 ahead;

	/* bytes / (MB/s) = bytes * 1000 / bandwidth nanoseconds */
	if (vram_bw)
		ns += div_u64(e->vram_bytes * 1000, vram_bw);
	if (bus_bw)
		ns += div_u64(e->bus_bytes * 1000, bus_bw);
	e->vram_bytes = 0;
	e->bus_bytes = 0;
	if (!ns)
		return;

	e->deadline = ktime_add_ns(e->deadline, ns);
	ahead = ktime_us_delta(e->deadline, ktime_get());
	if (ahead > 0 && ahead >= slack_us)
		fsleep(ahead);
}

/*
 * Between chunks of a long COPY or FILL: keeps to the bandwidth model every
 * VDGPU_SIM_RESET_CHECK bytes and gives up with -EINTR if a reset is asked.
 */
static int vdgpu_sim_engine_checkpoint(struct vdgpu_sim_engine *e, u64 done)
{
	if (done % VDGPU_SIM_RESET_CHECK)
		return 0;
	vdgpu_sim_throttle(e, VDGPU_SIM_THROTTLE_SLACK_US);
	if (vdgpu_sim_engine_reset_pending(e))
		return -EINTR;
	cond_resched();
	return 0;
}

/*
 * COPY and FILL, from packets and from batches: @dw is the payload after the
 * context dword, @src and @dst say how to translate the addresses.
 */
static int vdgpu_sim_copy(struct vdgpu_sim_engine *e,
			  struct vdgpu_sim_access src,
			  struct vdgpu_sim_access dst, const u32 *dw,
			  struct vdgpu_sim_access *acc)
{
	u64 saddr = vdgpu_sim_pkt_u64(&dw[0]);
	u64 daddr = vdgpu_sim_pkt_u64(&dw[2]);
	u64 size = vdgpu_sim_pkt_u64(&dw[4]);
	u64 done = 0;
	int ret;

	dst.write = true;
	while (done < size) {
		struct vdgpu_sim_span s, d;
		void *sva, *dva;
		u32 n;

		ret = vdgpu_sim_resolve(e->sim, &src, saddr + done, &s);
		if (ret) {
			*acc = src;
			return ret;
		}
		ret = vdgpu_sim_resolve(e->sim, &dst, daddr + done, &d);
		if (ret) {
			*acc = dst;
			return ret;
		}
		n = min_t(u64, size - done, min(s.len, d.len));

		sva = kmap_local_page(s.page);
		dva = kmap_local_page(d.page);
		/* Whole pages with the architecture's page copy. */
		if (n == PAGE_SIZE && !s.offset && !d.offset)
			copy_page(dva, sva);
		else
			memmove(dva + d.offset, sva + s.offset, n);
		kunmap_local(dva);
		kunmap_local(sva);
		vdgpu_sim_account(e, &s, n);
		vdgpu_sim_account(e, &d, n);

		done += n;
		ret = vdgpu_sim_engine_checkpoint(e, done);
		if (ret)
			return ret;
	}
	return 0;
}

static int vdgpu_sim_fill(struct vdgpu_sim_engine *e,
			  struct vdgpu_sim_access dst, const u32 *dw,
			  struct vdgpu_sim_access *acc)
{
	u64 daddr = vdgpu_sim_pkt_u64(&dw[0]);
	u64 size = vdgpu_sim_pkt_u64(&dw[2]);
	__le32 pattern = cpu_to_le32(dw[4]);
	__le32 pattern2[2] = { pattern, pattern };
	u64 done = 0, pattern64;
	int ret;

	/* The pattern twice, as memset64() stores it. */
	memcpy(&pattern64, pattern2, sizeof(pattern64));

	if (!IS_ALIGNED(daddr, 4) || !IS_ALIGNED(size, 4))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ALIGNMENT);

	dst.write = true;
	while (done < size) {
		struct vdgpu_sim_span d;
		__le32 *dva;
		u32 i, n;

		ret = vdgpu_sim_resolve(e->sim, &dst, daddr + done, &d);
		if (ret) {
			*acc = dst;
			return ret;
		}
		n = min_t(u64, size - done, d.len);

		dva = kmap_local_page(d.page) + d.offset;
		if (IS_ALIGNED((unsigned long)dva | n, sizeof(u64))) {
			memset64((u64 *)dva, pattern64, n / sizeof(u64));
		} else {
			for (i = 0; i < n / 4; i++)
				dva[i] = pattern;
		}
		kunmap_local(dva);
		vdgpu_sim_account(e, &d, n);

		done += n;
		ret = vdgpu_sim_engine_checkpoint(e, done);
		if (ret)
			return ret;
	}
	return 0;
}

static int vdgpu_sim_exec_copy(struct vdgpu_sim_engine *e,
			       struct vdgpu_sim_access *acc)
{
	u32 flags = FIELD_GET(VDGPU_PKT_HDR_FLAGS, e->pkt[0]);
	struct vdgpu_sim_access src = {
		.ctx = e->pkt[1],
		.virt = flags & VDGPU_PKT_COPY_SRC_VIRT,
	};
	struct vdgpu_sim_access dst = {
		.ctx = e->pkt[1],
		.virt = flags & VDGPU_PKT_COPY_DST_VIRT,
	};

	if (flags & ~(VDGPU_PKT_COPY_SRC_VIRT | VDGPU_PKT_COPY_DST_VIRT))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	return vdgpu_sim_copy(e, src, dst, &e->pkt[2], acc);
}

static int vdgpu_sim_exec_fill(struct vdgpu_sim_engine *e,
			       struct vdgpu_sim_access *acc)
{
	u32 flags = FIELD_GET(VDGPU_PKT_HDR_FLAGS, e->pkt[0]);
	struct vdgpu_sim_access dst = {
		.ctx = e->pkt[1],
		.virt = flags & VDGPU_PKT_FILL_DST_VIRT,
	};

	if (flags & ~VDGPU_PKT_FILL_DST_VIRT)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	return vdgpu_sim_fill(e, dst, &e->pkt[2], acc);
}

static int vdgpu_sim_exec_pt_write(struct vdgpu_sim_engine *e,
				   struct vdgpu_sim_access *acc)
{
	u32 len = vdgpu_sim_pkt_len(e->pkt[0]);
	u64 offset = vdgpu_sim_pkt_u64(&e->pkt[1]);
	u32 i;

	if (len < 2 || (len - 2) % 2)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
	if (!IS_ALIGNED(offset, sizeof(u64)))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ALIGNMENT);
	if (offset >= e->sim->params.vram_size ||
	    e->sim->params.vram_size - offset < (len - 2) * 4)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);

	for (i = 0; i < (len - 2) / 2; i++)
		vdgpu_sim_vram_write64(e->sim, offset + i * 8,
				       vdgpu_sim_pkt_u64(&e->pkt[3 + 2 * i]));
	e->vram_bytes += (len - 2) * 4;
	return 0;
}

static int vdgpu_sim_exec_fence(struct vdgpu_sim_engine *e,
				struct vdgpu_sim_access *acc)
{
	u32 flags = FIELD_GET(VDGPU_PKT_HDR_FLAGS, e->pkt[0]);
	u64 addr = vdgpu_sim_pkt_u64(&e->pkt[1]);
	__le32 seqno = cpu_to_le32(e->pkt[3]);
	unsigned long irqflags;

	if (flags & ~VDGPU_PKT_FENCE_INTERRUPT)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	if (!IS_ALIGNED(addr, 4))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ALIGNMENT);
	if (vdgpu_sim_bus_rw(e->sim, addr, &seqno, sizeof(seqno), true))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_BUS_ADDRESS);
	e->bus_bytes += sizeof(seqno);

	if (flags & VDGPU_PKT_FENCE_INTERRUPT) {
		spin_lock_irqsave(&e->sim->lock, irqflags);
		__vdgpu_sim_irq_raise(e->sim, VDGPU_INT_FENCE(e->id));
		spin_unlock_irqrestore(&e->sim->lock, irqflags);
	}
	return 0;
}

/*
 * Reads @ndw dwords of the batch at @va of context @ctx into @dw, CPU-endian.
 * A command may straddle a page boundary, so this walks span by span.
 */
static int vdgpu_sim_batch_fetch(struct vdgpu_sim_engine *e, u32 ctx, u64 va,
				 u32 *dw, u32 ndw, struct vdgpu_sim_access *acc)
{
	struct vdgpu_sim_access a = { .ctx = ctx, .virt = true };
	void *buf = dw;
	u32 len = ndw * 4;
	int ret;

	while (len) {
		struct vdgpu_sim_span s;
		void *p;
		u32 n;

		ret = vdgpu_sim_resolve(e->sim, &a, va, &s);
		if (ret) {
			*acc = a;
			return ret;
		}
		n = min(len, s.len);
		p = kmap_local_page(s.page);
		memcpy(buf, p + s.offset, n);
		kunmap_local(p);
		va += n;
		buf += n;
		len -= n;
	}
	le32_to_cpu_array(dw, ndw);
	return 0;
}

/*
 * Maps the naturally aligned word of @size bytes at @va of context @ctx,
 * which therefore lies in one page, at *@p; the caller kunmap_local()s it.
 */
static int vdgpu_sim_batch_map(struct vdgpu_sim_engine *e, u32 ctx, u64 va,
			       u32 size, bool write, void **p,
			       struct vdgpu_sim_access *acc)
{
	struct vdgpu_sim_access a = { .ctx = ctx, .virt = true, .write = write };
	struct vdgpu_sim_span s;
	int ret;

	if (!IS_ALIGNED(va, size))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ALIGNMENT);
	ret = vdgpu_sim_resolve(e->sim, &a, va, &s);
	if (ret) {
		*acc = a;
		return ret;
	}
	vdgpu_sim_account(e, &s, size);
	*p = kmap_local_page(s.page) + s.offset;
	return 0;
}

static int vdgpu_sim_batch_store(struct vdgpu_sim_engine *e, u32 ctx,
				 const u32 *dw, struct vdgpu_sim_access *acc)
{
	void *p;
	int ret;

	ret = vdgpu_sim_batch_map(e, ctx, vdgpu_sim_pkt_u64(&dw[0]), 4, true,
				  &p, acc);
	if (ret)
		return ret;
	WRITE_ONCE(*(__le32 *)p, cpu_to_le32(dw[2]));
	kunmap_local(p);
	return 0;
}

static int vdgpu_sim_batch_timestamp(struct vdgpu_sim_engine *e, u32 ctx,
				     const u32 *dw,
				     struct vdgpu_sim_access *acc)
{
	void *p;
	int ret;

	ret = vdgpu_sim_batch_map(e, ctx, vdgpu_sim_pkt_u64(&dw[0]), 8, true,
				  &p, acc);
	if (ret)
		return ret;
	WRITE_ONCE(*(__le64 *)p, cpu_to_le64(ktime_get_ns()));
	kunmap_local(p);
	return 0;
}

/*
 * Polls the word, translating its address afresh each time (the device
 * caches no translations), with sleeps growing from VDGPU_SIM_WAIT_MIN_US
 * to VDGPU_SIM_WAIT_MAX_US so that a long wait costs the host little, and
 * gives up with -EINTR when a reset is asked.
 */
static int vdgpu_sim_batch_wait(struct vdgpu_sim_engine *e, u32 ctx,
				const u32 *dw, struct vdgpu_sim_access *acc)
{
	u64 va = vdgpu_sim_pkt_u64(&dw[0]);
	u32 value = dw[2], mask = dw[3];
	u32 delay = VDGPU_SIM_WAIT_MIN_US;

	for (;;) {
		void *p;
		u32 val;
		int ret;

		ret = vdgpu_sim_batch_map(e, ctx, va, 4, false, &p, acc);
		if (ret)
			return ret;
		val = le32_to_cpu(READ_ONCE(*(__le32 *)p));
		kunmap_local(p);
		if ((val & mask) == value)
			return 0;
		if (vdgpu_sim_engine_reset_pending(e))
			return -EINTR;
		usleep_range(delay, 2 * delay);
		delay = min(2 * delay, VDGPU_SIM_WAIT_MAX_US);
	}
}

/*
 * Checks a batch command's header and sets *@fetch to the payload dwords to
 * fetch: none for NOP, whose payload is skipped unread.
 */
static int vdgpu_sim_batch_check(u32 hdr, u32 *fetch,
				 struct vdgpu_sim_access *acc)
{
	u32 flags = FIELD_GET(VDGPU_PKT_HDR_FLAGS, hdr);
	bool any_flags = false;
	u32 want;

	switch (FIELD_GET(VDGPU_PKT_HDR_OPCODE, hdr)) {
	case VDGPU_PKT_NOP:
		*fetch = 0;
		return 0;
	case VDGPU_PKT_COPY:
		/* Every address is virtual, whatever the flags. */
		any_flags = true;
		want = VDGPU_PKT_COPY_LEN;
		break;
	case VDGPU_PKT_FILL:
		any_flags = true;
		want = VDGPU_PKT_FILL_LEN;
		break;
	case VDGPU_CMD_STORE_DWORD:
		want = VDGPU_CMD_STORE_DWORD_LEN;
		break;
	case VDGPU_CMD_TIMESTAMP:
		want = VDGPU_CMD_TIMESTAMP_LEN;
		break;
	case VDGPU_CMD_WAIT:
		want = VDGPU_CMD_WAIT_LEN;
		break;
	default:
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	}
	/* Commands that define no flags refuse them, as packets do. */
	if (flags && !any_flags)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	if (vdgpu_sim_pkt_len(hdr) != want)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
	*fetch = want;
	return 0;
}

/* Executes the checked and fetched command @dw of a batch of @ctx. */
static int vdgpu_sim_batch_exec(struct vdgpu_sim_engine *e, u32 ctx,
				const u32 *dw, struct vdgpu_sim_access *acc)
{
	struct vdgpu_sim_access virt = { .ctx = ctx, .virt = true };

	switch (FIELD_GET(VDGPU_PKT_HDR_OPCODE, dw[0])) {
	case VDGPU_PKT_COPY:
		return vdgpu_sim_copy(e, virt, virt, &dw[2], acc);
	case VDGPU_PKT_FILL:
		return vdgpu_sim_fill(e, virt, &dw[2], acc);
	case VDGPU_CMD_STORE_DWORD:
		return vdgpu_sim_batch_store(e, ctx, &dw[1], acc);
	case VDGPU_CMD_TIMESTAMP:
		return vdgpu_sim_batch_timestamp(e, ctx, &dw[1], acc);
	case VDGPU_CMD_WAIT:
		return vdgpu_sim_batch_wait(e, ctx, &dw[1], acc);
	}
	return 0;
}

static int vdgpu_sim_exec_batch(struct vdgpu_sim_engine *e,
				struct vdgpu_sim_access *acc)
{
	u32 flags = FIELD_GET(VDGPU_PKT_HDR_FLAGS, e->pkt[0]);
	u32 ctx = e->pkt[1];
	u64 va = vdgpu_sim_pkt_u64(&e->pkt[2]);
	u32 ndw = e->pkt[4];
	u32 pos = 0;
	int ret;

	if (flags)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
	if (!ndw || ndw > VDGPU_BATCH_MAX_DW)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
	if (!IS_ALIGNED(va, 4))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ALIGNMENT);

	while (pos < ndw) {
		u32 cmd[1 + VDGPU_SIM_BATCH_CMD_MAX_DW];
		u64 cmd_va = va + (u64)pos * 4;
		u32 len, fetch;

		if (vdgpu_sim_engine_reset_pending(e))
			return -EINTR;
		ret = vdgpu_sim_batch_fetch(e, ctx, cmd_va, cmd, 1, acc);
		if (ret)
			return ret;
		len = vdgpu_sim_pkt_len(cmd[0]);
		if (len >= ndw - pos)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_TRUNCATED);
		ret = vdgpu_sim_batch_check(cmd[0], &fetch, acc);
		if (ret)
			return ret;
		if (fetch) {
			ret = vdgpu_sim_batch_fetch(e, ctx, cmd_va + 4, &cmd[1],
						    fetch, acc);
			if (ret)
				return ret;
			ret = vdgpu_sim_batch_exec(e, ctx, cmd, acc);
			if (ret)
				return ret;
		}
		pos += 1 + len;
		/* A batch is one packet: keep to the bandwidth model inside. */
		vdgpu_sim_throttle(e, VDGPU_SIM_THROTTLE_SLACK_US);
		cond_resched();
	}
	return 0;
}

static int vdgpu_sim_exec(struct vdgpu_sim_engine *e,
			  struct vdgpu_sim_access *acc)
{
	u32 opcode = FIELD_GET(VDGPU_PKT_HDR_OPCODE, e->pkt[0]);
	u32 len = vdgpu_sim_pkt_len(e->pkt[0]);
	bool copy = e->id != VDGPU_ENGINE_COMPUTE;

	switch (opcode) {
	case VDGPU_PKT_NOP:
		return 0;
	case VDGPU_PKT_FENCE:
		if (len != VDGPU_PKT_FENCE_LEN)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
		return vdgpu_sim_exec_fence(e, acc);
	case VDGPU_PKT_COPY:
		if (!copy)
			break;
		if (len != VDGPU_PKT_COPY_LEN)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
		return vdgpu_sim_exec_copy(e, acc);
	case VDGPU_PKT_FILL:
		if (!copy)
			break;
		if (len != VDGPU_PKT_FILL_LEN)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
		return vdgpu_sim_exec_fill(e, acc);
	case VDGPU_PKT_PT_WRITE:
		if (!copy)
			break;
		return vdgpu_sim_exec_pt_write(e, acc);
	case VDGPU_PKT_BATCH:
		if (copy)
			break;
		if (len != VDGPU_PKT_BATCH_LEN)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
		return vdgpu_sim_exec_batch(e, acc);
	}
	return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_OPCODE);
}

/* Reads the packet at @head into e->pkt; @avail bytes are queued. */
static int vdgpu_sim_fetch(struct vdgpu_sim_engine *e, u64 base, u32 size,
			   u32 head, u32 avail, struct vdgpu_sim_access *acc)
{
	u32 bytes, first;

	if (size < VDGPU_RING_SIZE_MIN || size > VDGPU_RING_SIZE_MAX ||
	    !is_power_of_2(size) || !IS_ALIGNED(base, VDGPU_RING_SIZE_MIN))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_RING);

	if (vdgpu_sim_bus_rw(e->sim, base + head, &e->pkt[0], 4, false))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_BUS_ADDRESS);
	e->pkt[0] = le32_to_cpu((__force __le32)e->pkt[0]);

	if (vdgpu_sim_pkt_len(e->pkt[0]) > VDGPU_PKT_MAX_DW)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_LENGTH);
	bytes = vdgpu_sim_pkt_len(e->pkt[0]) * 4;
	if (bytes + 4 > avail)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_TRUNCATED);

	/* The payload may wrap around the end of the ring. */
	head = (head + 4) & (size - 1);
	first = min(bytes, size - head);
	if (vdgpu_sim_bus_rw(e->sim, base + head, &e->pkt[1], first, false) ||
	    vdgpu_sim_bus_rw(e->sim, base, (void *)&e->pkt[1] + first,
			     bytes - first, false))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_BUS_ADDRESS);
	le32_to_cpu_array(&e->pkt[1], bytes / 4);
	return 0;
}

/**
 * vdgpu_sim_engine_work() - an engine's worker
 * @work: &vdgpu_sim_engine.work
 *
 * Context: Process context, on the device's workqueue.
 */
void vdgpu_sim_engine_work(struct work_struct *work)
{
	struct vdgpu_sim_engine *e =
		container_of(work, struct vdgpu_sim_engine, work);
	struct vdgpu_sim *sim = e->sim;

	for (;;) {
		struct vdgpu_sim_access acc = {};
		u32 size, head, tail, len;
		unsigned long flags;
		bool fail;
		u64 base;
		int ret;

		spin_lock_irqsave(&sim->lock, flags);
		if (e->ctrl & VDGPU_ENGINE_CTRL_RESET) {
			/* Stopped; completes when RESET_HANG is cleared. */
			if (!e->reset_hang)
				__vdgpu_sim_engine_reset(e);
			spin_unlock_irqrestore(&sim->lock, flags);
			return;
		}
		if (!(e->ctrl & VDGPU_ENGINE_CTRL_ENABLE) ||
		    (e->status & VDGPU_ENGINE_STATUS_HALTED) ||
		    e->hang || e->head == e->tail) {
			spin_unlock_irqrestore(&sim->lock, flags);
			return;
		}
		base = e->ring_base;
		size = e->ring_size;
		head = e->head;
		tail = e->tail;
		fail = e->fail_count;
		if (fail)
			e->fail_count--;
		e->busy = true;
		spin_unlock_irqrestore(&sim->lock, flags);

		e->deadline = ktime_get();
		ret = vdgpu_sim_fetch(e, base, size, head,
				      (tail - head) & (size - 1), &acc);
		if (!ret && fail)
			ret = vdgpu_sim_refuse(&acc, VDGPU_ERROR_INJECTED);
		if (!ret)
			ret = vdgpu_sim_exec(e, &acc);
		len = (vdgpu_sim_pkt_len(e->pkt[0]) + 1) * 4;
		vdgpu_sim_throttle(e, 0);

		spin_lock_irqsave(&sim->lock, flags);
		e->busy = false;
		if (!ret)
			e->head = (head + len) & (size - 1);
		else if (ret != -EINTR)
			__vdgpu_sim_engine_halt(e, &acc);
		spin_unlock_irqrestore(&sim->lock, flags);
		cond_resched();
	}
}

/**
 * vdgpu_sim_engines_init() - power up the engines, disabled and idle
 * @sim: the device
 *
 * Context: Process context.
 */
void vdgpu_sim_engines_init(struct vdgpu_sim *sim)
{
	unsigned int i;

	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		struct vdgpu_sim_engine *e = &sim->engines[i];

		e->sim = sim;
		e->id = i;
		INIT_WORK(&e->work, vdgpu_sim_engine_work);
	}
}

/**
 * vdgpu_sim_engines_fini() - power the engines down
 * @sim: the device
 *
 * Disables every engine and waits for its worker, so that no engine touches
 * memory any more.
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_engines_fini(struct vdgpu_sim *sim)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		WRITE_ONCE(sim->engines[i].ctrl, VDGPU_ENGINE_CTRL_RESET);
	spin_unlock_irqrestore(&sim->lock, flags);
	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		cancel_work_sync(&sim->engines[i].work);
}
