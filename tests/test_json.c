/* The JSON writer: escaping (RFC 8259, control characters, invalid
 * UTF-8), nesting and commas, numbers, and the misuse json_finish
 * reports. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

/* s (len bytes) as json_put_string writes it; caller frees. */
static char *escaped_new(const char *s, size_t len)
{
    struct strbuf sb = STRBUF_INIT;
    json_put_string(&sb, s, len);
    return sb_detach(&sb);
}

static void is_escaped(const char *s, size_t len, const char *want, const char *what)
{
    char *got = escaped_new(s, len);
    is_str(got, want, "escaping: %s", what);
    free(got);
}
#define ESC(lit, want, what) is_escaped(lit, sizeof lit - 1, want, what)

static void test_escaping(void)
{
    ESC("", "\"\"", "the empty string");
    ESC("plain text 123", "\"plain text 123\"", "plain ASCII as it is");
    ESC("a\"b\\c/d", "\"a\\\"b\\\\c/d\"", "quote and backslash escaped, '/' not");
    ESC("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "the five short escapes");
    ESC("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "other control characters and DEL as \\u00XX");
    ESC("a\0b", "\"a\\u0000b\"", "a NUL byte inside the length");
    ESC("\x1b[31m", "\"\\u001b[31m\"", "a terminal escape cannot reach a terminal");
    ESC("caf\xc3\xa9 \xe2\x94\x80 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x94\x80 \xf0\x9f\x98\x80\"",
        "valid 2-, 3- and 4-byte UTF-8 as it is");
    ESC("\xe2\x80\xa8", "\"\xe2\x80\xa8\"", "U+2028 is valid UTF-8 and kept");
    ESC("a\xffz", "\"a\\ufffdz\"", "a byte that is never UTF-8 becomes U+FFFD");
    ESC("\x80x", "\"\\ufffdx\"", "a stray continuation byte becomes U+FFFD");
    ESC("\xc3", "\"\\ufffd\"", "a sequence cut by the end becomes U+FFFD");
    ESC("\xe2\x94z", "\"\\ufffd\\ufffdz\"", "a truncated sequence: each of its bytes, then the rest");
    ESC("\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong '/' is refused byte by byte");
    ESC("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", "an overlong 3-byte form is refused");
    ESC("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a UTF-16 surrogate is refused");
    ESC("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF is refused");
    ESC("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"", "U+10FFFF itself is kept");
    ESC("\xc3\xa9\xff\xc3\xa9", "\"\xc3\xa9\\ufffd\xc3\xa9\"", "the text after a bad byte is kept");
}

/* The calls of build, on a fresh writer: the text and whether
 * json_finish called it whole. */
static char *written_new(void (*build)(struct json *), bool *whole)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;
    json_init(&j, &sb);
    build(&j);
    *whole = json_finish(&j);
    return sb_detach(&sb);
}

static void nested(struct json *j)
{
    json_begin_object(j);
    json_kv_string(j, "schema", "pcitopo/1");
    json_key(j, "list");
    json_begin_array(j);
    json_int(j, 1);
    json_begin_object(j);
    json_end_object(j);
    json_begin_array(j);
    json_end_array(j);
    json_begin_array(j);
    json_null(j);
    json_bool(j, false);
    json_end_array(j);
    json_string(j, NULL);
    json_end_array(j);
    json_kv_bool(j, "yes", true);
    json_kv_null(j, "none");
    json_key(j, "o");
    json_begin_object(j);
    json_kv_int(j, "a", -1);
    json_kv_string(j, "b", "x\ny");
    json_end_object(j);
    json_end_object(j);
}

static void numbers(struct json *j)
{
    json_begin_array(j);
    json_int(j, 0);
    json_int(j, -0);
    json_int(j, 42);
    json_int(j, -7);
    json_int(j, LLONG_MAX);
    json_int(j, LLONG_MIN);
    json_end_array(j);
}

static void left_open(struct json *j) { json_begin_object(j); json_kv_int(j, "a", 1); }
static void value_without_key(struct json *j) { json_begin_object(j); json_int(j, 1); json_end_object(j); }
static void key_in_array(struct json *j) { json_begin_array(j); json_key(j, "a"); json_int(j, 1); json_end_array(j); }
static void two_documents(struct json *j) { json_int(j, 1); json_int(j, 2); }
static void wrong_end(struct json *j) { json_begin_array(j); json_end_object(j); json_end_array(j); }
static void dangling_key(struct json *j) { json_begin_object(j); json_key(j, "a"); json_end_object(j); }
static void nothing(struct json *j) { (void)j; }
static void scalar(struct json *j) { json_string(j, "only"); }

static void test_writer(void)
{
    bool whole;
    char *got = written_new(nested, &whole);
    is_str(got, "{\"schema\":\"pcitopo/1\",\"list\":[1,{},[],[null,false],null],\"yes\":true,"
                "\"none\":null,\"o\":{\"a\":-1,\"b\":\"x\\ny\"}}\n",
           "nesting: commas between members only, compact, one line");
    ok(whole, "a whole document finishes true");
    free(got);
    got = written_new(numbers, &whole);
    is_str(got, "[0,0,42,-7,9223372036854775807,-9223372036854775808]\n",
           "integers in decimal, the extremes of long long too");
    ok(whole, "an array as the document");
    free(got);
    got = written_new(scalar, &whole);
    is_str(got, "\"only\"\n", "a string alone is a document");
    ok(whole, "and a whole one");
    free(got);

    static const struct { void (*build)(struct json *); const char *what; } bad[] = {
        { left_open, "an object left open" },
        { value_without_key, "a member without a name" },
        { key_in_array, "a name inside an array" },
        { two_documents, "two values at the top" },
        { wrong_end, "an array closed as an object" },
        { dangling_key, "a name without its value" },
        { nothing, "no value at all" },
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        got = written_new(bad[i].build, &whole);
        ok(!whole, "json_finish reports %s", bad[i].what);
        free(got);
    }
}

/* Deep nesting needs no fixed stack: a tree of many levels. */
static void test_deep(void)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;
    json_init(&j, &sb);
    enum { DEPTH = 3000 };
    for (int i = 0; i < DEPTH; i++) {
        json_begin_object(&j);
        json_key(&j, "c");
    }
    json_begin_array(&j);
    json_end_array(&j);
    for (int i = 0; i < DEPTH; i++)
        json_end_object(&j);
    ok(json_finish(&j), "%d levels of nesting close whole", DEPTH);
    is_int(sb.len, DEPTH * (int)strlen("{\"c\":}") + 3, "and take the bytes they should");
    sb_free(&sb);
}

int main(void)
{
    test_escaping();
    test_writer();
    test_deep();
    return tap_done();
}
