/* explain: why a device is where it is, in words for people learning PCIe
 * layout — its connection class, the rule or the first-fit search that
 * chose its bus, the buses it passed over and why, the controllers libvirt
 * added for it, and whether its slot can hot-plug. */
#ifndef PCITOPO_EXPLAIN_H
#define PCITOPO_EXPLAIN_H

#include "topology.h"
#include "util.h"

/* Explains the device named by what: its alias, its address BB:SS.F
 * (the address it has, or the one placement would give it), or line:N
 * (the line its element starts on, when only one does).  Returns the
 * text (caller frees), or NULL with e set when nothing matches. */
char *explain_device(const struct topology *t, const char *what, struct err *e);
/* Explains device dv of t itself: what the editor's selection means even
 * when another device has the same address (a collision) and no alias
 * tells them apart.  Returns the text (caller frees). */
char *explain_of(const struct topology *t, const struct device *dv);

#endif
