/* Names and messages for the error codes of sshkit/error.h. */
#include <sshkit/error.h>

struct error_entry {
    int code;
    const char *name;
    const char *message;
};

static const struct error_entry errors[] = {
    { SSHKIT_OK,                    "SSHKIT_OK",                    "success" },
    { SSHKIT_E_AGAIN,               "SSHKIT_E_AGAIN",               "operation would block" },
    { SSHKIT_E_NOMEM,               "SSHKIT_E_NOMEM",               "out of memory" },
    { SSHKIT_E_INVALID_ARGUMENT,    "SSHKIT_E_INVALID_ARGUMENT",    "invalid argument" },
    { SSHKIT_E_TRUNCATED,           "SSHKIT_E_TRUNCATED",           "input is truncated" },
    { SSHKIT_E_FORMAT,              "SSHKIT_E_FORMAT",              "invalid format" },
    { SSHKIT_E_TOO_LARGE,           "SSHKIT_E_TOO_LARGE",           "length or count over the limit" },
    { SSHKIT_E_CRYPTO,              "SSHKIT_E_CRYPTO",              "cryptographic library failure" },
    { SSHKIT_E_MAC,                 "SSHKIT_E_MAC",                 "message authentication failed" },
    { SSHKIT_E_SIGNATURE,           "SSHKIT_E_SIGNATURE",           "signature verification failed" },
    { SSHKIT_E_UNKNOWN_KEY_TYPE,    "SSHKIT_E_UNKNOWN_KEY_TYPE",    "unknown or unsupported key type" },
    { SSHKIT_E_WRONG_PASSPHRASE,    "SSHKIT_E_WRONG_PASSPHRASE",    "incorrect passphrase supplied to decrypt private key" },
    { SSHKIT_E_PASSPHRASE_REQUIRED, "SSHKIT_E_PASSPHRASE_REQUIRED", "the key is encrypted and needs a passphrase" },
    { SSHKIT_E_BASE64,              "SSHKIT_E_BASE64",              "invalid base64 data" },
    { SSHKIT_E_IO,                  "SSHKIT_E_IO",                  "input/output error" },
    { SSHKIT_E_NOT_FOUND,           "SSHKIT_E_NOT_FOUND",           "not found" },
    { SSHKIT_E_UNSUPPORTED,         "SSHKIT_E_UNSUPPORTED",         "not supported" },
    { SSHKIT_E_BAD_PUBLIC_VALUE,    "SSHKIT_E_BAD_PUBLIC_VALUE",    "invalid key exchange public value" },
    { SSHKIT_E_KEY_MISMATCH,        "SSHKIT_E_KEY_MISMATCH",        "keys do not match" },
    { SSHKIT_E_UNKNOWN_CIPHER,      "SSHKIT_E_UNKNOWN_CIPHER",      "unknown cipher or key derivation" },
    { SSHKIT_E_PROTOCOL,            "SSHKIT_E_PROTOCOL",            "protocol error" },
    { SSHKIT_E_STATE,               "SSHKIT_E_STATE",               "operation not valid in this state" },
    { SSHKIT_E_NO_COMMON_ALGORITHM, "SSHKIT_E_NO_COMMON_ALGORITHM", "no algorithm in common with the peer" },
    { SSHKIT_E_CONNECTION_CLOSED,   "SSHKIT_E_CONNECTION_CLOSED",   "connection closed by peer" },
    { SSHKIT_E_HOST_KEY_REJECTED,   "SSHKIT_E_HOST_KEY_REJECTED",   "host key verification failed" },
    { SSHKIT_E_DISCONNECTED,        "SSHKIT_E_DISCONNECTED",        "disconnected by peer" },
    { SSHKIT_E_TIMEOUT,             "SSHKIT_E_TIMEOUT",             "timed out" },
    { SSHKIT_E_RESOLVE,             "SSHKIT_E_RESOLVE",             "could not resolve host name" },
    { SSHKIT_E_CONNECT,             "SSHKIT_E_CONNECT",             "connection refused or host unreachable" },
    { SSHKIT_E_CLOSED,              "SSHKIT_E_CLOSED",              "session has ended" },
    { SSHKIT_E_PERMISSION_DENIED,   "SSHKIT_E_PERMISSION_DENIED",   "permission denied" },
    { SSHKIT_E_REFUSED,             "SSHKIT_E_REFUSED",             "request refused by peer" },
    { SSHKIT_E_SFTP_STATUS,         "SSHKIT_E_SFTP_STATUS",         "the SFTP server reported a failure" },
};

static const struct error_entry *find_error(int code)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == code)
            return &errors[i];
    return NULL;
}

const char *sshkit_strerror(int code)
{
    const struct error_entry *e = find_error(code);
    return e ? e->message : "unknown error";
}

const char *sshkit_error_name(int code)
{
    const struct error_entry *e = find_error(code);
    return e ? e->name : "SSHKIT_E_UNKNOWN";
}
