/* virt: pcitopo's one door to libvirt's client library — a connection,
 * a domain's XML (persistent or live), defining a document and reading
 * back what libvirt stored, the list of domains, and libvirt's own error
 * words.  virt.c is the only file that includes <libvirt/libvirt.h>;
 * built without libvirt (configure --with-libvirt=no), every function
 * here fails with a sentence saying so, and the rest of pcitopo is the
 * same.  Nothing here knows about sessions or documents: origin.h does.
 *
 * libvirt's default error handler prints every error to stderr; the
 * connections made here print nothing by themselves: each failure comes
 * back in the struct err, in libvirt's words, for the caller to show. */
#ifndef PCITOPO_VIRT_H
#define PCITOPO_VIRT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct virt_conn;

/* Whether this pcitopo was built with libvirt. */
bool virt_available(void);
/* The sentence a missing libvirt gives ("this pcitopo was built without
 * libvirt ..."), for the command line to say before trying. */
const char *virt_missing_text(void);

/* Opens a read-write connection to uri; NULL uri is libvirt's default
 * (LIBVIRT_DEFAULT_URI, then its configuration, as virsh reads them).
 * Returns a new connection (free with virt_conn_free) or NULL with e
 * set, in libvirt's words. */
struct virt_conn *virt_conn_new(const char *uri, struct err *e);
void virt_conn_free(struct virt_conn *c);
/* The URI the connection is to, as libvirt names it (the default made
 * explicit); borrowed, lives as long as c. */
const char *virt_conn_uri(const struct virt_conn *c);

/* The XML of the domain called name: its persistent definition
 * (inactive, with security information where the connection may read it,
 * else without) or, with live, what the running guest has now.  Returns
 * a new string (caller frees) or NULL with e set: no such domain, a
 * transient domain asked for its definition, a lost connection. */
char *virt_domain_xml_new(struct virt_conn *c, const char *name, bool live, struct err *e);

/* Defines xml (virDomainDefineXML) and returns the persistent definition
 * libvirt then stores, as virt_domain_xml_new reads it; caller frees.
 * NULL with e set, in libvirt's words, when libvirt refuses it (it then
 * keeps what it had) or the connection is lost. */
char *virt_define_new(struct virt_conn *c, const char *xml, struct err *e);

/* Removes the persistent definition of domain name (a running guest goes
 * on, transient).  False with e set. */
bool virt_undefine(struct virt_conn *c, const char *name, struct err *e);

/* Whether domain name is running (or paused, or otherwise has a live
 * guest): 1 yes, 0 no, -1 with e set (no such domain, connection lost). */
int virt_domain_active(struct virt_conn *c, const char *name, struct err *e);

/* Where a hot-plug goes: the running guest, its persistent definition,
 * or both (virDomainAttachDeviceFlags' VIR_DOMAIN_AFFECT_*). */
enum virt_affect { VIRT_LIVE = 1 << 0, VIRT_CONFIG = 1 << 1 };

/* Attaches one device element (xml) to domain name where affect says.
 * libvirt does both or neither: it checks the definition first, plugs
 * into the guest, and only then stores the definition.  False with e
 * set, in libvirt's words. */
bool virt_attach(struct virt_conn *c, const char *name, const char *xml, unsigned affect,
                 struct err *e);

/* Runs one human monitor (HMP) command in QEMU through libvirt's
 * monitor passthrough (virDomainQemuMonitorCommand, libvirt-qemu): libvirt
 * then marks the domain tainted ("custom-monitor").  Returns QEMU's reply
 * (caller frees; empty when the command said nothing) or NULL with e
 * set.  The caller builds cmd from checked words and numbers only. */
char *virt_monitor_new(struct virt_conn *c, const char *name, const char *cmd, struct err *e);

/* One domain of a connection, for lists and reports. */
struct virt_domain_info {
    char *name;          /* owned */
    const char *state;   /* "running", "shut off", ... (virsh's words); static */
    bool persistent;
};
struct virt_domain_list {
    struct virt_domain_info *d;   /* owned, sorted by name */
    size_t n;
};
/* Every domain of c, defined or running.  False with e set. */
bool virt_list_new(struct virt_conn *c, struct virt_domain_list *out, struct err *e);
void virt_list_free(struct virt_domain_list *l);

#endif
