/* fuzz.h: what the fuzz targets share.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang
 * -fsanitize=fuzzer it is a libFuzzer binary (tests/fuzz/fuzz.sh); built
 * with replay.c's main it replays saved inputs under any compiler, which
 * is how `make check` keeps every past finding fixed. */
#ifndef PCITOPO_FUZZ_H
#define PCITOPO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of pcitopo's own that an input broke: report and abort, so
 * libFuzzer saves the input as a crash. */
#define FUZZ_ASSERT(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz property broken at %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#endif
