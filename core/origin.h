/* origin: a session whose document came from libvirt rather than a file —
 * the connection, the domain's name, and its definition as libvirt had it
 * when opened or last defined; and what saving means for it: check that
 * nobody changed the definition meanwhile (the libvirt twin of "the file
 * changed on disk"), show what a define changes, define, and take back
 * what libvirt stored.  Talks to libvirt only through virt.h. */
#ifndef PCITOPO_ORIGIN_H
#define PCITOPO_ORIGIN_H

#include <stdbool.h>

#include "session.h"
#include "util.h"
#include "virt.h"

struct origin {
    struct virt_conn *conn;   /* owned */
    char *domain;             /* the domain's name, as opened; owned */
    char *stored;             /* its definition as libvirt had it when opened
                               * or last defined (or reloaded); owned */
    /* Mode live: the document is the running guest's XML, and save
     * hot-plugs what was added to it.  running is that XML as libvirt gave
     * it when live mode started or after the last hot-plug (owned; NULL
     * when not live): the devices it has are in the guest, the others are
     * the ones to plug. */
    bool live;
    char *running;
};

/* How save hot-plugs (origin_save's flags). */
enum origin_save_flags {
    ORIGIN_FORCE = 1 << 0,     /* save -f: over a changed definition or guest */
    ORIGIN_MONITOR = 1 << 1,   /* save --monitor: a multifunction group through
                                * QEMU's monitor (taints the domain) */
};

/* Connects to uri (NULL: libvirt's default, LIBVIRT_DEFAULT_URI as virsh
 * reads it) and opens the persistent definition of domain name as a new
 * session whose document has no file: plain save defines it.  NULL with e
 * set (no libvirt, a bad URI, no such domain, a definition pcitopo cannot
 * load). */
struct session *session_open_virt(const char *uri, const char *name, struct err *e);
void origin_free(struct origin *o);

/* What a define of s's document would change: its diff against the
 * definition libvirt has now, in *diff (unified, may be empty), and the
 * number of lines it changes in *changed.  False with e set when it must
 * not be defined: the document names another domain, libvirt cannot be
 * asked (connection lost, domain undefined), or the definition changed
 * since it was opened — then *diff shows that change instead, unless
 * force (save -f). */
bool origin_preview(struct session *s, bool force, struct strbuf *diff, size_t *changed,
                    struct err *e);

/* save for a session from libvirt: origin_preview, the diff into out,
 * then the define; the document becomes what libvirt stored (one undo
 * step, unmodified), and out and note end with libvirt's answer.  A
 * refused define leaves libvirt and the session as they were, with
 * libvirt's words in e.  In mode live, origin_hotplug instead.  flags:
 * enum origin_save_flags. */
bool origin_save(struct session *s, unsigned flags, struct strbuf *out, struct strbuf *note,
                 struct err *e);

/* save in mode live: every device of the document that the running guest
 * did not have is hot-plugged (live, and into the definition) at the
 * address the document gives it, one line of out each, then the document
 * becomes the guest's XML as libvirt has it after.  All are checked
 * before the first is plugged: a device libvirt cannot hot-plug, a slot
 * that does not take hot-plugged devices, a device deleted from the
 * guest (hot-unplug is not save's), or a multifunction group without
 * ORIGIN_MONITOR refuses the whole save, nothing plugged.  When libvirt
 * refuses one, e says which were plugged before it (they stay) and which
 * were not tried; the document keeps them all, and a second save plugs
 * the rest. */
bool origin_hotplug(struct session *s, unsigned flags, struct strbuf *out, struct strbuf *note,
                    struct err *e);

/* mode live / mode offline for a session from libvirt: the document
 * becomes the running guest's XML (live) or the definition again, and
 * s->live follows.  Refused while the document has unsaved edits (they
 * belong to the other document), or for live when the guest does not
 * run.  The history is dropped: its steps were of the other document. */
bool origin_set_live(struct session *s, bool live, struct strbuf *note, struct err *e);

/* The document becomes libvirt's definition as it is now (one undo step:
 * undo brings back the edits), unmodified.  False with e set. */
bool origin_reload(struct session *s, struct strbuf *note, struct err *e);

#endif
