#include "config.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>

static struct session *session_from(struct domain *d, struct err *e)
{
    if (!d)
        return NULL;
    struct topology *t = topology_new(d, e);
    if (!t) {
        domain_free(d);
        return NULL;
    }
    struct session *s = xcalloc(1, sizeof *s);
    s->dom = d;
    s->topo = t;
    return s;
}

struct session *session_open_file(const char *path, struct err *e)
{
    return session_from(domain_load_file(path, e), e);
}

struct session *session_open_stdin(struct err *e)
{
    return session_from(domain_load_stdin(e), e);
}

struct session *session_open_example(struct err *e)
{
    return session_from(domain_load_memory(example_q35_xml, strlen(example_q35_xml),
                                           "<built-in example>", e), e);
}

void session_free(struct session *s)
{
    if (!s)
        return;
    topology_free(s->topo);
    domain_free(s->dom);
    free(s);
}

bool session_refresh(struct session *s, struct err *e)
{
    struct topology *t = topology_new(s->dom, e);
    if (!t)
        return false;
    topology_free(s->topo);
    s->topo = t;
    return true;
}
