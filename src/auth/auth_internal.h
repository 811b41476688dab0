/* User authentication (RFC 4252, RFC 4256): what the auth files share.
 *
 *   messages.c          builders and parsers of the userauth messages (no session)
 *   auth.c              sk_auth_handle's dispatch by role, the small public getters
 *   client.c            client attempts: service request, none, password, results
 *   client_publickey.c  client publickey: query, PK_OK, signed request
 *   client_kbdint.c     client keyboard-interactive: prompts and responses
 *   server.c            server: service request, request dispatch, success/failure
 *   server_policy.c     server: which methods a user may use next (partial success)
 *   server_password.c   server: password
 *   server_publickey.c  server: publickey query and signed request
 *   server_kbdint.c     server: keyboard-interactive rounds
 */
#ifndef SSHKIT_AUTH_INTERNAL_H
#define SSHKIT_AUTH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/auth.h>
#include <sshkit/key.h>

#include "wire/reader.h"
#include "wire/writer.h"

struct sshkit_session;

/* ---- limits on what the peer sends (and what we send) ---- */
#define SK_AUTH_USER_MAX 256        /* user name bytes */
#define SK_AUTH_NAME_MAX 64         /* method and service names */
#define SK_AUTH_PASSWORD_MAX 1024   /* a password, or one keyboard-interactive answer */
#define SK_AUTH_KBDINT_MAX 64       /* prompts in one INFO_REQUEST */
#define SK_AUTH_TEXT_MAX 4096       /* a prompt, name, instruction or submethods list */
#define SK_AUTH_BLOB_MAX 16384      /* a public key blob or a signature */
#define SK_AUTH_METHODS_MAX 1024    /* a FAILURE's method list */
#define SK_AUTH_DEFAULT_TRIES 6     /* OpenSSH's MaxAuthTries */

#define SK_SERVICE_USERAUTH "ssh-userauth"
#define SK_SERVICE_CONNECTION "ssh-connection"

/* ---- messages.c: parsers take a whole payload (message type included),
 * builders write the fields after the type (sk_msg_begin writes it). ---- */

/* The fields every USERAUTH_REQUEST starts with; the reader is left at
 * the method-specific fields. User names hold no NUL and fit
 * SK_AUTH_USER_MAX; service and method names fit SK_AUTH_NAME_MAX. */
typedef struct {
    sk_bytes user, service, method;
} sk_auth_head;

int sk_auth_read_head(sk_reader *r, sk_bytes payload, sk_auth_head *h);
void sk_auth_write_head(sk_buf *b, const char *user, const char *method);

/* "none": no fields. */
int sk_auth_read_none(sk_reader *r);

/* "password": change is RFC 4252 section 8's flag; new_password is read
 * only when it is set. Neither holds NUL; both fit SK_AUTH_PASSWORD_MAX. */
typedef struct {
    bool change;
    sk_bytes password, new_password;
} sk_auth_password_req;

int sk_auth_read_password(sk_reader *r, sk_auth_password_req *p);
void sk_auth_write_password(sk_buf *b, const char *password);

/* "publickey": a query (has_sig false) or a signed request. */
typedef struct {
    bool has_sig;
    sk_bytes alg, blob, sig;
} sk_auth_pubkey_req;

int sk_auth_read_pubkey(sk_reader *r, sk_auth_pubkey_req *p);
void sk_auth_write_pubkey(sk_buf *b, const char *alg, const uint8_t *blob, size_t blob_len,
                          const uint8_t *sig, size_t sig_len);

/* The data a publickey signature covers (RFC 4252 section 7). */
void sk_auth_write_signed_data(sk_buf *b, const uint8_t *session_id, size_t id_len,
                               sk_bytes user, const char *alg, sk_bytes blob);

/* "keyboard-interactive": language tag and submethods (both ignored). */
int sk_auth_read_kbdint(sk_reader *r);
void sk_auth_write_kbdint(sk_buf *b);

/* SERVICE_REQUEST and SERVICE_ACCEPT: the service name. */
int sk_auth_read_service(sk_bytes payload, uint8_t type, sk_bytes *name);

/* USERAUTH_FAILURE. */
int sk_auth_read_failure(sk_bytes payload, sk_bytes *methods, bool *partial);
void sk_auth_write_failure(sk_buf *b, const char *methods, bool partial);

/* USERAUTH_SUCCESS: no fields. */
int sk_auth_read_success(sk_bytes payload);

/* USERAUTH_BANNER: the text (no NUL; the language tag is ignored). */
int sk_auth_read_banner(sk_bytes payload, sk_bytes *text);
void sk_auth_write_banner(sk_buf *b, const char *text);

/* USERAUTH_PK_OK: the algorithm and blob echoed. */
int sk_auth_read_pk_ok(sk_bytes payload, sk_bytes *alg, sk_bytes *blob);
void sk_auth_write_pk_ok(sk_buf *b, sk_bytes alg, sk_bytes blob);

/* USERAUTH_INFO_REQUEST, copied out as C strings in one allocation. */
typedef struct {
    const char *name;
    const char *instruction;
    unsigned count;
    const char *prompts[SK_AUTH_KBDINT_MAX];
    bool echo[SK_AUTH_KBDINT_MAX];
    char *strings;          /* owns every string above */
} sk_auth_info_request;

int sk_auth_read_info_request(sk_bytes payload, sk_auth_info_request *out);
void sk_auth_info_request_free(sk_auth_info_request *req);
/* SSHKIT_E_INVALID_ARGUMENT for a request over the limits. */
int sk_auth_write_info_request(sk_buf *b, const sshkit_kbdint_request *req);

/* USERAUTH_INFO_RESPONSE, copied out as C strings in one wiped allocation;
 * the count must be `expected` (else SSHKIT_E_PROTOCOL). */
typedef struct {
    unsigned count;
    const char *answers[SK_AUTH_KBDINT_MAX];
    char *strings;
    size_t strings_len;
} sk_auth_info_response;

int sk_auth_read_info_response(sk_bytes payload, unsigned expected, sk_auth_info_response *out);
void sk_auth_info_response_free(sk_auth_info_response *resp);
void sk_auth_write_info_response(sk_buf *b, const char *const *answers, unsigned count);

/* Copies a wire string into a new C string (NULL when out of memory). */
char *sk_auth_strdup_bytes(sk_bytes b);

/* Reads a string of at most max bytes with no NUL in it (sticky errors:
 * SSHKIT_E_TOO_LARGE, SSHKIT_E_FORMAT). */
int sk_auth_read_text(sk_reader *r, size_t max, sk_bytes *out);

/* ---- auth.c ---- */

/* Fails the session with PROTOCOL_ERROR, naming the message. */
int sk_auth_protocol_error(struct sshkit_session *s, uint8_t type, const char *why);

/* sk_msg_begin, or NULL when the session cannot send any more (the
 * caller then returns SSHKIT_E_STATE). */
sk_buf *sk_auth_msg(struct sshkit_session *s, uint8_t type);

/* Queues an event; a full queue fails the session. */
int sk_auth_event(struct sshkit_session *s, const sshkit_event *ev);

/* ---- client ---- */

typedef enum {
    SK_AUTH_METHOD_NONE = 0,
    SK_AUTH_METHOD_PASSWORD,
    SK_AUTH_METHOD_PUBLICKEY,
    SK_AUTH_METHOD_KBDINT
} sk_auth_method;

typedef enum {
    SK_CLIENT_IDLE = 0,     /* no attempt runs */
    SK_CLIENT_SERVICE,      /* SERVICE_REQUEST sent; the attempt waits for ACCEPT */
    SK_CLIENT_RESULT,       /* request sent; waiting for SUCCESS or FAILURE */
    SK_CLIENT_PK_QUERY,     /* publickey query sent; waiting for PK_OK or FAILURE */
    SK_CLIENT_KBDINT,       /* kbdint request or response sent; waiting for the server */
    SK_CLIENT_PROMPT,       /* INFO_REQUEST handed to the application */
    SK_CLIENT_DONE          /* authenticated */
} sk_client_state;

struct sk_auth_client {
    sk_client_state state;
    bool service_requested;
    bool service_accepted;
    sk_auth_method method;
    char *user;
    char *password;             /* wiped once sent */
    const sshkit_key *key;      /* borrowed for a publickey attempt */
    sshkit_sign_fn sign;        /* signs for key when its private half is elsewhere */
    void *sign_ctx;
    char *methods;              /* the last FAILURE's list, for an attempt we abandon */
    char alg[SK_AUTH_NAME_MAX];
    uint8_t *blob;
    size_t blob_len;
    unsigned prompt_count;      /* answers sshkit_auth_kbdint_respond expects */
};

int sk_auth_client_handle(struct sshkit_session *s, uint8_t type, sk_bytes payload);
/* Checks that an attempt may start, and records its user and method. */
int sk_auth_client_prepare(struct sshkit_session *s, const char *user, sk_auth_method m);
/* Sends the attempt's request now, or asks for the service first. */
int sk_auth_client_launch(struct sshkit_session *s);
void sk_auth_client_free(struct sk_auth_client *c);
/* Sends the attempt's first request (after SERVICE_ACCEPT). */
int sk_auth_client_send_request(struct sshkit_session *s);
/* Ends the attempt: wipes its secrets, back to IDLE. */
void sk_auth_client_end_attempt(struct sk_auth_client *c);

/* client_publickey.c */
const char *sk_auth_client_rsa_alg(const char *server_sig_algs);
int sk_auth_client_pk_query(struct sshkit_session *s);
int sk_auth_client_pk_ok(struct sshkit_session *s, sk_bytes payload);

/* client_kbdint.c */
int sk_auth_client_info_request(struct sshkit_session *s, sk_bytes payload);

/* ---- server ---- */

/* Methods as bits. */
enum {
    SK_AUTH_BIT_NONE = 1u << SK_AUTH_METHOD_NONE,
    SK_AUTH_BIT_PASSWORD = 1u << SK_AUTH_METHOD_PASSWORD,
    SK_AUTH_BIT_PUBLICKEY = 1u << SK_AUTH_METHOD_PUBLICKEY,
    SK_AUTH_BIT_KBDINT = 1u << SK_AUTH_METHOD_KBDINT
};

struct sk_auth_server {
    bool service_accepted;
    bool banner_sent;
    bool bound;                 /* user fixed by the first ssh-connection request */
    char user[SK_AUTH_USER_MAX + 1];
    unsigned requests;          /* USERAUTH_REQUESTs seen */
    unsigned failures;          /* counted against max_tries */
    unsigned steps_done;        /* require_all: methods of the list passed so far */
    bool in_kbdint;
    unsigned kbdint_round;      /* rounds answered */
    unsigned kbdint_expected;   /* answers the last INFO_REQUEST asked for */
};

int sk_auth_server_handle(struct sshkit_session *s, uint8_t type, sk_bytes payload);

/* server_policy.c: the methods a user may use, from the methods callback
 * (or every method with a callback) and require_all. */
typedef struct {
    sk_auth_method order[4];    /* in the callback's order, no duplicates */
    unsigned count;
    bool require_all;
} sk_auth_policy;

void sk_auth_server_policy(struct sshkit_session *s, sk_auth_policy *p);
/* The methods allowed next, after `done` steps, as a bit set. */
unsigned sk_auth_policy_allowed(const sk_auth_policy *p, unsigned done);
/* Whether `done` steps complete the policy. */
bool sk_auth_policy_complete(const sk_auth_policy *p, unsigned done);
/* The FAILURE list of the allowed methods (never "none"). */
void sk_auth_policy_list(const sk_auth_policy *p, unsigned allowed, char *out, size_t cap);
/* The method named, or -1 for an unknown name. */
int sk_auth_method_from_name(sk_bytes name);
const char *sk_auth_method_name(sk_auth_method m);

/* server.c: a method's outcome for the bound user. */
int sk_auth_server_accept(struct sshkit_session *s, sk_auth_method m);
int sk_auth_server_reject(struct sshkit_session *s, bool is_none);

/* server_password.c, server_publickey.c, server_kbdint.c: the rest of a
 * request after its head, for the bound user. */
int sk_auth_server_password(struct sshkit_session *s, sk_reader *r);
int sk_auth_server_publickey(struct sshkit_session *s, sk_reader *r);
int sk_auth_server_kbdint_start(struct sshkit_session *s, sk_reader *r);
int sk_auth_server_info_response(struct sshkit_session *s, sk_bytes payload);

#endif
