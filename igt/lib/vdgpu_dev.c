// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu userspace device helpers, see vdgpu_dev.h.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vdgpu_dev.h"

#define DEBUGFS_MAGIC	0x64626720

static const char *node_prefix(enum vdgpu_node_type type)
{
	return type == VDGPU_NODE_RENDER ? "renderD" : "card";
}

/* "card12" with prefix "card" -> 12; -1 if @name is not prefix+digits */
static long node_number(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p;
	char *end;
	long n;

	if (strncmp(name, prefix, plen))
		return -1;
	p = name + plen;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || *end)
		return -1;
	return n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static bool driver_matches(int fd, const char *driver)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool match;

	if (!v)
		return false;
	match = v->name && !strcmp(v->name, driver);
	drmFreeVersion(v);
	return match;
}

int vdgpu_dev_open(const char *driver, enum vdgpu_node_type type,
		   char *path, size_t path_len)
{
	const char *prefix = node_prefix(type);
	long numbers[256];
	size_t count = 0, i;
	int open_err = 0;
	struct dirent *de;
	DIR *dir;

	dir = opendir(VDGPU_DRI_DIR);
	if (!dir)
		return -ENODEV;
	while ((de = readdir(dir)) && count < ARRAY_SIZE(numbers)) {
		long n = node_number(de->d_name, prefix);

		if (n >= 0)
			numbers[count++] = n;
	}
	closedir(dir);
	qsort(numbers, count, sizeof(numbers[0]), cmp_long);

	for (i = 0; i < count; i++) {
		char node[PATH_MAX];
		int fd;

		snprintf(node, sizeof(node), "%s/%s%ld", VDGPU_DRI_DIR,
			 prefix, numbers[i]);
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				open_err = -errno;
			continue;
		}
		if (driver_matches(fd, driver)) {
			if (path)
				snprintf(path, path_len, "%s", node);
			return fd;
		}
		close(fd);
	}

	/* Report a permission problem rather than "no such device". */
	return open_err ?: -ENODEV;
}

int vdgpu_dev_node_type(int fd)
{
	int type = drmGetNodeTypeFromFd(fd);

	if (type < 0)
		return -errno;
	switch (type) {
	case DRM_NODE_PRIMARY:
		return VDGPU_NODE_PRIMARY;
	case DRM_NODE_RENDER:
		return VDGPU_NODE_RENDER;
	default:
		return -EINVAL;
	}
}

int vdgpu_dev_minor(int fd, unsigned int *minor)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	*minor = minor(st.st_rdev);
	return 0;
}

/* "/sys/dev/char/<major>:<minor>" of an open character device */
static int sysfs_char_dir(int fd, char *buf, size_t len)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	if ((size_t)snprintf(buf, len, "/sys/dev/char/%u:%u",
			     major(st.st_rdev), minor(st.st_rdev)) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vdgpu_dev_sysfs_device(int fd, char *buf, size_t len)
{
	char link[PATH_MAX], real[PATH_MAX];
	int ret;

	ret = sysfs_char_dir(fd, link, sizeof(link) - strlen("/device"));
	if (ret)
		return ret;
	strcat(link, "/device");
	if (!realpath(link, real))
		return -errno;
	if ((size_t)snprintf(buf, len, "%s", real) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vdgpu_dev_bus_name(int fd, char *buf, size_t len)
{
	char dev[PATH_MAX];
	const char *base;
	int ret;

	ret = vdgpu_dev_sysfs_device(fd, dev, sizeof(dev));
	if (ret)
		return ret;
	base = strrchr(dev, '/');
	base = base ? base + 1 : dev;
	if ((size_t)snprintf(buf, len, "%s", base) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vdgpu_dev_sibling(int fd, enum vdgpu_node_type type,
		      char *path, size_t len, unsigned int *minor)
{
	const char *prefix = node_prefix(type);
	char dir_path[PATH_MAX], attr[PATH_MAX + 300], dev[32];
	unsigned int maj, min;
	struct dirent *de;
	DIR *dir;
	int ret;

	ret = sysfs_char_dir(fd, dir_path, sizeof(dir_path) - strlen("/device/drm"));
	if (ret)
		return ret;
	strcat(dir_path, "/device/drm");

	dir = opendir(dir_path);
	if (!dir)
		return -errno;
	ret = -ENODEV;
	while ((de = readdir(dir))) {
		if (node_number(de->d_name, prefix) < 0)
			continue;

		snprintf(attr, sizeof(attr), "%s/%s/dev", dir_path, de->d_name);
		ret = vdgpu_read_file(attr, dev, sizeof(dev));
		if (ret < 0)
			break;
		if (sscanf(dev, "%u:%u", &maj, &min) != 2) {
			ret = -EINVAL;
			break;
		}
		if (path && (size_t)snprintf(path, len, "%s/%s", VDGPU_DRI_DIR,
					     de->d_name) >= len) {
			ret = -ENAMETOOLONG;
			break;
		}
		if (minor)
			*minor = min;
		ret = 0;
		break;
	}
	closedir(dir);
	return ret;
}

int vdgpu_read_file_alloc(const char *path, char **out)
{
	size_t len = 0, cap = 16384;
	char *buf, *bigger;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				ret = -ENOMEM;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*out = buf;
	return len;
}

int vdgpu_read_file(const char *path, char *buf, size_t len)
{
	size_t done = 0;
	int fd, ret = 0;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	for (;;) {
		ssize_t n;

		if (done == len - 1) {
			char extra;

			/* Full buffer: fine only if we are at EOF. */
			n = read(fd, &extra, 1);
			if (n > 0)
				ret = -EFBIG;
			else if (n < 0)
				ret = -errno;
			break;
		}
		n = read(fd, buf + done, len - 1 - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		done += n;
	}
	close(fd);
	buf[done] = '\0';
	return ret ?: (int)done;
}

static int parse_u64(const char *str, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*str))
		return -EINVAL;
	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno)
		return -errno;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int vdgpu_read_u64(const char *path, uint64_t *val)
{
	char buf[64];
	int ret;

	ret = vdgpu_read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return parse_u64(buf, val);
}

int vdgpu_write_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, str, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

static int module_param_path(const char *name, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", VDGPU_MODULE_PARAM_DIR, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vdgpu_module_param_u64(const char *name, uint64_t *val)
{
	char path[PATH_MAX];
	int ret;

	ret = module_param_path(name, path, sizeof(path));
	return ret ?: vdgpu_read_u64(path, val);
}

int vdgpu_module_param_str(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n;
	int ret;

	ret = module_param_path(name, path, sizeof(path));
	if (ret)
		return ret;
	ret = vdgpu_read_file(path, buf, len);
	if (ret < 0)
		return ret;
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

/* Parse one "key=value key=value ..." line into @r. */
static int parse_region_line(char *line, struct vdgpu_region *r)
{
	bool have_name = false, have_type = false;
	bool have_total = false, have_visible = false;
	char *save, *tok;
	int ret;

	memset(r, 0, sizeof(*r));
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *value = strchr(tok, '=');

		if (!value || value == tok || !value[1])
			return -EINVAL;
		*value++ = '\0';

		if (!strcmp(tok, "name")) {
			if (have_name || strlen(value) >= sizeof(r->name))
				return -EINVAL;
			snprintf(r->name, sizeof(r->name), "%s", value);
			have_name = true;
		} else if (!strcmp(tok, "type")) {
			if (have_type || strlen(value) >= sizeof(r->type))
				return -EINVAL;
			snprintf(r->type, sizeof(r->type), "%s", value);
			have_type = true;
		} else if (!strcmp(tok, "total")) {
			if (have_total)
				return -EINVAL;
			ret = parse_u64(value, &r->total);
			if (ret)
				return -EINVAL;
			have_total = true;
		} else if (!strcmp(tok, "visible")) {
			if (have_visible)
				return -EINVAL;
			ret = parse_u64(value, &r->visible);
			if (ret)
				return -EINVAL;
			have_visible = true;
		}
		/* Unknown keys are ignored: the file may grow new fields. */
	}

	if (!have_name || !have_type || !have_total || !have_visible)
		return -EINVAL;
	return 0;
}

int vdgpu_regions_parse(const char *text, struct vdgpu_region *regions,
			int max)
{
	char *copy, *line, *save;
	int count = 0, ret = 0;

	copy = strdup(text);
	if (!copy)
		return -ENOMEM;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		if (count == max) {
			ret = -E2BIG;
			break;
		}
		ret = parse_region_line(line, &regions[count]);
		if (ret)
			break;
		count++;
	}
	free(copy);
	return ret ?: count;
}

int vdgpu_debugfs_mount(void)
{
	struct statfs fs;

	if (!statfs(VDGPU_DEBUGFS_ROOT, &fs) && fs.f_type == DEBUGFS_MAGIC)
		return 0;
	if (mount("debugfs", VDGPU_DEBUGFS_ROOT, "debugfs", 0, NULL))
		return -errno;
	return 0;
}

int vdgpu_regions_path(int fd, char *buf, size_t len)
{
	unsigned int minor;
	int ret;

	ret = vdgpu_dev_sibling(fd, VDGPU_NODE_PRIMARY, NULL, 0, &minor);
	if (ret)
		return ret;
	if ((size_t)snprintf(buf, len, "%s/dri/%u/regions", VDGPU_DEBUGFS_ROOT,
			     minor) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vdgpu_regions_read(int fd, struct vdgpu_region *regions, int max)
{
	char path[PATH_MAX], text[4096];
	int ret;

	ret = vdgpu_regions_path(fd, path, sizeof(path));
	if (ret)
		return ret;
	ret = vdgpu_read_file(path, text, sizeof(text));
	if (ret < 0)
		return ret;
	return vdgpu_regions_parse(text, regions, max);
}

const struct vdgpu_region *vdgpu_region_find(const struct vdgpu_region *regions,
					     int count, const char *name)
{
	int i;

	for (i = 0; i < count; i++)
		if (!strcmp(regions[i].name, name))
			return &regions[i];
	return NULL;
}
