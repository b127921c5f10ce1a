#include "config.h"
#include "problems.h"

#include <stdlib.h>
#include <string.h>

#include "lint.h"
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
        .hint = d->error && place_hint(d->msg) ? xstrdup(place_hint(d->msg)) : NULL,
    };
}

/* A finding of lint_new: about its device, or the domain. */
static void problem_from_lint(struct problem *p, const struct session *s, struct lint_finding *f)
{
    xmlNodePtr node = f->dev ? f->dev->node : NULL;
    struct strbuf line = STRBUF_INIT;
    problems_where(&line, s, node);
    sb_puts(&line, ": ");
    sb_put_visible(&line, f->msg);
    *p = (struct problem){
        .severity = f->at_start ? PROBLEM_AT_START : PROBLEM_WARNING,
        .dev = f->dev,
        .node = node,
        .line = node ? domain_line(node) : 0,
        .msg = f->msg,
        .text = sb_detach(&line),
        .hint = f->hint,
        .code = f->code,
    };
    f->msg = f->hint = NULL;
}

static void count(struct problem_list *l, const struct problem *p)
{
    l->refusals += p->severity == PROBLEM_REFUSAL;
    l->at_start += p->severity == PROBLEM_AT_START;
    l->warnings += p->severity == PROBLEM_WARNING;
}

struct problem_list *problems_new(const struct session *s)
{
    struct diag_list *found = place_check(s->topo);
    struct problem_list *l = xcalloc(1, sizeof *l);
    l->p = xcalloc(found->n ? found->n : 1, sizeof *l->p);
    for (size_t i = 0; i < found->n; i++) {
        struct problem *p = &l->p[l->n++];
        problem_from_diag(p, s, &found->d[i]);
        count(l, p);
    }
    /* what the guest gets wrong, for a domain libvirt defines */
    if (found->errors == found->start_errors) {
        struct lint_list *lint = lint_new(s->topo);
        l->p = xrealloc(l->p, (l->n + lint->n + 1) * sizeof *l->p);
        for (size_t i = 0; i < lint->n; i++) {
            struct problem *p = &l->p[l->n++];
            problem_from_lint(p, s, &lint->f[i]);
            count(l, p);
        }
        lint_free(lint);
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
        free(l->p[i].hint);
    }
    free(l->p);
    free(l);
}

int problems_count(const struct problem_list *l)
{
    return l->refusals + l->at_start;
}

int problems_notes(const struct problem_list *l)
{
    return (int)l->n - problems_count(l) - l->warnings;
}

char *problems_status_new(const struct problem_list *l)
{
    int problems = problems_count(l), notes = problems_notes(l);
    if (l->n == 0)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    if (problems)
        sb_printf(&sb, "%d problem%s", problems, problems == 1 ? "" : "s");
    if (l->warnings)
        sb_printf(&sb, "%s%d warning%s", sb.len ? ", " : "", l->warnings, l->warnings == 1 ? "" : "s");
    if (notes)
        sb_printf(&sb, "%s%d note%s", sb.len ? ", " : "", notes, notes == 1 ? "" : "s");
    return sb_detach(&sb);
}
