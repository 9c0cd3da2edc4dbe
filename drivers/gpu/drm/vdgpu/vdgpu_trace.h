/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM vdgpu

#if !defined(_VDGPU_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _VDGPU_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

/*
 * Placements are printed by TTM type: 0 SYSTEM, 1 TT (GTT), 2 VRAM; 255
 * for none (a new object, or a purged one).
 */

TRACE_EVENT(vdgpu_bo_create,
	    TP_PROTO(const void *bo, u64 size, u32 region, u32 flags),
	    TP_ARGS(bo, size, region, flags),
	    TP_STRUCT__entry(__field(const void *, bo)
			     __field(u64, size)
			     __field(u32, region)
			     __field(u32, flags)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->size = size;
			   __entry->region = region;
			   __entry->flags = flags;),
	    TP_printk("bo=%p size=%llu region=%u flags=0x%x",
		      __entry->bo, __entry->size, __entry->region,
		      __entry->flags)
);

TRACE_EVENT(vdgpu_bo_move,
	    TP_PROTO(const void *bo, u32 from, u32 to, u64 bytes, bool evict,
		     const char *how),
	    TP_ARGS(bo, from, to, bytes, evict, how),
	    TP_STRUCT__entry(__field(const void *, bo)
			     __field(u32, from)
			     __field(u32, to)
			     __field(u64, bytes)
			     __field(bool, evict)
			     __string(how, how)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->from = from;
			   __entry->to = to;
			   __entry->bytes = bytes;
			   __entry->evict = evict;
			   __assign_str(how);),
	    TP_printk("bo=%p from=%u to=%u bytes=%llu reason=%s how=%s",
		      __entry->bo, __entry->from, __entry->to, __entry->bytes,
		      __entry->evict ? "evict" : "validate", __get_str(how))
);

TRACE_EVENT(vdgpu_evict,
	    TP_PROTO(const void *bo, u32 from, u64 size, bool purge),
	    TP_ARGS(bo, from, size, purge),
	    TP_STRUCT__entry(__field(const void *, bo)
			     __field(u32, from)
			     __field(u64, size)
			     __field(bool, purge)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->from = from;
			   __entry->size = size;
			   __entry->purge = purge;),
	    TP_printk("bo=%p from=%u size=%llu %s", __entry->bo,
		      __entry->from, __entry->size,
		      __entry->purge ? "purge" : "move")
);

TRACE_EVENT(vdgpu_swap,
	    TP_PROTO(unsigned long pages, bool out),
	    TP_ARGS(pages, out),
	    TP_STRUCT__entry(__field(unsigned long, pages)
			     __field(bool, out)),
	    TP_fast_assign(__entry->pages = pages;
			   __entry->out = out;),
	    TP_printk("%s pages=%lu", __entry->out ? "out" : "in",
		      __entry->pages)
);

TRACE_EVENT(vdgpu_vm_bind,
	    TP_PROTO(const void *vm, u32 op, u64 addr, u64 range),
	    TP_ARGS(vm, op, addr, range),
	    TP_STRUCT__entry(__field(const void *, vm)
			     __field(u32, op)
			     __field(u64, addr)
			     __field(u64, range)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->op = op;
			   __entry->addr = addr;
			   __entry->range = range;),
	    TP_printk("vm=%p op=%s addr=0x%llx range=0x%llx", __entry->vm,
		      __entry->op == 0 ? "map" : __entry->op == 1 ? "unmap" :
		      "prefetch", __entry->addr, __entry->range)
);

TRACE_EVENT(vdgpu_exec,
	    TP_PROTO(u64 client, u32 queue, u64 addr, u32 len, u64 context,
		     u64 seqno),
	    TP_ARGS(client, queue, addr, len, context, seqno),
	    TP_STRUCT__entry(__field(u64, client)
			     __field(u32, queue)
			     __field(u64, addr)
			     __field(u32, len)
			     __field(u64, context)
			     __field(u64, seqno)),
	    TP_fast_assign(__entry->client = client;
			   __entry->queue = queue;
			   __entry->addr = addr;
			   __entry->len = len;
			   __entry->context = context;
			   __entry->seqno = seqno;),
	    TP_printk("client=%llu queue=%u addr=0x%llx len=%u fence=%llu:%llu",
		      __entry->client, __entry->queue, __entry->addr,
		      __entry->len, __entry->context, __entry->seqno)
);

TRACE_EVENT(vdgpu_fence_signal,
	    TP_PROTO(const char *engine, u64 context, u64 seqno, int error),
	    TP_ARGS(engine, context, seqno, error),
	    TP_STRUCT__entry(__string(engine, engine)
			     __field(u64, context)
			     __field(u64, seqno)
			     __field(int, error)),
	    TP_fast_assign(__assign_str(engine);
			   __entry->context = context;
			   __entry->seqno = seqno;
			   __entry->error = error;),
	    TP_printk("engine=%s context=%llu seqno=%llu error=%d",
		      __get_str(engine), __entry->context, __entry->seqno,
		      __entry->error)
);

#endif /* _VDGPU_TRACE_H_ */

/* Built out of tree too: the header is found next to its user. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vdgpu_trace
#include <trace/define_trace.h>
