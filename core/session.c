#include "config.h"
#include "session.h"

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

struct session *session_clone(const struct session *s, struct err *e)
{
    struct session *c = session_from(domain_copy(s->dom, e), e);
    if (c) {
        c->utf8 = s->utf8;
        c->modified = s->modified;
    }
    return c;
}

static void snapshot_free(struct snapshot *snap)
{
    free(snap->bytes);
    domain_lines_free(&snap->lines);
    free(snap->what);
    memset(snap, 0, sizeof *snap);
}

static void stack_push(struct snapshot_stack *st, struct snapshot *snap)
{
    if (st->n == SESSION_UNDO_MAX) {
        snapshot_free(&st->s[0]);
        memmove(st->s, st->s + 1, (st->n - 1) * sizeof *st->s);
        st->n--;
    }
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 16;
        st->s = xrealloc(st->s, st->cap * sizeof *st->s);
    }
    st->s[st->n++] = *snap;
    memset(snap, 0, sizeof *snap);
}

static void stack_clear(struct snapshot_stack *st)
{
    for (size_t i = 0; i < st->n; i++)
        snapshot_free(&st->s[i]);
    free(st->s);
    memset(st, 0, sizeof *st);
}

void session_free(struct session *s)
{
    if (!s)
        return;
    stack_clear(&s->undo);
    stack_clear(&s->redo);
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

bool session_snapshot(const struct session *s, struct snapshot *snap, struct err *e)
{
    memset(snap, 0, sizeof *snap);
    snap->bytes = domain_serialize(s->dom, &snap->len, e);
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
    struct err ignored = { 0 };
    char *now = domain_serialize(s->dom, &len, &ignored);
    bool changed = !now || len != snap->len || memcmp(now, snap->bytes, len) != 0;
    free(now);
    if (!changed) {
        snapshot_free(snap);
        return;
    }
    snap->what = xstrdup(what);
    stack_push(&s->undo, snap);
    stack_clear(&s->redo);
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
    struct err ignored = { 0 };
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
    struct snapshot *top = &from->s[from->n - 1];
    if (!load_snapshot(s, top, e)) {
        snapshot_free(&cur);
        return false;
    }
    cur.what = top->what;   /* the same change, seen from the other side */
    top->what = NULL;
    snapshot_free(top);
    from->n--;
    /* stack_push would drop the oldest of `to` past the limit: fine, it
     * is the change furthest away */
    stack_push(to, &cur);
    return true;
}

bool session_undo(struct session *s, struct err *e)
{
    if (!s->undo.n) {
        err_set(e, "undo: nothing to undo");
        return false;
    }
    return step(s, &s->undo, &s->redo, e);
}

bool session_redo(struct session *s, struct err *e)
{
    if (!s->redo.n) {
        err_set(e, "redo: nothing to redo");
        return false;
    }
    return step(s, &s->redo, &s->undo, e);
}

void session_mark_saved(struct session *s)
{
    s->saved_gen = s->gen;
    s->modified = false;
    struct err ignored = { 0 };
    session_refresh(s, &ignored);
}

const char *session_undo_label(const struct session *s)
{
    return s->undo.n ? s->undo.s[s->undo.n - 1].what : NULL;
}

const char *session_redo_label(const struct session *s)
{
    return s->redo.n ? s->redo.s[s->redo.n - 1].what : NULL;
}
