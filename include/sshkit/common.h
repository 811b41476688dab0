/**
 * @file sshkit/common.h
 * @brief Definitions every sshkit header shares: the export macro, the
 *        version, and the function that frees memory sshkit hands out.
 */
#ifndef SSHKIT_COMMON_H
#define SSHKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(SSHKIT_BUILDING) && defined(__GNUC__)
/** Marks a function as part of sshkit's exported API. */
#  define SSHKIT_API __attribute__((visibility("default")))
#else
/** Marks a function as part of sshkit's exported API. */
#  define SSHKIT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Major version of this sshkit. */
#define SSHKIT_VERSION_MAJOR 0
/** Minor version of this sshkit. */
#define SSHKIT_VERSION_MINOR 1
/** Patch level of this sshkit. */
#define SSHKIT_VERSION_PATCH 0

/**
 * @brief The version of the library actually linked, as "MAJOR.MINOR.PATCH".
 * @return A static string; never NULL.
 */
SSHKIT_API const char *sshkit_version(void);

/**
 * @brief Frees memory that an sshkit function returned to the caller
 *        (strings, blobs, signatures).
 *
 * The memory is wiped before it is released, so it is safe to pass buffers
 * that held secrets.
 *
 * @param ptr The buffer, or NULL (a no-op).
 * @param len Its length in bytes as the returning function reported it, or 0
 *            for a NUL-terminated string (its length is then measured).
 */
SSHKIT_API void sshkit_free(void *ptr, size_t len);

#ifdef __cplusplus
}
#endif

#endif
