/* sshkit-ssh: the methods that ask the user: password and
 * keyboard-interactive, NumberOfPasswordPrompts times at most. Answers
 * are wiped as soon as they are sent. */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "askpass.h"
#include "ssh_client.h"

enum auth_outcome auth_password(struct auth_ctx *a)
{
    char prompt[600], secret[SSH_SECRET_MAX];
    snprintf(prompt, sizeof prompt, "%s@%s's password: ", a->opt->user, a->opt->host);
    enum auth_outcome out = AUTH_OUT_FAILED;
    for (unsigned i = 0; i < a->opt->password_prompts && out == AUTH_OUT_FAILED; i++) {
        if (i > 0)
            log_at(SSH_LOG_ERROR, "Permission denied, please try again.");
        if (!askpass_read(prompt, false, false, secret, sizeof secret))
            break;
        int rc = sshkit_auth_password(a->s, a->opt->user, secret);
        OPENSSL_cleanse(secret, sizeof secret);
        if (rc != 0)
            break;
        sshkit_event ev;
        out = auth_wait(a, &ev);
        if (out == AUTH_OUT_FAILED && !method_listed(a->methods, "password"))
            break;
    }
    return out == AUTH_OUT_PROMPT ? AUTH_OUT_ERROR : out;
}

/* Answers one round of prompts; false when the user could not be asked
 * (empty answers are sent then, so that the server ends the dialogue). */
static bool answer_round(struct auth_ctx *a, const sshkit_event *ev)
{
    static char answers[64][SSH_SECRET_MAX];
    const char *ptrs[64];
    unsigned n = ev->u.prompt.count;
    if (n > 64)
        return false;
    if (ev->u.prompt.name[0])
        log_at(SSH_LOG_ERROR, "%s", ev->u.prompt.name);
    if (ev->u.prompt.instruction[0])
        log_at(SSH_LOG_ERROR, "%s", ev->u.prompt.instruction);
    bool asked = true;
    for (unsigned i = 0; i < n; i++) {
        asked = asked && askpass_read(ev->u.prompt.prompts[i], ev->u.prompt.echo[i], false,
                                      answers[i], sizeof answers[i]);
        if (!asked)
            answers[i][0] = '\0';
        ptrs[i] = answers[i];
    }
    int rc = sshkit_auth_kbdint_respond(a->s, ptrs, n);
    OPENSSL_cleanse(answers, sizeof answers);
    return asked && rc == 0;
}

/* One keyboard-interactive dialogue, to its result. */
static enum auth_outcome dialogue(struct auth_ctx *a, bool *gave_up)
{
    if (sshkit_auth_kbdint(a->s, a->opt->user) != 0)
        return AUTH_OUT_FAILED;
    for (int round = 0; round < 64; round++) {
        sshkit_event ev;
        enum auth_outcome out = auth_wait(a, &ev);
        if (out != AUTH_OUT_PROMPT)
            return out;
        if (!answer_round(a, &ev))
            *gave_up = true;
    }
    return AUTH_OUT_ERROR;
}

enum auth_outcome auth_kbdint(struct auth_ctx *a)
{
    enum auth_outcome out = AUTH_OUT_FAILED;
    bool gave_up = false;
    for (unsigned i = 0; i < a->opt->password_prompts && out == AUTH_OUT_FAILED; i++) {
        out = dialogue(a, &gave_up);
        if (gave_up || (out == AUTH_OUT_FAILED && !method_listed(a->methods, "keyboard-interactive")))
            break;
    }
    return out;
}
