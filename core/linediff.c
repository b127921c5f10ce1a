#include "config.h"
#include "linediff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Past this many cells (lines of one stretch times lines of the other)
 * the common lines inside two differing stretches are not searched: a
 * 16 MiB table is as far as a message may cost. */
#define MAX_CELLS ((size_t)4 * 1024 * 1024)
#define CONTEXT 3

struct line {
    const char *s;
    size_t len;
};

struct lines {
    struct line *l;   /* owned; points into the text */
    size_t n;
};

/* The lines of text; a last line without '\n' counts, an empty text has
 * none. */
static struct lines split_new(const char *text)
{
    struct lines ls = { NULL, 0 };
    size_t cap = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (ls.n == cap) {
            cap = cap ? cap * 2 : 64;
            ls.l = xrealloc(ls.l, cap * sizeof *ls.l);
        }
        ls.l[ls.n++] = (struct line){ p, len };
        p += len + (nl != NULL);
    }
    return ls;
}

static bool same(const struct line *x, const struct line *y)
{
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* One line of the edit script: ' ' in both, '-' only in a, '+' only in b. */
struct op {
    char kind;
    size_t ai, bi;   /* the line's index in a (for ' ' and '-') and in b */
};

struct script {
    struct op *op;   /* owned */
    size_t n, cap;
};

static void push(struct script *sc, char kind, size_t ai, size_t bi)
{
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 64;
        sc->op = xrealloc(sc->op, sc->cap * sizeof *sc->op);
    }
    sc->op[sc->n++] = (struct op){ kind, ai, bi };
}

/* The middle stretches a[a0..a1) and b[b0..b1), which differ at both
 * ends: the longest common subsequence where it is cheap, else all of a
 * removed and all of b added. */
static void diff_middle(struct script *sc, const struct lines *a, size_t a0, size_t a1,
                        const struct lines *b, size_t b0, size_t b1)
{
    size_t ma = a1 - a0, mb = b1 - b0;
    if (!ma || !mb || (ma + 1) > MAX_CELLS / (mb + 1)) {
        for (size_t i = a0; i < a1; i++)
            push(sc, '-', i, b0);
        for (size_t j = b0; j < b1; j++)
            push(sc, '+', a1, j);
        return;
    }
    size_t w = mb + 1;
    uint32_t *len = xcalloc((ma + 1) * w, sizeof *len);   /* LCS of a[i..], b[j..] */
    for (size_t i = ma; i-- > 0;)
        for (size_t j = mb; j-- > 0;)
            len[i * w + j] = same(&a->l[a0 + i], &b->l[b0 + j])
                ? len[(i + 1) * w + j + 1] + 1
                : (len[(i + 1) * w + j] >= len[i * w + j + 1] ? len[(i + 1) * w + j]
                                                              : len[i * w + j + 1]);
    size_t i = 0, j = 0;
    while (i < ma || j < mb) {
        if (i < ma && j < mb && same(&a->l[a0 + i], &b->l[b0 + j])) {
            push(sc, ' ', a0 + i++, b0 + j++);
        } else if (j == mb || (i < ma && len[(i + 1) * w + j] >= len[i * w + j + 1])) {
            push(sc, '-', a0 + i++, b0 + j);
        } else {
            push(sc, '+', a0 + i, b0 + j++);
        }
    }
    free(len);
}

static void put_line(struct strbuf *out, char kind, const struct line *l)
{
    char *copy = xstrndup(l->s, l->len);
    sb_putc(out, kind);
    sb_put_visible(out, copy);
    sb_putc(out, '\n');
    free(copy);
}

/* diff -u's range: "start,count", start 1-based (the line before, for
 * an empty range). */
static void put_range(struct strbuf *out, size_t first, size_t count)
{
    if (count == 1)
        sb_printf(out, "%zu", first + 1);
    else
        sb_printf(out, "%zu,%zu", count ? first + 1 : first, count);
}

/* The hunk of ops [from, to). */
static void put_hunk(struct strbuf *out, const struct script *sc, size_t from, size_t to,
                     const struct lines *a, const struct lines *b)
{
    size_t na = 0, nb = 0;
    for (size_t k = from; k < to; k++) {
        na += sc->op[k].kind != '+';
        nb += sc->op[k].kind != '-';
    }
    sb_puts(out, "@@ -");
    put_range(out, sc->op[from].ai, na);
    sb_puts(out, " +");
    put_range(out, sc->op[from].bi, nb);
    sb_puts(out, " @@\n");
    for (size_t k = from; k < to; k++) {
        const struct op *o = &sc->op[k];
        put_line(out, o->kind, o->kind == '+' ? &b->l[o->bi] : &a->l[o->ai]);
    }
}

size_t linediff(struct strbuf *out, const char *a_text, const char *a_name,
                const char *b_text, const char *b_name)
{
    struct lines a = split_new(a_text), b = split_new(b_text);
    size_t pre = 0;
    while (pre < a.n && pre < b.n && same(&a.l[pre], &b.l[pre]))
        pre++;
    size_t suf = 0;
    while (suf < a.n - pre && suf < b.n - pre && same(&a.l[a.n - 1 - suf], &b.l[b.n - 1 - suf]))
        suf++;
    struct script sc = { NULL, 0, 0 };
    for (size_t i = 0; i < pre; i++)
        push(&sc, ' ', i, i);
    diff_middle(&sc, &a, pre, a.n - suf, &b, pre, b.n - suf);
    for (size_t k = suf; k-- > 0;)
        push(&sc, ' ', a.n - 1 - k, b.n - 1 - k);
    size_t changed = 0;
    for (size_t k = 0; k < sc.n; k++)
        changed += sc.op[k].kind != ' ';
    if (changed) {
        sb_puts(out, "--- ");
        sb_put_visible(out, a_name);
        sb_puts(out, "\n+++ ");
        sb_put_visible(out, b_name);
        sb_puts(out, "\n");
    }
    /* hunks: each change with CONTEXT lines around it, joined when their
     * contexts touch */
    size_t k = 0;
    while (changed && k < sc.n) {
        while (k < sc.n && sc.op[k].kind == ' ')
            k++;
        if (k == sc.n)
            break;
        size_t from = k > CONTEXT ? k - CONTEXT : 0, end = k;
        for (;;) {
            while (end < sc.n && sc.op[end].kind != ' ')
                end++;
            size_t gap = end;
            while (gap < sc.n && sc.op[gap].kind == ' ' && gap - end <= 2 * CONTEXT)
                gap++;
            if (gap < sc.n && sc.op[gap].kind != ' ' && gap - end <= 2 * CONTEXT) {
                end = gap;
                continue;
            }
            break;
        }
        size_t to = end + CONTEXT < sc.n ? end + CONTEXT : sc.n;
        put_hunk(out, &sc, from, to, &a, &b);
        k = to;
    }
    free(sc.op);
    free(a.l);
    free(b.l);
    return changed;
}
