/* recovery: unsaved changes kept beside the session, offered back after
 * a crash, followed after every key. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* The answer to the question recovery_offer asked. */
void recover_key(struct editor *ed, wint_t wc)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (wc == 'r' || wc == 'R') {
        if (recovery_restore(ed->rec, ed->s, ed->offered, &e)) {
            sync_tree(ed);
            editor_message(ed, false, ed->offered_changed
                           ? "restored the unsaved changes over the newer file on disk; u undoes "
                             "that, w saves them over it"
                           : "restored the unsaved changes; u undoes that, w saves them");
        } else {
            editor_message(ed, true, "%s", e.msg);
        }
    } else if (wc == 'd' || wc == 'D') {
        if (recovery_discard(ed->offered, &e))
            editor_message(ed, false, "discarded the unsaved changes of the earlier session");
        else
            editor_message(ed, true, "%s", e.msg);
    } else if (wc == 'w' || wc == 'W') {
        char *aside;
        if (recovery_write_aside(ed->offered, ed->s, &aside, &e))
            editor_message(ed, false, "wrote the unsaved changes to %s, to merge by hand; the "
                           "editor has the file as it is on disk", aside);
        else
            editor_message(ed, true, "%s", e.msg);
        free(aside);
    } else {
        editor_message(ed, false, "kept the recovery file %s for later", ed->offered->path);
    }
    recovery_found_free(ed->offered, 1);
    ed->offered = NULL;
}

/* What another pcitopo left for this file: the newest recovery file of an
 * editor that is gone is offered (and held, so no other editor offers it
 * too); one of an editor still running is only mentioned.  When the file
 * changed on disk since those changes were made, restoring them would
 * silently undo that change: the question says so, and offers to write
 * them beside the file instead. */
static void recovery_offer(struct editor *ed)
{
    size_t n;
    struct recovery_found *f = recovery_find(ed->rec, &n);
    for (size_t i = 0; i < n && !ed->offered; i++) {
        if (f[i].running)
            editor_message(ed, true, "another pcitopo is editing %s: saving from both would "
                           "lose one's changes", ed->s->dom->name);
        else
            ed->offered = recovery_found_take(f, i);
    }
    recovery_found_free(f, n);
    if (!ed->offered)
        return;
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&ed->offered->mtime));
    char *change = recovery_disk_change(ed->offered, ed->s);
    ed->offered_changed = change != NULL;
    if (!change)
        confirm_ask(ed, CONFIRM_RECOVER, (struct words){ 0, NULL },
            "Restore unsaved changes from %s? r restores, d discards, other keys keep them (%s)",
            when, ed->s->dom->name);
    else
        confirm_ask(ed, CONFIRM_RECOVER, (struct words){ 0, NULL },
            "Unsaved changes from %s, but the file changed since! r restores them over it, "
            "w writes them beside it (.recovered), d discards them, other keys keep them. %s",
            when, change);
    free(change);
}

/* At start: recovery for the document, or the reason there is none (a
 * user who believes it is kept would lose work to a crash). */
void recovery_start(struct editor *ed)
{
    struct err why ERR_SCOPE = ERR_INIT;
    ed->rec = recovery_new(ed->s, &why);
    if (!ed->rec && ed->s->dom->path) {
        char *before = xstrdup(ed->msg ? ed->msg : "");   /* a problem said before stays first */
        editor_message(ed, true, "%s%sunsaved changes are not kept for recovery: %s", before,
                       before[0] ? " | " : "", why.msg);
        free(before);
    }
    recovery_offer(ed);
}

/* After every key: the recovery file follows the document. */
void recovery_follow(struct editor *ed)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (recovery_update(ed->rec, ed->s, &e) || ed->rec_failed)
        return;
    ed->rec_failed = true;
    editor_message(ed, true, "unsaved changes are not kept for recovery: %s", e.msg);
}

/* After save-as the document is another file's: its unsaved changes are
 * kept, and offered after a crash, under that file's name. */
void recovery_follow_file(struct editor *ed)
{
    recovery_remove(ed->rec);
    recovery_free(ed->rec);
    struct err why ERR_SCOPE = ERR_INIT;
    ed->rec = recovery_new(ed->s, &why);
    ed->rec_failed = false;
}
