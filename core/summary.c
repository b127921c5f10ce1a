#include "config.h"
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"

bool summary_list_new(struct virt_conn *c, struct summary_list *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct virt_domain_list l;
    if (!virt_list_new(c, &l, e))
        return false;
    out->s = xcalloc(l.n ? l.n : 1, sizeof *out->s);
    for (size_t i = 0; i < l.n; i++) {
        struct summary *s = &out->s[out->n++];
        /* the raw name is what libvirt needs; it is shown with its
         * control characters made visible (summary_row) */
        s->name = xstrdup(l.d[i].name);
        s->state = l.d[i].state;
        s->persistent = l.d[i].persistent;
    }
    virt_list_free(&l);
    return true;
}

void summary_list_free(struct summary_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->s[i].name);
        free(l->s[i].machine);
        free(l->s[i].error);
    }
    free(l->s);
    memset(l, 0, sizeof *l);
}

void summary_read(struct virt_conn *c, struct summary *s)
{
    struct err e ERR_SCOPE = ERR_INIT;
    free(s->machine);
    free(s->error);
    s->machine = s->error = NULL;
    s->read = true;
    s->pcie = s->pci = s->problems = 0;
    /* the definition is what the editor opens; a transient domain has
     * only its running XML */
    char *xml = virt_domain_xml_new(c, s->name, !s->persistent, &e);
    if (!xml) {
        s->error = xstrdup(e.msg);
        return;
    }
    /* the numbers are report's row, so the list and report agree */
    struct report_source src = { NULL, s->name, s->state, xml, strlen(xml), NULL };
    struct report *r = report_new(&src, 1);
    const struct report_row *row = &r->rows[0];
    if (row->error) {
        s->error = xstrdup(row->error);
    } else {
        s->machine = row->machine ? xstrdup(row->machine) : NULL;
        s->pcie = row->spare.pcie;
        s->pci = row->spare.pci;
        s->problems = row->problems;
    }
    report_free(r);
    free(xml);
}

size_t summary_name_width(const struct summary_list *l)
{
    size_t w = strlen("NAME");
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->s[i].name) > w)
            w = strlen(l->s[i].name);
    return w;
}

void summary_heading(struct strbuf *sb, size_t w)
{
    sb_printf(sb, "%-*s  %-11s  %-14s  %4s  %4s  %8s\n", (int)w, "NAME", "STATE", "MACHINE", "PCIE",
              "PCI", "PROBLEMS");
}

void summary_row(struct strbuf *sb, const struct summary *s, size_t w)
{
    struct strbuf name = STRBUF_INIT;
    sb_put_visible(&name, s->name);
    sb_printf(sb, "%-*s  %-11s  ", (int)w, name.buf, s->state);
    sb_free(&name);
    if (!s->read)
        sb_puts(sb, "...\n");
    else if (s->error) {
        sb_puts(sb, "(");
        sb_put_visible(sb, s->error);
        sb_puts(sb, ")\n");
    } else {
        sb_printf(sb, "%-14s  %4d  %4d  %8d\n", s->machine ? s->machine : "-", s->pcie, s->pci,
                  s->problems);
    }
}
