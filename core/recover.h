/* recover: the recovery file, which holds the editor's unsaved changes so
 * that a crash, a lost terminal or a kill -9 does not lose them.
 *
 * While a document has unsaved changes, the editor keeps it, as the bytes
 * a save would write, in STATE/recover/NAME-HASH-PID.xml (STATE is
 * state_dir_new(); HASH names the file's absolute path, PID the editor).
 * A save or a clean quit removes it.  A recovery file whose editor is no
 * longer running is what the next `pcitopo FILE` offers to restore.  Each
 * is a whole domain XML, so it can also be opened or copied by hand. */
#ifndef PCITOPO_RECOVER_H
#define PCITOPO_RECOVER_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "session.h"
#include "util.h"

/* The recovery files of one document file. */
struct recovery {
    char *dir;      /* STATE/recover; owned */
    char *prefix;   /* "guest.xml-0123456789abcdef-": names of this file's; owned */
    char *mine;     /* this process's recovery file; owned */
    bool written;   /* mine exists */
    unsigned long gen;   /* the document generation mine holds */
};

/* Recovery for the file s was loaded from.  NULL (nothing kept, nothing
 * to offer) when s has no file or there is no state directory; why (may
 * be NULL) then says which. */
struct recovery *recovery_new(const struct session *s, struct err *why);
void recovery_free(struct recovery *r);

/* Brings the recovery file in line with s: written when s has unsaved
 * changes, removed when it has none.  False with e set when it cannot be
 * written (the editor says so; the document itself is not at risk). */
bool recovery_update(struct recovery *r, struct session *s, struct err *e);
/* Removes this process's recovery file: after a save, or when the user
 * quits and discards the changes. */
void recovery_remove(struct recovery *r);

/* A recovery file another pcitopo left for the same file. */
struct recovery_found {
    char *path;     /* owned */
    pid_t pid;      /* the editor that wrote it */
    bool running;   /* that editor is still running */
    time_t mtime;   /* when it was last written */
};

/* The other recovery files for r's document, newest first; *n of them.
 * Free with recovery_found_free. */
struct recovery_found *recovery_find(const struct recovery *r, size_t *n);
void recovery_found_free(struct recovery_found *f, size_t n);

/* Makes the recovery file at path s's document, as one undo step (undo
 * goes back to the file as it is on disk), and hands it over to r: once
 * r's own recovery file holds the changes, the one at path is removed.
 * False with e set (s unchanged, path kept) when it does not load. */
bool recovery_restore(struct recovery *r, struct session *s, const char *path, struct err *e);
/* Deletes a recovery file the user chose to discard.  False with e set. */
bool recovery_discard(const char *path, struct err *e);

#endif
