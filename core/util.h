/* util: memory helpers that never return NULL, a growable string buffer,
 * the error record every fallible core function fills in, and where
 * pcitopo keeps its state. */
#ifndef PCITOPO_UTIL_H
#define PCITOPO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define PT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* a and b are the same string.  The first byte is compared here: the
 * lookups that run on every key (attributes, element names against the
 * catalogue's rows) mostly differ there, and a call to strcmp costs more
 * than the rest of such a lookup. */
static inline bool str_eq(const char *a, const char *b)
{
    return a[0] == b[0] && __builtin_strcmp(a, b) == 0;
}

/* A file compiled into the binary (a keymap, a theme): its name and text. */
struct shipped_file {
    const char *name;
    const char *text;
};
/* The text of the one named name among the n of files, or NULL. */
const char *shipped_file_text(const struct shipped_file *files, size_t n, const char *name);

/* Allocation failure is not recoverable in an interactive editor: these
 * print a message and abort instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* Returns a new copy of s (NULL stays NULL); caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) PT_PRINTF(1, 2);

/* A growable byte string, always NUL-terminated.  Owns its buffer. */
struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
/* Makes room for extra more bytes and the terminating NUL. */
void sb_reserve(struct strbuf *sb, size_t extra);
/* The appends are inline: the serializer and the tree make them per
 * character, where a call and a capacity check cost more than the copy. */
static inline void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap)
        sb_reserve(sb, n);
    __builtin_memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}
static inline void sb_puts(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, __builtin_strlen(s));
}
static inline void sb_putc(struct strbuf *sb, char c)
{
    if (sb->len + 2 > sb->cap)
        sb_reserve(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}
/* Appends prefix, then v in base 10 or 16 (lower case) with at least
 * width digits (zero-padded): "%s%0*lx" without printf, for the text made
 * per device on every key. */
void sb_put_num(struct strbuf *sb, const char *prefix, unsigned long v, unsigned base, int width);
void sb_printf(struct strbuf *sb, const char *fmt, ...) PT_PRINTF(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) PT_PRINTF(2, 0);
/* Appends s with each control character (below 0x20, and 0x7f) written as
 * \xNN: text from a document or a command line, shown on a terminal. */
void sb_put_visible(struct strbuf *sb, const char *s);
/* s as sb_put_visible writes it: s itself when it has no control
 * character, else a new string (s is freed).  Caller frees the result. */
char *visible_new(char *s);
/* s made fit to be part of a file name: its letters, digits, '-' and
 * '_', anything else as '_', at most max bytes ("_" for ""): no '/',
 * '.', blank or control character from a document reaches a file name.
 * Caller frees. */
char *file_part_new(const char *s, size_t max);
/* Returns the buffer ("" when empty) and leaves sb empty; caller frees. */
char *sb_detach(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* The first error of an operation, as one line a person can act on,
 * normally "FILE:LINE: what is wrong", as long as it needs to be.  Later
 * errors do not overwrite it.  msg is "" until set, then owned: a local
 * error is declared
 *     struct err e ERR_SCOPE = ERR_INIT;
 * and freed when it goes out of scope (err_clear frees it earlier). */
struct err {
    bool set;
    char *msg;
};
#define ERR_INIT { false, (char *)"" }
#define ERR_SCOPE __attribute__((cleanup(err_clear)))
void err_set(struct err *e, const char *fmt, ...) PT_PRINTF(2, 3);
void err_clear(struct err *e);
/* Adds a second line ("  hint: ...") to the error already set.  Control
 * characters in either line are written as \xNN: a message never carries
 * a terminal escape or a line break from a document. */
void err_add_line(struct err *e, const char *fmt, ...) PT_PRINTF(2, 3);
/* Puts prefix ("add: ") in front of the error already set. */
void err_prefix(struct err *e, const char *prefix);

/* Parses an unsigned number attribute the way libvirt's parser does for
 * an attribute read in `base`: strtoul's syntax (leading blanks and '+'
 * allowed; with base 0 a "0x" prefix is hex and a leading "0" octal, with
 * base 10 "010" is ten), no '-', no trailing junk.  Returns false if s is
 * not such a number or is above max. */
bool parse_uint_base(const char *s, int base, unsigned long max, unsigned long *out);
/* Parses a signed int attribute as libvirt's virXMLPropInt does:
 * strtol's syntax in `base`, within int, no trailing junk ("-0" is 0). */
bool parse_int_base(const char *s, int base, long *out);
/* parse_uint_base in base 0, as libvirt reads PCI addresses and
 * controller targets. */
bool parse_uint(const char *s, unsigned long max, unsigned long *out);
/* A command argument that counts something: decimal digits only, so
 * "010" is ten as libvirt reads an index. */
bool parse_count_arg(const char *s, unsigned long max, unsigned long *out);
/* Whether s is written like an lspci address (0000:65:00.1, 01:02):
 * hex digits between ':' and '.', nothing else — no blank, sign or "0x"
 * that sscanf's %x would let through. */
bool hex_address_syntax(const char *s);
/* A copy of n bytes; never NULL. */
void *xmemdup(const void *p, size_t n);

/* Writes all len bytes to fd, through short writes and EINTR.  False
 * with errno set (EIO for a write that wrote nothing). */
bool write_all(int fd, const char *buf, size_t len);
/* Writes len bytes to path through a temporary file (mode 0600), fsync
 * and rename, so a crash leaves the previous file whole, and a link
 * planted at path is replaced, never followed.  False with e set (may be
 * NULL), the temporary file removed. */
bool write_replacing(const char *path, const char *bytes, size_t len, struct err *e);
/* Reads fd until max bytes or the end, through short reads and EINTR;
 * how many it read (fewer than max: the end, or an error). */
size_t read_up_to(int fd, char *buf, size_t max);
/* Opens a small file the user names for the editor (a keymap, a theme)
 * to read.  O_NONBLOCK and the regular-file check: a fifo or /dev/stdin
 * named as one must not hang the editor before it has drawn anything.
 * Returns the descriptor, or -1 with e set ("PATH: not a WHAT file (too
 * big)") when it cannot be read, is no regular file or is over max bytes. */
int open_small_file(const char *path, const char *what, long max, struct err *e);

/* FNV-1a of len bytes: to notice a change, not to resist an attacker. */
unsigned long long hash_bytes(const char *buf, size_t len);

/* $var/leaf when var names an absolute directory, else
 * $HOME/under_home/leaf, else NULL (the XDG base directory rule).
 * Caller frees. */
char *xdg_path_new(const char *var, const char *under_home, const char *leaf);
/* A file name as a shell would expand its '~': "~" and "~/x" are $HOME
 * (or, without HOME, the user's home in the password database), "~user"
 * and "~user/x" that user's home; any other name is copied as it is.
 * NULL with e set for an unknown user or no home.  Caller frees.  The
 * file names commands write (save, save-as, save-copy, -o) go through it,
 * so that the editor's prompt and batch mode agree. */
char *tilde_expand_new(const char *path, struct err *e);
/* pcitopo's directory for what it keeps between runs (history, recovery
 * files): $XDG_STATE_HOME/pcitopo, else ~/.local/state/pcitopo, made
 * (mode 0700) if needed.  Caller frees; NULL when there is no home or it
 * cannot be made. */
char *state_dir_new(void);

#endif
