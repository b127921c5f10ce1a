/* linediff: the diff save prints before a define, and of a definition
 * changed underneath. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "linediff.h"
#include "tap.h"

static char *diff_new(const char *a, const char *b, size_t *changed)
{
    struct strbuf sb = STRBUF_INIT;
    *changed = linediff(&sb, a, "a", b, "b");
    return sb_detach(&sb);
}

int main(void)
{
    size_t n;
    char *d = diff_new("x\ny\n", "x\ny\n", &n);
    is_int(n, 0, "equal texts: no change");
    is_str(d, "", "and no output");
    free(d);

    d = diff_new("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", &n);
    is_int(n, 2, "one line replaced: one removed, one added");
    is_str(d, "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", "diff -u's form, three lines of context");
    free(d);

    d = diff_new("a\nb\n", "new\na\nb\n", &n);
    is_str(d, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n+new\n a\n b\n", "a line added at the start");
    free(d);
    d = diff_new("a\nb\n", "a\nb\nend", &n);
    is_str(d, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+end\n", "a last line without newline added");
    free(d);
    d = diff_new("", "x\n", &n);
    is_int(n, 1, "from nothing: one line");
    free(d);

    /* two changes 6 lines apart share a hunk; 8 apart do not */
    d = diff_new("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n",
                 "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n13\n14\n15\n16\n17\nZ\n", &n);
    is_int(n, 6, "three lines replaced");
    const char *second = d ? strstr(d + 1, "@@ -") : NULL;
    ok(second && strstr(second + 1, "@@ -") && !strstr(strstr(second + 1, "@@ -") + 1, "@@ -"),
       "changes close together share a hunk, a far one has its own");
    ok(d && strstr(d, "-2\n+X\n") && strstr(d, "-9\n+Y\n") && strstr(d, "-18\n+Z\n"), "every change is shown");
    free(d);

    /* common lines inside a changed stretch are kept as context */
    d = diff_new("a\nkeep\nb\n", "c\nkeep\nd\n", &n);
    is_int(n, 4, "a and b replaced around a kept line");
    ok(d && strstr(d, " keep\n"), "the kept line is context, not removed and added");
    free(d);

    d = diff_new("x\n", "x\e[2J\n", &n);
    has_str(d, "+x\\x1b[2J", "control characters are made visible");
    free(d);
    return tap_done();
}
