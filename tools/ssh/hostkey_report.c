/* sshkit-ssh: what the host key check found and did, in ssh's words: the
 * verifier's text, each line at ssh's log level for it, and the lines
 * ssh adds itself (strict checking under "ask", passwords withheld under
 * "no", the debug lines for a known key). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssh_client.h"

#define FAILED_LINE "Host key verification failed."

/* ssh's line for a key refused under StrictHostKeyChecking ask, which the
 * verifier does not write for a callback's refusal. */
static void ask_strict_line(const struct ssh_options *o, const sshkit_hostkey_outcome *out)
{
    if (o->strict != SSH_STRICT_ASK || out->decision != SSHKIT_HOSTKEY_REJECT || out->error)
        return;
    if (out->status == SSHKIT_KH_CHANGED)
        log_at(SSH_LOG_ERROR, "Host key for %s has changed and you have requested strict "
                              "checking.", out->host);
    else if (out->status == SSHKIT_KH_REVOKED)
        log_at(SSH_LOG_ERROR, "%s host key for %s was revoked and you have requested strict "
                              "checking.", out->key_type, out->host);
}

static void print_lines(const struct ssh_options *o, const sshkit_hostkey_outcome *out,
                        char *text)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strcmp(line, FAILED_LINE) == 0) {
            ask_strict_line(o, out);
            log_at(SSH_LOG_FATAL, "%s", line);
        } else {
            log_at(strncmp(line, "Warning: Permanently added", 26) == 0 ? SSH_LOG_INFO
                                                                        : SSH_LOG_ERROR,
                   "%s", line);
        }
    }
}

void hostkey_report_print(const struct ssh_options *o, const sshkit_hostkey_verifier *v)
{
    sshkit_hostkey_outcome out;
    if (sshkit_hostkey_verifier_outcome(v, &out) != 0)
        return;
    if (out.error == 0 && out.status == SSHKIT_KH_OK) {
        log_at(SSH_LOG_DEBUG1, "Host '%s' is known and matches the %s host key.", out.host,
               out.key_type);
        log_at(SSH_LOG_DEBUG1, "Found key in %s:%zu", out.file, out.line);
    }
    int len = sshkit_hostkey_verifier_describe(v, NULL, 0);
    char *text = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (text && sshkit_hostkey_verifier_describe(v, text, (size_t)len + 1) == len)
        print_lines(o, &out, text);
    free(text);
    if (out.error == 0 && out.status == SSHKIT_KH_CHANGED &&
        out.decision != SSHKIT_HOSTKEY_REJECT) {
        log_at(SSH_LOG_ERROR,
               "Password authentication is disabled to avoid man-in-the-middle attacks.");
        log_at(SSH_LOG_ERROR, "Keyboard-interactive authentication is disabled to avoid "
                              "man-in-the-middle attacks.");
    }
}
