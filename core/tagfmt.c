#include "config.h"
#include "tagfmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct tagfmt_set {
    int refs;               /* documents whose elements point into it */
    char *raw;              /* owned copy the entries point into */
    struct tag_fmt *tags;   /* owned, in document order */
    size_t ntags, cap;
    struct attr_fmt *attrs; /* owned pool shared by the tags */
    size_t nattrs, acap;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name_end(char c)
{
    return is_space(c) || c == '/' || c == '>' || c == '=' || c == '\0';
}

static const char *skip_past(const char *p, const char *end, const char *token)
{
    size_t n = strlen(token);
    for (; p + n <= end; p++)
        if (memcmp(p, token, n) == 0)
            return p + n;
    return end;
}

/* Parses the start tag at p (just after '<').  Returns the position after
 * it, or NULL if it is not what a well-formed document would hold. */
static const char *scan_start_tag(struct tagfmt_set *set, const char *p, const char *end)
{
    const char *name = p;
    while (p < end && !is_name_end(*p))
        p++;
    size_t name_len = (size_t)(p - name);
    if (set->ntags == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 64;
        set->tags = xrealloc(set->tags, set->cap * sizeof *set->tags);
    }
    struct tag_fmt *t = &set->tags[set->ntags++];
    memset(t, 0, sizeof *t);
    /* attrs are stored as an offset into the pool until the scan ends,
     * because the pool moves while it grows. */
    size_t first = set->nattrs;
    for (;;) {
        const char *ws = p;
        while (p < end && is_space(*p))
            p++;
        if (p >= end)
            return NULL;
        if (*p == '/' || *p == '>') {
            t->end_ws = ws;
            t->end_ws_len = (size_t)(p - ws);
            if (*p == '/') {
                p += 2;
                if (p > end)
                    return NULL;
                break;
            }
            p++;
            /* <a></a>: the end tag follows at once. */
            if (p + 2 + name_len < end && p[0] == '<' && p[1] == '/'
                && memcmp(p + 2, name, name_len) == 0) {
                const char *q = p + 2 + name_len;
                while (q < end && is_space(*q))
                    q++;
                if (q < end && *q == '>') {
                    t->empty_pair = true;
                    p = q + 1;
                }
            }
            break;
        }
        const char *an = p;
        while (p < end && !is_name_end(*p))
            p++;
        struct attr_fmt a = { an, (size_t)(p - an), ws, (size_t)(an - ws), '\'' };
        while (p < end && (is_space(*p) || *p == '='))
            p++;
        if (p >= end || (*p != '\'' && *p != '"'))
            return NULL;
        a.quote = *p;
        const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
        if (!close)
            return NULL;
        p = close + 1;
        if (set->nattrs == set->acap) {
            set->acap = set->acap ? set->acap * 2 : 128;
            set->attrs = xrealloc(set->attrs, set->acap * sizeof *set->attrs);
        }
        set->attrs[set->nattrs++] = a;
    }
    t->attrs = (struct attr_fmt *)(uintptr_t)first;
    t->nattrs = set->nattrs - first;
    return p;
}

static bool scan(struct tagfmt_set *set, const char *p, const char *end)
{
    while (p < end) {
        if (*p != '<') {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            p = lt ? lt : end;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            p = skip_past(p + 4, end, "-->");
        } else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            p = skip_past(p + 9, end, "]]>");
        } else if (end - p >= 2 && p[1] == '?') {
            p = skip_past(p + 2, end, "?>");
        } else if (end - p >= 2 && p[1] == '/') {
            p = skip_past(p + 2, end, ">");
        } else {
            p = scan_start_tag(set, p + 1, end);
            if (!p)
                return false;
        }
    }
    return true;
}

static size_t count_elements(const xmlNode *n)
{
    size_t c = 1;
    for (const xmlNode *k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            c += count_elements(k);
    return c;
}

static void attach(struct tagfmt_set *set, xmlNodePtr n, size_t *next)
{
    n->_private = &set->tags[(*next)++];
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            attach(set, k, next);
}

struct tagfmt_set *tagfmt_scan(xmlNodePtr root, const char *raw, size_t len)
{
    struct tagfmt_set *set = xcalloc(1, sizeof *set);
    set->refs = 1;
    set->raw = xmalloc(len + 1);
    memcpy(set->raw, raw, len);
    set->raw[len] = '\0';
    if (!scan(set, set->raw, set->raw + len) || set->ntags != count_elements(root)) {
        tagfmt_free(set);
        return NULL;
    }
    /* attrs held offsets while the array grew; a document without any
     * attribute has no array at all */
    for (size_t i = 0; i < set->ntags && set->attrs; i++)
        set->tags[i].attrs = set->attrs + (uintptr_t)set->tags[i].attrs;
    size_t next = 0;
    attach(set, root, &next);
    return set;
}

struct tagfmt_set *tagfmt_ref(struct tagfmt_set *set)
{
    if (set)
        set->refs++;
    return set;
}

void tagfmt_free(struct tagfmt_set *set)
{
    if (!set || --set->refs > 0)
        return;
    free(set->raw);
    free(set->tags);
    free(set->attrs);
    free(set);
}

const struct tag_fmt *tagfmt_of(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE ? n->_private : NULL;
}
