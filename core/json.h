/* json: a small writer of JSON text (RFC 8259) into a strbuf, for the
 * --json output of the commands (doc/json.md says what they write).
 *
 * The text is compact: no blank outside strings, one document on one
 * line, so that a script running several commands prints JSON Lines and
 * a consumer splits documents at newlines.  Pretty printing is the
 * reader's (python3 -m json.tool, jq).
 *
 * Strings are written as RFC 8259 requires: '"' and '\' escaped, every
 * control character (below 0x20, and DEL) as \b \f \n \r \t or \u00XX,
 * valid UTF-8 as it is.  JSON text must be UTF-8 (RFC 8259 §8.1), and
 * names from file systems and documents need not be: each byte that does
 * not start a well-formed UTF-8 sequence (a stray continuation byte, a
 * truncated, overlong or surrogate sequence, one above U+10FFFF) becomes
 * U+FFFD, written \ufffd, and the rest of the string goes on from the
 * next byte.  The output is therefore always valid JSON in UTF-8, and a
 * replaced byte is visible as such. */
#ifndef PCITOPO_JSON_H
#define PCITOPO_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct json {
    struct strbuf *out;    /* borrowed: where the text goes */
    struct strbuf open;    /* '{' or '[' for each open container; owned */
    bool need_comma;       /* the open container has a member already */
    bool after_key;        /* a member's name was written: its value comes */
    bool done;             /* a whole top-level value was written */
    bool misused;          /* a call out of place: json_finish says so */
};

/* Starts one document appended to out. */
void json_init(struct json *j, struct strbuf *out);
/* Ends the document with a newline and frees j's own memory.  False when
 * the calls did not make one whole value (a container left open, a member
 * without a name, two values at the top): a bug of the caller, which the
 * tests catch; the text is then not to be trusted. */
bool json_finish(struct json *j);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* The name of the next member of the open object. */
void json_key(struct json *j, const char *key);

/* Values, in an array, after json_key, or as the document. */
void json_string(struct json *j, const char *s);   /* NULL: null */
void json_string_len(struct json *j, const char *s, size_t len);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* A member in one call: json_key, then the value. */
void json_kv_string(struct json *j, const char *key, const char *s);   /* NULL: null */
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);

/* Appends s (len bytes) to sb as a JSON string, quotes included, escaped
 * as above. */
void json_put_string(struct strbuf *sb, const char *s, size_t len);

#endif
