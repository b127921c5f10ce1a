#include "config.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "pcitopo: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        out_of_memory(count * n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *xasprintf(const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    return sb_detach(&sb);
}

void sb_reserve(struct strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
}


void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    /* formatted straight into the room there is: most pieces fit, and
     * formatting twice (to measure, then to write) doubled the cost of
     * every tree line and message */
    sb_reserve(sb, 63);
    size_t room = sb->cap - sb->len;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(sb->buf + sb->len, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        sb->buf[sb->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        sb_reserve(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sb_put_num(struct strbuf *sb, const char *prefix, unsigned long v, unsigned base, int width)
{
    char digits[sizeof v * 8];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v && n < (int)sizeof digits);
    sb_puts(sb, prefix);
    for (int i = n; i < width; i++)
        sb_putc(sb, '0');
    while (n)
        sb_putc(sb, digits[--n]);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

static bool is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

void sb_put_visible(struct strbuf *sb, const char *s)
{
    for (const char *p = s; *p;) {
        size_t run = 0;
        while (p[run] && !is_control((unsigned char)p[run]))
            run++;
        sb_add(sb, p, run);
        p += run;
        if (*p)
            sb_printf(sb, "\\x%02x", (unsigned char)*p++);
    }
}

char *file_part_new(const char *s, size_t max)
{
    size_t n = strlen(s) < max ? strlen(s) : max;
    char *p = xmalloc(n + 2);
    for (size_t i = 0; i < n; i++)
        p[i] = isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' ? s[i] : '_';
    p[n] = '\0';
    if (!n)
        strcpy(p, "_");
    return p;
}

char *visible_new(char *s)
{
    const char *p = s;
    while (*p && !is_control((unsigned char)*p))
        p++;
    if (!*p)
        return s;
    struct strbuf sb = STRBUF_INIT;
    sb_put_visible(&sb, s);
    free(s);
    return sb_detach(&sb);
}

/* The message of err_set and err_add_line: fmt's text, with control
 * characters written as \xNN, since a message quotes values from
 * documents and command lines and goes to a terminal, where an escape
 * sequence or a line break in one could rewrite the screen or forge a
 * second message. */
static char *message_new(const char *fmt, va_list ap)
{
    struct strbuf raw = STRBUF_INIT, shown = STRBUF_INIT;
    sb_vprintf(&raw, fmt, ap);
    sb_put_visible(&shown, raw.buf ? raw.buf : "");
    sb_free(&raw);
    return sb_detach(&shown);
}

void err_set(struct err *e, const char *fmt, ...)
{
    if (!e || e->set)
        return;
    va_list ap;
    va_start(ap, fmt);
    e->msg = message_new(fmt, ap);
    va_end(ap);
    e->set = true;
}

void err_add_line(struct err *e, const char *fmt, ...)
{
    if (!e || !e->set)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = message_new(fmt, ap);
    va_end(ap);
    char *msg = xasprintf("%s\n%s", e->msg, line);
    free(line);
    free(e->msg);
    e->msg = msg;
}

void err_prefix(struct err *e, const char *prefix)
{
    if (!e || !e->set)
        return;
    char *msg = xasprintf("%s%s", prefix, e->msg);
    free(e->msg);
    e->msg = msg;
}

void err_clear(struct err *e)
{
    if (e->set)
        free(e->msg);
    *e = (struct err)ERR_INIT;
}

/* The forms documents almost always hold, read without strtoul (which
 * the topology would call thousands of times per key): "0x" and up to 8
 * hex digits where base allows hex, or up to 9 decimal digits without a
 * leading 0 (which would mean octal to base 0).  False for anything else,
 * which strtoul then reads. */
static bool parse_plain(const char *s, int base, unsigned long *out)
{
    unsigned long v = 0;
    int n = 0;
    if (s[0] == '0' && s[1] == 'x' && (base == 0 || base == 16)) {
        for (s += 2; isxdigit((unsigned char)*s) && n < 8; s++, n++)
            v = v * 16 + (unsigned long)(isdigit((unsigned char)*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
    } else if ((base == 0 || base == 10) && (s[0] != '0' || s[1] == '\0')) {
        for (; isdigit((unsigned char)*s) && n < 9; s++, n++)
            v = v * 10 + (unsigned long)(*s - '0');
    } else {
        return false;
    }
    *out = v;
    return n > 0 && *s == '\0';
}

bool parse_uint_base(const char *s, int base, unsigned long max, unsigned long *out)
{
    if (!s)
        return false;
    unsigned long plain;
    if (parse_plain(s, base, &plain)) {
        if (plain > max)
            return false;
        *out = plain;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, base);
    if (errno || end == s || *end != '\0' || memchr(s, '-', (size_t)(end - s)) || v > max
        || v > UINT_MAX)
        return false;
    *out = v;
    return true;
}

bool parse_int_base(const char *s, int base, long *out)
{
    if (!s)
        return false;
    unsigned long plain;
    if (parse_plain(s, base, &plain)) {
        *out = (long)plain;   /* at most 0xffffffff or 999999999 */
        return plain <= INT_MAX;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, base);
    if (errno || end == s || *end != '\0' || v < INT_MIN || v > INT_MAX)
        return false;
    *out = v;
    return true;
}

bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    return parse_uint_base(s, 0, max, out);
}

bool parse_count_arg(const char *s, unsigned long max, unsigned long *out)
{
    return s && s[0] && strspn(s, "0123456789") == strlen(s) && parse_uint_base(s, 10, max, out);
}

bool hex_address_syntax(const char *s)
{
    bool in_field = false;
    for (; *s; s++) {
        if (isxdigit((unsigned char)*s))
            in_field = true;
        else if ((*s == ':' || *s == '.') && in_field)
            in_field = false;
        else
            return false;
    }
    return in_field;
}

void *xmemdup(const void *p, size_t n)
{
    void *q = xmalloc(n ? n : 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        buf += w;
        len -= (size_t)w;
    }
    return true;
}

bool write_replacing(const char *path, const char *bytes, size_t len, struct err *e)
{
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);   /* mode 0600 */
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    bool ok = fd >= 0 && write_all(fd, bytes, len) && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        err_set(e, "%s: cannot write it: %s", path, strerror(err));
        if (fd >= 0)
            unlink(tmp);
    }
    free(tmp);
    return ok;
}

size_t read_up_to(int fd, char *buf, size_t max)
{
    size_t n = 0;
    while (n < max) {
        ssize_t got = read(fd, buf + n, max - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    return n;
}

unsigned long long hash_bytes(const char *buf, size_t len)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)buf[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* On failure errno says why, for the caller to tell the user: 0 when
 * neither variable names a directory, else the error of the first part of
 * the path that could not be made (not the ENOENT that follows from it). */
char *xdg_path_new(const char *var, const char *under_home, const char *leaf)
{
    const char *base = getenv(var);
    const char *home = getenv("HOME");
    if (base && base[0] == '/')
        return xasprintf("%s/%s", base, leaf);
    if (home && home[0])
        return xasprintf("%s/%s/%s", home, under_home, leaf);
    return NULL;
}

char *tilde_expand_new(const char *path, struct err *e)
{
    if (path[0] != '~')
        return xstrdup(path);
    size_t n = strcspn(path + 1, "/");
    const char *rest = path + 1 + n;   /* "" or "/..." */
    const char *home = NULL;
    struct passwd *pw;
    if (n == 0) {
        home = getenv("HOME");
        if ((!home || !home[0]) && (pw = getpwuid(getuid())) != NULL)
            home = pw->pw_dir;
        if (!home || !home[0]) {
            err_set(e, "%s: no home directory for '~' (HOME is not set)", path);
            return NULL;
        }
    } else {
        char *user = xasprintf("%.*s", (int)n, path + 1);
        pw = getpwnam(user);
        free(user);
        if (!pw || !pw->pw_dir || !pw->pw_dir[0]) {
            err_set(e, "%s: no user '%.*s' for '~%.*s'", path, (int)n, path + 1, (int)n, path + 1);
            return NULL;
        }
        home = pw->pw_dir;
    }
    /* "/" as a home: "~/x" is "/x", not "//x" */
    size_t len = strlen(home);
    while (len > 1 && home[len - 1] == '/')
        len--;
    if (len == 1 && home[0] == '/' && *rest)
        len = 0;
    return xasprintf("%.*s%s", (int)len, home, rest);
}

char *state_dir_new(void)
{
    char *dir = xdg_path_new("XDG_STATE_HOME", ".local/state", "pcitopo");
    if (!dir) {
        errno = 0;
        return NULL;
    }
    /* mkdir -p; the last one must succeed or exist */
    int first = 0;
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST && !first)
                first = errno;
            *p = '/';
        }
    struct stat sb;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        int last = errno;
        free(dir);
        errno = first ? first : last;
        return NULL;
    }
    bool is_dir = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
    if (!is_dir) {
        /* a file in its place: nothing could be kept there */
        free(dir);
        errno = ENOTDIR;
        return NULL;
    }
    return dir;
}

int open_small_file(const char *path, const char *what, long max, struct err *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        err_set(e, "cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > max) {
        err_set(e, "%s: not a %s file (%s)", path, what,
                S_ISREG(st.st_mode) ? "too big" : "not a regular file");
        close(fd);
        return -1;
    }
    return fd;
}

const char *shipped_file_text(const struct shipped_file *files, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(files[i].name, name) == 0)
            return files[i].text;
    return NULL;
}
