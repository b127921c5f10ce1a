#include "config.h"
#include "problems.h"

#include <stdlib.h>
#include <string.h>

#include "place.h"

void problems_where(struct strbuf *sb, const struct session *s, xmlNodePtr node)
{
    if (!node) {
        sb_puts(sb, s->dom->name);
        return;
    }
    const struct device *dv = topology_find_node(s->topo, node);
    sb_printf(sb, "%s: <%s>", domain_where(s->dom->name, domain_line(node)).text,
              (const char *)node->name);
    if (dv && dv->alias)
        sb_printf(sb, " %s", dv->alias);
}

static enum problem_severity severity_of(const struct diag *d)
{
    if (!d->error)
        return PROBLEM_NOTE;
    return d->at_start ? PROBLEM_AT_START : PROBLEM_REFUSAL;
}

/* One finding of place_check as the list holds it: the words stay
 * libvirt's; the printed line gets the place and, since the words may
 * quote the document, no control character. */
static void problem_from_diag(struct problem *p, const struct session *s, const struct diag *d)
{
    struct strbuf line = STRBUF_INIT;
    problems_where(&line, s, d->node);
    sb_puts(&line, ": ");
    sb_put_visible(&line, d->msg);
    *p = (struct problem){
        .severity = severity_of(d),
        .dev = d->dev,
        .node = d->node,
        .line = d->node ? domain_line(d->node) : 0,
        .msg = xstrdup(d->msg),
        .text = sb_detach(&line),
        .hint = d->error ? place_hint(d->msg) : NULL,
    };
}

struct problem_list *problems_new(const struct session *s)
{
    struct diag_list *found = place_check(s->topo);
    struct problem_list *l = xcalloc(1, sizeof *l);
    l->p = xcalloc(found->n ? found->n : 1, sizeof *l->p);
    for (size_t i = 0; i < found->n; i++) {
        struct problem *p = &l->p[l->n++];
        problem_from_diag(p, s, &found->d[i]);
        l->refusals += p->severity == PROBLEM_REFUSAL;
        l->at_start += p->severity == PROBLEM_AT_START;
    }
    diag_list_free(found);
    return l;
}

void problems_free(struct problem_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->p[i].msg);
        free(l->p[i].text);
    }
    free(l->p);
    free(l);
}

int problems_count(const struct problem_list *l)
{
    return l->refusals + l->at_start;
}

char *problems_status_new(const struct problem_list *l)
{
    int problems = problems_count(l), notes = (int)l->n - problems;
    if (l->n == 0)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    if (problems)
        sb_printf(&sb, "%d problem%s", problems, problems == 1 ? "" : "s");
    if (notes)
        sb_printf(&sb, "%s%d note%s", problems ? ", " : "", notes, notes == 1 ? "" : "s");
    return sb_detach(&sb);
}
