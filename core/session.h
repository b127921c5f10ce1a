/* session: the state commands act on — one domain document, the topology
 * derived from it, and the undo history of the document. */
#ifndef PCITOPO_SESSION_H
#define PCITOPO_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "domain.h"
#include "topology.h"
#include "util.h"

/* The document as it was before one change: the bytes a save would have
 * written, so going back is a reload (every node, comment and spelling
 * comes back as it was). */
struct snapshot {
    char *bytes;          /* owned */
    size_t len;
    struct domain_lines lines;  /* of the document bytes came from; owned */
    unsigned long gen;    /* generation of the document it holds */
    char *what;           /* the command that changed it ("add virtio-net"); owned */
};

/* Part of an array (the bytes or the lines of a document) kept as the
 * difference from its neighbour in a stack: prefix elements from the
 * neighbour's start, then mid, then suffix elements from its end.  A step
 * without a neighbour keeps everything in mid. */
struct delta {
    size_t n;             /* elements of the whole */
    size_t prefix, suffix;
    void *mid;            /* n - prefix - suffix elements; owned */
};

/* One change of the undo (redo) history.  The top of a stack holds its
 * document whole; every other step only what differs from the step above
 * it, so the history costs what the changes changed, not a document per
 * change. */
struct undo_step {
    struct delta bytes;   /* of the document's serialized bytes */
    struct delta lines;   /* of its domain_lines */
    unsigned long gen;
    char *what;           /* owned */
};

struct snapshot_stack {
    struct undo_step *s;  /* owned; the steps are s[first .. first + n), oldest first */
    size_t first, n, cap;
    size_t bytes;         /* memory the steps hold */
    unsigned long dropped;   /* oldest steps given up to stay in the budget */
};

/* Undo keeps every change while undo and redo together hold less than
 * this; past it the oldest changes go, and undo says so. */
#define SESSION_UNDO_BUDGET ((size_t)256 * 1024 * 1024)

struct origin;

struct session {
    struct domain *dom;      /* owned */
    struct origin *origin;   /* where a document from libvirt came from
                              * (origin.h); owned, NULL for files */
    struct topology *topo;   /* owned; always derived from dom (NULL only in a
                              * session_clone_underived before its refresh) */
    bool modified;           /* document differs from what was loaded/saved */
    bool utf8;               /* output may use UTF-8 line drawing */
    bool quit;               /* a command asked to end the session */
    bool live;               /* planning hot-plugs into the running guest: only
                              * empty hot-pluggable slots, no new controllers */
    /* Each state of the document has a generation number; modified is
     * gen != saved_gen, so undoing back to the saved state is unmodified. */
    unsigned long gen, saved_gen, last_gen;
    struct snapshot_stack undo, redo;
    size_t undo_budget;      /* bytes undo and redo may hold (SESSION_UNDO_BUDGET) */
    char *undo_notice;       /* a step was dropped since the last
                              * session_take_undo_notice; owned, may be NULL */
    xmlNodePtr last_added;   /* element the last add created; borrowed, may be NULL */
    unsigned long topo_serial;   /* grows each time topo is replaced: views
                                  * holding device pointers rebuild then */
    /* The document's bytes as the last commit serialized them, while
     * topo_serial is still now_serial: the next snapshot's, without
     * serializing again (every change refreshes the topology, so the
     * serial moves whenever the document does).  Owned, may be NULL. */
    char *now_bytes;
    size_t now_len;
    unsigned long now_serial;
};

/* Opens a domain XML file.  Returns a new session (free with
 * session_free) or NULL with e set. */
struct session *session_open_file(const char *path, struct err *e);
/* Reads the domain from standard input.  Same contract. */
struct session *session_open_stdin(struct err *e);
/* Reads a domain from memory; name is used in messages, and the session
 * has no file to save to.  Same contract. */
struct session *session_open_memory(const char *buf, size_t len, const char *name,
                                    struct err *e);
/* Opens the built-in example (a typical q35 guest as libvirt 9.0 stores
 * it).  Same contract. */
struct session *session_open_example(struct err *e);
/* A new session on a copy of s's document, without history: for trying a
 * change (the editor's preview).  NULL with e set. */
struct session *session_clone(const struct session *s, struct err *e);
/* The same, but topo is NULL until the first session_refresh: for a
 * change made on the copy at once, which derives the topology anyway
 * (deriving it twice is most of a preview's cost).  Until then the
 * caller reads s's topology, which describes the same document, and
 * finds the copy's elements with domain_twin. */
struct session *session_clone_underived(const struct session *s, struct err *e);
/* Puts c, a session_clone_underived of s that a preview changed since,
 * back to s's document as it is now, underived again: the next preview
 * reuses it, and undoing what the last one did costs far less than a new
 * copy (resync.h). */
void session_reset_copy(struct session *c, const struct session *s);
/* *copy made ready for the next preview of s: reset when there is one,
 * else a new session_clone_underived.  False with e set when no copy
 * can be made. */
bool session_ready_copy(struct session **copy, const struct session *s, struct err *e);
void session_free(struct session *s);
/* Derives the topology again after the document changed.  False (with e
 * set, the old topology kept) if the document no longer derives. */
bool session_refresh(struct session *s, struct err *e);
/* session_refresh after a whole plan (place_plan's) was applied to the
 * document: the new topology knows it is placed (topology.placed_whole). */
bool session_refresh_placed(struct session *s, struct err *e);

/* Changing the document: take a snapshot first, make the change, then
 * commit (it becomes one undo step, if the document really changed) or
 * roll back (the document returns to the snapshot). */
bool session_snapshot(const struct session *s, struct snapshot *snap, struct err *e);
void session_commit(struct session *s, struct snapshot *snap, const char *what);
void session_rollback(struct session *s, struct snapshot *snap);
/* Steps back (or forward) one change.  False with e set when there is
 * nothing to undo (redo). */
bool session_undo(struct session *s, struct err *e);
bool session_redo(struct session *s, struct err *e);
/* The current document is what is on disk now (after a save); the
 * topology is read again, for the lines the save gave its elements. */
void session_mark_saved(struct session *s);
/* The document becomes d (taken), which holds what is saved now (libvirt's
 * definition after a define or a reload): one undo step named what, so
 * that undo brings back the document before it, and unmodified.  False
 * with e set (d freed, s unchanged) if d does not derive a topology. */
bool session_adopt(struct session *s, struct domain *d, const char *what, struct err *e);
/* Drops the undo and redo history: the document now is another kind of
 * document (a running guest's XML in place of its definition), and
 * steps of the other would not apply to it. */
void session_forget_history(struct session *s);
/* What the next undo or redo would revert or repeat, or NULL. */
const char *session_undo_label(const struct session *s);
const char *session_redo_label(const struct session *s);
/* When the budget made the history drop its oldest changes since the
 * last call: a sentence for the user saying so; NULL otherwise.  Caller
 * frees. */
char *session_take_undo_notice(struct session *s);
/* Memory the undo and redo history hold, in bytes (for make bench). */
size_t session_history_bytes(const struct session *s);

/* The text of the built-in example. */
extern const char example_q35_xml[];

#endif
