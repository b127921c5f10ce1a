#include "config.h"
#include "precheck.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"

static long line_at(const char *buf, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n')
            line++;
    return line;
}

/* The first occurrence of token in [p, end), or NULL. */
static const char *find_in(const char *p, const char *end, const char *token)
{
    size_t n = strlen(token);
    for (; p + n <= end; p++)
        if (*p == *token && memcmp(p, token, n) == 0)
            return p;
    return NULL;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The encoding the XML declaration names, or "" when it names none. */
static void declared_encoding(const char *buf, size_t len, char *out, size_t size)
{
    const char *p = buf, *end = buf + len;
    out[0] = '\0';
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (end - p < 6 || memcmp(p, "<?xml", 5) != 0 || !is_ws(p[5]))
        return;
    const char *decl_end = find_in(p, end, "?>");
    p = decl_end ? find_in(p, decl_end, "encoding") : NULL;
    if (!p)
        return;
    for (p += 8; p < decl_end && is_ws(*p); p++)
        ;
    if (p >= decl_end || *p++ != '=')
        return;
    while (p < decl_end && is_ws(*p))
        p++;
    if (p >= decl_end || (*p != '\'' && *p != '"'))
        return;
    char q = *p++;
    size_t n = 0;
    while (p < decl_end && *p != q && n + 1 < size)
        out[n++] = *p++;
    out[n] = '\0';
}

bool precheck_is_utf8(const char *enc)
{
    return strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

/* The UTF-8 of code point cp (not a surrogate) into u; its length. */
static size_t utf8_put(unsigned cp, char *u)
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    u[0] = (char)(0xE0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

static bool has_low_byte(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x80)
            return true;
    return false;
}

/* Whether cd writes every character from U+0080 to U+FFFF that it has
 * with bytes of 0x80 and above.  Only then is a byte below 0x80 of the
 * file always the ASCII character it looks like: pcitopo finds tags in
 * the raw bytes (tagfmt, the prolog and epilog) and writes markup next
 * to encoded text, so in GBK, Big5 or Shift_JIS (trail bytes such as ']'
 * or '>') or ISO-2022 (escape sequences) a save could write a file that
 * is not XML, and in EUC-JP as glibc has it U+00A5 would come back as a
 * backslash.  One character per call: glibc redoes a whole buffer after each
 * character the encoding lacks. */
static bool only_high_bytes(iconv_t cd)
{
    for (unsigned cp = 0x80; cp <= 0xFFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char u[4], out[32], *in = u, *op = out;
        size_t inleft = utf8_put(cp, u), outleft = sizeof out;
        if (iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1) {
            if (errno != EILSEQ && errno != EINVAL)
                return false;
            iconv(cd, NULL, NULL, NULL, NULL);
            continue;   /* not in this encoding */
        }
        /* a stateful encoding shifts back to ASCII here */
        iconv(cd, NULL, NULL, &op, &outleft);
        if (has_low_byte(out, (size_t)(op - out)))
            return false;
    }
    return true;
}

/* ASCII written as it is, and nothing else written with ASCII bytes. */
static bool encoding_keeps_ascii(const char *enc)
{
    static const char probe[] = "<domain a='1' b=\"2\">&#38;?!-_.:/ \t\r\nAZaz09[]</domain>";
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1)
        return false;
    char out[sizeof probe * 4], *in = (char *)probe, *op = out;
    size_t inleft = sizeof probe - 1, outleft = sizeof out;
    bool same = iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1
        && (size_t)(op - out) == sizeof probe - 1 && memcmp(out, probe, sizeof probe - 1) == 0;
    if (same) {
        iconv(cd, NULL, NULL, NULL, NULL);
        same = only_high_bytes(cd);
    }
    iconv_close(cd);
    return same;
}

/* encoding_keeps_ascii, remembered: a test converts ~200,000 characters,
 * and undo reloads the document after every change. */
static bool encoding_supported(const char *enc)
{
    static struct { char name[64]; bool ok; } known[16];
    static size_t nknown, next;
    for (size_t i = 0; i < nknown; i++)
        if (strcasecmp(known[i].name, enc) == 0)
            return known[i].ok;
    bool ok = encoding_keeps_ascii(enc);
    if (strlen(enc) < sizeof known[0].name) {
        size_t slot = nknown < ARRAY_LEN(known) ? nknown++ : next++ % ARRAY_LEN(known);
        snprintf(known[slot].name, sizeof known[slot].name, "%s", enc);
        known[slot].ok = ok;
    }
    return ok;
}

/* Only encodings in which every byte below 0x80 is the ASCII character
 * it looks like (encoding_keeps_ascii); libvirt itself only writes
 * UTF-8. */
bool precheck_encoding(const char *enc, const char *name, struct err *e)
{
    if (!enc || precheck_is_utf8(enc) || encoding_supported(enc))
        return true;
    err_set(e, "%s:1: encoding='%s' is not supported: pcitopo reads UTF-8 (what libvirt writes) "
            "and encodings that keep ASCII as it is and write every other character with bytes "
            "of 0x80 and above, such as ISO-8859-1 or EUC-KR (convert it: iconv -f %s -t UTF-8)",
            name, enc, enc);
    return false;
}

/* Refuses a start tag with more than DOMAIN_MAX_ATTRS attributes before
 * libxml2 reads it: its duplicate check and its list of attributes take
 * time in the square of their number (100,000 took 20 s).  A scan of the
 * raw bytes, which are ASCII where they look so (check_encoding ran
 * first); a malformed tag is left to the parser to report. */
static bool check_attribute_counts(const char *buf, size_t len, const char *name,
                                   struct err *e)
{
    static const struct { const char *open, *close; } skipped[] = {
        { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" },
    };
    const char *p = buf, *end = buf + len;
    while ((p = memchr(p, '<', (size_t)(end - p)))) {
        bool skip = false;
        for (size_t k = 0; k < ARRAY_LEN(skipped) && !skip; k++) {
            size_t n = strlen(skipped[k].open);
            if ((size_t)(end - p) >= n && memcmp(p, skipped[k].open, n) == 0) {
                const char *close = find_in(p + n, end, skipped[k].close);
                p = close ? close + strlen(skipped[k].close) : end;
                skip = true;
            }
        }
        if (skip)
            continue;
        const char *tag = p++;
        if (p < end && *p == '!')
            continue;   /* a DOCTYPE's parts: refused when the parser meets it */
        if (p < end && *p == '/')
            continue;
        size_t count = 0;
        char quote = 0;
        for (; p < end && (quote || (*p != '>' && *p != '<')); p++) {
            if (quote ? *p == quote : (*p == '\'' || *p == '"'))
                quote = quote ? 0 : *p;
            else if (!quote && *p == '=')
                count++;
        }
        if (count > DOMAIN_MAX_ATTRS) {
            int n = 0;
            while (tag + 1 + n < end && n < 64 && !is_ws(tag[1 + n]) && tag[1 + n] != '/'
                   && tag[1 + n] != '>')
                n++;
            err_set(e, "%s:%ld: <%.*s>: more than %d attributes in one start tag; pcitopo "
                    "refuses them (libvirt's elements have a few, and loading would take "
                    "time in the square of their number)",
                    name, line_at(buf, (size_t)(tag - buf)), n, tag + 1, DOMAIN_MAX_ATTRS);
            return false;
        }
    }
    return true;
}

/* Refuse what libxml2 would misread or what no libvirt XML contains,
 * before parsing.  internal: buf is pcitopo's own serialization (undo, a
 * copy), which may exceed the file size limit and must load anyway. */
bool precheck(const char *buf, size_t len, const char *name, bool internal, struct err *e)
{
    if (len == 0) {
        err_set(e, "%s: the file is empty, not a domain XML", name);
        return false;
    }
    if (len > DOMAIN_MAX_BYTES && !internal) {
        err_set(e, "%s: %zu bytes is too large for a domain XML (pcitopo reads up to %u MiB)",
                name, len, DOMAIN_MAX_BYTES / (1024 * 1024));
        return false;
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        size_t off = (size_t)(nul - buf);
        err_set(e, "%s:%ld: NUL byte at offset %zu: not a text file (UTF-16 is not supported; libvirt writes UTF-8)",
                name, line_at(buf, off), off);
        return false;
    }
    /* "<?xm" in EBCDIC: nothing of it reads as ASCII */
    if (len >= 4 && memcmp(buf, "\x4C\x6F\xA7\x94", 4) == 0) {
        err_set(e, "%s:1: EBCDIC is not supported: pcitopo reads UTF-8 (what libvirt writes)", name);
        return false;
    }
    /* The declared encoding before the parse: the checks below read the
     * bytes as ASCII, and libxml2 would read all of an unsupported file
     * first.  (load_text checks the one libxml2 used, too.) */
    char enc[128];
    declared_encoding(buf, len, enc, sizeof enc);
    return precheck_encoding(*enc ? enc : NULL, name, e)
        && check_attribute_counts(buf, len, name, e);
}
