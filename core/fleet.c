#include "config.h"
#include "fleet.h"

#include <pthread.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "jsondoc.h"
#include "virt.h"

/* What one host's thread gathers; its strings are owned here until the
 * fleet takes them. */
struct host {
    const char *uri;
    struct report_source *src;
    size_t n;
    struct fleet_progress *shared;
};

/* The progress all threads tell, under one lock. */
struct fleet_progress {
    pthread_mutex_t lock;
    size_t done, total;
    fleet_progress_fn *fn;
    void *arg;
};

static void tell(struct fleet_progress *p, size_t more_total, size_t more_done)
{
    if (!p->fn)
        return;
    pthread_mutex_lock(&p->lock);
    p->total += more_total;
    p->done += more_done;
    p->fn(p->done, p->total, p->arg);
    pthread_mutex_unlock(&p->lock);
}

static struct report_source *host_add(struct host *h)
{
    h->src = xrealloc(h->src, (h->n + 1) * sizeof *h->src);
    struct report_source *s = &h->src[h->n++];
    memset(s, 0, sizeof *s);
    s->host = xstrdup(h->uri);
    return s;
}

/* The row of a host that gave no list: its name is the URI. */
static void host_failed(struct host *h, const struct err *e)
{
    struct report_source *s = host_add(h);
    s->name = xstrdup(h->uri);
    s->error = xstrdup(e->msg);
}

static void *read_host(void *arg)
{
    struct host *h = arg;
    struct err e ERR_SCOPE = ERR_INIT;
    struct virt_conn *c = virt_conn_new(h->uri, &e);
    struct virt_domain_list l = { NULL, 0 };
    if (!c || !virt_list_new(c, &l, &e)) {
        host_failed(h, &e);
        virt_conn_free(c);
        return NULL;
    }
    tell(h->shared, l.n, 0);
    for (size_t i = 0; i < l.n; i++) {
        struct err de ERR_SCOPE = ERR_INIT;
        char *xml = virt_domain_xml_new(c, l.d[i].name, !l.d[i].persistent, &de);
        struct report_source *s = host_add(h);
        s->name = xstrdup(l.d[i].name);
        s->state = xstrdup(l.d[i].state);
        s->xml = xml;
        s->len = xml ? strlen(xml) : 0;
        s->error = xml ? NULL : xstrdup(de.msg);
        tell(h->shared, 0, 1);
    }
    virt_list_free(&l);
    virt_conn_free(c);
    return NULL;
}

struct fleet *fleet_new(char *const *uris, size_t n, fleet_progress_fn *progress, void *arg)
{
    struct fleet_progress shared = { PTHREAD_MUTEX_INITIALIZER, 0, 0, progress, arg };
    struct host *hosts = xcalloc(n ? n : 1, sizeof *hosts);
    pthread_t *threads = xcalloc(n ? n : 1, sizeof *threads);
    bool *started = xcalloc(n ? n : 1, sizeof *started);
    for (size_t i = 0; i < n; i++) {
        hosts[i] = (struct host){ uris[i], NULL, 0, &shared };
        started[i] = pthread_create(&threads[i], NULL, read_host, &hosts[i]) == 0;
        if (!started[i])
            read_host(&hosts[i]);   /* no thread to be had: read it here */
    }
    struct fleet *f = xcalloc(1, sizeof *f);
    for (size_t i = 0; i < n; i++) {
        if (started[i])
            pthread_join(threads[i], NULL);
        f->src = xrealloc(f->src, (f->n + hosts[i].n + 1) * sizeof *f->src);
        memcpy(f->src + f->n, hosts[i].src, hosts[i].n * sizeof *f->src);
        f->n += hosts[i].n;
        free(hosts[i].src);
    }
    free(started);
    free(threads);
    free(hosts);
    return f;
}

void fleet_free(struct fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        struct report_source *s = &f->src[i];
        free((char *)s->host);
        free((char *)s->name);
        free((char *)s->state);
        free((char *)s->xml);
        free((char *)s->error);
    }
    free(f->src);
    free(f);
}

/* "report: 37 of 100 domains read", rewritten in place. */
static void show_progress(size_t done, size_t total, void *arg)
{
    fprintf((FILE *)arg, "\rreport: %zu of %zu domain%s read", done, total, total == 1 ? "" : "s");
    fflush((FILE *)arg);
}

int fleet_report(char *const *uris, size_t n, bool json, FILE *out, FILE *err)
{
    bool tty = isatty(fileno(err));
    struct fleet *f = fleet_new(uris, n, tty ? show_progress : NULL, err);
    if (tty)
        fputs("\r\033[K", err);
    struct report *r = report_new(f->src, f->n);
    struct strbuf sb = STRBUF_INIT;
    if (json) {
        jsondoc_report(&sb, r);
    } else {
        char *table = report_table_new(r);
        sb_puts(&sb, table);
        free(table);
    }
    fputs(sb.buf ? sb.buf : "", out);
    sb_free(&sb);
    int rc = r->errors || r->with_problems ? 1 : 0;
    if (rc)
        fprintf(err, "pcitopo: report: %d of %zu domain%s with problems, %d that could not be read\n",
                r->with_problems, r->n, r->n == 1 ? "" : "s", r->errors);
    report_free(r);
    fleet_free(f);
    return rc;
}
