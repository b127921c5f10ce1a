/* search: '/' (and '?', n, N) and goto in the tree — the pattern kept
 * between searches, the match revealed under collapsed controllers and
 * highlighted.  Which lines match is core/search.c's. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "util.h"

/* The tree line selected, as an index of the whole tree. */
static size_t selected_index(const struct editor *ed)
{
    return ed->nvis ? ed->vis[ed->sel] : 0;
}

/* How many lines the pattern finds: said with each match, so "1 of 1"
 * tells the user there is no other. */
static size_t count_matches(const struct tree *tr, const char *pattern, size_t upto, size_t *nth)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->n; i++)
        if (search_line_matches(&tr->lines[i], pattern)) {
            n++;
            if (i == upto)
                *nth = n;
        }
    return n;
}

static void search_from_selection(struct editor *ed, bool forward)
{
    const struct tree *tr = ed->tree;
    bool wrapped;
    long i = search_find(tr, selected_index(ed), forward, ed->search, &wrapped);
    if (i < 0) {
        editor_message(ed, true, "not found: %s", ed->search);
        return;
    }
    treeview_reveal(ed, (size_t)i);
    size_t nth = 0, n = count_matches(tr, ed->search, (size_t)i, &nth);
    editor_message(ed, false, "%s%s: match %zu of %zu%s", forward ? "/" : "?", ed->search, nth, n,
                   !wrapped ? "" : forward ? " (went round to the top)" : " (went round to the bottom)");
}

void search_run(struct editor *ed, const char *pattern, bool forward)
{
    if (!pattern || !*pattern) {
        if (!ed->search) {
            editor_message(ed, true, "search: no pattern yet (/ then the words to find)");
            return;
        }
    } else {
        free(ed->search);
        ed->search = xstrdup(pattern);
    }
    ed->search_back = !forward;
    search_from_selection(ed, forward);
}

void search_again(struct editor *ed, bool reverse)
{
    if (!ed->search) {
        editor_message(ed, true, "no search yet: / searches");
        return;
    }
    search_from_selection(ed, ed->search_back == reverse);
}

bool search_highlights(const struct editor *ed, const struct tree_line *l)
{
    return ed->search && search_line_matches(l, ed->search);
}

bool goto_target(struct editor *ed, const char *target)
{
    long i = search_goto(ed->tree, target);
    if (i < 0) {
        editor_message(ed, true, "goto: no device with alias or address '%s' (an alias, BB:SS.F or BB:SS)",
                       target);
        return false;
    }
    treeview_reveal(ed, (size_t)i);
    return true;
}
