#include "config.h"
#include "domain.h"
#include "precheck.h"
#include "tagfmt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

/* ------------------------------------------------------------------ */
/* Reading */

static void stamp_from_stat(struct file_stamp *st, const struct stat *sb,
                            const char *buf, size_t len)
{
    st->valid = true;
    st->dev = sb->st_dev;
    st->ino = sb->st_ino;
    st->size = sb->st_size;
    st->mtime = sb->st_mtim;
    st->hash = hash_bytes(buf, len);
}

/* Reads fd to the end, refusing more than DOMAIN_MAX_BYTES.  Returns a new
 * NUL-terminated buffer (caller frees) or NULL with e set. */
static char *read_fd(int fd, const char *name, size_t hint, size_t *len, struct err *e)
{
    size_t cap = hint + 1, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > DOMAIN_MAX_BYTES) {
                err_set(e, "%s: too large for a domain XML (pcitopo reads up to %u MiB)",
                        name, DOMAIN_MAX_BYTES / (1024 * 1024));
                free(buf);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err_set(e, "%s: cannot read: %s", name, strerror(errno));
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Reads a whole regular file of at most DOMAIN_MAX_BYTES.  Returns a new
 * NUL-terminated buffer (caller frees) or NULL with e set. */
static char *read_file(const char *path, size_t *len, struct file_stamp *st,
                       struct err *e)
{
    /* O_NONBLOCK so that a FIFO given by mistake cannot hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        err_set(e, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        err_set(e, "%s: cannot stat: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        err_set(e, "%s: is a directory, not a domain XML file", path);
        close(fd);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        err_set(e, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if ((unsigned long long)sb.st_size > DOMAIN_MAX_BYTES) {
        err_set(e, "%s: %lld bytes is too large for a domain XML (pcitopo reads up to %u MiB)",
                path, (long long)sb.st_size, DOMAIN_MAX_BYTES / (1024 * 1024));
        close(fd);
        return NULL;
    }
    char *buf = read_fd(fd, path, (size_t)sb.st_size, len, e);
    close(fd);
    if (buf)
        stamp_from_stat(st, &sb, buf, *len);
    return buf;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct parse_state {
    long doctype_line;
    /* libxml2 goes on after the first error and keeps only the last one,
     * which is often a consequence ("Premature end of data" at the end of
     * the file); xmllint and the user want the first: the line to fix. */
    char *first_error;
    int first_error_line;
};

/* The parser's structured error hook: keeps the first error (warnings,
 * such as a namespace URI that is not absolute, are no reason to refuse). */
static void keep_first_error(void *data, xmlErrorPtr xe)
{
    xmlParserCtxtPtr ctxt = data;
    struct parse_state *ps = ctxt ? ctxt->_private : NULL;
    if (!ps || !xe || ps->first_error || xe->level < XML_ERR_ERROR || !xe->message)
        return;
    ps->first_error = xstrdup(xe->message);
    ps->first_error_line = xe->line;
}

/* libvirt domain XML never has a DOCTYPE.  Stopping at the declaration,
 * before any entity is declared, rules out external entities and entity
 * expansion attacks whatever libxml2's own limits are. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                           const xmlChar *sys_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *ps = ctxt->_private;
    ps->doctype_line = ctxt->input ? ctxt->input->line : 0;
    xmlStopParser(ctxt);
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static xmlDocPtr parse(const char *buf, size_t len, const char *name, bool internal,
                       struct err *e)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        err_set(e, "%s: cannot create an XML parser", name);
        return NULL;
    }
    struct parse_state ps = { 0 };
    ctxt->_private = &ps;
    ctxt->sax->internalSubset = refuse_doctype;
    ctxt->sax->serror = keep_first_error;
    /* No NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: nothing is fetched or
     * expanded, and libxml2's depth and size limits stay on.  Blanks and
     * CDATA sections are kept so that formatting survives a save. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
        | XML_PARSE_BIG_LINES;
    /* pcitopo's own bytes passed these limits when they were a file, but
     * a text node or attribute value near 8 MiB can come back longer than
     * libxml2's 10 MB limit for one (escapes, CR LF). */
    if (internal)
        opts |= XML_PARSE_HUGE;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
    bool failed = true;
    if (ps.doctype_line) {
        err_set(e, "%s:%ld: DOCTYPE declarations are refused: libvirt domain XML has none, and they can smuggle in external entities",
                name, ps.doctype_line);
    } else if (!doc || !ctxt->wellFormed) {
        xmlErrorPtr xe = xmlCtxtGetLastError(ctxt);
        char *msg = ps.first_error ? ps.first_error
                  : xe && xe->message ? xstrdup(xe->message) : NULL;
        int line = ps.first_error ? ps.first_error_line : xe ? xe->line : 0;
        ps.first_error = NULL;
        if (msg) {
            chomp(msg);   /* it quotes the document's names */
            if (strstr(msg, "Excessive depth")) {
                free(msg);
                msg = xasprintf("elements nested more than %d deep", (int)xmlParserMaxDepth);
            }
            err_set(e, "%s:%d: not well-formed XML: %s", name, line, msg);
            free(msg);
        } else {
            err_set(e, "%s: not well-formed XML", name);
        }
    } else {
        failed = false;
    }
    if (failed && doc) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    free(ps.first_error);
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* ------------------------------------------------------------------ */
/* What the tree does not keep: prolog, epilog, quotes, line ends */

/* Offset of the root element's '<' in a well-formed document. */
static size_t root_start(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        if (is_ws(buf[i])) {
            i++;
        } else if (strncmp(buf + i, "<?", 2) == 0) {
            const char *end = strstr(buf + i + 2, "?>");
            i = end ? (size_t)(end - buf) + 2 : len;
        } else if (strncmp(buf + i, "<!--", 4) == 0) {
            const char *end = strstr(buf + i + 4, "-->");
            i = end ? (size_t)(end - buf) + 3 : len;
        } else {
            break;
        }
    }
    return i;
}

/* Offset just past the root element's end tag.  A forward scan of the
 * (already well-formed) document: comments, PIs and CDATA are skipped
 * whole and quotes are honoured in tags, since any of them may hold
 * markup-like text; scanning back from the end of the file went wrong
 * on a PI after the root that contained "<?". */
static size_t root_end(const char *buf, size_t len, size_t start)
{
    static const struct { const char *open, *close; } skipped[] = {
        { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" }, { "<!", ">" },
    };
    int depth = 0;
    size_t i = start;
    while (i < len) {
        if (buf[i] != '<') {
            i++;
            continue;
        }
        bool skip = false;
        for (size_t k = 0; k < ARRAY_LEN(skipped) && !skip; k++)
            if (strncmp(buf + i, skipped[k].open, strlen(skipped[k].open)) == 0) {
                const char *end = strstr(buf + i + strlen(skipped[k].open), skipped[k].close);
                i = end ? (size_t)(end - buf) + strlen(skipped[k].close) : len;
                skip = true;
            }
        if (skip)
            continue;
        bool closing = buf[i + 1] == '/';
        char quote = 0;
        size_t j = i + 1;
        for (; j < len && (quote || buf[j] != '>'); j++)
            if (quote ? buf[j] == quote : (buf[j] == '"' || buf[j] == '\''))
                quote = quote ? 0 : buf[j];
        if (j >= len)
            return len;
        if (closing)
            depth--;
        else if (buf[j - 1] != '/')
            depth++;
        i = j + 1;
        if (depth == 0)
            return i;
    }
    return len;
}

/* The quote most attributes use: pcitopo writes every attribute with it,
 * so a libvirt file (all ') does not come back all ". */
static char dominant_quote(const char *s, size_t len)
{
    size_t single = 0, dbl = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '=')
            continue;
        size_t j = i + 1;
        while (j < len && is_ws(s[j]))
            j++;
        if (j < len && s[j] == '\'')
            single++;
        else if (j < len && s[j] == '"')
            dbl++;
    }
    return dbl > single ? '"' : '\'';
}

static bool mostly_crlf(const char *s, size_t len)
{
    size_t crlf = 0, lf = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            if (i > 0 && s[i - 1] == '\r')
                crlf++;
            else
                lf++;
        }
    return crlf > lf;
}

/* The encoding a save writes, NULL for UTF-8: the declared one, which is
 * the one libxml2 read the file in (a byte order mark before it too). */
static const char *write_encoding(xmlDocPtr doc)
{
    const char *enc = (const char *)doc->encoding;
    return enc && !precheck_is_utf8(enc) ? enc : NULL;
}

static bool check_root(xmlDocPtr doc, const char *name, struct err *e)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root) {
        err_set(e, "%s: no root element", name);
        return false;
    }
    if (strcmp((const char *)root->name, "domain") != 0 || root->ns) {
        err_set(e, "%s:%ld: the root element is <%s%s%s>, not a libvirt <domain>",
                name, domain_line(root),
                root->ns && root->ns->prefix ? (const char *)root->ns->prefix : "",
                root->ns && root->ns->prefix ? ":" : "", (const char *)root->name);
        return false;
    }
    return true;
}

/* domain_load_memory on text that has a NUL at text[len] (the scans of
 * the prolog and epilog read it as a C string). */
static struct domain *load_text(const char *buf, size_t len, const char *name, bool internal,
                                struct err *e)
{
    xmlDocPtr doc = parse(buf, len, name, internal, e);
    if (!doc)
        return NULL;
    const char *enc = write_encoding(doc);
    if (!check_root(doc, name, e) || !precheck_encoding(enc, name, e)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    struct domain *d = xcalloc(1, sizeof *d);
    d->doc = doc;
    d->name = xstrdup(name);
    size_t start = root_start(buf, len);
    size_t end = root_end(buf, len, start);
    d->prolog = xmalloc(start + 1);
    memcpy(d->prolog, buf, start);
    d->prolog[start] = '\0';
    d->epilog = xstrdup(buf + end);
    d->quote = dominant_quote(buf + start, end - start);
    d->fmt = tagfmt_scan(xmlDocGetRootElement(doc), buf + start, end - start);
    /* only the root is written anew (prolog and epilog are kept as they
     * are), so only its line ends decide how it is written: counting the
     * prolog's too made a save decide otherwise the second time */
    d->crlf = mostly_crlf(buf + start, end - start);
    d->encoding = enc ? xstrdup(enc) : NULL;
    return d;
}

static struct domain *load_checked(const char *buf, size_t len, const char *name,
                                   bool internal, struct err *e)
{
    if (!precheck(buf, len, name, internal, e))
        return NULL;
    char *text = xmalloc(len + 1);
    memcpy(text, buf, len);
    text[len] = '\0';
    struct domain *d = load_text(text, len, name, internal, e);
    free(text);
    return d;
}

struct domain *domain_load_memory(const char *buf, size_t len, const char *name,
                                  struct err *e)
{
    return load_checked(buf, len, name, false, e);
}

/* Loads bytes domain_serialize made: they are reloaded whatever their
 * size (undo, copies), since the file limit is for files. */
static struct domain *load_own(const char *buf, size_t len, const char *name, struct err *e)
{
    return load_checked(buf, len, name, true, e);
}

struct domain *domain_load_stdin(struct err *e)
{
    size_t len;
    const char *name = "<stdin>";
    char *buf = read_fd(STDIN_FILENO, name, 64 * 1024, &len, e);
    if (!buf)
        return NULL;
    struct domain *d = domain_load_memory(buf, len, name, e);
    free(buf);
    return d;
}

struct domain *domain_load_file(const char *path, struct err *e)
{
    size_t len;
    struct file_stamp st;
    char *buf = read_file(path, &len, &st, e);
    if (!buf)
        return NULL;
    struct domain *d = domain_load_memory(buf, len, path, e);
    free(buf);
    if (d) {
        d->path = xstrdup(path);
        d->stamp = st;
    }
    return d;
}

char *domain_read_file_new(const char *path, size_t *len, struct err *e)
{
    struct file_stamp st;
    return read_file(path, len, &st, e);
}

void domain_free(struct domain *d)
{
    if (!d)
        return;
    xmlFreeDoc(d->doc);
    tagfmt_free(d->fmt);
    free(d->path);
    free(d->name);
    free(d->prolog);
    free(d->epilog);
    free(d->encoding);
    free(d);
}

/* The node after n in document order.  Only elements are entered: an
 * entity reference's children belong to the entity. */
static xmlNodePtr next_node(xmlNodePtr n)
{
    if (n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && !n->next)
        n = n->parent;
    return n ? n->next : NULL;
}

static xmlNodePtr next_element(xmlNodePtr n)
{
    do
        n = next_node(n);
    while (n && n->type != XML_ELEMENT_NODE);
    return n;
}

static size_t count_elements(xmlDocPtr doc)
{
    size_t n = 0;
    for (xmlNodePtr el = xmlDocGetRootElement(doc); el; el = next_element(el))
        n++;
    return n;
}

struct domain_lines domain_lines_new(const struct domain *d)
{
    struct domain_lines l = { NULL, count_elements(d->doc) };
    l.line = xcalloc(l.n ? l.n : 1, sizeof *l.line);
    size_t i = 0;
    for (xmlNodePtr el = xmlDocGetRootElement(d->doc); el; el = next_element(el))
        l.line[i++] = el->line;
    return l;
}

void domain_lines_free(struct domain_lines *l)
{
    free(l->line);
    l->line = NULL;
    l->n = 0;
}

/* Gives doc's elements the lines of the document it was serialized from;
 * leaves them alone if the two do not have the same elements, which would
 * be a bug of the serializer. */
static void lines_apply(xmlDocPtr doc, const struct domain_lines *l)
{
    if (!l || count_elements(doc) != l->n)
        return;
    size_t i = 0;
    for (xmlNodePtr el = xmlDocGetRootElement(doc); el; el = next_element(el))
        el->line = l->line[i++];
}

/* Gives to's elements the lines of from's, when the two have the same
 * elements (one was parsed from the other's bytes). */
static void copy_lines(xmlDocPtr to, xmlDocPtr from)
{
    if (count_elements(to) != count_elements(from))
        return;
    xmlNodePtr a = xmlDocGetRootElement(to), b = xmlDocGetRootElement(from);
    for (; a && b; a = next_element(a), b = next_element(b))
        a->line = b->line;
}

void domain_mark_added(xmlNode *el)
{
    el->line = 0;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            domain_mark_added(c);
}

bool domain_restore(struct domain *d, const char *buf, size_t len,
                    const struct domain_lines *lines, struct err *e)
{
    struct domain *n = load_own(buf, len, d->name, e);
    if (!n)
        return false;
    lines_apply(n->doc, lines);
    /* Swap the document and how it is written; where it lives stays. */
#define SWAP(field) do { __typeof__(d->field) tmp_ = d->field; d->field = n->field; n->field = tmp_; } while (0)
    SWAP(doc);
    SWAP(prolog);
    SWAP(epilog);
    SWAP(quote);
    SWAP(fmt);
    SWAP(crlf);
    SWAP(encoding);
#undef SWAP
    domain_free(n);
    return true;
}

/* The copy's elements take the layout entries of the original's, in
 * document order (the two trees have the same shape). */
static void share_layout(xmlNodePtr to, xmlNodePtr from)
{
    for (; to && from; to = next_element(to), from = next_element(from))
        to->_private = from->_private;
}

/* A copy of the tree, not a new parse: the editor copies the document
 * for every preview, and parsing it again cost most of a key press. */
struct domain *domain_copy(const struct domain *d, struct err *e)
{
    xmlDocPtr doc = xmlCopyDoc(d->doc, 1);
    if (!doc) {
        err_set(e, "%s: out of memory copying the document", d->name);
        return NULL;
    }
    struct domain *c = xcalloc(1, sizeof *c);
    c->doc = doc;
    c->name = xstrdup(d->name);
    c->path = d->path ? xstrdup(d->path) : NULL;
    c->prolog = d->prolog ? xstrdup(d->prolog) : NULL;
    c->epilog = d->epilog ? xstrdup(d->epilog) : NULL;
    c->quote = d->quote;
    c->crlf = d->crlf;
    c->encoding = d->encoding ? xstrdup(d->encoding) : NULL;
    c->stamp = d->stamp;
    c->refused = d->refused;
    if (d->fmt && count_elements(doc) == count_elements(d->doc)) {
        c->fmt = tagfmt_ref(d->fmt);
        share_layout(xmlDocGetRootElement(doc), xmlDocGetRootElement(d->doc));
    }
    copy_lines(c->doc, d->doc);
    return c;
}

long domain_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}

static const char added_words[] = "added in this session";

struct where_text domain_where(const char *name, long line)
{
    struct where_text w;
    if (line > 0)
        snprintf(w.text, sizeof w.text, "%s:%ld", name, line);
    else
        snprintf(w.text, sizeof w.text, "%s (%s)", name, added_words);
    return w;
}

struct line_text domain_line_text(long line)
{
    struct line_text w;
    if (line > 0)
        snprintf(w.text, sizeof w.text, "line %ld", line);
    else
        snprintf(w.text, sizeof w.text, "%s", added_words);
    return w;
}

/* ------------------------------------------------------------------ */
/* Writing */

struct writer {
    struct strbuf sb;
    char quote;            /* the document's usual quote */
    const char *encoding;  /* the one the text is converted to, NULL for UTF-8 */
    iconv_t cd;            /* to it: opened at the first non-ASCII character */
    unsigned char *known;  /* per code point: 0 untested, 1 encodable, 2 not */
    bool gt_raw;           /* '>' as it is, where XML allows, not "&gt;" */
};

static void writer_free(struct writer *w)
{
    if (w->known && w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    free(w->known);
    sb_free(&w->sb);
}

/* Whether the character at p (used bytes, code point cp) exists in the
 * target encoding: then it is written as it is, else as a character
 * reference (which takes up to ten bytes for one or two). */
static bool encodable(struct writer *w, const unsigned char *p, int used, int cp)
{
    if (!w->known) {
        w->known = xcalloc(0x110000, 1);
        w->cd = iconv_open(w->encoding, "UTF-8");
    }
    if (!w->known[cp]) {
        bool ok = false;
        if (w->cd != (iconv_t)-1) {
            char out[32], *op = out, *in = (char *)p;
            size_t inleft = (size_t)used, outleft = sizeof out;
            ok = iconv(w->cd, &in, &inleft, &op, &outleft) != (size_t)-1 && inleft == 0;
            iconv(w->cd, NULL, NULL, NULL, NULL);
        }
        w->known[cp] = ok ? 1 : 2;
    }
    return w->known[cp] == 1;
}

/* Whether c is written as it is: most bytes are, and put_escaped copies
 * runs of them at once (saving serializes the whole document, and undo
 * and the preview save often).  '>' is "&gt;", as libvirt writes it,
 * unless the writer says otherwise (see domain_serialize). */
static bool is_plain(unsigned char c, bool in_attr, bool to_utf8, bool amp_as_is, bool gt_raw)
{
    switch (c) {
    case '&':
        return amp_as_is;
    case '>':
        return gt_raw && in_attr;
    case '<': case '\r': case '\'': case '"': case '\n': case '\t':
        return false;
    default:
        return c < 0x80 || to_utf8;
    }
}

/* Whether the text written so far ends in "]]": a '>' after it would
 * close a CDATA section that is not there. */
static bool ends_cdata_like(const struct strbuf *sb)
{
    return sb->len >= 2 && sb->buf[sb->len - 1] == ']' && sb->buf[sb->len - 2] == ']';
}

/* Writes a character outside ASCII to a document in another encoding. */
static const unsigned char *put_non_ascii(struct writer *w, const unsigned char *p)
{
    int used = 4;
    int cp = xmlGetUTF8Char(p, &used);
    if (cp < 0) {
        sb_putc(&w->sb, (char)*p);
        return p;
    }
    if (encodable(w, p, used, cp))
        sb_add(&w->sb, (const char *)p, (size_t)used);
    else
        sb_printf(&w->sb, "&#x%X;", (unsigned)cp);
    return p + used - 1;
}

/* amp_as_is: s is a namespace name as libxml2 keeps it, where an '&' of
 * the file is still the reference "&#38;" (and nothing else is escaped):
 * writing its '&' again as "&amp;" would add a level on every save.
 * Every escape written is at most as long as the shortest way the file
 * could have held the character, so a save is never much larger than the
 * file it came from. */
static void put_escaped(struct writer *w, const char *s, bool in_attr, bool amp_as_is)
{
    bool to_utf8 = w->encoding == NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        size_t run = 0;
        while (p[run] && is_plain(p[run], in_attr, to_utf8, amp_as_is, w->gt_raw))
            run++;
        if (run) {
            sb_add(&w->sb, (const char *)p, run);
            p += run;
            if (!*p)
                break;
        }
        switch (*p) {
        case '&': sb_puts(&w->sb, "&amp;"); break;
        case '<': sb_puts(&w->sb, "&lt;"); break;
        case '>':
            sb_puts(&w->sb, !w->gt_raw || ends_cdata_like(&w->sb) ? "&gt;" : ">");
            break;
        case '\r': sb_puts(&w->sb, "&#13;"); break;
        case '\'':
            sb_puts(&w->sb, in_attr && w->quote == '\'' ? "&apos;" : "'");
            break;
        case '"':
            sb_puts(&w->sb, in_attr && w->quote == '"' ? "&quot;" : "\"");
            break;
        case '\n':
        case '\t':
            /* Literal white space in an attribute would be normalised
             * to a space on the next read. */
            if (in_attr)
                sb_printf(&w->sb, "&#%d;", *p);
            else
                sb_putc(&w->sb, (char)*p);
            break;
        default:
            if (*p >= 0x80 && !to_utf8)
                p = put_non_ascii(w, p);
            else
                sb_putc(&w->sb, (char)*p);
        }
    }
}

static void put_qname(struct writer *w, const xmlNs *ns, const xmlChar *name)
{
    if (ns && ns->prefix) {
        sb_puts(&w->sb, (const char *)ns->prefix);
        sb_putc(&w->sb, ':');
    }
    sb_puts(&w->sb, (const char *)name);
}

/* The quote for a value the file did not quote (an element or attribute
 * pcitopo added, or a file whose tags could not be scanned): the usual
 * one, unless the value holds more of it than of the other. */
static char quote_for(const char *value, char usual)
{
    size_t same = 0, other = 0;
    char alt = usual == '\'' ? '"' : '\'';
    for (const char *c = value; *c; c++) {
        same += *c == usual;
        other += *c == alt;
    }
    return same > other ? alt : usual;
}

static void put_attr(struct writer *w, const char *ws, size_t ws_len, char quote,
                     const char *name_prefix, const xmlNs *ns, const xmlChar *name,
                     const char *value, bool amp_as_is)
{
    if (ws_len)
        sb_add(&w->sb, ws, ws_len);
    else
        sb_putc(&w->sb, ' ');
    sb_puts(&w->sb, name_prefix);
    put_qname(w, ns, name);
    sb_putc(&w->sb, '=');
    char saved = w->quote;
    w->quote = quote;
    sb_putc(&w->sb, quote);
    put_escaped(w, value, true, amp_as_is);
    sb_putc(&w->sb, quote);
    w->quote = saved;
}

/* Does the name written in the file (a) denote this namespace declaration
 * or this attribute? */
static bool names_ns(const struct attr_fmt *a, const xmlNs *ns)
{
    if (!ns->prefix)
        return a->name_len == 5 && memcmp(a->name, "xmlns", 5) == 0;
    size_t pl = strlen((const char *)ns->prefix);
    return a->name_len == 6 + pl && memcmp(a->name, "xmlns:", 6) == 0
        && memcmp(a->name + 6, ns->prefix, pl) == 0;
}

static bool names_attr(const struct attr_fmt *a, const xmlAttr *at)
{
    size_t nl = strlen((const char *)at->name);
    if (!at->ns || !at->ns->prefix)
        return a->name_len == nl && memcmp(a->name, at->name, nl) == 0;
    size_t pl = strlen((const char *)at->ns->prefix);
    return a->name_len == pl + 1 + nl && memcmp(a->name, at->ns->prefix, pl) == 0
        && a->name[pl] == ':' && memcmp(a->name + pl + 1, at->name, nl) == 0;
}

static bool is_ns_decl(const struct attr_fmt *a)
{
    return a->name_len >= 5 && memcmp(a->name, "xmlns", 5) == 0
        && (a->name_len == 5 || a->name[5] == ':');
}

static void put_ns(struct writer *w, const xmlNs *ns, const struct attr_fmt *a)
{
    const char *href = (const char *)ns->href;
    const char *ws = a ? a->ws : NULL;
    size_t ws_len = a ? a->ws_len : 0;
    char q = a ? a->quote : quote_for(href, w->quote);
    if (ns->prefix)
        put_attr(w, ws, ws_len, q, "xmlns:", NULL, ns->prefix, href, true);
    else
        put_attr(w, ws, ws_len, q, "", NULL, (const xmlChar *)"xmlns", href, true);
}

static void put_attribute(struct writer *w, const xmlAttr *at, const struct attr_fmt *a)
{
    /* The raw text of the value (xmlNodeListGetString would escape it):
     * nearly always one text node, used as it is. */
    const xmlNode *c = at->children;
    struct strbuf val = STRBUF_INIT;
    const char *text = c && !c->next && c->content ? (const char *)c->content : NULL;
    if (!text) {
        for (; c; c = c->next)
            if (c->content)
                sb_puts(&val, (const char *)c->content);
        text = val.buf ? val.buf : "";
    }
    put_attr(w, a ? a->ws : NULL, a ? a->ws_len : 0, a ? a->quote : quote_for(text, w->quote),
             "", at->ns, at->name, text, false);
    sb_free(&val);
}

/* Where the search for the next attribute of the file starts: just after
 * the last one found, so that a tag written back in its own order costs
 * one comparison per attribute, not one per pair. */
struct attr_cursor {
    const xmlNs *ns;
    size_t ns_i;
    const xmlAttr *at;
    size_t at_i;
};

/* Writes the namespace declaration a names, searching from the cursor
 * round to it.  done is indexed by position. */
static void put_ns_named(struct writer *w, const xmlNode *n, const struct attr_fmt *a,
                         bool *done, struct attr_cursor *cur)
{
    for (int pass = 0; pass < 2; pass++) {
        const xmlNs *ns = pass ? n->nsDef : cur->ns;
        size_t i = pass ? 0 : cur->ns_i;
        for (; ns && !(pass && ns == cur->ns); ns = ns->next, i++)
            if (!done[i] && names_ns(a, ns)) {
                put_ns(w, ns, a);
                done[i] = true;
                cur->ns = ns->next;
                cur->ns_i = i + 1;
                return;
            }
    }
}

/* The same for an attribute; its done flags follow the nns declarations. */
static void put_attr_named(struct writer *w, const xmlNode *n, const struct attr_fmt *a,
                           bool *done, struct attr_cursor *cur)
{
    for (int pass = 0; pass < 2; pass++) {
        const xmlAttr *at = pass ? n->properties : cur->at;
        size_t i = pass ? 0 : cur->at_i;
        for (; at && !(pass && at == cur->at); at = at->next, i++)
            if (!done[i] && names_attr(a, at)) {
                put_attribute(w, at, a);
                done[i] = true;
                cur->at = at->next;
                cur->at_i = i + 1;
                return;
            }
    }
}

/* Attributes and namespace declarations in the order the file had them,
 * then any the file did not have, in tree order.  Linear when the tree
 * keeps the file's order, as libxml2 does. */
static void put_attributes(struct writer *w, const xmlNode *n, const struct tag_fmt *f)
{
    size_t nns = 0, nat = 0;
    for (const xmlNs *ns = n->nsDef; ns; ns = ns->next)
        nns++;
    for (const xmlAttr *at = n->properties; at; at = at->next)
        nat++;
    /* which were written; on the stack for the usual few attributes */
    bool few[32] = { false };
    bool *done = nns + nat < ARRAY_LEN(few) ? few : xcalloc(nns + nat + 1, sizeof *done);
    struct attr_cursor cur = { n->nsDef, 0, n->properties, 0 };
    for (size_t k = 0; f && k < f->nattrs; k++) {
        if (is_ns_decl(&f->attrs[k]))
            put_ns_named(w, n, &f->attrs[k], done, &cur);
        else
            put_attr_named(w, n, &f->attrs[k], done + nns, &cur);
    }
    size_t i = 0;
    for (const xmlNs *ns = n->nsDef; ns; ns = ns->next, i++)
        if (!done[i])
            put_ns(w, ns, NULL);
    for (const xmlAttr *at = n->properties; at; at = at->next, i++)
        if (!done[i])
            put_attribute(w, at, NULL);
    if (done != few)
        free(done);
}

static void put_node(struct writer *w, const xmlNode *n);

static void put_element(struct writer *w, const xmlNode *n)
{
    const struct tag_fmt *f = tagfmt_of(n);
    sb_putc(&w->sb, '<');
    put_qname(w, n->ns, n->name);
    put_attributes(w, n, f);
    if (f && f->end_ws_len)
        sb_add(&w->sb, f->end_ws, f->end_ws_len);
    if (!n->children) {
        if (f && f->empty_pair) {
            sb_puts(&w->sb, "></");
            put_qname(w, n->ns, n->name);
            sb_putc(&w->sb, '>');
        } else {
            sb_puts(&w->sb, "/>");
        }
        return;
    }
    sb_putc(&w->sb, '>');
    for (const xmlNode *c = n->children; c; c = c->next)
        put_node(w, c);
    sb_puts(&w->sb, "</");
    put_qname(w, n->ns, n->name);
    sb_putc(&w->sb, '>');
}

static void put_node(struct writer *w, const xmlNode *n)
{
    const char *content = (const char *)n->content;
    switch (n->type) {
    case XML_ELEMENT_NODE:
        put_element(w, n);
        break;
    case XML_TEXT_NODE:
        put_escaped(w, content ? content : "", false, false);
        break;
    case XML_CDATA_SECTION_NODE:
        /* libxml2 merges adjacent sections, so the text may hold "]]>",
         * which must be split across two sections again. */
        sb_puts(&w->sb, "<![CDATA[");
        for (const char *c = content ? content : ""; *c; c++) {
            if (strncmp(c, "]]>", 3) == 0) {
                sb_puts(&w->sb, "]]]]><![CDATA[>");
                c += 2;
            } else {
                sb_putc(&w->sb, *c);
            }
        }
        sb_puts(&w->sb, "]]>");
        break;
    case XML_COMMENT_NODE:
        sb_puts(&w->sb, "<!--");
        sb_puts(&w->sb, content ? content : "");
        sb_puts(&w->sb, "-->");
        break;
    case XML_PI_NODE:
        sb_puts(&w->sb, "<?");
        sb_puts(&w->sb, (const char *)n->name);
        /* "<?pi ?>" has empty data, "<?pi?>" none: libxml2 tells them
         * apart, so a save does too */
        if (content) {
            sb_putc(&w->sb, ' ');
            sb_puts(&w->sb, content);
        }
        sb_puts(&w->sb, "?>");
        break;
    case XML_ENTITY_REF_NODE:
        sb_printf(&w->sb, "&%s;", (const char *)n->name);
        break;
    default:
        break;
    }
}

/* Line breaks inside start tags are copied from the file as they were
 * (tagfmt), so some already end in CR LF: those keep their one CR. */
static char *lf_to_crlf(const char *s, size_t len, size_t *out_len)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            sb_putc(&sb, '\r');
        sb_putc(&sb, s[i]);
    }
    *out_len = sb.len;
    return sb_detach(&sb);
}

/* Converts UTF-8 text to the document's declared encoding.  Returns a new
 * buffer (caller frees) or NULL with e set. */
static char *encode(const char *s, size_t len, const char *enc, size_t *out_len,
                    const char *name, struct err *e)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1) {
        err_set(e, "%s: cannot write the declared encoding %s: %s", name, enc, strerror(errno));
        return NULL;
    }
    size_t cap = len * 4 + 16;
    char *out = xmalloc(cap);
    char *in = (char *)s, *op = out;
    size_t inleft = len, outleft = cap;
    size_t r = iconv(cd, &in, &inleft, &op, &outleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        err_set(e, "%s: text near byte %zu cannot be written in the declared encoding %s",
                name, (size_t)(in - s), enc);
        free(out);
        return NULL;
    }
    *out_len = (size_t)(op - out);
    return out;
}

char *domain_serialize(const struct domain *d, size_t *len, struct err *e)
{
    struct writer w = { STRBUF_INIT, d->quote ? d->quote : '\'', d->encoding, (iconv_t)-1, NULL, false };
    put_node(&w, xmlDocGetRootElement(d->doc));
    if (w.sb.len > DOMAIN_MAX_BYTES) {
        /* '>' as "&gt;" keeps libvirt's own files byte for byte, but a
         * text full of them grows fourfold, past what a load reads: such
         * a document is written with '>' as it is, which XML allows */
        writer_free(&w);
        w = (struct writer){ STRBUF_INIT, d->quote ? d->quote : '\'', d->encoding, (iconv_t)-1, NULL, true };
        put_node(&w, xmlDocGetRootElement(d->doc));
    }
    size_t root_len = w.sb.len;
    char *root = sb_detach(&w.sb);
    writer_free(&w);
    if (d->crlf) {
        char *t = lf_to_crlf(root, root_len, &root_len);
        free(root);
        root = t;
    }
    if (d->encoding) {
        char *t = encode(root, root_len, d->encoding, &root_len, d->name, e);
        free(root);
        if (!t)
            return NULL;
        root = t;
    }
    struct strbuf out = STRBUF_INIT;
    sb_puts(&out, d->prolog ? d->prolog : "");
    sb_add(&out, root, root_len);
    sb_puts(&out, d->epilog ? d->epilog : "\n");
    free(root);
    *len = out.len;
    return sb_detach(&out);
}

char *domain_serialize_element(const struct domain *d, const xmlNode *el)
{
    struct writer w = { STRBUF_INIT, d->quote ? d->quote : '\'', NULL, (iconv_t)-1, NULL, false };
    put_node(&w, el);
    char *text = sb_detach(&w.sb);
    writer_free(&w);
    return text;
}

/* ------------------------------------------------------------------ */
/* Saving */

/* Current stamp of a file, or valid=false if it cannot be read. */
static struct file_stamp stamp_of(const char *path)
{
    struct file_stamp st = { 0 };
    struct err e ERR_SCOPE = ERR_INIT;
    size_t len;
    char *buf = read_file(path, &len, &st, &e);
    free(buf);
    if (!buf)
        st.valid = false;
    return st;
}

static bool stamp_same_content(const struct file_stamp *a, const struct file_stamp *b)
{
    return a->valid && b->valid && a->size == b->size && a->hash == b->hash;
}

static mode_t default_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Decides the real file to replace: a symlink is followed so that the
 * link itself survives.  Returns a new path; caller frees. */
static char *resolve_target(const char *path, struct err *e)
{
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            err_set(e, "%s: cannot follow the symbolic link: %s", path, strerror(errno));
        return real;
    }
    return xstrdup(path);
}

/* A file marked read-only: nobody may write it (root can, but a 0444
 * file says "do not change me"), or its owner, who is the user, may not.
 * Replaced only when asked to, as editors do.  (Another user's file is
 * left to the directory's permissions, which decide the rename.) */
static bool is_read_only(const struct stat *sb)
{
    if ((sb->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
        return true;
    return sb->st_uid == geteuid() && !(sb->st_mode & S_IWUSR);
}

static bool refuse(struct domain *d, enum save_refusal why)
{
    d->refused = why;
    return false;
}

/* Refuses to clobber what the user did not mean to: the loaded file
 * changed on disk, a read-only file, or some other existing file.  Runs
 * with the directory locked (lock_dir), so what it sees is what the
 * rename replaces. */
static bool may_overwrite(struct domain *d, const char *target,
                          const struct stat *sb, bool exists, unsigned flags,
                          struct err *e)
{
    if (flags & SAVE_FORCE)
        return true;
    bool is_loaded_file = d->stamp.valid && exists
        && sb->st_dev == d->stamp.dev && sb->st_ino == d->stamp.ino;
    bool was_loaded_path = d->path && strcmp(d->path, target) == 0;
    if (is_loaded_file || was_loaded_path) {
        if (!exists) {
            err_set(e, "%s: the file was removed since it was loaded; save -f to write it again",
                    target);
            return refuse(d, SAVE_REFUSED_REMOVED);
        }
        /* Content, not mtime: an edit within the same second, or a
         * rewrite with identical bytes, must be judged right. */
        struct file_stamp now = stamp_of(target);
        if (!stamp_same_content(&now, &d->stamp)) {
            err_set(e, "%s: the file changed on disk since it was loaded; save -f overwrites it, or save to another file",
                    target);
            return refuse(d, SAVE_REFUSED_CHANGED);
        }
        if (is_read_only(sb)) {
            err_set(e, "%s: the file is read-only (mode %04o); save -f replaces it",
                    target, (unsigned)(sb->st_mode & 07777));
            return refuse(d, SAVE_REFUSED_READ_ONLY);
        }
        return true;
    }
    if (exists) {
        err_set(e, "%s: the file exists; save -f overwrites it", target);
        return refuse(d, SAVE_REFUSED_EXISTS);
    }
    return true;
}

static bool fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0 || errno == EINVAL;
    close(fd);
    return ok;
}

/* How long a save waits for another pcitopo's save in the same directory. */
#define LOCK_WAIT_MS 10000

/* Locks dir against other pcitopo saves (flock on the directory itself:
 * no lock file to leave behind or to outgrow NAME_MAX), from the check
 * for a change on disk through the rename, so that of two saves of one
 * file the second sees the first's.  Returns the descriptor to close, -1
 * when the directory cannot be locked (cannot be opened, or a file system
 * without flock): the save goes on as before there; -2 with e set when
 * another save holds the lock for LOCK_WAIT_MS. */
static int lock_dir(const char *dir, const char *target, struct err *e)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (int waited = 0;; waited += 20) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            close(fd);
            return -1;
        }
        if (waited >= LOCK_WAIT_MS) {
            err_set(e, "%s: cannot save: another save in %s has held it for %d s "
                    "(the file on disk is unchanged); try again", target, dir,
                    LOCK_WAIT_MS / 1000);
            close(fd);
            return -2;
        }
        nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
    }
}

static void unlock_dir(int fd)
{
    if (fd >= 0)
        close(fd);   /* drops the flock */
}

/* The temporary file a save of target writes first:
 * DIR/.NAME.pcitopo-XXXXXX.  When that would be longer than a name in DIR
 * may be, NAME is cut (at a character boundary) and followed by "~" and a
 * hash of the whole name, so that the files of two long names that start
 * alike do not pass for each other's (domain_interrupted_save). */
static char *temp_pattern(const char *target)
{
    static const char suffix[] = ".pcitopo-XXXXXX";
    char *dircopy = xstrdup(target), *basecopy = xstrdup(target);
    const char *dir = dirname(dircopy), *base = basename(basecopy);
    long name_max = pathconf(dir, _PC_NAME_MAX);
    if (name_max <= 0)
        name_max = NAME_MAX;
    size_t len = strlen(base), room = (size_t)name_max - 1 - (sizeof suffix - 1);
    char *tmp;
    if (len <= room) {
        tmp = xasprintf("%s/.%s%s", dir, base, suffix);
    } else {
        size_t cut = room - 9;   /* "~" and eight hex digits */
        while (cut > 0 && ((unsigned char)base[cut] & 0xC0) == 0x80)
            cut--;
        tmp = xasprintf("%s/.%.*s~%08llx%s", dir, (int)cut, base,
                        hash_bytes(base, len) & 0xffffffffULL, suffix);
    }
    free(dircopy);
    free(basecopy);
    return tmp;
}

char *domain_interrupted_save(const struct domain *d)
{
    if (!d->path)
        return NULL;
    char *real = realpath(d->path, NULL);   /* a save writes beside a link's target */
    char *pattern = temp_pattern(real ? real : d->path);
    free(real);
    char *slash = strrchr(pattern, '/');
    *slash = '\0';
    const char *dir = pattern, *name = slash + 1;
    size_t stem = strlen(name) - strlen("XXXXXX");
    char *found = NULL;
    DIR *dh = opendir(dir);
    struct dirent *de;
    while (dh && !found && (de = readdir(dh)))
        if (strncmp(de->d_name, name, stem) == 0 && strlen(de->d_name) == strlen(name))
            found = xasprintf("%s/%s", dir, de->d_name);
    if (dh)
        closedir(dh);
    free(pattern);
    if (!found)
        return NULL;
    char *note = xasprintf("an interrupted save left %s behind; %s itself is whole "
                           "(that save never replaced it): remove the left-over file when "
                           "you no longer need it", found, d->name);
    free(found);
    return note;
}

static bool write_temp_and_rename(const char *target, const char *dir, const char *bytes,
                                  size_t len, const struct stat *sb, bool exists,
                                  struct err *e)
{
    char *tmp = temp_pattern(target);
    bool ok = false;
    const char *step = "create a temporary file";
    int fd = mkstemp(tmp);
    if (fd < 0)
        goto out;
    step = "set permissions";
    if (fchmod(fd, exists ? (sb->st_mode & 07777) : default_mode()) != 0)
        goto fail;
    /* Keeping the owner only works as root; a user's own files already
     * have the right owner. */
    if (exists && (sb->st_uid != geteuid() || sb->st_gid != getegid()))
        (void)!fchown(fd, sb->st_uid, sb->st_gid);
    step = "write";
    if (!write_all(fd, bytes, len))
        goto fail;
    step = "flush to disk";
    if (fsync(fd) != 0)
        goto fail;
    step = "close";
    int rc = close(fd);
    fd = -1;
    if (rc != 0)
        goto fail;
    step = "rename the temporary file over it";
    if (rename(tmp, target) != 0)
        goto fail;
    fsync_dir(dir);
    ok = true;
    goto out;
fail:
    {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        errno = saved;
    }
out:
    if (!ok)
        err_set(e, "%s: cannot save: %s failed: %s (the file on disk is unchanged)",
                target, step, strerror(errno));
    free(tmp);
    return ok;
}

/* Once d's own file holds bytes, messages name lines of that file: what
 * was added is now in it, and what follows it has moved down. */
static void renumber(struct domain *d, const char *bytes, size_t len)
{
    struct err ignored ERR_SCOPE = ERR_INIT;
    struct domain *written = load_own(bytes, len, d->name, &ignored);
    if (!written)
        return;
    copy_lines(d->doc, written->doc);
    domain_free(written);
}

/* The bytes of a save, refused when the next load would refuse them:
 * whatever pcitopo writes, it reads back. */
static char *bytes_to_save(const struct domain *d, const char *target, size_t *len,
                           struct err *e)
{
    char *bytes = domain_serialize(d, len, e);
    if (bytes && *len > DOMAIN_MAX_BYTES) {
        err_set(e, "%s: cannot save: the document would be %zu bytes, more than the %u MiB "
                "pcitopo loads (the file on disk is unchanged)",
                target, *len, DOMAIN_MAX_BYTES / (1024 * 1024));
        free(bytes);
        return NULL;
    }
    return bytes;
}

/* The locked part of a save: look at the target, decide, replace.  own:
 * target is d's own file, whose stamp is now what was written. */
static bool replace_locked(struct domain *d, const char *target, const char *dir, bool own,
                           const char *bytes, size_t len, unsigned flags, struct err *e)
{
    struct stat sb;
    bool exists = stat(target, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode)) {
        err_set(e, "%s: not a regular file; not overwriting it", target);
        return false;
    }
    if (!may_overwrite(d, target, &sb, exists, flags, e)
        || !write_temp_and_rename(target, dir, bytes, len, &sb, exists, e))
        return false;
    struct stat after;
    if (own && stat(target, &after) == 0)
        stamp_from_stat(&d->stamp, &after, bytes, len);
    return true;
}

bool domain_save(struct domain *d, const char *path, unsigned flags, struct err *e)
{
    d->refused = SAVE_REFUSED_NONE;
    if (!path)
        path = d->path;
    if (!path) {
        err_set(e, "%s: no file to save to; give one: save PATH", d->name);
        return false;
    }
    char *target = resolve_target(path, e);
    if (!target)
        return false;
    bool own = (d->path && strcmp(d->path, path) == 0) || (flags & SAVE_AS);
    size_t len;
    char *bytes = bytes_to_save(d, target, &len, e);
    bool ok = false;
    if (bytes) {
        char *dircopy = xstrdup(target);
        const char *dir = dirname(dircopy);
        int lock = lock_dir(dir, target, e);
        if (lock != -2)
            ok = replace_locked(d, target, dir, own, bytes, len, flags, e);
        unlock_dir(lock);
        free(dircopy);
    }
    if (ok && (flags & SAVE_AS) && path != d->path && (!d->path || strcmp(d->path, path) != 0)) {
        char *was = d->path;
        d->path = xstrdup(path);
        free(was);
        free(d->name);
        d->name = xstrdup(path);
    }
    if (ok && own)
        renumber(d, bytes, len);
    free(bytes);
    free(target);
    return ok;
}
