/* jsondoc: the documents --json prints, one function per command; the
 * schema they follow is doc/json.md, which says what every field means.
 *
 * Every document is one JSON object on one line (json.h), starting with
 * "schema": JSONDOC_SCHEMA and "command".  Within a schema version fields
 * are only ever added: a consumer checks the schema and ignores fields it
 * does not know.  A new command joins by adding its function here and
 * its section to doc/json.md. */
#ifndef PCITOPO_JSONDOC_H
#define PCITOPO_JSONDOC_H

#include "explain.h"
#include "lspci.h"
#include "problems.h"
#include "report.h"
#include "session.h"
#include "tree.h"
#include "util.h"

#define JSONDOC_SCHEMA "pcitopo/1"

/* Each appends its document, and a newline, to out. */
void jsondoc_spare(struct strbuf *out, const struct session *s);
/* l: problems_new(s). */
void jsondoc_check(struct strbuf *out, const struct session *s, const struct problem_list *l);
/* how: the numbers the lines' texts show (tree.h). */
void jsondoc_tree(struct strbuf *out, const struct session *s, enum tree_numbers how);
/* x: an explanation of s's topology. */
void jsondoc_explain(struct strbuf *out, const struct session *s, const struct explanation *x);
void jsondoc_report(struct strbuf *out, const struct report *r);
/* l: lspci_new(s->topo). */
void jsondoc_lspci(struct strbuf *out, const struct session *s, const struct lspci *l);

#endif
