// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The vdgpu authors
 *
 * vdgpu_prime: sharing objects through dma-bufs with another driver, vgem
 * (which the stock kernel ships): export to it and import from it with the
 * contents checked both ways, self-import, and an exported object keeping
 * its place and bytes under eviction pressure.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm_mode.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_dev.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define OBJ_SIZE	(1024 * 1024)

static uint32_t pattern(uint32_t seed, size_t i)
{
	return (uint32_t)(i * 2654435761u) ^ seed;
}

static void fill(void *ptr, size_t size, uint32_t seed)
{
	uint32_t *p = ptr;
	size_t i;

	for (i = 0; i < size / 4; i++)
		p[i] = pattern(seed, i);
}

static void check(const void *ptr, size_t size, uint32_t seed,
		  const char *what)
{
	const uint32_t *p = ptr;
	size_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(p[i] == pattern(seed, i),
			     "%s: dword %zu is %#x, expected %#x\n", what, i,
			     p[i], pattern(seed, i));
}

/* A vgem dumb object of @size bytes, mapped. */
static uint32_t vgem_create(int fd, uint32_t size, void **ptr)
{
	struct drm_mode_create_dumb c = {
		.width = 1024, .height = size / 4096, .bpp = 32,
	};
	struct drm_mode_map_dumb m = {};

	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c), 0);
	igt_assert_eq_u64(c.size, size);
	m.handle = c.handle;
	igt_assert_eq(drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	*ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    m.offset);
	igt_assert(*ptr != MAP_FAILED);
	return c.handle;
}

/*
 * Maps a dma-buf.  vgem does not map objects it imported (the DRM core
 * refuses dumb offsets for them): the dma-buf itself is how its holders
 * reach the exporter's pages.
 */
static void *dmabuf_mmap(int dmabuf, uint32_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 dmabuf, 0);

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

static int export_fd(int fd, uint32_t handle)
{
	int dmabuf;

	igt_assert_eq(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	return dmabuf;
}

static uint32_t import_fd(int fd, int dmabuf)
{
	uint32_t handle;

	igt_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &handle), 0);
	return handle;
}

/*
 * export-vgem: an object created for VRAM and GTT, filled through its own
 * mapping, is exported and imported by vgem, which attaches and maps it:
 * the object moves to GTT, where another device can reach it, and stays
 * there while vgem holds it; the dma-buf's mapping reads every byte the
 * client wrote, and its writes show in vdgpu's mapping.
 */
static void test_export_vgem(void)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT };
	int fd = vdgpu_open_render(), vgem = vdgpu_open_vgem(), dmabuf;
	uint32_t handle, vhandle;
	void *ptr, *vptr;

	vdgpu_require_gem(fd);
	handle = vdgpu_gem_create(fd, OBJ_SIZE, regions, 2, 0);
	ptr = vdgpu_gem_mmap(fd, handle, OBJ_SIZE);
	fill(ptr, OBJ_SIZE, 0xe4907);

	dmabuf = export_fd(fd, handle);
	vhandle = import_fd(vgem, dmabuf);
	vptr = dmabuf_mmap(dmabuf, OBJ_SIZE);
	check(vptr, OBJ_SIZE, 0xe4907, "vgem's view");
	igt_assert_eq(vdgpu_gem_region(fd, handle), DRM_VDGPU_REGION_GTT);

	fill(vptr, OBJ_SIZE, 0xba3c);
	check(ptr, OBJ_SIZE, 0xba3c, "vdgpu's view of vgem's writes");

	munmap(vptr, OBJ_SIZE);
	gem_close(vgem, vhandle);
	close(dmabuf);
	munmap(ptr, OBJ_SIZE);
	gem_close(fd, handle);
	close(vgem);
	close(fd);
}

/*
 * import-vgem: a vgem object filled by vgem's mapping is imported into
 * vdgpu: the new object has the dma-buf's size, lives in GTT, maps to the
 * same bytes (through the dma-buf), and vdgpu's writes show in vgem's
 * mapping.  Importing it again gives the same handle.
 */
static void test_import_vgem(void)
{
	int fd = vdgpu_open_render(), vgem = vdgpu_open_vgem(), dmabuf;
	struct drm_vdgpu_gem_info info;
	uint32_t vhandle, handle;
	void *ptr, *vptr;

	vdgpu_require_gem(fd);
	vhandle = vgem_create(vgem, OBJ_SIZE, &vptr);
	fill(vptr, OBJ_SIZE, 0x1a2b);
	dmabuf = export_fd(vgem, vhandle);

	handle = import_fd(fd, dmabuf);
	igt_assert_eq(import_fd(fd, dmabuf), handle);
	vdgpu_gem_info(fd, handle, &info);
	igt_assert_eq_u64(info.size, OBJ_SIZE);
	igt_assert_eq(info.region, DRM_VDGPU_REGION_GTT);

	ptr = vdgpu_gem_mmap(fd, handle, OBJ_SIZE);
	check(ptr, OBJ_SIZE, 0x1a2b, "vdgpu's view of vgem's object");
	fill(ptr, OBJ_SIZE, 0x3c4d);
	check(vptr, OBJ_SIZE, 0x3c4d, "vgem's view of vdgpu's writes");

	munmap(ptr, OBJ_SIZE);
	gem_close(fd, handle);
	close(dmabuf);
	munmap(vptr, OBJ_SIZE);
	gem_close(vgem, vhandle);
	close(vgem);
	close(fd);
}

/*
 * self-import: a dma-buf of vdgpu's imported into the file that exported
 * it gives back the same handle; into another file, a handle to the same
 * object (same contents through either mapping).
 */
static void test_self_import(void)
{
	int fd = vdgpu_open_render(), other = vdgpu_open_render(), dmabuf;
	uint32_t handle, imported;
	void *ptr, *optr;

	vdgpu_require_gem(fd);
	handle = vdgpu_gem_create_in(fd, OBJ_SIZE, DRM_VDGPU_REGION_VRAM0, 0);
	dmabuf = export_fd(fd, handle);
	igt_assert_eq(import_fd(fd, dmabuf), handle);

	imported = import_fd(other, dmabuf);
	ptr = vdgpu_gem_mmap(fd, handle, OBJ_SIZE);
	optr = vdgpu_gem_mmap(other, imported, OBJ_SIZE);
	fill(ptr, OBJ_SIZE, 0x5e1f);
	check(optr, OBJ_SIZE, 0x5e1f, "the other file's view");

	munmap(optr, OBJ_SIZE);
	munmap(ptr, OBJ_SIZE);
	close(dmabuf);
	gem_close(other, imported);
	gem_close(fd, handle);
	close(other);
	close(fd);
}

/*
 * exported-survives-eviction: while vgem holds an exported object, filling
 * VRAM and GTT with other objects moves it nowhere (it stays pinned in
 * GTT) and leaves every byte as it was.
 */
static void test_exported_survives_eviction(void)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT };
	int fd = vdgpu_open_render(), vgem = vdgpu_open_vgem(), dmabuf;
	struct drm_vdgpu_mem_region vram, gtt;
	uint32_t handle, vhandle, others[64];
	unsigned int n = 0, i;
	uint64_t total = 0;
	void *ptr, *vptr;

	vdgpu_require_gem(fd);
	vdgpu_query_region(fd, DRM_VDGPU_REGION_VRAM0, &vram);
	vdgpu_query_region(fd, DRM_VDGPU_REGION_GTT, &gtt);
	handle = vdgpu_gem_create(fd, OBJ_SIZE, regions, 2, 0);
	ptr = vdgpu_gem_mmap(fd, handle, OBJ_SIZE);
	fill(ptr, OBJ_SIZE, 0x77aa);
	munmap(ptr, OBJ_SIZE);
	dmabuf = export_fd(fd, handle);
	vhandle = import_fd(vgem, dmabuf);

	/* 1.25x VRAM of VRAM-only objects: evictions into GTT and beyond. */
	while (total < vram.total_size + vram.total_size / 4 &&
	       n < ARRAY_SIZE(others)) {
		uint64_t size = vram.total_size / 16;

		others[n++] = vdgpu_gem_create_in(fd, size,
						  DRM_VDGPU_REGION_VRAM0, 0);
		total += size;
	}
	vdgpu_gem_wait_idle(fd, others[n - 1]);
	igt_assert_eq(vdgpu_gem_region(fd, handle), DRM_VDGPU_REGION_GTT);

	vptr = dmabuf_mmap(dmabuf, OBJ_SIZE);
	check(vptr, OBJ_SIZE, 0x77aa, "the exported object after pressure");

	munmap(vptr, OBJ_SIZE);
	for (i = 0; i < n; i++)
		gem_close(fd, others[i]);
	gem_close(vgem, vhandle);
	close(dmabuf);
	gem_close(fd, handle);
	close(vgem);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "export-vgem", test_export_vgem,
	  "vgem reads and writes an exported object." },
	{ "import-vgem", test_import_vgem,
	  "vdgpu reads and writes an object imported from vgem." },
	{ "self-import", test_self_import,
	  "Importing vdgpu's own dma-buf gives the same object." },
	{ "exported-survives-eviction", test_exported_survives_eviction,
	  "An exported object stays in GTT, bytes intact, under pressure." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "PRIME sharing of vdgpu objects with vgem and itself.",
		       subtests, ARRAY_SIZE(subtests));
}
