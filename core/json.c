#include "config.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct strbuf *out)
{
    *j = (struct json){ .out = out, .open = STRBUF_INIT };
}

bool json_finish(struct json *j)
{
    bool whole = j->done && !j->misused && j->open.len == 0 && !j->after_key;
    sb_putc(j->out, '\n');
    sb_free(&j->open);
    return whole;
}

static char innermost(const struct json *j)
{
    return j->open.len ? j->open.buf[j->open.len - 1] : 0;
}

/* Before any value: the comma between members, and the checks that the
 * value has a place (a name in an object, room at the top). */
static void before_value(struct json *j)
{
    if (innermost(j) == '{' && !j->after_key)
        j->misused = true;
    if (!j->open.len && j->done)
        j->misused = true;
    if (j->need_comma && !j->after_key)
        sb_putc(j->out, ',');
    j->after_key = false;
}

/* After a value: the next member of its container needs a comma. */
static void after_value(struct json *j)
{
    j->need_comma = true;
    if (!j->open.len)
        j->done = true;
}

static void begin(struct json *j, char c)
{
    before_value(j);
    sb_putc(j->out, c);
    sb_putc(&j->open, c);
    j->need_comma = false;
}

static void end(struct json *j, char c)
{
    if (innermost(j) != c || j->after_key) {
        j->misused = true;
        return;
    }
    j->open.buf[--j->open.len] = '\0';
    sb_putc(j->out, c == '{' ? '}' : ']');
    after_value(j);
}

void json_begin_object(struct json *j) { begin(j, '{'); }
void json_end_object(struct json *j) { end(j, '{'); }
void json_begin_array(struct json *j) { begin(j, '['); }
void json_end_array(struct json *j) { end(j, '['); }

void json_key(struct json *j, const char *key)
{
    if (innermost(j) != '{' || j->after_key)
        j->misused = true;
    if (j->need_comma)
        sb_putc(j->out, ',');
    json_put_string(j->out, key, strlen(key));
    sb_putc(j->out, ':');
    j->after_key = true;
}

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or
 * 0 when the byte at s starts none (RFC 3629's table: no overlong form,
 * no surrogate, nothing above U+10FFFF). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;   /* the second byte's range */
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        if (s[0] == 0xe0)
            lo = 0xa0;   /* overlong below U+0800 */
        else if (s[0] == 0xed)
            hi = 0x9f;   /* U+D800..U+DFFF are surrogates */
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        if (s[0] == 0xf0)
            lo = 0x90;   /* overlong below U+10000 */
        else if (s[0] == 0xf4)
            hi = 0x8f;   /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return len;
}

static void put_control(struct strbuf *sb, unsigned char c)
{
    static const char short_form[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r',
                                       ['\t'] = 't' };
    if (c < sizeof short_form && short_form[c]) {
        sb_putc(sb, '\\');
        sb_putc(sb, short_form[c]);
    } else {
        sb_printf(sb, "\\u%04x", c);
    }
}

void json_put_string(struct strbuf *sb, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    sb_putc(sb, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        if (c == '"' || c == '\\') {
            sb_putc(sb, '\\');
            sb_putc(sb, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            put_control(sb, c);
            i++;
        } else if (c < 0x80) {
            sb_putc(sb, (char)c);
            i++;
        } else {
            size_t n = utf8_sequence(u + i, len - i);
            if (n) {
                sb_add(sb, s + i, n);
                i += n;
            } else {
                sb_puts(sb, "\\ufffd");
                i++;
            }
        }
    }
    sb_putc(sb, '"');
}

void json_string_len(struct json *j, const char *s, size_t len)
{
    before_value(j);
    json_put_string(j->out, s, len);
    after_value(j);
}

void json_string(struct json *j, const char *s)
{
    if (!s)
        json_null(j);
    else
        json_string_len(j, s, strlen(s));
}

void json_int(struct json *j, long long v)
{
    before_value(j);
    sb_printf(j->out, "%lld", v);
    after_value(j);
}

static void literal(struct json *j, const char *word)
{
    before_value(j);
    sb_puts(j->out, word);
    after_value(j);
}

void json_bool(struct json *j, bool v) { literal(j, v ? "true" : "false"); }
void json_null(struct json *j) { literal(j, "null"); }

void json_kv_string(struct json *j, const char *key, const char *s)
{
    json_key(j, key);
    json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
    json_key(j, key);
    json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
    json_key(j, key);
    json_null(j);
}
