#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check tools/syzkaller/dev_vdgpu.txt against include/uapi/drm/vdgpu_drm.h.

Without syzkaller at hand, this keeps the description honest: every
DRM_IOCTL_VDGPU_* of the header has an ioctl$ call using it; every
structure the description declares under a name of the header (a $variant
counts as its base) has the header's fields, in order, with the same sizes
and the same total size; every array stride constant is the size of its
element; every DRM_VDGPU_* constant other than an ioctl number is used.
Prints what is wrong and exits 1, or prints a summary and exits 0.

Usage: scripts/syzkaller-check.py [header] [description]
"""

import re
import sys

C_SIZES = {"__u8": 1, "__s8": 1, "__u16": 2, "__s16": 2,
           "__u32": 4, "__s32": 4, "__u64": 8, "__s64": 8}
SYZ_SIZES = {"int8": 1, "int16": 2, "int32": 4, "int64": 8, "intptr": 8}
# Resources of sys/linux/dev_dri.txt the description builds on.
EXTERNAL = {"fd_dri": "int32", "drm_gem_handle": "int32",
            "drm_syncobj": "int32"}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//.*", "", text)


def parse_header(text):
    """Structures as {name: [(field, size, count or None for flex)]}."""
    structs = {}
    body = strip_comments(text)
    for m in re.finditer(r"struct\s+(\w+)\s*\{(.*?)\n\};", body, re.S):
        fields = []
        for line in m.group(2).splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            f = re.match(r"(struct\s+\w+|\w+)\s+(\w+)(?:\[(\w*)\])?;$", line)
            if not f:
                raise SystemExit(f"header: cannot parse '{line}' in {m.group(1)}")
            ctype, name, count = f.groups()
            fields.append((name, ctype, None if count == "" else
                           int(count) if count else 1))
        structs[m.group(1)] = fields
    return structs


def c_size(structs, ctype):
    if ctype in C_SIZES:
        return C_SIZES[ctype], C_SIZES[ctype]
    name = ctype.split()[-1]
    return struct_layout(structs, name)


def struct_layout(structs, name):
    """(size, alignment) of a header structure, flexible arrays excluded."""
    off, align = 0, 1
    for _, ctype, count in structs[name]:
        size, a = c_size(structs, ctype)
        off = (off + a - 1) // a * a
        align = max(align, a)
        if count is not None:
            off += size * count
    return (off + align - 1) // align * align, align


def split_top(s):
    """Split 'a, b[c, d], e' at top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


class Syz:
    def __init__(self, text):
        self.text = text
        self.resources = dict(EXTERNAL)
        self.structs = {}
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].split("#")[0].rstrip()
            r = re.match(r"resource\s+(\w+)\[(\w+)\]", line)
            s = re.match(r"([\w$]+)\s*\{$", line)
            if r:
                self.resources[r.group(1)] = r.group(2)
            elif s:
                fields = []
                i += 1
                while lines[i].strip() != "}":
                    f = lines[i].split("#")[0].strip()
                    if f:
                        name, typ = re.match(r"(\w+)\s+(.*)$", f).groups()
                        typ = re.sub(r"\s*\((in|out|inout)\)$", "", typ)
                        fields.append((name, typ.strip()))
                    i += 1
                self.structs[s.group(1)] = fields
            i += 1

    def base_int(self, name):
        seen = set()
        while name in self.resources and name not in seen:
            seen.add(name)
            name = self.resources[name]
        return name

    def size(self, typ):
        """(size, alignment, flexible) of a syzlang type."""
        m = re.match(r"(\w+)(?:\[(.*)\])?$", typ)
        head, args = m.group(1), split_top(m.group(2)) if m.group(2) else []
        if head in SYZ_SIZES:
            return SYZ_SIZES[head], SYZ_SIZES[head], False
        if head in ("const", "flags", "len", "bytesize"):
            s = SYZ_SIZES[args[1]]
            return s, s, False
        if head == "ptr64":
            return 8, 8, False
        if head == "array":
            s, a, _ = self.size(args[0])
            if len(args) < 2 or ":" in args[1]:
                return 0, a, True
            return s * int(args[1], 0), a, False
        if head in self.resources:
            s = SYZ_SIZES[self.base_int(head)]
            return s, s, False
        if head in self.structs:
            return self.struct_size(head) + (False,)
        raise SystemExit(f"description: unknown type '{typ}'")

    def struct_size(self, name):
        off, align = 0, 1
        for _, typ in self.structs[name]:
            s, a, _ = self.size(typ)
            off = (off + a - 1) // a * a
            align = max(align, a)
            off += s
        return (off + align - 1) // align * align, align


def main():
    header = sys.argv[1] if len(sys.argv) > 1 else "include/uapi/drm/vdgpu_drm.h"
    desc = sys.argv[2] if len(sys.argv) > 2 else "tools/syzkaller/dev_vdgpu.txt"
    htext = open(header, encoding="utf-8").read()
    dtext = open(desc, encoding="utf-8").read()
    hstructs = parse_header(htext)
    syz = Syz(dtext)
    errors = []

    ioctls = re.findall(r"#define\s+(DRM_IOCTL_VDGPU_\w+)", htext)
    for name in ioctls:
        if not re.search(r"ioctl\$\w+\(fd fd_vdgpu, cmd const\[%s\]" % name,
                         dtext):
            errors.append(f"no ioctl$ call uses {name}")
    numbers = {"DRM_" + n[len("DRM_IOCTL_"):] for n in ioctls}
    for name in re.findall(r"#define\s+(DRM_VDGPU_\w+)", htext):
        if name in numbers:
            continue
        if not re.search(r"\b%s\b" % name, dtext):
            errors.append(f"{name} is not used")

    checked = 0
    for sname, sfields in syz.structs.items():
        cname = sname.split("$")[0]
        if cname not in hstructs:
            if cname.startswith("drm_vdgpu"):
                errors.append(f"{sname}: no struct {cname} in the header")
            continue
        checked += 1
        cfields = hstructs[cname]
        if [f[0] for f in sfields] != [f[0] for f in cfields]:
            errors.append(f"{sname}: fields {[f[0] for f in sfields]}, "
                          f"header {[f[0] for f in cfields]}")
            continue
        for (fname, typ), (_, ctype, count) in zip(sfields, cfields):
            s, _, flex = syz.size(typ)
            cs = c_size(hstructs, ctype)[0]
            if count is None:
                if not typ.startswith("array["):
                    errors.append(f"{sname}.{fname}: the header's flexible array is not an array")
                continue
            if s != cs * count:
                errors.append(f"{sname}.{fname}: {s} bytes, header {cs * count}")
        ssize = syz.struct_size(sname)[0]
        flexible = any(c is None for _, _, c in cfields)
        csize = struct_layout(hstructs, cname)[0]
        if not flexible and ssize != csize:
            errors.append(f"{sname}: {ssize} bytes, header {csize}")

    for stride, elem in (("op_stride", "drm_vdgpu_vm_bind_op"),
                         ("sync_stride", "drm_vdgpu_sync"),
                         ("region_size", "drm_vdgpu_mem_region"),
                         ("engine_size", "drm_vdgpu_engine")):
        want = struct_layout(hstructs, elem)[0]
        for got in re.findall(r"\b%s\s+const\[(\d+)," % stride, dtext):
            if int(got) != want:
                errors.append(f"{stride} const[{got}], sizeof(struct {elem}) is {want}")

    for e in errors:
        print(f"syzkaller-check: {e}")
    if errors:
        return 1
    print(f"syzkaller-check: {len(ioctls)} ioctls, {checked} structures "
          f"match {header}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
