/* paint: putting text on the screen — clipped to a width, wrapped at
 * word boundaries, measured in columns (UTF-8 aware).  Knows nothing of
 * the editor: every screen draws its text through these. */
#ifndef PCITOPO_PAINT_H
#define PCITOPO_PAINT_H

#include <stddef.h>

#include "curses_shim.h"

/* A rectangle of the screen: top row, left column, rows, columns. */
struct pane {
    int y, x, h, w;
};

/* Draws a UTF-8 string at y,x clipped to w columns; returns the columns used. */
int put_clipped(int y, int x, int w, const char *s, attr_t attr);
/* The bytes of s that go on one row of w columns: the longest run of
 * whole words that fits, up to the line's end. */
size_t wrap_cut(const char *s, int w);
/* How many rows of w columns put_wrapped needs for text. */
int wrapped_rows(const char *text, int w);
/* Writes text into the pane from row *y on, wrapped at word boundaries;
 * *y ends past the last row written. */
void put_wrapped(struct pane p, int *y, const char *text, attr_t attr);
/* Columns text takes on the screen. */
int text_width(const char *text);
/* The end of s that fits in cols columns: where to start drawing it. */
const char *tail_fitting(const char *s, int cols);

#endif
