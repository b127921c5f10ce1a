/* session: the state commands act on — one domain document and the
 * topology derived from it. */
#ifndef PCITOPO_SESSION_H
#define PCITOPO_SESSION_H

#include <stdbool.h>

#include "domain.h"
#include "topology.h"
#include "util.h"

struct session {
    struct domain *dom;      /* owned */
    struct topology *topo;   /* owned; always derived from dom */
    bool modified;           /* document differs from what was loaded/saved */
    bool utf8;               /* output may use UTF-8 line drawing */
    bool quit;               /* a command asked to end the session */
};

/* Opens a domain XML file.  Returns a new session (free with
 * session_free) or NULL with e set. */
struct session *session_open_file(const char *path, struct err *e);
/* Reads the domain from standard input.  Same contract. */
struct session *session_open_stdin(struct err *e);
/* Opens the built-in example (a typical q35 guest as libvirt 9.0 stores
 * it).  Same contract. */
struct session *session_open_example(struct err *e);
void session_free(struct session *s);
/* Derives the topology again after the document changed.  False (with e
 * set, the old topology kept) if the document no longer derives. */
bool session_refresh(struct session *s, struct err *e);

/* The text of the built-in example. */
extern const char example_q35_xml[];

#endif
