/* Private key files: the format modules behind keyfile.c's public API. */
#ifndef SSHKIT_KEYS_KEYFILE_INTERNAL_H
#define SSHKIT_KEYS_KEYFILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sshkit/key.h>

#define SK_OPENSSH_ARMOR_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define SK_OPENSSH_ARMOR_END "-----END OPENSSH PRIVATE KEY-----"

/* bcrypt_pbkdf rounds sshkit writes by default (ssh-keygen's) and the most
 * it reads or writes: 2^16 rounds take minutes; a file asking for more is
 * an attempt to hang the reader, not a key anyone uses. */
#define SK_OPENSSH_DEFAULT_ROUNDS 16
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* Fuzzing: every input must finish in milliseconds, and a key file asking
 * for thousands of bcrypt_pbkdf rounds takes seconds by design. */
#define SK_OPENSSH_MAX_ROUNDS 4
#else
#define SK_OPENSSH_MAX_ROUNDS 65536
#endif

/* OpenSSH's format (PROTOCOL.key). text is the whole armored file. */
int sk_keyfile_openssh_parse(const char *text, size_t len, const char *passphrase,
                             sshkit_key **out);

/* The binary inside the armor (after base64 decoding). */
int sk_keyfile_openssh_decode(const uint8_t *bin, size_t len, const char *passphrase,
                              sshkit_key **out);

/* Writes OpenSSH's format with the named cipher ("aes256-ctr" is what
 * sshkit_key_format_private uses); passphrase NULL or "" writes "none".
 * rounds 0 means SK_OPENSSH_DEFAULT_ROUNDS. text is NUL-terminated and
 * freed with sshkit_free. */
int sk_keyfile_openssh_encode(const sshkit_key *key, const char *cipher, const char *passphrase,
                              unsigned rounds, char **text, size_t *len);

/* Armors a binary key (base64 in 70-column lines between the markers). */
int sk_keyfile_openssh_armor(const uint8_t *bin, size_t len, char **text, size_t *text_len);

/* PEM through libcrypto's decoders: PKCS#1, SEC1, PKCS#8 (encrypted or
 * not) and legacy "Proc-Type: 4,ENCRYPTED" PEM. */
int sk_keyfile_pem_parse(const char *text, size_t len, const char *passphrase,
                         sshkit_key **out);

/* SSHKIT_KEY_FORMAT_PEM or SSHKIT_KEY_FORMAT_PKCS8, with AES-256-CBC when
 * passphrase is neither NULL nor "". */
int sk_keyfile_pem_encode(const sshkit_key *key, sshkit_key_format format,
                          const char *passphrase, char **text, size_t *len);

#endif
