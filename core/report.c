#include "config.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "problems.h"
#include "session.h"

/* Counts what placement adds: the controllers of new buses, by model. */
static void count_adds(struct report_row *row, const struct plan *p)
{
    row->adds = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_item *it = &p->items[i];
        if (it->origin != ORIGIN_NEW_BUS)
            continue;
        row->adds++;
        const char *model = it->model ? it->model : "pci";
        size_t k = 0;
        while (k < row->nadd_models && strcmp(row->add_models[k].model, model) != 0)
            k++;
        if (k == row->nadd_models) {
            row->add_models = xrealloc(row->add_models, (k + 1) * sizeof *row->add_models);
            row->add_models[row->nadd_models++] = (struct report_add){ model, 0 };
        }
        row->add_models[k].count++;
    }
}

/* The figures of a domain that loaded: spare counts as `spare` makes
 * them, problems as `check` counts them, one placement for both. */
static void fill_row(struct report_row *row, const struct session *s)
{
    const struct topology *t = s->topo;
    row->domain = xstrdup(t->name);
    row->machine = xstrdup(t->machine_name);
    row->machine_type = t->mach->name;
    row->arch = t->mach->arch;
    struct err why ERR_SCOPE = ERR_INIT;
    struct plan *p = place_plan(t, &why, NULL);
    row->spare = spare_count(t, p);
    row->spare_as_written = !p;
    if (p)
        count_adds(row, p);
    else {
        row->adds = -1;
        row->refusal = xstrdup(why.msg);
    }
    plan_free(p);
    struct problem_list *l = problems_new(s);
    row->refusals = l->refusals;
    row->at_start = l->at_start;
    row->problems = problems_count(l);
    row->warnings = l->warnings;
    row->notes = problems_notes(l);
    problems_free(l);
}

static void make_row(struct report_row *row, const struct report_source *src)
{
    *row = (struct report_row){ .host = src->host ? xstrdup(src->host) : NULL,
                                .name = xstrdup(src->name ? src->name : "-"),
                                .state = xstrdup(src->state ? src->state : "-"), .adds = -1 };
    if (!src->xml) {
        row->error = xstrdup(src->error ? src->error : "no XML");
        return;
    }
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_memory(src->xml, src->len, row->name, &e);
    if (!s) {
        row->error = xstrdup(e.msg);
        return;
    }
    fill_row(row, s);
    session_free(s);
}

struct report *report_new(const struct report_source *src, size_t n)
{
    struct report *r = xcalloc(1, sizeof *r);
    r->rows = xcalloc(n ? n : 1, sizeof *r->rows);
    for (size_t i = 0; i < n; i++) {
        struct report_row *row = &r->rows[r->n++];
        make_row(row, &src[i]);
        r->errors += row->error != NULL;
        r->with_problems += row->problems > 0;
    }
    return r;
}

void report_free(struct report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        struct report_row *row = &r->rows[i];
        free(row->host);
        free(row->name);
        free(row->state);
        free(row->error);
        free(row->domain);
        free(row->machine);
        free(row->add_models);
        free(row->refusal);
    }
    free(r->rows);
    free(r);
}

struct report *report_of_files_new(char *const *paths, size_t n)
{
    struct report_source *src = xcalloc(n ? n : 1, sizeof *src);
    char **bytes = xcalloc(n ? n : 1, sizeof *bytes);
    char **why = xcalloc(n ? n : 1, sizeof *why);
    for (size_t i = 0; i < n; i++) {
        struct err e ERR_SCOPE = ERR_INIT;
        bytes[i] = domain_read_file_new(paths[i], &src[i].len, &e);
        if (!bytes[i])
            why[i] = xstrdup(e.msg);
        src[i] = (struct report_source){ NULL, paths[i], "file", bytes[i], src[i].len, why[i] };
    }
    struct report *r = report_new(src, n);
    for (size_t i = 0; i < n; i++) {
        free(bytes[i]);
        free(why[i]);
    }
    free(bytes);
    free(why);
    free(src);
    return r;
}

/* The table's columns: a heading, and each row's cell, which the table
 * frees. */
enum column_align { LEFT, RIGHT };
static const struct column {
    const char *heading;
    enum column_align align;
} columns[] = {
    { "HOST", LEFT }, { "NAME", LEFT }, { "STATE", LEFT }, { "MACHINE", LEFT }, { "PCIE", RIGHT }, { "PCI", RIGHT },
    { "PROBLEMS", RIGHT }, { "NOTES", RIGHT }, { "ADDS", RIGHT },
};
enum { NCOLUMNS = ARRAY_LEN(columns) };

/* Cell c of row, visible on a terminal; NULL past the error of an error
 * row (the error takes the rest of the line).  Caller frees. */
static char *cell_new(const struct report_row *row, size_t c)
{
    if (c >= 3 && row->error)
        return NULL;
    switch (c) {
    case 0: return visible_new(xstrdup(row->host ? row->host : "-"));
    case 1: return visible_new(xstrdup(row->name));
    case 2: return visible_new(xstrdup(row->state));
    case 3: return visible_new(xstrdup(row->machine ? row->machine : row->machine_type));
    case 4: return xasprintf("%d%s", row->spare.pcie, row->spare_as_written ? "*" : "");
    case 5: return xasprintf("%d%s", row->spare.pci, row->spare_as_written ? "*" : "");
    case 6: return xasprintf("%d", row->problems);
    case 7: return xasprintf("%d", row->notes);
    default: return row->adds < 0 ? xstrdup("-") : xasprintf("%d", row->adds);
    }
}

/* Display width of UTF-8 text: its code points (names are not wide
 * characters often enough to pay for wcwidth). */
static size_t width_of(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void put_cell(struct strbuf *sb, const char *text, size_t width, enum column_align a,
                     bool last)
{
    size_t pad = width > width_of(text) ? width - width_of(text) : 0;
    if (a == RIGHT)
        sb_printf(sb, "%*s", (int)pad, "");
    sb_puts(sb, text);
    if (a == LEFT && !last)
        sb_printf(sb, "%*s", (int)pad, "");
}

char *report_table_new(const struct report *r)
{
    size_t width[NCOLUMNS], first = 1;   /* HOST only when a row has one */
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].host)
            first = 0;
    char **cells = xcalloc((r->n + 1) * NCOLUMNS, sizeof *cells);
    for (size_t c = 0; c < NCOLUMNS; c++) {
        cells[c] = xstrdup(columns[c].heading);
        width[c] = width_of(cells[c]);
    }
    for (size_t i = 0; i < r->n; i++)
        for (size_t c = 0; c < NCOLUMNS; c++) {
            char *cell = cells[(i + 1) * NCOLUMNS + c] = cell_new(&r->rows[i], c);
            if (cell && width_of(cell) > width[c])
                width[c] = width_of(cell);
        }
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i <= r->n; i++) {
        const struct report_row *row = i ? &r->rows[i - 1] : NULL;
        for (size_t c = first; c < NCOLUMNS; c++) {
            const char *cell = cells[i * NCOLUMNS + c];
            if (!cell)
                break;
            if (c > first)
                sb_puts(&sb, "  ");
            put_cell(&sb, cell, width[c], columns[c].align, c + 1 == NCOLUMNS);
        }
        if (row && row->error) {
            sb_puts(&sb, "  error: ");
            sb_put_visible(&sb, row->error);
        }
        sb_putc(&sb, '\n');
    }
    for (size_t i = 0; i < (r->n + 1) * NCOLUMNS; i++)
        free(cells[i]);
    free(cells);
    for (size_t i = 0; i < r->n; i++)
        if (!r->rows[i].error && r->rows[i].spare_as_written) {
            sb_puts(&sb, "* counted on the document as written: libvirt 9.0 would refuse its "
                         "placement (pcitopo check says why)\n");
            break;
        }
    return sb_detach(&sb);
}
