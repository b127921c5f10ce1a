/* precheck: what pcitopo refuses in a file's bytes before libxml2 parses
 * them — an empty or oversized file, a NUL byte, encodings in which a
 * byte below 0x80 is not always the ASCII character it looks like (GBK,
 * Shift_JIS, ISO-2022-*, UTF-7, EBCDIC...), and start tags with more
 * attributes than libxml2 reads in reasonable time.  Each refusal is one
 * line naming the file and line. */
#ifndef PCITOPO_PRECHECK_H
#define PCITOPO_PRECHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The checks on buf (len bytes, the file called name).  internal: buf is
 * pcitopo's own serialization (undo, a copy), which may exceed the file
 * size limit and must load anyway.  False with e set. */
bool precheck(const char *buf, size_t len, const char *name, bool internal, struct err *e);
/* Whether enc (NULL: UTF-8) is an encoding pcitopo reads and writes.
 * False with e set ("NAME:1: encoding='X' is not supported: ..."). */
bool precheck_encoding(const char *enc, const char *name, struct err *e);
/* Whether enc names UTF-8. */
bool precheck_is_utf8(const char *enc);

#endif
