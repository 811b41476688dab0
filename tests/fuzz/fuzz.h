/* What every harness shares: libFuzzer's entry point, and a tiny cursor for
 * harnesses that take their choices (which call, how many bytes) from the
 * front of the input and leave the rest as data. */
#ifndef SSHKIT_FUZZ_H
#define SSHKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Called by libFuzzer once per input; must return 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run the way libFuzzer counts as a crash: a harness calls this
 * when the library broke a promise without crashing (a round trip that does
 * not give back its input, say). */
#define FUZZ_ASSERT(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

typedef struct {
    const uint8_t *data;
    size_t len;
} fuzz_input;

/* The next byte, or 0 once the input is used up. */
static inline uint8_t fuzz_byte(fuzz_input *in)
{
    if (in->len == 0)
        return 0;
    in->len--;
    return *in->data++;
}

/* Up to n bytes from the input, into a fresh malloc'd block of exactly that
 * many bytes (so ASan sees any read past its end); *got says how many. The
 * caller frees it. NULL only when malloc fails. */
static inline uint8_t *fuzz_take(fuzz_input *in, size_t n, size_t *got)
{
    if (n > in->len)
        n = in->len;
    uint8_t *p = malloc(n ? n : 1);
    if (p == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        p[i] = in->data[i];
    in->data += n;
    in->len -= n;
    *got = n;
    return p;
}

#endif
