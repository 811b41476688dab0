/**
 * @file sshkit/knownhosts.h
 * @brief OpenSSH known_hosts files: load, check a host key, add, remove,
 *        find, hash, save; and the host key policies a client applies.
 *
 * The format is OpenSSH's (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): one
 * entry per line,
 *
 *     [@cert-authority|@revoked] hostnames keytype base64-key [comment]
 *
 * where hostnames is a comma-separated list of patterns (`*` and `?`
 * wildcards, `!` negation, `[host]:port` for ports other than 22) or one
 * hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 *
 * A ::sshkit_knownhosts keeps every line it was given, byte for byte:
 * comments, blank lines and lines it cannot use (a bad marker, a missing
 * field, an unknown key type, corrupt base64, a NUL byte, a line over
 * ::SSHKIT_KNOWNHOSTS_MAX_LINE bytes) are never matched but are written
 * back unchanged, so saving a set that was not edited reproduces the input
 * exactly, and an edit changes only the lines it is about.
 *
 * Host names are compared without regard to ASCII case: the name looked up
 * is lowercased (as ssh(1) lowercases the host it connects to) and so are
 * the patterns (as OpenSSH's match_hostname() does). A name with a port
 * other than 22 is looked up as `[host]:port`, exactly as OpenSSH does; a
 * bare `host` pattern therefore matches port 22 only, while a pattern such
 * as `*` matches every port.
 *
 * Line numbers count from 1, as in OpenSSH's messages ("Offending ED25519
 * key in ~/.ssh/known_hosts:3"), and refer to the set as it is now: they
 * change when lines are removed or hashed.
 *
 * A set is not thread-safe; use it from one thread at a time.
 */
#ifndef SSHKIT_KNOWNHOSTS_H
#define SSHKIT_KNOWNHOSTS_H

#include <stdbool.h>
#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of known_hosts lines. Opaque. */
typedef struct sshkit_knownhosts sshkit_knownhosts;

/** Longest line that is parsed (bytes, without the newline); longer lines are kept but never matched. */
#define SSHKIT_KNOWNHOSTS_MAX_LINE (16u * 1024u)
/** Largest file or buffer that is loaded, in bytes (SSHKIT_E_TOO_LARGE above it). */
#define SSHKIT_KNOWNHOSTS_MAX_SIZE ((size_t)64 << 20)
/** Most lines a set holds (SSHKIT_E_TOO_LARGE above it). */
#define SSHKIT_KNOWNHOSTS_MAX_LINES ((size_t)1 << 20)
/** Longest host name accepted by the functions that take one (bytes, without the port). */
#define SSHKIT_KNOWNHOSTS_MAX_HOST 1000u

/** The marker at the start of a line. */
typedef enum sshkit_kh_marker {
    SSHKIT_KH_MARKER_NONE = 0,       /**< a plain host key */
    SSHKIT_KH_MARKER_CERT_AUTHORITY, /**< "@cert-authority": a CA that signs host certificates; never a plain match */
    SSHKIT_KH_MARKER_REVOKED         /**< "@revoked": this key must never be accepted for the hosts */
} sshkit_kh_marker;

/** What a line is. */
typedef enum sshkit_kh_line_kind {
    SSHKIT_KH_LINE_COMMENT = 0, /**< empty, only blanks, or starts with '#' (after blanks) */
    SSHKIT_KH_LINE_ENTRY,       /**< an entry: marker, host names, a known key type and more after it */
    SSHKIT_KH_LINE_INVALID      /**< anything else; kept as it is, never matched */
} sshkit_kh_line_kind;

/** The outcome of sshkit_knownhosts_check(), as OpenSSH's HostStatus. */
typedef enum sshkit_kh_status {
    SSHKIT_KH_OK = 0,   /**< an entry for the host holds this very key */
    SSHKIT_KH_NEW,      /**< no entry for the host holds a key of this type (keys of other types may exist) */
    SSHKIT_KH_CHANGED,  /**< the host has keys of this type, none of them this key: possible attack */
    SSHKIT_KH_REVOKED   /**< a matching "@revoked" line names this key: never accept it */
} sshkit_kh_status;

/** Details of a check, for messages such as OpenSSH's. */
typedef struct sshkit_kh_result {
    sshkit_kh_status status; /**< the same value sshkit_knownhosts_check() returned */
    /** The line behind the status: the entry holding the key (OK), the first
     *  entry with another key of the same type (CHANGED, the "offending key"),
     *  the "@revoked" line (REVOKED); 0 for NEW. */
    size_t line;
    /** True when the host has entries whose keys are of other types. */
    bool other_types;
    /** The first such entry's line, or 0. */
    size_t other_line;
} sshkit_kh_result;

/** One line of a set, as the iteration functions give it. */
typedef struct sshkit_kh_entry {
    size_t line;               /**< its number, from 1 */
    /** Its bytes without the newline, NUL-terminated; may hold NUL bytes of
     *  its own (then @c len tells the true length). Owned by the set; valid
     *  until the set is changed or freed. */
    const char *text;
    size_t len;                /**< the length of @c text */
    sshkit_kh_line_kind kind;  /**< comment, entry or invalid */
    sshkit_kh_marker marker;   /**< for an entry: its marker */
    bool hashed;               /**< for an entry: the host name is hashed ("|1|...") */
} sshkit_kh_entry;

/** Options of sshkit_knownhosts_add(). */
enum sshkit_kh_add_flags {
    SSHKIT_KH_ADD_PLAIN = 0,   /**< write the host name in the clear */
    SSHKIT_KH_ADD_HASHED = 1   /**< write "|1|salt|hash" with a fresh random salt (HashKnownHosts yes) */
};

/**
 * @brief Makes an empty set.
 * @param[out] out The set, to be freed with sshkit_knownhosts_free().
 * @return 0, SSHKIT_E_INVALID_ARGUMENT or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_knownhosts_new(sshkit_knownhosts **out);

/**
 * @brief Frees a set. NULL is a no-op.
 * @param kh The set.
 */
SSHKIT_API void sshkit_knownhosts_free(sshkit_knownhosts *kh);

/**
 * @brief Reads known_hosts lines from memory.
 *
 * Lines end at '\n' ("\r" stays part of the line and is treated as a blank
 * when the line is parsed). Unusable lines are kept, not refused.
 *
 * @param data The text (it need not be NUL-terminated and may hold NULs).
 * @param len Its length.
 * @param[out] out The set, to be freed with sshkit_knownhosts_free(); NULL on failure.
 * @return 0; SSHKIT_E_TOO_LARGE over ::SSHKIT_KNOWNHOSTS_MAX_SIZE bytes or
 *         ::SSHKIT_KNOWNHOSTS_MAX_LINES lines; SSHKIT_E_INVALID_ARGUMENT;
 *         SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_knownhosts_parse(const void *data, size_t len, sshkit_knownhosts **out);

/**
 * @brief Reads a known_hosts file. A file that does not exist gives an
 *        empty set, as it does for ssh(1).
 * @param path The file.
 * @param[out] out The set, to be freed with sshkit_knownhosts_free(); NULL on failure.
 * @return As sshkit_knownhosts_parse(), SSHKIT_E_IO (errno is set), or
 *         SSHKIT_E_FORMAT when path is a directory.
 */
SSHKIT_API int sshkit_knownhosts_load(const char *path, sshkit_knownhosts **out);

/**
 * @brief Writes the set as known_hosts text.
 * @param kh The set.
 * @param[out] text The text, NUL-terminated (it holds NULs of its own if the
 *             input did), to be freed with sshkit_free(text, len + 1).
 * @param[out] len Its length without the final NUL.
 * @return 0, SSHKIT_E_INVALID_ARGUMENT or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_knownhosts_format(const sshkit_knownhosts *kh, char **text, size_t *len);

/**
 * @brief Writes the set to a file: into a temporary file in the same
 *        directory, flushed to disk, then renamed over @p path, so that a
 *        reader sees the old file or the new one, never a part.
 *
 * An existing file's permission bits are kept; a new file gets 0644
 * (OpenSSH's known_hosts is not secret). When @p path is a symbolic link,
 * the file it points to is replaced and the link kept. A path that is not
 * a regular file, such as /dev/null, is written in place, never replaced.
 *
 * @param kh The set.
 * @param path The file.
 * @return 0, SSHKIT_E_IO (errno is set; the old file is left as it was),
 *         SSHKIT_E_INVALID_ARGUMENT or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_knownhosts_save(const sshkit_knownhosts *kh, const char *path);

/**
 * @brief Checks a host key against the set, as ssh(1) does.
 *
 * Only entries whose host names match @p host and @p port take part, and
 * only those whose keys sshkit can read. "@cert-authority" entries are
 * skipped (they concern certificates, not plain keys). The outcome, in
 * order of precedence:
 *  - ::SSHKIT_KH_REVOKED: a matching "@revoked" entry holds @p key;
 *  - ::SSHKIT_KH_OK: a plain entry holds @p key;
 *  - ::SSHKIT_KH_CHANGED: plain entries hold keys of the same type (for
 *    ECDSA, the same curve), none of them @p key;
 *  - ::SSHKIT_KH_NEW: otherwise (result->other_types tells whether keys of
 *    other types are known, like ssh(1)'s "but keys of different type are
 *    already known for this host").
 *
 * @param kh The set.
 * @param host The host name or address as the user gave it (it is lowercased
 *             for matching); at most ::SSHKIT_KNOWNHOSTS_MAX_HOST bytes, with
 *             no blank, comma or control character.
 * @param port The port; 0 means 22.
 * @param key The key the server presented.
 * @param[out] result Details (may be NULL).
 * @return An ::sshkit_kh_status (0 or positive), or SSHKIT_E_INVALID_ARGUMENT,
 *         SSHKIT_E_NOMEM, SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_knownhosts_check(const sshkit_knownhosts *kh, const char *host,
                                       unsigned port, const sshkit_key *key,
                                       sshkit_kh_result *result);

/**
 * @brief Appends an entry, formatted as ssh(1) writes it when it learns a
 *        key: `host keytype base64` (`[host]:port` for a port other than 22,
 *        the host lowercased), or with the name hashed. No comment.
 *
 * If the last line had no newline, one is added first (as ssh(1) does).
 *
 * @param kh The set.
 * @param host The host name or address (as for sshkit_knownhosts_check()); it
 *             may not hold '*', '?' or '!', nor start with '@', '#' or '|'
 *             (it would read back as a pattern, marker, comment or hash).
 * @param port The port; 0 means 22.
 * @param key The key (a key pair works too: only its public half is written).
 * @param flags ::SSHKIT_KH_ADD_PLAIN or ::SSHKIT_KH_ADD_HASHED.
 * @return The new line's number (positive), or SSHKIT_E_INVALID_ARGUMENT,
 *         SSHKIT_E_TOO_LARGE (the set is full), SSHKIT_E_NOMEM, SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_knownhosts_add(sshkit_knownhosts *kh, const char *host, unsigned port,
                                     const sshkit_key *key, unsigned flags);

/**
 * @brief Removes every entry for a host, as `ssh-keygen -R` does.
 *
 * An entry goes when its host names match (a hashed name, or a pattern list
 * that matches without a negation): the whole line goes, even when it names
 * other hosts too, and a wildcard pattern such as `*.example.com` counts.
 * Lines marked "@cert-authority" or "@revoked" stay, as ssh-keygen keeps
 * them; invalid lines and comments stay.
 *
 * @param kh The set.
 * @param host The host name or address (as for sshkit_knownhosts_check()).
 * @param port The port; 0 means 22.
 * @return The number of lines removed (0 when none matched), or
 *         SSHKIT_E_INVALID_ARGUMENT, SSHKIT_E_NOMEM, SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_knownhosts_remove(sshkit_knownhosts *kh, const char *host, unsigned port);

/**
 * @brief Iterates over the entries that match a host, in file order, as
 *        `ssh-keygen -F` lists them (marked lines included; see
 *        ::sshkit_kh_entry::marker).
 *
 * @code
 * size_t cursor = 0;
 * sshkit_kh_entry e;
 * while ((rc = sshkit_knownhosts_find(kh, "example.com", 22, &cursor, &e)) > 0)
 *     printf("line %zu: %s\n", e.line, e.text);
 * @endcode
 *
 * @param kh The set (not to be changed during the iteration).
 * @param host The host name or address (as for sshkit_knownhosts_check()).
 * @param port The port; 0 means 22.
 * @param[in,out] cursor Where to go on from: 0 to start; updated.
 * @param[out] entry The next matching entry; its text is owned by the set.
 * @return 1 with an entry, 0 at the end, or SSHKIT_E_INVALID_ARGUMENT,
 *         SSHKIT_E_NOMEM, SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_knownhosts_find(const sshkit_knownhosts *kh, const char *host,
                                      unsigned port, size_t *cursor, sshkit_kh_entry *entry);

/**
 * @brief The number of lines in the set.
 * @param kh The set.
 * @return The count (0 for NULL).
 */
SSHKIT_API size_t sshkit_knownhosts_line_count(const sshkit_knownhosts *kh);

/**
 * @brief One line of the set, whatever its kind (for listing, or for
 *        reporting invalid lines as `ssh-keygen` does).
 * @param kh The set.
 * @param line The line number, from 1.
 * @param[out] entry The line; its text is owned by the set.
 * @return 0, SSHKIT_E_NOT_FOUND past the end, or SSHKIT_E_INVALID_ARGUMENT.
 */
SSHKIT_API int sshkit_knownhosts_get_line(const sshkit_knownhosts *kh, size_t line,
                                          sshkit_kh_entry *entry);

/**
 * @brief Hashes every plain host name, as `ssh-keygen -H` does.
 *
 * Each unmarked entry whose host names are in the clear becomes one hashed
 * line per name (lowercased, fresh random salt each), followed by the
 * original key and comment, in place of the original line. Left as they
 * are: entries already hashed, entries with any `*`, `?` or `!` in their
 * host names (a pattern cannot be hashed; OpenSSH keeps the whole line, even
 * its plain names), "@cert-authority" and "@revoked" lines, comments and
 * invalid lines. As with `strsep` in ssh-keygen, names after an empty one
 * (as in "a,,b") are dropped; a line whose first name is empty is kept as
 * it is.
 *
 * Unlike ssh-keygen, which refuses to rewrite a file with an invalid line,
 * this hashes what it can; a tool that wants ssh-keygen's behaviour checks
 * for ::SSHKIT_KH_LINE_INVALID lines first with sshkit_knownhosts_get_line().
 *
 * @param kh The set.
 * @return The number of lines written hashed, or SSHKIT_E_TOO_LARGE (the
 *         set would grow past its line limit; nothing is changed),
 *         SSHKIT_E_NOMEM or SSHKIT_E_CRYPTO (nothing is changed either).
 */
SSHKIT_API int sshkit_knownhosts_hash(sshkit_knownhosts *kh);

/* ------------------------------------------------------------------ */
/* Host key policies                                                  */
/* ------------------------------------------------------------------ */

/** What a client does with a host key that the known hosts do not vouch for
 *  (like paramiko's RejectPolicy, AutoAddPolicy and WarningPolicy, and
 *  OpenSSH's StrictHostKeyChecking yes / accept-new). */
typedef enum sshkit_hostkey_policy {
    SSHKIT_HOSTKEY_POLICY_REJECT = 0, /**< the default: refuse an unknown host */
    SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, /**< accept an unknown host, add its key and save the file */
    SSHKIT_HOSTKEY_POLICY_WARN        /**< accept an unknown host without recording it, but warn */
} sshkit_hostkey_policy;

/** What a client should do with a host key. */
typedef enum sshkit_hostkey_decision {
    SSHKIT_HOSTKEY_REJECT = 0,          /**< disconnect */
    SSHKIT_HOSTKEY_ACCEPT,              /**< go on: the key is known */
    SSHKIT_HOSTKEY_ACCEPT_AND_ADD,      /**< go on, add the key with sshkit_knownhosts_add() and save */
    SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING  /**< go on, and tell the user the host is not verified */
} sshkit_hostkey_decision;

/**
 * @brief An application's own host key decision, which a client calls in
 *        place of a fixed policy (for example to ask the user, as ssh(1)
 *        does with "Are you sure you want to continue connecting").
 * @param host The host as the application named it.
 * @param port The port.
 * @param key The key the server presented (owned by the caller; copy it with
 *            sshkit_key_public_copy() to keep it).
 * @param result The known_hosts check's details.
 * @param userdata The pointer the application registered with the callback.
 * @return The decision. Returning anything but ::SSHKIT_HOSTKEY_REJECT for
 *         ::SSHKIT_KH_CHANGED or ::SSHKIT_KH_REVOKED is the application's
 *         responsibility.
 */
typedef sshkit_hostkey_decision (*sshkit_hostkey_callback)(const char *host, unsigned port,
                                                           const sshkit_key *key,
                                                           const sshkit_kh_result *result,
                                                           void *userdata);

/**
 * @brief The decision a policy makes for a check's outcome.
 *
 * | status    | REJECT | ACCEPT_NEW     | WARN                 |
 * |-----------|--------|----------------|----------------------|
 * | OK        | ACCEPT | ACCEPT         | ACCEPT               |
 * | NEW       | REJECT | ACCEPT_AND_ADD | ACCEPT_WITH_WARNING  |
 * | CHANGED   | REJECT | REJECT         | REJECT               |
 * | REVOKED   | REJECT | REJECT         | REJECT               |
 *
 * A changed or revoked key is refused by every policy, as both paramiko
 * (BadHostKeyException) and OpenSSH's accept-new do.
 *
 * @param policy The policy.
 * @param status What sshkit_knownhosts_check() returned; a negative error
 *               (or any unknown value or policy) gives ::SSHKIT_HOSTKEY_REJECT.
 * @return The decision.
 */
SSHKIT_API sshkit_hostkey_decision sshkit_knownhosts_decide(sshkit_hostkey_policy policy,
                                                            int status);

/* ------------------------------------------------------------------ */
/* A ready-made host key check for client sessions                    */
/* ------------------------------------------------------------------ */

/* The session type, declared here without its header: the verifier only
 * provides a function of the ::sshkit_host_key_check_fn shape and calls no
 * session function, so known_hosts stays below the transport layer. */
struct sshkit_session;

/**
 * @brief A host key verifier: known_hosts files, a policy and an optional
 *        callback, bundled as a ready-made ::sshkit_host_key_check_fn (like
 *        paramiko's load_system_host_keys() and set_missing_host_key_policy(),
 *        or ssh(1)'s UserKnownHostsFile, GlobalKnownHostsFile,
 *        StrictHostKeyChecking and HashKnownHosts).
 *
 * @code
 * sshkit_hostkey_verifier *v;
 * sshkit_hostkey_verifier_new(&v, "example.com", 22, SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW);
 * sshkit_hostkey_verifier_add_file(v, "/home/me/.ssh/known_hosts", true);
 * sshkit_hostkey_verifier_add_file(v, "/etc/ssh/ssh_known_hosts", false);
 * sshkit_session_set_host_key_check(session, sshkit_hostkey_verifier_check, v);
 * ... handshake ...
 * char text[4096];
 * if (sshkit_hostkey_verifier_describe(v, text, sizeof text) > 0)
 *     fputs(text, stderr);
 * @endcode
 *
 * A verifier keeps the outcome of its last check, so it serves one session
 * at a time (one thread at a time); it must outlive the sessions it is
 * installed in. Opaque.
 */
typedef struct sshkit_hostkey_verifier sshkit_hostkey_verifier;

/** Most files a verifier takes (SSHKIT_E_TOO_LARGE above it). */
#define SSHKIT_HOSTKEY_VERIFIER_MAX_FILES 64u

/**
 * What the last check found and did, for an application's own messages.
 * Strings are owned by the verifier and stay valid until its next check or
 * sshkit_hostkey_verifier_free().
 */
typedef struct sshkit_hostkey_outcome {
    /** 0, or why the check itself failed (a file could not be read:
     *  SSHKIT_E_IO with @c error_errno, SSHKIT_E_FORMAT, SSHKIT_E_TOO_LARGE;
     *  SSHKIT_E_NOMEM; SSHKIT_E_CRYPTO). The key is then refused, @c file
     *  names the unreadable file (if that was the cause) and @c status is
     *  meaningless. */
    int error;
    int error_errno;                  /**< errno behind an SSHKIT_E_IO @c error, else 0 */
    sshkit_kh_status status;          /**< what the files say, merged over all of them */
    sshkit_hostkey_decision decision; /**< what was done (REJECT when @c error is set) */
    bool by_callback;                 /**< the callback decided, not the policy */
    sshkit_hostkey_policy policy;     /**< the verifier's policy */
    /** The name looked up and used in messages: the host lowercased, or
     *  "[host]:port" for a port other than 22. */
    const char *host;
    const char *key_type;             /**< the key's short type name: "ED25519", "ECDSA", "RSA" */
    const char *fingerprint;          /**< the key's "SHA256:..." fingerprint */
    /** The file of @c line: where the key is (OK), the first file with
     *  another key of its type (CHANGED, the "offending key"), the file with
     *  the "@revoked" line (REVOKED); NULL for NEW. */
    const char *file;
    size_t line;                      /**< the line in @c file (from 1), or 0 */
    bool other_types;                 /**< some file has keys of other types for the host */
    const char *other_file;           /**< the first such file, or NULL */
    size_t other_line;                /**< the first such line there, or 0 */
    /** Where the key was to be added (the first writable file) when the
     *  decision was ::SSHKIT_HOSTKEY_ACCEPT_AND_ADD and the key was not
     *  known yet; NULL otherwise, and NULL when there is no writable file. */
    const char *add_file;
    bool added;                       /**< the key was added and the file saved */
    size_t added_line;                /**< the new line's number in @c add_file, or 0 */
    /** 0, or why adding failed (SSHKIT_E_NOT_FOUND: no writable file;
     *  SSHKIT_E_IO with @c add_errno; ...). As ssh(1) does, the key is
     *  accepted all the same. */
    int add_error;
    int add_errno;                    /**< errno behind an SSHKIT_E_IO @c add_error, else 0 */
} sshkit_hostkey_outcome;

/**
 * @brief Makes a verifier for one host, with no files yet (then every host
 *        is NEW).
 * @param[out] out The verifier, to be freed with sshkit_hostkey_verifier_free();
 *             NULL on failure.
 * @param host The host as the application named it (copied); the rules of
 *             sshkit_knownhosts_check() apply.
 * @param port The port; 0 means 22. Port 22 is looked up as the bare name,
 *             others as "[host]:port".
 * @param policy What to do when the callback does not decide.
 * @return 0, SSHKIT_E_INVALID_ARGUMENT (a bad host, port or policy) or
 *         SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_hostkey_verifier_new(sshkit_hostkey_verifier **out, const char *host,
                                           unsigned port, sshkit_hostkey_policy policy);

/**
 * @brief Frees a verifier. NULL is a no-op.
 * @param v The verifier.
 */
SSHKIT_API void sshkit_hostkey_verifier_free(sshkit_hostkey_verifier *v);

/**
 * @brief Adds a known_hosts file to consult, as ssh(1)'s UserKnownHostsFile
 *        (writable) and GlobalKnownHostsFile (read-only).
 *
 * Files are read at each check, so a long-lived verifier sees edits; a file
 * that does not exist counts as empty. New keys go to the first writable
 * file, which is created if missing (and its directory, one level, with
 * mode 0700, as ssh(1) creates ~/.ssh).
 *
 * @param v The verifier.
 * @param path The file (copied).
 * @param writable Whether new keys may be added to it.
 * @return 0, SSHKIT_E_INVALID_ARGUMENT, SSHKIT_E_TOO_LARGE (more than
 *         ::SSHKIT_HOSTKEY_VERIFIER_MAX_FILES) or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_hostkey_verifier_add_file(sshkit_hostkey_verifier *v, const char *path,
                                                bool writable);

/**
 * @brief Lets an application decide instead of the policy (for example by
 *        asking the user).
 *
 * The callback gets the merged check result; its line numbers refer to the
 * files in the outcome, which sshkit_hostkey_verifier_outcome() already
 * returns during the call. ::SSHKIT_HOSTKEY_ACCEPT_AND_ADD for a key that is
 * already known just accepts it; a value outside ::sshkit_hostkey_decision
 * rejects.
 *
 * @param v The verifier.
 * @param cb The callback, or NULL to go back to the policy.
 * @param userdata Passed to the callback.
 */
SSHKIT_API void sshkit_hostkey_verifier_set_callback(sshkit_hostkey_verifier *v,
                                                     sshkit_hostkey_callback cb, void *userdata);

/**
 * @brief Whether keys are added with the host name hashed (ssh(1)'s
 *        HashKnownHosts). The default is plain.
 * @param v The verifier.
 * @param hash true to hash.
 */
SSHKIT_API void sshkit_hostkey_verifier_set_hash(sshkit_hostkey_verifier *v, bool hash);

/**
 * @brief The check, of the ::sshkit_host_key_check_fn shape: install it with
 *        `sshkit_session_set_host_key_check(session, sshkit_hostkey_verifier_check, v)`.
 *
 * Reads every file and checks the key against all of them: REVOKED if any
 * file revokes the key, else OK if any holds it, else CHANGED if any holds
 * another key of its type, else NEW (as ssh(1) merges its files). Then the
 * callback, or else the policy (sshkit_knownhosts_decide()), decides. For
 * ::SSHKIT_HOSTKEY_ACCEPT_AND_ADD with a key not yet known, the key is added
 * to the first writable file, which is saved; if that fails the key is
 * still accepted, as ssh(1) does ("Failed to add the host to the list of
 * known hosts"), and the outcome says why. A file that exists but cannot be
 * read refuses the key (where ssh(1) would skip the file).
 *
 * @param v The verifier (a ::sshkit_hostkey_verifier).
 * @param session The session (unused; may be NULL).
 * @param key The server's host key.
 * @return 0 to accept; SSHKIT_E_HOST_KEY_REJECTED when refused, or when the
 *         check failed (see ::sshkit_hostkey_outcome::error);
 *         SSHKIT_E_INVALID_ARGUMENT for a NULL verifier or key.
 */
SSHKIT_API int sshkit_hostkey_verifier_check(void *v, struct sshkit_session *session,
                                             const sshkit_key *key);

/**
 * @brief What the last check found and did.
 * @param v The verifier.
 * @param[out] out The outcome; its strings are owned by the verifier.
 * @return 0; SSHKIT_E_STATE when no check has run; SSHKIT_E_INVALID_ARGUMENT.
 */
SSHKIT_API int sshkit_hostkey_verifier_outcome(const sshkit_hostkey_verifier *v,
                                               sshkit_hostkey_outcome *out);

/**
 * @brief The last check's message for the user, as ssh(1) 9.2 words it.
 *
 * Each line ends with '\n' (ssh writes "\r\n" to a terminal; the text is
 * otherwise the same byte for byte). Empty for a known key. Otherwise:
 *  - a key added: "Warning: Permanently added 'HOST' (TYPE) to the list of
 *    known hosts."; a failed add: "Failed to add the host to the list of
 *    known hosts (FILE)."
 *  - NEW refused by the REJECT policy: "No TYPE host key is known for HOST
 *    and you have requested strict checking." then "Host key verification
 *    failed."; refused by a callback: the last line alone.
 *  - CHANGED: ssh's "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@"
 *    block with the fingerprint, "Add correct host key in FILE to get rid of
 *    this message.", "Offending TYPE key in FILE:LINE", the ssh-keygen -R
 *    hint, and when refused by the REJECT or ACCEPT_NEW policy "Host key for
 *    HOST has changed and you have requested strict checking."; then "Host
 *    key verification failed." when refused.
 *  - REVOKED: ssh's "WARNING: REVOKED HOST KEY DETECTED!" block, then (policy
 *    REJECT or ACCEPT_NEW) "TYPE host key for HOST was revoked and you have
 *    requested strict checking." and "Host key verification failed.".
 *  - sshkit's own wording, where ssh has none: a NEW key accepted by the WARN
 *    policy ("Warning: No TYPE host key is known for HOST; it was not
 *    verified and not added to the list of known hosts." then "TYPE key
 *    fingerprint is SHA256:...."), and a failed check ("Failed to read the
 *    list of known hosts (FILE)." then "Host key verification failed.").
 *
 * @param v The verifier.
 * @param buf Where to write the text, NUL-terminated and cut short to fit
 *            (may be NULL when @p cap is 0).
 * @param cap The size of @p buf.
 * @return The text's full length without the NUL (as snprintf(): a value
 *         >= @p cap means it was cut short), SSHKIT_E_STATE when no check has
 *         run, SSHKIT_E_INVALID_ARGUMENT, or SSHKIT_E_TOO_LARGE for a text
 *         over 2 GiB.
 */
SSHKIT_API int sshkit_hostkey_verifier_describe(const sshkit_hostkey_verifier *v, char *buf,
                                                size_t cap);

#ifdef __cplusplus
}
#endif

#endif
