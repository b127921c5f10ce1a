/* The one place curses is included: the rest of tui/ includes this, and
 * nothing in core/ does. */
#ifndef PCITOPO_CURSES_SHIM_H
#define PCITOPO_CURSES_SHIM_H

#include <curses.h>

#endif
