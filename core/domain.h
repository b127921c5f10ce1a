/* domain: one libvirt domain XML document, loaded safely and saved
 * atomically.
 *
 * The libxml2 document is the source of truth: everything pcitopo does not
 * model stays in it untouched, and saving writes it back with the original
 * prolog and epilog bytes (XML declaration, top-level comments), the
 * original attribute order, quotes and in-tag white space (tagfmt.h), and
 * the original line endings. */
#ifndef PCITOPO_DOMAIN_H
#define PCITOPO_DOMAIN_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <libxml/tree.h>

#include "util.h"

struct tagfmt_set;

/* Files larger than this are refused: real domain XMLs are a few KiB.
 * A save never writes more (see domain_save). */
#define DOMAIN_MAX_BYTES (8u * 1024 * 1024)
/* Start tags with more attributes (namespace declarations included) are
 * refused: libvirt's have a few dozen at most, and libxml2's time grows
 * with the square of an element's attributes. */
#define DOMAIN_MAX_ATTRS 256

/* What a file looked like on disk when it was loaded or last saved, to
 * notice a change made behind pcitopo's back. */
struct file_stamp {
    bool valid;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned long long hash;
};

/* Why the last domain_save refused where SAVE_FORCE would have written:
 * the editor asks whether to force it. */
enum save_refusal {
    SAVE_REFUSED_NONE,
    SAVE_REFUSED_CHANGED,     /* the loaded file changed on disk */
    SAVE_REFUSED_REMOVED,     /* the loaded file was removed */
    SAVE_REFUSED_READ_ONLY,   /* the file is read-only */
    SAVE_REFUSED_EXISTS,      /* another existing file */
};

struct domain {
    xmlDocPtr doc;        /* owned */
    char *path;           /* file it came from, NULL for built-in/memory; owned */
    char *name;           /* name used in messages (path or "<built-in>"); owned */
    char *prolog;         /* bytes before the root element, verbatim; owned */
    char *epilog;         /* bytes after the root element, verbatim; owned */
    char quote;           /* ' or ": the quote most attributes use */
    struct tagfmt_set *fmt;  /* how each start tag was written; owned, may be NULL */
    bool crlf;            /* the file used CRLF line endings */
    char *encoding;       /* declared non-UTF-8 encoding, or NULL; owned */
    struct file_stamp stamp;
    enum save_refusal refused;  /* of the last domain_save */
};

/* Load a domain from a file.  Returns a new domain (free with
 * domain_free), or NULL with e set to "PATH:LINE: what is wrong". */
struct domain *domain_load_file(const char *path, struct err *e);
/* Load from memory; name is used in messages.  Same contract. */
struct domain *domain_load_memory(const char *buf, size_t len, const char *name,
                                  struct err *e);
/* Load from standard input (named "<stdin>" in messages).  Same contract. */
struct domain *domain_load_stdin(struct err *e);
void domain_free(struct domain *d);
/* The bytes of the file domain_load_file would read (a regular file of
 * at most DOMAIN_MAX_BYTES), without parsing them: for callers that take
 * a domain's XML as bytes (report).  A new NUL-terminated buffer of *len
 * bytes, or NULL with e set. */
char *domain_read_file_new(const char *path, size_t *len, struct err *e);

/* Returns the whole document as the bytes a save would write; caller
 * frees.  NULL with e set if the text cannot be encoded. */
char *domain_serialize(const struct domain *d, size_t *len, struct err *e);
/* One element of d's document as text (UTF-8, the document's quotes and
 * spacing, no declaration): for files made of parts of it; caller frees. */
char *domain_serialize_element(const struct domain *d, const xmlNode *el);

enum save_flags {
    SAVE_FORCE = 1 << 0,   /* overwrite even if changed on disk / existing */
    SAVE_AS = 1 << 1,      /* path becomes d's file: later saves write it,
                            * messages name it (save-as) */
};

/* Write the document to path (NULL = the file it was loaded from) through
 * a temporary file in the same directory, fsync and rename, keeping the
 * target's permissions and following a symlinked target.  Refuses, unless
 * SAVE_FORCE (and says why in d->refused): overwriting the loaded file
 * after it changed on disk, a read-only file, and another existing file.
 * The check and the rename hold a lock on the directory (flock), so two
 * pcitopo saving one file cannot both succeed on the same original.
 * Never writes more than DOMAIN_MAX_BYTES, so that what it wrote loads.
 * Once its own file is written, d's elements take the lines they have in
 * it (domain_line).  With SAVE_AS, path is d's own file from then on (its
 * path, name and stamp), as if loaded from it.  Returns false with e set
 * on failure; the target and d are then unchanged. */
bool domain_save(struct domain *d, const char *path, unsigned flags, struct err *e);

/* When a save of d's file was killed before its rename and left its
 * temporary file (".NAME.pcitopo-XXXXXX", NAME cut and tagged with a hash
 * when the whole would be too long a file name) beside it: a sentence for the
 * user that names it (the file itself is whole either way).  NULL when
 * there is none.  Caller frees. */
char *domain_interrupted_save(const struct domain *d);

/* The line each element of a document came from, in document order.
 * Messages name lines of the file the user has, and a document rebuilt
 * from domain_serialize's bytes (undo, a copy) would otherwise number its
 * elements after those bytes, which differ from the file once something
 * was added.  Free with domain_lines_free. */
struct domain_lines {
    unsigned short *line;  /* libxml2's own field: 0 = added, 65535 = that or later; owned */
    size_t n;
};
struct domain_lines domain_lines_new(const struct domain *d);
void domain_lines_free(struct domain_lines *l);

/* Replaces d's document by the one in buf (bytes domain_serialize made,
 * of any size: the file size limit is for files), keeping its path, name
 * and disk stamp: how undo goes back.  lines, when
 * not NULL, are those of the document buf was made from.  False with e
 * set (d unchanged) if buf does not load. */
bool domain_restore(struct domain *d, const char *buf, size_t len,
                    const struct domain_lines *lines, struct err *e);
/* A new, independent copy of d (same path, name, stamp and lines), for
 * trying a change without touching d; free with domain_free.  NULL with e
 * set. */
struct domain *domain_copy(const struct domain *d, struct err *e);

/* Line of a node in the file (0 when unknown or added since loading). */
long domain_line(const xmlNode *n);
/* Element el and everything in it were not in the loaded file (they were
 * made from a template): line 0, not the template's. */
void domain_mark_added(xmlNode *el);

/* Where a message says an element is, as text that lives until the end of
 * the expression that asked for it (C11 temporary lifetime). */
struct where_text {
    char text[PATH_MAX + 32];
};
/* "NAME:LINE", the form editors jump to, or "NAME (added in this session)"
 * for line 0. */
struct where_text domain_where(const char *name, long line);
struct line_text {
    char text[32];
};
/* "line LINE", or "added in this session" for line 0. */
struct line_text domain_line_text(long line);

#endif
