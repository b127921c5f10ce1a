/* viewer: the full-screen view of a session's topology tree. */
#ifndef PCITOPO_VIEWER_H
#define PCITOPO_VIEWER_H

#include "session.h"

/* Runs the full-screen view until the user quits.  Returns the process
 * exit status. */
int viewer_run(struct session *s);

#endif
