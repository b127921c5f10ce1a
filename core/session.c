#include "config.h"
#include "session.h"
#include "origin.h"
#include "resync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct session *session_from(struct domain *d, struct err *e)
{
    if (!d)
        return NULL;
    struct topology *t = topology_new(d, e);
    if (!t) {
        domain_free(d);
        return NULL;
    }
    struct session *s = xcalloc(1, sizeof *s);
    s->dom = d;
    s->topo = t;
    s->undo_budget = SESSION_UNDO_BUDGET;
    return s;
}

struct session *session_open_file(const char *path, struct err *e)
{
    return session_from(domain_load_file(path, e), e);
}

struct session *session_open_stdin(struct err *e)
{
    return session_from(domain_load_stdin(e), e);
}

struct session *session_open_memory(const char *buf, size_t len, const char *name,
                                    struct err *e)
{
    return session_from(domain_load_memory(buf, len, name, e), e);
}

struct session *session_open_example(struct err *e)
{
    return session_open_memory(example_q35_xml, strlen(example_q35_xml), "<built-in example>", e);
}

static void clone_settings(struct session *c, const struct session *s)
{
    c->utf8 = s->utf8;
    c->live = s->live;
    c->modified = s->modified;
    c->undo_budget = s->undo_budget;
}

struct session *session_clone(const struct session *s, struct err *e)
{
    struct session *c = session_from(domain_copy(s->dom, e), e);
    if (c)
        clone_settings(c, s);
    return c;
}

struct session *session_clone_underived(const struct session *s, struct err *e)
{
    struct domain *d = domain_copy(s->dom, e);
    if (!d)
        return NULL;
    resync_mark(d->doc, s->dom->doc);
    struct session *c = xcalloc(1, sizeof *c);
    c->dom = d;
    clone_settings(c, s);
    return c;
}

void session_reset_copy(struct session *c, const struct session *s)
{
    resync(c->dom->doc, s->dom->doc);
    topology_free(c->topo);
    c->topo = NULL;
    c->last_added = NULL;
    clone_settings(c, s);
}

bool session_ready_copy(struct session **copy, const struct session *s, struct err *e)
{
    if (*copy)
        session_reset_copy(*copy, s);
    else
        *copy = session_clone_underived(s, e);
    return *copy != NULL;
}

static void snapshot_free(struct snapshot *snap)
{
    free(snap->bytes);
    domain_lines_free(&snap->lines);
    free(snap->what);
    memset(snap, 0, sizeof *snap);
}

/* ------------------------------------------------------------------ */
/* The history: each step a delta against the step above it */

/* How many leading bytes of a and b are equal, at most max. */
static size_t same_from_start(const unsigned char *a, const unsigned char *b, size_t max)
{
    size_t i = 0;
    while (i + 64 <= max && memcmp(a + i, b + i, 64) == 0)
        i += 64;
    while (i < max && a[i] == b[i])
        i++;
    return i;
}

/* How many trailing bytes of a (na long) and b (nb long) are equal, at
 * most max. */
static size_t same_from_end(const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                            size_t max)
{
    size_t i = 0;
    while (i + 64 <= max && memcmp(a + na - i - 64, b + nb - i - 64, 64) == 0)
        i += 64;
    while (i < max && a[na - 1 - i] == b[nb - 1 - i])
        i++;
    return i;
}

/* whole (n elements of elem bytes) kept entire; takes whole. */
static struct delta delta_whole(void *whole, size_t n)
{
    return (struct delta){ n, 0, 0, whole };
}

/* whole as what differs from nb: a change to a document touches one
 * stretch of it, so the common start and end cover nearly all of it. */
static struct delta delta_against(const void *whole, size_t n, const void *nb, size_t nb_n,
                                  size_t elem)
{
    size_t shorter = n < nb_n ? n : nb_n;
    size_t pre = same_from_start(whole, nb, shorter * elem) / elem;
    size_t suf = same_from_end(whole, n * elem, nb, nb_n * elem, (shorter - pre) * elem) / elem;
    size_t mid = n - pre - suf;
    struct delta d = { n, pre, suf, xmalloc(mid ? mid * elem : 1) };
    memcpy(d.mid, (const char *)whole + pre * elem, mid * elem);
    return d;
}

/* The whole d stands for, given its neighbour nb (nb_n elements); a new
 * array of d->n elements (one NUL byte more, for bytes read as text). */
static void *delta_expand(const struct delta *d, const void *nb, size_t nb_n, size_t elem)
{
    size_t mid = d->n - d->prefix - d->suffix;
    char *w = xmalloc(d->n * elem + 1);
    if (d->prefix)
        memcpy(w, nb, d->prefix * elem);
    if (mid)
        memcpy(w + d->prefix * elem, d->mid, mid * elem);
    if (d->suffix)
        memcpy(w + (d->prefix + mid) * elem, (const char *)nb + (nb_n - d->suffix) * elem,
               d->suffix * elem);
    w[d->n * elem] = '\0';
    return w;
}

static size_t delta_size(const struct delta *d, size_t elem)
{
    return (d->n - d->prefix - d->suffix) * elem;
}

/* What a step costs against the budget. */
static size_t step_size(const struct undo_step *st)
{
    return sizeof *st + delta_size(&st->bytes, 1) + delta_size(&st->lines, sizeof(unsigned short))
           + (st->what ? strlen(st->what) + 1 : 0);
}

static void step_free(struct undo_step *st)
{
    free(st->bytes.mid);
    free(st->lines.mid);
    free(st->what);
    memset(st, 0, sizeof *st);
}

static struct undo_step *stack_top(const struct snapshot_stack *st)
{
    return st->n ? &st->s[st->first + st->n - 1] : NULL;
}

/* Makes the top (whole) a delta against snap, which goes above it. */
static void rebase_top(struct snapshot_stack *st, const struct snapshot *snap)
{
    struct undo_step *top = &st->s[st->first + st->n - 1];
    st->bytes -= step_size(top);
    struct delta b = delta_against(top->bytes.mid, top->bytes.n, snap->bytes, snap->len, 1);
    struct delta l = delta_against(top->lines.mid, top->lines.n, snap->lines.line, snap->lines.n,
                                   sizeof(unsigned short));
    free(top->bytes.mid);
    free(top->lines.mid);
    top->bytes = b;
    top->lines = l;
    st->bytes += step_size(top);
}

/* Room for one more step at the end; the slots of dropped steps are
 * reused once they are half the array, so dropping stays O(1). */
static void make_room(struct snapshot_stack *st)
{
    if (st->first + st->n < st->cap)
        return;
    if (st->first && st->first >= st->cap / 2) {
        memmove(st->s, st->s + st->first, st->n * sizeof *st->s);
        st->first = 0;
        return;
    }
    st->cap = st->cap ? st->cap * 2 : 16;
    st->s = xrealloc(st->s, st->cap * sizeof *st->s);
}

/* Puts snap (whole; taken) on top of st, without the budget. */
static void stack_put(struct snapshot_stack *st, struct snapshot *snap)
{
    if (st->n)
        rebase_top(st, snap);
    make_room(st);
    struct undo_step *step = &st->s[st->first + st->n++];
    step->bytes = delta_whole(snap->bytes, snap->len);
    step->lines = delta_whole(snap->lines.line, snap->lines.n);
    step->gen = snap->gen;
    step->what = snap->what;
    st->bytes += step_size(step);
    memset(snap, 0, sizeof *snap);
}

/* Takes the top of st (not empty) into out, whole; the step below it
 * becomes whole in its place. */
static void stack_take(struct snapshot_stack *st, struct snapshot *out)
{
    struct undo_step *top = &st->s[st->first + st->n - 1];
    st->bytes -= step_size(top);
    out->bytes = top->bytes.mid;
    out->len = top->bytes.n;
    out->lines.line = top->lines.mid;
    out->lines.n = top->lines.n;
    out->gen = top->gen;
    out->what = top->what;
    memset(top, 0, sizeof *top);
    if (!--st->n)
        return;
    struct undo_step *below = &st->s[st->first + st->n - 1];
    st->bytes -= step_size(below);
    void *b = delta_expand(&below->bytes, out->bytes, out->len, 1);
    void *l = delta_expand(&below->lines, out->lines.line, out->lines.n, sizeof(unsigned short));
    free(below->bytes.mid);
    free(below->lines.mid);
    below->bytes = delta_whole(b, below->bytes.n);
    below->lines = delta_whole(l, below->lines.n);
    st->bytes += step_size(below);
}

static void stack_clear(struct snapshot_stack *st)
{
    for (size_t i = 0; i < st->n; i++)
        step_free(&st->s[st->first + i]);
    free(st->s);
    memset(st, 0, sizeof *st);
}

/* "256 MiB", for the messages about the budget. */
static char *budget_text(size_t budget)
{
    if (budget >= 1024 * 1024)
        return xasprintf("%zu MiB", budget / (1024 * 1024));
    return xasprintf("%zu bytes", budget);
}

/* Drops the oldest steps of st (the furthest from the document) while
 * undo and redo together hold more than the budget.  The newest step
 * stays, so undo can always take back the last change.  Sets the notice:
 * the user is told, now and when the history runs out. */
static void keep_budget(struct session *s, struct snapshot_stack *st)
{
    unsigned long dropped = 0;
    char *oldest = NULL;
    while (st->n > 1 && s->undo.bytes + s->redo.bytes > s->undo_budget) {
        struct undo_step *old = &st->s[st->first];
        st->bytes -= step_size(old);
        free(oldest);
        oldest = old->what;
        old->what = NULL;
        step_free(old);
        st->first++;
        st->n--;
        dropped++;
    }
    if (!dropped)
        return;
    st->dropped += dropped;
    char *budget = budget_text(s->undo_budget);
    const char *verb = st == &s->undo ? "undone" : "redone";
    free(s->undo_notice);
    if (dropped == 1)
        s->undo_notice = xasprintf("the history of changes is over %s: the oldest (%s) can no "
                                   "longer be %s", budget, oldest ? oldest : "?", verb);
    else
        s->undo_notice = xasprintf("the history of changes is over %s: the %lu oldest, up to %s, "
                                   "can no longer be %s", budget, dropped, oldest ? oldest : "?", verb);
    free(budget);
    free(oldest);
}

static void stack_push(struct session *s, struct snapshot_stack *st, struct snapshot *snap)
{
    stack_put(st, snap);
    keep_budget(s, st);
}

void session_free(struct session *s)
{
    if (!s)
        return;
    stack_clear(&s->undo);
    stack_clear(&s->redo);
    free(s->undo_notice);
    free(s->now_bytes);
    origin_free(s->origin);
    topology_free(s->topo);
    domain_free(s->dom);
    free(s);
}

bool session_refresh(struct session *s, struct err *e)
{
    struct topology *t = topology_new(s->dom, e);
    if (!t)
        return false;
    topology_free(s->topo);
    s->topo = t;
    s->topo_serial++;
    return true;
}

bool session_refresh_placed(struct session *s, struct err *e)
{
    if (!session_refresh(s, e))
        return false;
    s->topo->placed_whole = true;
    return true;
}

/* The document's bytes: the last commit's when the document has not
 * changed since (checked against a new serialization in the sanitizer
 * build, which the test suite runs). */
static char *current_bytes(const struct session *s, size_t *len, struct err *e)
{
    if (!s->now_bytes || s->now_serial != s->topo_serial)
        return domain_serialize(s->dom, len, e);
#ifdef PCITOPO_CHECK_CACHES
    size_t fresh_len;
    char *fresh = domain_serialize(s->dom, &fresh_len, e);
    if (fresh && (fresh_len != s->now_len || memcmp(fresh, s->now_bytes, fresh_len) != 0)) {
        fprintf(stderr, "pcitopo: the document changed without a topology refresh\n");
        abort();
    }
    free(fresh);
#endif
    *len = s->now_len;
    char *copy = xmalloc(s->now_len + 1);
    memcpy(copy, s->now_bytes, s->now_len + 1);
    return copy;
}

bool session_snapshot(const struct session *s, struct snapshot *snap, struct err *e)
{
    memset(snap, 0, sizeof *snap);
    snap->bytes = current_bytes(s, &snap->len, e);
    if (snap->bytes)
        snap->lines = domain_lines_new(s->dom);
    snap->gen = s->gen;
    return snap->bytes != NULL;
}

static void set_gen(struct session *s, unsigned long gen)
{
    s->gen = gen;
    s->modified = s->gen != s->saved_gen;
}

void session_commit(struct session *s, struct snapshot *snap, const char *what)
{
    size_t len;
    struct err ignored ERR_SCOPE = ERR_INIT;
    char *now = domain_serialize(s->dom, &len, &ignored);
    bool changed = !now || len != snap->len || memcmp(now, snap->bytes, len) != 0;
    free(s->now_bytes);
    s->now_bytes = now;
    s->now_len = len;
    s->now_serial = s->topo_serial;
    if (!changed) {
        snapshot_free(snap);
        return;
    }
    snap->what = xstrdup(what);
    stack_clear(&s->redo);
    stack_push(s, &s->undo, snap);
    set_gen(s, ++s->last_gen);
}

/* Makes the document the one in snap; false (document unchanged) if it
 * does not load, which would be a bug: the bytes came from the serializer. */
static bool load_snapshot(struct session *s, const struct snapshot *snap, struct err *e)
{
    if (!domain_restore(s->dom, snap->bytes, snap->len, &snap->lines, e) || !session_refresh(s, e))
        return false;
    s->last_added = NULL;
    set_gen(s, snap->gen);
    return true;
}

void session_rollback(struct session *s, struct snapshot *snap)
{
    struct err ignored ERR_SCOPE = ERR_INIT;
    load_snapshot(s, snap, &ignored);
    snapshot_free(snap);
}

/* Moves one step from `from` to `to`: the current document goes on `to`,
 * the top of `from` becomes the document. */
static bool step(struct session *s, struct snapshot_stack *from, struct snapshot_stack *to,
                 struct err *e)
{
    struct snapshot cur;
    if (!session_snapshot(s, &cur, e))
        return false;
    struct snapshot prev;
    stack_take(from, &prev);
    if (!load_snapshot(s, &prev, e)) {
        stack_put(from, &prev);   /* back where it was */
        snapshot_free(&cur);
        return false;
    }
    cur.what = prev.what;   /* the same change, seen from the other side */
    prev.what = NULL;
    snapshot_free(&prev);
    stack_push(s, to, &cur);
    return true;
}

/* "nothing to undo", and why when the budget took the rest. */
static void set_exhausted(const struct session *s, const struct snapshot_stack *st, struct err *e)
{
    const char *what = st == &s->undo ? "undo" : "redo";
    if (!st->dropped) {
        err_set(e, "%s: nothing to %s", what, what);
        return;
    }
    char *budget = budget_text(s->undo_budget);
    err_set(e, "%s: nothing more to %s: the %lu %s changes were dropped to keep the history "
               "under %s", what, what, st->dropped, st == &s->undo ? "oldest" : "furthest", budget);
    free(budget);
}

bool session_undo(struct session *s, struct err *e)
{
    if (!s->undo.n) {
        set_exhausted(s, &s->undo, e);
        return false;
    }
    return step(s, &s->undo, &s->redo, e);
}

bool session_redo(struct session *s, struct err *e)
{
    if (!s->redo.n) {
        set_exhausted(s, &s->redo, e);
        return false;
    }
    return step(s, &s->redo, &s->undo, e);
}

void session_mark_saved(struct session *s)
{
    s->saved_gen = s->gen;
    s->modified = false;
    struct err ignored ERR_SCOPE = ERR_INIT;
    session_refresh(s, &ignored);
}

bool session_adopt(struct session *s, struct domain *d, const char *what, struct err *e)
{
    struct topology *t = topology_new(d, e);
    if (!t) {
        domain_free(d);
        return false;
    }
    struct snapshot snap;
    if (!session_snapshot(s, &snap, e)) {
        topology_free(t);
        domain_free(d);
        return false;
    }
    domain_free(s->dom);
    topology_free(s->topo);
    s->dom = d;
    s->topo = t;
    s->topo_serial++;
    s->last_added = NULL;
    session_commit(s, &snap, what);
    session_mark_saved(s);
    return true;
}

void session_forget_history(struct session *s)
{
    stack_clear(&s->undo);
    stack_clear(&s->redo);
}

const char *session_undo_label(const struct session *s)
{
    const struct undo_step *top = stack_top(&s->undo);
    return top ? top->what : NULL;
}

const char *session_redo_label(const struct session *s)
{
    const struct undo_step *top = stack_top(&s->redo);
    return top ? top->what : NULL;
}

char *session_take_undo_notice(struct session *s)
{
    char *n = s->undo_notice;
    s->undo_notice = NULL;
    return n;
}

size_t session_history_bytes(const struct session *s)
{
    /* the steps, and the array slots not in use */
    return s->undo.bytes + s->redo.bytes
           + (s->undo.cap - s->undo.n + s->redo.cap - s->redo.n) * sizeof(struct undo_step);
}
