/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _UAPI_VDGPU_DRM_H_
#define _UAPI_VDGPU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * The vdgpu uAPI.  Every ioctl and structure here follows these rules:
 *
 * - Only fixed-size types (__u8 to __u64, __s8 to __s64).  Structures are
 *   64-bit aligned with sizes a multiple of 8 bytes; padding is explicit,
 *   named ``pad``, and must be zero.
 * - Every top-level structure starts with ``__u64 extensions`` (0 for now)
 *   and ends with reserved words that must be zero, so it can grow.
 * - Flags are #defined above the field they belong to; unknown flags are
 *   rejected with -EINVAL.
 * - Output fields must be zero on input, like pads, so that a field can
 *   later become an input without old callers passing garbage in it.
 * - No unions.  Arrays are passed as {stride, count, ptr}, ``ptr`` being a
 *   __u64 user pointer; elements are copied one by one so that their size
 *   can grow.
 * - The ioctl numbers below are append-only.  Every addition to the uAPI
 *   bumps the driver's minor version, reported by DRM_IOCTL_VERSION, and is
 *   discoverable through the query ioctl once it exists.
 * - Errors: -EINVAL for a malformed argument, -ENOENT for a handle or id
 *   that does not exist in this file, -EFAULT for an unreadable or
 *   unwritable user pointer, -ENOSPC when device memory cannot hold an
 *   object, -ENOMEM when kernel memory runs out, -ENODEV once the device is
 *   gone.  Waits are interruptible and ioctls restartable; timeouts are
 *   absolute CLOCK_MONOTONIC times in nanoseconds (__s64).
 *
 * Version 1.3 adds command submission: EXEC_QUEUE_CREATE,
 * EXEC_QUEUE_DESTROY and EXEC.  Version 1.2 added GPU virtual address
 * spaces: VM_CREATE, VM_DESTROY,
 * VM_BIND, VM-private objects (&drm_vdgpu_gem_create.vm_id) and the VA
 * layout in &struct drm_vdgpu_query_device.  Version 1.1 added the memory
 * uAPI: QUERY, GEM_CREATE, GEM_MMAP_OFFSET, GEM_WAIT, GEM_INFO and
 * GEM_MADVISE.  Version 1.0 had only the core DRM
 * ioctls (version, capabilities, GEM handles, syncobjs, binary and
 * timeline), which every version keeps.
 */

/**
 * DOC: Memory regions
 *
 * Buffer objects live in *memory regions*, which &DRM_IOCTL_VDGPU_QUERY
 * lists with &DRM_VDGPU_QUERY_MEM_REGIONS.  A region has an id, used to
 * name it in &struct drm_vdgpu_gem_create, a class and an instance:
 *
 * - %DRM_VDGPU_MEM_CLASS_SYSTEM: system pages the device cannot reach.
 *   Objects there are not usable by the GPU until they move.
 * - %DRM_VDGPU_MEM_CLASS_GTT: system pages the device reaches through its
 *   GART.  The total is the size of the GART aperture.
 * - %DRM_VDGPU_MEM_CLASS_VRAM: device-local memory.  Only its first
 *   ``cpu_visible_size`` bytes are reachable by the CPU (the BAR window).
 *
 * In this version region ids are fixed: %DRM_VDGPU_REGION_SYSTEM,
 * %DRM_VDGPU_REGION_GTT and %DRM_VDGPU_REGION_VRAM0.  An object moves at
 * any time, and its contents always move with it: between its regions, and
 * out of them to GTT or SYSTEM when another object needs its space
 * (eviction) or a CPU fault needs it in reach of the CPU.  It goes back
 * into its regions when the GPU next needs it there.
 */

/**
 * DOC: Objects and CPU access
 *
 * An object is created with an ordered list of the regions it may live in,
 * most preferred first.  It is placed in the first region with room,
 * evicting less recently used objects from a region to make room before
 * trying the next one.  -ENOSPC means no region in the list can hold it
 * even after eviction.
 *
 * No object shows bytes it did not write: new objects read as zeroes in
 * every region.
 *
 * CPU mappings come from &DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET and mmap() of the
 * DRM file.  VRAM is mapped write-combined, as are system pages of objects
 * created with %DRM_VDGPU_GEM_CREATE_SYSTEM_WC; other system pages are
 * cached.  A CPU fault on an object in VRAM outside the CPU-visible window
 * moves it into the window, or to GTT when the window is full and GTT is
 * an allowed region; a fault waits for the moves the kernel has in flight
 * on the object but not for GPU work userspace submitted:
 * &DRM_IOCTL_VDGPU_GEM_WAIT does that.
 *
 * Objects are shared with PRIME (DRM_IOCTL_PRIME_HANDLE_TO_FD and
 * FD_TO_HANDLE).  While another device holds an exported object it stays
 * in GTT or SYSTEM, where that device can reach it.  An imported object
 * lives in GTT over the exporter's pages; mapping it maps the dma-buf, and
 * DONTNEED never purges it, its contents being the exporter's.
 */

/**
 * DOC: GPU virtual address spaces
 *
 * The GPU reaches memory through per-process virtual address spaces, VMs,
 * the GPU's counterpart of an mm_struct.  A file creates as many VMs as it
 * likes with &DRM_IOCTL_VDGPU_VM_CREATE; a VM id names one within the file
 * that created it and nowhere else.
 *
 * Addresses of a VM run from 0 to &drm_vdgpu_query_device.va_end; the
 * kernel keeps [&drm_vdgpu_query_device.va_kernel_start, va_end) for
 * itself.  &DRM_IOCTL_VDGPU_VM_BIND maps ranges of objects there, unmaps
 * ranges, and prefetches the objects of a range into a region.  Mappings
 * behave like mmap() and munmap(): mapping over existing mappings replaces
 * the overlapped parts, unmapping part of a mapping leaves the rest mapped,
 * and unmapping a range that holds no mapping is not an error.  The kernel
 * uses 64 KiB and 2 MiB device pages where the virtual address, the
 * object's placement and the mapping's extent allow; userspace that aligns
 * addresses and sizes of large mappings to 2 MiB gets the most of them.
 *
 * An object is created either shared, or private to one VM
 * (&drm_vdgpu_gem_create.vm_id): a private object can only be mapped in
 * its VM and cannot be exported, nor opened by another file through a
 * flink name (DRM_IOCTL_GEM_OPEN fails with -EINVAL), but costs nothing to
 * lock on submission, sharing the VM's reservation object.
 *
 * Objects keep moving while mapped: when one is evicted its mappings stay,
 * and the kernel brings it back and rewrites the page tables before the GPU
 * next uses the VM.  Objects whose only region is of class
 * %DRM_VDGPU_MEM_CLASS_SYSTEM cannot be mapped.
 *
 * A bind either completes before the ioctl returns (the default), or with
 * %DRM_VDGPU_VM_BIND_ASYNC is queued and completes once its in-syncs have
 * signalled and the VM's earlier work has completed; out-syncs signal when
 * the page tables are written.  Binds of one VM complete in the order they
 * were made.  Syncobjs are binary, or timeline points with
 * %DRM_VDGPU_SYNC_TIMELINE.
 */

/**
 * DOC: Command submission
 *
 * The GPU runs *batches*: command buffers in an object mapped in a VM,
 * written by userspace in the device's batch command set (NOP, COPY,
 * FILL, STORE_DWORD, TIMESTAMP and WAIT on virtual addresses of the VM;
 * the encoding is the hardware manual's, "Batches" in vdgpu_regs.h and
 * hardware.rst).  An access to an address the VM does not map, or a write
 * to a read-only mapping, is a GPU page fault.
 *
 * Work is submitted to an *exec queue*, created with
 * &DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE for one VM and one engine class with
 * a priority.  Batches of one queue run in submission order; batches of
 * different queues are ordered only by the syncobjs userspace passes.
 * &DRM_IOCTL_VDGPU_EXEC queues one batch: the kernel brings back whatever
 * of the VM was evicted and rewrites its page tables before the batch
 * runs, so batches may rely on every mapping of the VM.  The batch waits
 * for its in-syncs and, with %DRM_VDGPU_EXEC_IMPLICIT_SYNC, for the
 * objects it lists; its out-syncs, and those objects' reservation objects
 * (for other devices and PRIME importers), signal when it completes.  The
 * ioctl never waits for the GPU.
 *
 * A batch that runs for longer than the device's timeout (a few seconds,
 * see &drm_vdgpu_exec_queue_create) or faults is stopped, its fences
 * signal with an error (-ETIMEDOUT for a timeout, -EIO for a fault or a
 * malformed command, as the syncobj's fence status reports), and its queue
 * is *banned*: later EXECs on it fail with -ECANCELED; batches already
 * queued behind it are cancelled with -ECANCELED.  Other queues, of the
 * same VM or not, are unaffected.  debugfs ``error_state`` records the
 * last faults and hangs (queue, VM, address, access, reason).
 *
 * In this version only %DRM_VDGPU_ENGINE_CLASS_COMPUTE queues exist: the
 * copy engines are the kernel's, for moving memory.
 */

/*
 * Driver-private ioctl numbers, offsets from DRM_COMMAND_BASE; append-only.
 */
#define DRM_VDGPU_QUERY			0x00
#define DRM_VDGPU_GEM_CREATE		0x01
#define DRM_VDGPU_GEM_MMAP_OFFSET	0x02
#define DRM_VDGPU_GEM_WAIT		0x03
#define DRM_VDGPU_GEM_INFO		0x04
#define DRM_VDGPU_GEM_MADVISE		0x05
#define DRM_VDGPU_VM_CREATE		0x06
#define DRM_VDGPU_VM_DESTROY		0x07
#define DRM_VDGPU_VM_BIND		0x08
#define DRM_VDGPU_EXEC_QUEUE_CREATE	0x09
#define DRM_VDGPU_EXEC_QUEUE_DESTROY	0x0a
#define DRM_VDGPU_EXEC			0x0b

/**
 * DRM_IOCTL_VDGPU_QUERY - ask the device about itself
 *
 * Argument: &struct drm_vdgpu_query.
 */
#define DRM_IOCTL_VDGPU_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_QUERY, struct drm_vdgpu_query)
/**
 * DRM_IOCTL_VDGPU_GEM_CREATE - create a buffer object
 *
 * Argument: &struct drm_vdgpu_gem_create.
 */
#define DRM_IOCTL_VDGPU_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_GEM_CREATE, \
		 struct drm_vdgpu_gem_create)
/**
 * DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET - get the fake offset to mmap an object
 *
 * Argument: &struct drm_vdgpu_gem_mmap_offset.
 */
#define DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_GEM_MMAP_OFFSET, \
		 struct drm_vdgpu_gem_mmap_offset)
/**
 * DRM_IOCTL_VDGPU_GEM_WAIT - wait for an object to be idle
 *
 * Argument: &struct drm_vdgpu_gem_wait.
 */
#define DRM_IOCTL_VDGPU_GEM_WAIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VDGPU_GEM_WAIT, \
		struct drm_vdgpu_gem_wait)
/**
 * DRM_IOCTL_VDGPU_GEM_INFO - describe an object
 *
 * Argument: &struct drm_vdgpu_gem_info.
 */
#define DRM_IOCTL_VDGPU_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_GEM_INFO, \
		 struct drm_vdgpu_gem_info)
/**
 * DRM_IOCTL_VDGPU_GEM_MADVISE - tell whether an object's contents are needed
 *
 * Argument: &struct drm_vdgpu_gem_madvise.
 */
#define DRM_IOCTL_VDGPU_GEM_MADVISE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_GEM_MADVISE, \
		 struct drm_vdgpu_gem_madvise)
/**
 * DRM_IOCTL_VDGPU_VM_CREATE - create a GPU virtual address space
 *
 * Argument: &struct drm_vdgpu_vm_create.
 */
#define DRM_IOCTL_VDGPU_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_VM_CREATE, \
		 struct drm_vdgpu_vm_create)
/**
 * DRM_IOCTL_VDGPU_VM_DESTROY - destroy a GPU virtual address space
 *
 * Argument: &struct drm_vdgpu_vm_destroy.
 */
#define DRM_IOCTL_VDGPU_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VDGPU_VM_DESTROY, \
		struct drm_vdgpu_vm_destroy)
/**
 * DRM_IOCTL_VDGPU_VM_BIND - map, unmap and prefetch ranges of a VM
 *
 * Argument: &struct drm_vdgpu_vm_bind.
 */
#define DRM_IOCTL_VDGPU_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VDGPU_VM_BIND, \
		struct drm_vdgpu_vm_bind)
/**
 * DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE - create a queue to submit batches to
 *
 * Argument: &struct drm_vdgpu_exec_queue_create.
 */
#define DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VDGPU_EXEC_QUEUE_CREATE, \
		 struct drm_vdgpu_exec_queue_create)
/**
 * DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY - destroy an exec queue
 *
 * Argument: &struct drm_vdgpu_exec_queue_destroy.
 */
#define DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VDGPU_EXEC_QUEUE_DESTROY, \
		struct drm_vdgpu_exec_queue_destroy)
/**
 * DRM_IOCTL_VDGPU_EXEC - submit a batch
 *
 * Argument: &struct drm_vdgpu_exec.
 */
#define DRM_IOCTL_VDGPU_EXEC \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VDGPU_EXEC, struct drm_vdgpu_exec)

/**
 * struct drm_vdgpu_query - argument of &DRM_IOCTL_VDGPU_QUERY
 *
 * Asks for one item of information, written to @data.  Call once with
 * @size 0 to learn the size the item needs (written back to @size), then
 * again with a buffer of at least that size; the kernel writes the item
 * and sets @size to the bytes written.  A nonzero @size smaller than the
 * item's is -EINVAL.  Items are structures whose fields are only ever
 * appended, so an older userspace reading a newer kernel's item just
 * ignores its tail.
 */
struct drm_vdgpu_query {
	/** @extensions: must be 0 */
	__u64 extensions;

#define DRM_VDGPU_QUERY_DEVICE		0
#define DRM_VDGPU_QUERY_MEM_REGIONS	1
#define DRM_VDGPU_QUERY_ENGINES		2
	/**
	 * @query: the item: %DRM_VDGPU_QUERY_DEVICE (&struct
	 * drm_vdgpu_query_device), %DRM_VDGPU_QUERY_MEM_REGIONS (&struct
	 * drm_vdgpu_query_mem_regions) or %DRM_VDGPU_QUERY_ENGINES (&struct
	 * drm_vdgpu_query_engines); others are -EINVAL
	 */
	__u32 query;
	/** @size: in: bytes at @data, or 0; out: bytes the item needs/has */
	__u32 size;
	/** @data: user pointer to the buffer; unused when @size is 0 */
	__u64 data;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_query_device - &DRM_VDGPU_QUERY_DEVICE: the device and
 * its limits
 */
struct drm_vdgpu_query_device {
	/** @uapi_major: major version of this uAPI, 1 */
	__u32 uapi_major;
	/** @uapi_minor: minor version; features of a minor are listed above */
	__u32 uapi_minor;
	/** @num_mem_regions: number of memory regions */
	__u32 num_mem_regions;
	/** @num_engines: number of engines */
	__u32 num_engines;
	/**
	 * @min_alignment: object sizes are rounded up to a multiple of this
	 * (the page size)
	 */
	__u64 min_alignment;
	/**
	 * @max_object_size: the largest size &DRM_IOCTL_VDGPU_GEM_CREATE
	 * accepts; the regions still have to hold the object
	 */
	__u64 max_object_size;
	/** @max_regions: most entries in an object's region list */
	__u32 max_regions;
	/** @pad: 0 */
	__u32 pad;
	/**
	 * @va_end: the end of every VM's address space: addresses are below
	 * it (since 1.2)
	 */
	__u64 va_end;
	/**
	 * @va_kernel_start: the start of the range at the top of every VM
	 * that the kernel keeps, up to @va_end (since 1.2)
	 */
	__u64 va_kernel_start;
	/**
	 * @va_page_sizes: a mask of the device page sizes VMs map with,
	 * 4 KiB always (since 1.2)
	 */
	__u64 va_page_sizes;
	/** @reserved: 0 */
	__u64 reserved[3];
};

/**
 * struct drm_vdgpu_mem_region - one memory region
 */
struct drm_vdgpu_mem_region {
	/** @id: the region's id, for &drm_vdgpu_gem_create.regions */
	__u32 id;

#define DRM_VDGPU_MEM_CLASS_SYSTEM	0
#define DRM_VDGPU_MEM_CLASS_GTT		1
#define DRM_VDGPU_MEM_CLASS_VRAM	2
	/** @mem_class: %DRM_VDGPU_MEM_CLASS_SYSTEM, _GTT or _VRAM */
	__u16 mem_class;
	/** @instance: which region of its class, from 0 */
	__u16 instance;
	/** @min_page_size: smallest unit of allocation, in bytes */
	__u64 min_page_size;
	/**
	 * @total_size: bytes objects can use; for SYSTEM the limit TTM puts
	 * on system pages
	 */
	__u64 total_size;
	/** @used: bytes in use by objects, a snapshot */
	__u64 used;
	/**
	 * @cpu_visible_size: bytes of the region the CPU can reach; equal to
	 * @total_size except for VRAM
	 */
	__u64 cpu_visible_size;
	/** @cpu_visible_used: bytes of the visible part in use, a snapshot */
	__u64 cpu_visible_used;
	/** @reserved: 0 */
	__u64 reserved[4];
};

/* Fixed region ids of this version. */
#define DRM_VDGPU_REGION_SYSTEM		0
#define DRM_VDGPU_REGION_GTT		1
#define DRM_VDGPU_REGION_VRAM0		2

/**
 * struct drm_vdgpu_query_mem_regions - &DRM_VDGPU_QUERY_MEM_REGIONS: every
 * memory region
 */
struct drm_vdgpu_query_mem_regions {
	/** @num_regions: entries in @regions */
	__u32 num_regions;
	/**
	 * @region_size: sizeof(&struct drm_vdgpu_mem_region) of the kernel:
	 * the stride of @regions
	 */
	__u32 region_size;
	/** @regions: the regions, in id order */
	struct drm_vdgpu_mem_region regions[];
};

/**
 * struct drm_vdgpu_engine - one engine
 */
struct drm_vdgpu_engine {
#define DRM_VDGPU_ENGINE_CLASS_COPY	0
#define DRM_VDGPU_ENGINE_CLASS_COMPUTE	1
	/** @engine_class: %DRM_VDGPU_ENGINE_CLASS_COPY or _COMPUTE */
	__u16 engine_class;
	/** @instance: which engine of its class, from 0 */
	__u16 instance;
	/** @pad: 0 */
	__u32 pad;
	/** @reserved: 0 */
	__u64 reserved[3];
};

/**
 * struct drm_vdgpu_query_engines - &DRM_VDGPU_QUERY_ENGINES: every engine
 */
struct drm_vdgpu_query_engines {
	/** @num_engines: entries in @engines */
	__u32 num_engines;
	/**
	 * @engine_size: sizeof(&struct drm_vdgpu_engine) of the kernel: the
	 * stride of @engines
	 */
	__u32 engine_size;
	/** @engines: the engines */
	struct drm_vdgpu_engine engines[];
};

/**
 * struct drm_vdgpu_gem_create - argument of &DRM_IOCTL_VDGPU_GEM_CREATE
 *
 * Creates an object of @size bytes, rounded up to the page size, in the
 * first region of @regions that can hold it (see "Objects and CPU
 * access"), and returns a handle to it.
 *
 * Errors: -EINVAL for a zero or too large @size, an empty or too long
 * region list, an unknown or repeated region id, unknown or contradictory
 * @flags, or nonzero @extensions, @handle or @reserved; -EFAULT when @regions
 * cannot be read; -ENOENT for a @vm_id that does not exist; -ENOSPC when no
 * region can hold the object; -ENOMEM when kernel memory runs out.
 */
struct drm_vdgpu_gem_create {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @size: in: bytes; at most &drm_vdgpu_query_device.max_object_size */
	__u64 size;
	/**
	 * @regions: in: user pointer to an array of @num_regions __u32 region
	 * ids, most preferred first, each at most once
	 */
	__u64 regions;
	/**
	 * @num_regions: in: entries in @regions, 1 to
	 * &drm_vdgpu_query_device.max_regions
	 */
	__u32 num_regions;

/*
 * The CPU will map the object: in VRAM it is kept in the CPU-visible
 * window.
 */
#define DRM_VDGPU_GEM_CREATE_CPU_ACCESS		(1u << 0)
/*
 * The CPU never maps the object (mmap offsets are refused): in VRAM it is
 * placed from the top, away from the CPU-visible window.
 */
#define DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS	(1u << 1)
/* In VRAM the object is one contiguous range. */
#define DRM_VDGPU_GEM_CREATE_CONTIGUOUS		(1u << 2)
/* System pages of the object are mapped write-combined, not cached. */
#define DRM_VDGPU_GEM_CREATE_SYSTEM_WC		(1u << 3)
	/**
	 * @flags: in: %DRM_VDGPU_GEM_CREATE_CPU_ACCESS or
	 * %DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS (not both),
	 * %DRM_VDGPU_GEM_CREATE_CONTIGUOUS, %DRM_VDGPU_GEM_CREATE_SYSTEM_WC
	 */
	__u32 flags;
	/**
	 * @vm_id: in: the VM whose private object this is, or 0 for an
	 * object that can be shared (see "GPU virtual address spaces")
	 */
	__u32 vm_id;
	/** @handle: out: the object's handle */
	__u32 handle;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_gem_mmap_offset - argument of
 * &DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET
 *
 * Returns the offset to pass to mmap() on this DRM file to map the object.
 * The offset is the object's and stays valid while it exists; any file
 * holding the object can map it at that offset, and only such a file.
 *
 * Errors: -ENOENT for a bad handle; -EINVAL for an object created with
 * %DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS or nonzero @extensions, @flags,
 * @offset or @reserved.
 */
struct drm_vdgpu_gem_mmap_offset {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @handle: in: the object */
	__u32 handle;
	/** @flags: in: must be 0 */
	__u32 flags;
	/** @offset: out: the fake offset to mmap() */
	__u64 offset;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_gem_wait - argument of &DRM_IOCTL_VDGPU_GEM_WAIT
 *
 * Waits until every operation on the object, by the kernel or by any GPU
 * work using it, has completed, or until @timeout_ns.  The wait is
 * interruptible; since the timeout is absolute, a restarted call waits no
 * longer than the first would have.
 *
 * Return: 0 when the object is idle, -ETIME when it is still busy at
 * @timeout_ns (a timeout in the past just polls), -ENOENT for a bad handle,
 * -EINVAL for nonzero @extensions, @flags or @reserved, -ERESTARTSYS or
 * -EINTR when a signal interrupted the wait.
 */
struct drm_vdgpu_gem_wait {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @handle: in: the object */
	__u32 handle;
	/** @flags: in: must be 0 */
	__u32 flags;
	/** @timeout_ns: in: absolute CLOCK_MONOTONIC time to give up at */
	__s64 timeout_ns;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_gem_info - argument of &DRM_IOCTL_VDGPU_GEM_INFO
 *
 * Describes an object.  @region is a snapshot: the object may move at any
 * time.
 *
 * Errors: -ENOENT for a bad handle; -EINVAL for nonzero @extensions, @pad,
 * @reserved or output fields.
 */
struct drm_vdgpu_gem_info {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @handle: in: the object */
	__u32 handle;
	/** @pad: must be 0 */
	__u32 pad;
	/** @size: out: size in bytes */
	__u64 size;
	/**
	 * @region: out: id of the region the object is in now;
	 * %DRM_VDGPU_REGION_SYSTEM while it has no memory (purged)
	 */
	__u32 region;
	/**
	 * @allowed_regions: out: bit n set for every region id n the object
	 * may live in
	 */
	__u32 allowed_regions;
	/** @flags: out: the object's &drm_vdgpu_gem_create.flags */
	__u32 flags;

#define DRM_VDGPU_GEM_STATE_DONTNEED	(1u << 0)
#define DRM_VDGPU_GEM_STATE_PURGED	(1u << 1)
	/**
	 * @state: out: %DRM_VDGPU_GEM_STATE_DONTNEED while marked so,
	 * %DRM_VDGPU_GEM_STATE_PURGED once its contents were discarded (see
	 * &struct drm_vdgpu_gem_madvise)
	 */
	__u32 state;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_gem_madvise - argument of &DRM_IOCTL_VDGPU_GEM_MADVISE
 *
 * %DRM_VDGPU_MADV_DONTNEED says the contents may be discarded: when its
 * region runs short, the object is purged (its memory freed, not moved)
 * rather than evicted.  A CPU fault on an object that is purged and still
 * DONTNEED raises SIGBUS.  %DRM_VDGPU_MADV_WILLNEED makes the contents
 * needed again; if they were purged, the object is usable again and reads
 * as zeroes.
 *
 * Errors: -ENOENT for a bad handle; -EINVAL for an unknown @advice,
 * nonzero @extensions, @pad or @reserved, or nonzero @purged on input.
 */
struct drm_vdgpu_gem_madvise {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @handle: in: the object */
	__u32 handle;

#define DRM_VDGPU_MADV_WILLNEED		0
#define DRM_VDGPU_MADV_DONTNEED		1
	/** @advice: in: %DRM_VDGPU_MADV_WILLNEED or %DRM_VDGPU_MADV_DONTNEED */
	__u32 advice;
	/**
	 * @purged: out: 1 if the contents were discarded since the object was
	 * last marked %DRM_VDGPU_MADV_WILLNEED (or created), else 0; a
	 * WILLNEED call reports it and clears it
	 */
	__u32 purged;
	/** @pad: must be 0 */
	__u32 pad;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_vm_create - argument of &DRM_IOCTL_VDGPU_VM_CREATE
 *
 * Creates an empty VM owned by the calling file.
 *
 * Errors: -EINVAL for nonzero @extensions, @flags, @vm_id or @reserved;
 * -ENOMEM; -ENOSPC when device memory cannot hold the VM's root page table.
 */
struct drm_vdgpu_vm_create {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @flags: none defined, must be 0 */
	__u32 flags;
	/** @vm_id: out: the VM's id in this file, never 0 */
	__u32 vm_id;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_vm_destroy - argument of &DRM_IOCTL_VDGPU_VM_DESTROY
 *
 * Unmaps everything and destroys the VM once the work already queued on it
 * has completed.  Objects private to it stay valid but can be mapped
 * nowhere.  Closing the file destroys its VMs.
 *
 * Errors: -EINVAL for nonzero @extensions, @pad or @reserved; -ENOENT for
 * a @vm_id that does not exist in this file.
 */
struct drm_vdgpu_vm_destroy {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @vm_id: the VM */
	__u32 vm_id;
	/** @pad: must be 0 */
	__u32 pad;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_vm_bind_op - one operation of &DRM_IOCTL_VDGPU_VM_BIND
 *
 * @addr and @range are multiples of 4 KiB with @range nonzero, and
 * [@addr, @addr + @range) lies below &drm_vdgpu_query_device.va_kernel_start.
 */
struct drm_vdgpu_vm_bind_op {
#define DRM_VDGPU_VM_BIND_OP_MAP	0
#define DRM_VDGPU_VM_BIND_OP_UNMAP	1
#define DRM_VDGPU_VM_BIND_OP_PREFETCH	2
	/**
	 * @op: %DRM_VDGPU_VM_BIND_OP_MAP maps [@obj_offset, @obj_offset +
	 * @range) of object @handle at @addr, replacing what was mapped there;
	 * %DRM_VDGPU_VM_BIND_OP_UNMAP unmaps what is mapped in the range;
	 * %DRM_VDGPU_VM_BIND_OP_PREFETCH moves every object mapped in the
	 * range to region @region, which each must allow, ahead of use
	 */
	__u32 op;

/* MAP: the GPU may read the mapping but not write it. */
#define DRM_VDGPU_VM_BIND_READ_ONLY	(1u << 0)
	/** @flags: %DRM_VDGPU_VM_BIND_READ_ONLY for MAP, else 0 */
	__u32 flags;
	/**
	 * @handle: MAP: the object, of this file, shared or private to this
	 * VM; 0 for other operations
	 */
	__u32 handle;
	/**
	 * @region: PREFETCH: the region id, of class GTT or VRAM; 0 for
	 * other operations
	 */
	__u32 region;
	/**
	 * @obj_offset: MAP: the offset into the object, a multiple of 4 KiB,
	 * with @obj_offset + @range at most the object's size; 0 for other
	 * operations
	 */
	__u64 obj_offset;
	/** @addr: the start of the virtual range */
	__u64 addr;
	/** @range: the size of the virtual range */
	__u64 range;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_sync - a syncobj to wait for or to signal
 */
struct drm_vdgpu_sync {
/* Signal the syncobj when the work completes, instead of waiting for it. */
#define DRM_VDGPU_SYNC_SIGNAL		(1u << 0)
/* The syncobj is a timeline and @point names the point. */
#define DRM_VDGPU_SYNC_TIMELINE		(1u << 1)
	/** @flags: %DRM_VDGPU_SYNC_SIGNAL, %DRM_VDGPU_SYNC_TIMELINE */
	__u32 flags;
	/** @handle: the syncobj, of this file */
	__u32 handle;
	/**
	 * @point: for %DRM_VDGPU_SYNC_TIMELINE the timeline point, nonzero;
	 * else 0
	 */
	__u64 point;
	/** @reserved: must be 0 */
	__u64 reserved;
};

/**
 * struct drm_vdgpu_vm_bind - argument of &DRM_IOCTL_VDGPU_VM_BIND
 *
 * Applies the operations of @ops to VM @vm_id in order, as one update:
 * either all of them take effect or, on error, none does.  In-syncs (syncs
 * without %DRM_VDGPU_SYNC_SIGNAL) must have a fence when the ioctl is made.
 * Without %DRM_VDGPU_VM_BIND_ASYNC the ioctl first waits for the in-syncs,
 * interruptibly, then applies the operations and returns once the page
 * tables are written.  See "GPU virtual address spaces".
 *
 * Arrays are read element by element with the caller's stride: a smaller
 * element is zero-extended, a larger one must be zero beyond the kernel's
 * structure.
 *
 * Errors: -EINVAL for nonzero @extensions or @reserved, unknown @flags, no
 * operations or more than 1024, more than 64 syncs, a stride of 0 or not a
 * multiple of 8, an unknown operation or flag, a misaligned, empty,
 * wrapping or out-of-range address range (including the kernel's range),
 * an @obj_offset or @range beyond the object, an object private to another
 * VM or allowed in SYSTEM only, a @region the object does not allow or of
 * class SYSTEM, nonzero fields an operation does not use, an in-sync
 * without a fence or a malformed sync; -ENOENT for a @vm_id, object handle
 * or syncobj handle that does not exist in this file; -EFAULT for
 * unreadable arrays; -ENOSPC when device memory cannot hold the objects or
 * the page tables; -ENOMEM; -EINTR or -ERESTARTSYS before anything changed.
 */
struct drm_vdgpu_vm_bind {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @vm_id: the VM */
	__u32 vm_id;

/* Queue the update and return at once; see "GPU virtual address spaces". */
#define DRM_VDGPU_VM_BIND_ASYNC		(1u << 0)
	/** @flags: %DRM_VDGPU_VM_BIND_ASYNC */
	__u32 flags;
	/** @num_ops: entries in @ops, 1 to 1024 */
	__u32 num_ops;
	/** @op_stride: sizeof(&struct drm_vdgpu_vm_bind_op) of the caller */
	__u32 op_stride;
	/** @ops: user pointer to the &struct drm_vdgpu_vm_bind_op array */
	__u64 ops;
	/** @num_syncs: entries in @syncs, at most 64 */
	__u32 num_syncs;
	/** @sync_stride: sizeof(&struct drm_vdgpu_sync) of the caller */
	__u32 sync_stride;
	/** @syncs: user pointer to the &struct drm_vdgpu_sync array */
	__u64 syncs;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_exec_queue_create - argument of
 * &DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE
 *
 * Creates a queue of VM @vm_id on the engine @engine_class, @engine_instance
 * (as &DRM_VDGPU_QUERY_ENGINES lists them).  The queue keeps its VM alive;
 * destroying the VM makes later EXECs on the queue fail with -ENOENT.  A
 * batch of the queue is stopped after 5 s (see "Command submission").
 *
 * Errors: -EINVAL for nonzero @extensions, @flags, @queue_id, @pad or
 * @reserved, an unknown priority, or an engine that does not exist or
 * takes no queues (every copy engine in this version); -ENOENT for a
 * @vm_id that does not exist in this file; -EPERM for
 * %DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH without CAP_SYS_NICE; -ENOMEM.
 */
struct drm_vdgpu_exec_queue_create {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @vm_id: the VM the queue's batches run in */
	__u32 vm_id;
	/** @engine_class: %DRM_VDGPU_ENGINE_CLASS_COMPUTE */
	__u16 engine_class;
	/** @engine_instance: the engine of its class, from 0 */
	__u16 engine_instance;

#define DRM_VDGPU_EXEC_QUEUE_PRIORITY_LOW	0
#define DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL	1
#define DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH	2
	/**
	 * @priority: %DRM_VDGPU_EXEC_QUEUE_PRIORITY_LOW, _NORMAL or _HIGH
	 * (CAP_SYS_NICE): which queue's ready batch the engine runs first
	 */
	__u32 priority;
	/** @flags: none defined, must be 0 */
	__u32 flags;
	/** @queue_id: out: the queue's id in this file, never 0 */
	__u32 queue_id;
	/** @pad: must be 0 */
	__u32 pad;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_exec_queue_destroy - argument of
 * &DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY
 *
 * Returns at once; batches already queued still run, and their fences
 * signal.  Closing the file destroys its queues likewise.
 *
 * Errors: -EINVAL for nonzero @extensions, @pad or @reserved; -ENOENT for
 * a @queue_id that does not exist in this file.
 */
struct drm_vdgpu_exec_queue_destroy {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @queue_id: the queue */
	__u32 queue_id;
	/** @pad: must be 0 */
	__u32 pad;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

/**
 * struct drm_vdgpu_exec - argument of &DRM_IOCTL_VDGPU_EXEC
 *
 * Queues the batch of @batch_len bytes at @batch_addr of the queue's VM.
 * In-syncs must have a fence when the ioctl is made (as for VM_BIND);
 * out-syncs get the batch's fence.  With %DRM_VDGPU_EXEC_IMPLICIT_SYNC the
 * batch also waits for every fence of the objects in @handles, and its
 * fence is added to them as a writer's.
 *
 * Errors: -EINVAL for nonzero @extensions or @reserved, unknown @flags, a
 * @batch_addr not 4-byte aligned, a @batch_len of 0, not a multiple of 4
 * or above 1 MiB, more than 64 syncs or 64 handles, @num_handles without
 * %DRM_VDGPU_EXEC_IMPLICIT_SYNC, a stride of 0 or not a multiple of 8, a
 * malformed sync or an in-sync without a fence; -ENOENT for a @queue_id,
 * object handle or syncobj handle that does not exist in this file, or a
 * queue whose VM was destroyed; -ECANCELED for a banned queue; -EFAULT for
 * unreadable arrays; -ENOSPC when device memory cannot hold the VM's
 * objects; -ENOMEM; -EINTR or -ERESTARTSYS before anything was queued.
 */
struct drm_vdgpu_exec {
	/** @extensions: must be 0 */
	__u64 extensions;
	/** @queue_id: the exec queue */
	__u32 queue_id;

/* Wait for the objects of @handles and publish the batch's fence on them. */
#define DRM_VDGPU_EXEC_IMPLICIT_SYNC	(1u << 0)
	/** @flags: %DRM_VDGPU_EXEC_IMPLICIT_SYNC */
	__u32 flags;
	/** @batch_addr: virtual address of the batch in the queue's VM */
	__u64 batch_addr;
	/** @batch_len: size of the batch in bytes */
	__u32 batch_len;
	/** @num_syncs: entries in @syncs, at most 64 */
	__u32 num_syncs;
	/** @syncs: user pointer to the &struct drm_vdgpu_sync array */
	__u64 syncs;
	/** @sync_stride: sizeof(&struct drm_vdgpu_sync) of the caller */
	__u32 sync_stride;
	/** @num_handles: entries in @handles, at most 64 */
	__u32 num_handles;
	/** @handles: user pointer to an array of __u32 object handles */
	__u64 handles;
	/** @reserved: must be 0 */
	__u64 reserved[2];
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VDGPU_DRM_H_ */
