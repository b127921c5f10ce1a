/* fleet: the domains of one or more libvirt connections, as report
 * sources (`pcitopo --connect URI [--connect URI...] report`).
 *
 * Each host is read by its own thread, so a slow or unreachable host
 * costs its own time and not the others'; a host that cannot be reached
 * is one row that says so, and a domain whose XML cannot be read is a row
 * with libvirt's words.  The XML is each domain's persistent definition,
 * as `--connect URI DOMAIN` opens it (the live XML for a transient one). */
#ifndef PCITOPO_FLEET_H
#define PCITOPO_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

struct fleet {
    struct report_source *src;   /* owned, and the strings they point to */
    size_t n;
};

/* Told as each domain's XML is in: done of total so far (total grows as
 * hosts answer).  Called from the hosts' threads, one call at a time. */
typedef void fleet_progress_fn(size_t done, size_t total, void *arg);

/* The domains of the n connections of uris, host by host in the order
 * given, each host's domains by name.  progress may be NULL. */
struct fleet *fleet_new(char *const *uris, size_t n, fleet_progress_fn *progress, void *arg);
void fleet_free(struct fleet *f);

/* `report` over the connections: the table, or with json the report's
 * JSON, on out; progress on err while the domains are read, when err is
 * a terminal.  Returns what `report` exits with: 1 when a row has
 * problems or an error, else 0. */
int fleet_report(char *const *uris, size_t n, bool json, FILE *out, FILE *err);

#endif
